package org.int8workbench.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core classes generated code ships ({@link RuntimeSources}): the core's jar carries their sources, those are the
 * repository's source files byte for byte, and moving them to another package changes the package line and nothing
 * else; moved, they compile on their own against ONNX Runtime (warnings are errors).
 */
class RuntimeSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void theJarCarriesTheRepositorysSources() throws Exception {
        for (String c : RuntimeSources.CLASSES) {
            String shipped = RuntimeSources.read(c);
            Path file = repositorySource(c);
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), shipped, c + ": the source in the jar differs from " + file);
        }
    }

    @Test
    void movingChangesOnlyThePackageLine() throws Exception {
        for (String c : RuntimeSources.CLASSES) {
            String core = RuntimeSources.read(c);
            String moved = RuntimeSources.inPackage(c, core, "com.example.seg");
            List<String> coreLines = core.lines().toList();
            List<String> movedLines = moved.lines().toList();
            assertEquals(coreLines.size(), movedLines.size(), c + ": lines");
            assertEquals("package com.example.seg;", movedLines.get(0));
            assertEquals(coreLines.subList(1, coreLines.size()), movedLines.subList(1, movedLines.size()), c);
            assertTrue(moved.endsWith("\n"), c);
        }
    }

    @Test
    void movedSourcesCompileOnTheirOwn() throws Exception {
        Path dir = tmp.resolve("src/com/example/seg");
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (String c : RuntimeSources.CLASSES) {
            Path f = dir.resolve(RuntimeSources.simpleName(c) + ".java");
            Files.writeString(f, RuntimeSources.inPackage(c, RuntimeSources.read(c), "com.example.seg"), StandardCharsets.UTF_8);
            files.add(f);
        }
        CodegenOperationTest.compile(files, tmp.resolve("classes"));
        for (String c : RuntimeSources.CLASSES) {
            assertTrue(Files.isRegularFile(tmp.resolve("classes/com/example/seg/" + RuntimeSources.simpleName(c) + ".class")), c);
        }
    }

    @Test
    void eachDecodingNeedsOnlyItsOwnClasses() throws Exception {
        assertEquals(List.of(RuntimeSources.IMAGE_TENSOR, RuntimeSources.RESIZE_ARGMAX),
                RuntimeSources.needed(List.of(RuntimeSources.RESIZE_ARGMAX, RuntimeSources.IMAGE_TENSOR)));
        assertEquals(List.of(RuntimeSources.ARGMAX), RuntimeSources.needed(List.of(RuntimeSources.ARGMAX)));
        assertEquals(List.of(RuntimeSources.LABEL_TENSORS), RuntimeSources.needed(List.of(RuntimeSources.LABEL_TENSORS)));
        assertThrows(IllegalArgumentException.class, () -> RuntimeSources.needed(List.of("org.int8workbench.core.Json")));
    }

    @Test
    void refusesSourcesThatAreNotSelfContained() {
        String c = RuntimeSources.RESIZE_ARGMAX;
        String pkg = c.substring(0, c.lastIndexOf('.'));
        String usesCore = "package " + pkg + ";\n\nimport org.int8workbench.core.Json;\n\nfinal class ResizeArgmax {\n}\n";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RuntimeSources.inPackage(c, usesCore, "com.example"));
        assertTrue(e.getMessage().contains("not self-contained"), e.getMessage());
        String otherPackage = "package org.example;\n\nfinal class ResizeArgmax {\n}\n";
        assertThrows(IllegalStateException.class, () -> RuntimeSources.inPackage(c, otherPackage, "com.example"));
        // an import of another shipped class is dropped: both land in the same package
        String importsShipped = "package " + pkg + ";\n\nimport " + RuntimeSources.IMAGE_TENSOR + ";\nimport java.util.List;\n\nfinal class X {\n}\n";
        assertEquals("package com.example;\n\nimport java.util.List;\n\nfinal class X {\n}\n", RuntimeSources.inPackage(c, importsShipped, "com.example"));
    }

    /** The class's source file in the repository: {@code bundles/org.int8workbench.core/src/...} above the working directory. */
    private static Path repositorySource(String className) {
        String relative = "bundles/org.int8workbench.core/" + RuntimeSources.resource(className);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        String msg = "no " + relative + " in " + Path.of("").toAbsolutePath() + " or above; run the tests from the repository";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }
}
