package org.int8workbench.core.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The core's own classes that generated inference code runs, as their source files. The core's jar carries them
 * beside its classes (see {@code build.properties}: {@code bin.includes} lists each file at its repository path,
 * {@link #ROOT}), so the generated project gets the very code the core compiles, runs and tests, not a re-typed copy.
 * Each file must be self-contained, depending only on the JDK, ONNX Runtime and the other files listed here; copying
 * changes only its {@code package} line and the imports of the other listed classes.
 */
final class RuntimeSources {

    /** Folder of the source files in the jar (and in the bundle's project). */
    static final String ROOT = "src/";

    /** The preprocessing of images into input tensors. */
    static final String IMAGE_TENSOR = "org.int8workbench.core.dataset.ImageTensor";

    /** The exact label head: labels from low-resolution scores. */
    static final String RESIZE_ARGMAX = "org.int8workbench.core.labels.ResizeArgmax";

    /** The argmax over class scores, with the label path's NaN rule. */
    static final String ARGMAX = "org.int8workbench.core.labels.Argmax";

    /** Reading the labels of a model that outputs them. */
    static final String LABEL_TENSORS = "org.int8workbench.core.labels.LabelTensors";

    /** The shipped classes, as fully qualified names. */
    static final List<String> CLASSES = List.of(IMAGE_TENSOR, ARGMAX, RESIZE_ARGMAX, LABEL_TENSORS);

    private static final Pattern PACKAGE = Pattern.compile("\\Apackage ([\\w.]+);\n");

    private RuntimeSources() {
    }

    /**
     * The listed classes that code using {@code roots} needs: the roots and, in turn, every listed class whose simple
     * name their sources mention, in the order of {@link #CLASSES}.
     */
    static List<String> needed(List<String> roots) throws IOException {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (!CLASSES.contains(c)) {
                throw new IllegalArgumentException(c + " is not one of the classes generated code ships");
            }
            if (needed.add(c)) {
                String source = read(c);
                for (String other : CLASSES) {
                    if (!needed.contains(other) && Pattern.compile("\\b" + simpleName(other) + "\\b").matcher(source).find()) {
                        todo.push(other);
                    }
                }
            }
        }
        return CLASSES.stream().filter(needed::contains).toList();
    }

    /** The simple name of a listed class. */
    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The resource path of a class's source file, e.g. {@code src/org/int8workbench/core/labels/ResizeArgmax.java}. */
    static String resource(String className) {
        return ROOT + className.replace('.', '/') + ".java";
    }

    /** The source file of a listed class as the core's jar carries it. */
    static String read(String className) throws IOException {
        String path = resource(className);
        ClassLoader loader = RuntimeSources.class.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("the INT8 Workbench core was built without the source file " + path
                        + " that generated code copies; its build.properties must list it under bin.includes");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The source of a listed class moved to {@code packageName}: the {@code package} line is replaced and imports of
     * the other listed classes are dropped (they land in the same package); nothing else changes.
     *
     * @throws IllegalStateException when the source is not in the class's package or refers to a core class that is
     *         not listed (it would not compile outside the core)
     */
    static String inPackage(String className, String source, String packageName) {
        Matcher m = PACKAGE.matcher(source);
        String own = className.substring(0, className.lastIndexOf('.'));
        if (!m.find() || !m.group(1).equals(own)) {
            throw new IllegalStateException("the source of " + className + " does not start with its package line");
        }
        StringBuilder out = new StringBuilder(source.length()).append("package ").append(packageName).append(";\n");
        for (String line : source.substring(m.end()).split("(?<=\n)", -1)) {
            String imported = line.startsWith("import ") && line.endsWith(";\n") ? line.substring(7, line.length() - 2) : null;
            if (imported != null && CLASSES.contains(imported)) {
                continue;
            }
            if (line.contains("org.int8workbench.")) {
                throw new IllegalStateException(className + " is not self-contained: it refers to the core outside the shipped classes ("
                        + line.strip() + ")");
            }
            out.append(line);
        }
        return out.toString();
    }
}
