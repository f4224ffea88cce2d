package org.int8workbench.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Json;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.onnx.InvalidModelException;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.OrtMessages;

/** Small helpers shared by the subcommands: one-line error messages and JSON output. */
public final class CliSupport {
    private CliSupport() {
    }

    /**
     * One line saying what went wrong, from the exception's cause chain, with the command line's way of resolving it
     * in brackets where the core's message names the remedy in its own words (e.g. "allow overwriting" is
     * {@code --force}).
     */
    public static String describe(Throwable ex) {
        String message = message(ex);
        String hint = hint(ex);
        // one line, whatever names from the model or dataset it quotes
        return org.int8workbench.core.Printable.of(hint == null || message.contains(hint) ? message : message + " (" + hint + ")");
    }

    private static String message(Throwable ex) {
        String m = plainMessage(ex);
        String regex = regexProblem(ex);
        if (regex != null) {
            return regex;
        }
        if (OrtMessages.isOrtText(m)) {
            return ortMessage(m);
        }
        Matcher e = NO_ENUM.matcher(m);
        if (e.find()) {
            return "unknown value '" + e.group(2) + "'" + enumValues(e.group(1)) + "; see --help for the accepted values";
        }
        return m;
    }

    private static final Pattern NO_ENUM = Pattern.compile("No enum constant ([\\w.$]+)\\.(\\w+)");

    /** The constants of the enum named in "No enum constant a.b.Cls.NAME" (nested classes tried too), or "". */
    private static String enumValues(String className) {
        String name = className;
        for (int i = 0; i < 3; i++) {
            try {
                Class<?> c = Class.forName(name, false, CliSupport.class.getClassLoader());
                if (c.isEnum()) {
                    return " (valid: " + java.util.Arrays.stream(c.getEnumConstants())
                            .map(k -> ((Enum<?>) k).name().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.joining(", ")) + ")";
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next nesting level
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            name = name.substring(0, dot) + "$" + name.substring(dot + 1);
        }
        return "";
    }

    /** An invalid {@code re:} pattern: the only regular expressions a user gives are {@code --ignore}'s. */
    private static String regexProblem(Throwable ex) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = ex; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PatternSyntaxException p) {
                return "invalid regular expression in --ignore: 're:" + p.getPattern() + "' (" + p.getDescription()
                        + (p.getIndex() >= 0 ? " at position " + p.getIndex() : "") + "); write re:REGEX with a Java regular expression,"
                        + " or a glob such as conv*";
            }
        }
        return null;
    }

    /**
     * ONNX Runtime's error text in the tool's words: a model it cannot load is read by the tool to say why (empty,
     * truncated, not ONNX, a dangling input...); otherwise its reason without status codes and C++ source paths.
     */
    private static String ortMessage(String text) {
        Path failed = OrtMessages.failedModel(text);
        if (failed != null) {
            try {
                OnnxModel.load(failed);
            } catch (InvalidModelException | NoSuchFileException e) {
                return e instanceof NoSuchFileException ? "no such file: " + failed : e.getMessage();
            } catch (IOException | RuntimeException e) {
                // fall through to ONNX Runtime's reason
            }
            return failed + ": ONNX Runtime cannot load the model: " + OrtMessages.clean(text.substring(text.indexOf("Load model from")))
                    .replaceFirst("^ONNX Runtime cannot load \\S+: ", "");
        }
        return OrtMessages.clean(text);
    }

    private static String plainMessage(Throwable ex) {
        if (ex instanceof NoSuchFileException e) {
            if (e.getFile() != null && java.nio.file.Files.isDirectory(Path.of(e.getFile()))) {
                return e.getFile() + " is a folder, not a file; give the file itself";
            }
            return "no such file: " + e.getFile() + (e.getReason() != null ? " (" + e.getReason() + ")" : "");
        }
        if (ex instanceof FileAlreadyExistsException e) {
            return e.getFile() + (e.getReason() != null ? ": " + e.getReason() : " exists; choose another output or allow overwriting");
        }
        if (ex instanceof CoreException ce && ce.getStatus() != null) {
            String msg = ce.getStatus().getMessage();
            Throwable cause = ce.getStatus().getException();
            if (cause instanceof NoSuchFileException) {
                return plainMessage(cause); // says it all, a folder given for a file too
            }
            if (cause == null || cause.getMessage() == null || msg.contains(cause.getMessage())) {
                return msg;
            }
            String said = plainMessage(cause);
            return msg.contains(said) ? msg : said.contains(msg) ? said : msg + ": " + cause.getMessage();
        }
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            return ex.getClass().getSimpleName() + (ex.getCause() != null ? ": " + plainMessage(ex.getCause()) : "");
        }
        return msg;
    }

    /** The options that resolve the failure, from its cause chain (and the core's status codes); {@code null} if none. */
    static String hint(Throwable ex) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = ex; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof FileAlreadyExistsException f) {
                // an output that is the input is refused whatever the flags: --force would not help
                return f.getReason() != null && f.getReason().contains("source model") ? null : "--force";
            }
            if (t instanceof CoreException ce && CoreStatus.PLUGIN_ID.equals(ce.getStatus().getPlugin())
                    && ce.getStatus().getCode() == CoreStatus.NEEDS_PREPROCESSING) {
                return "--size WxH, --layout nchw|nhwc";
            }
        }
        return null;
    }

    /** Fails with a one-line message unless every path is an existing model file. */
    public static void requireModels(Path... models) throws NoSuchFileException {
        for (Path m : models) {
            if (m != null && java.nio.file.Files.isDirectory(m)) {
                throw new NoSuchFileException(m.toString(), null, "a folder, not a model file; give the .onnx file");
            }
            if (m != null && !java.nio.file.Files.isRegularFile(m)) {
                throw new NoSuchFileException(m.toString(), null, "no model file there");
            }
        }
    }

    /**
     * Fails before any work when {@code file} (a {@code --json} output; "-" is standard output) exists and
     * {@code force} is not given, so a long run does not end in a refusal to write its result.
     */
    public static void refuseExistingJson(Path file, boolean force) throws IOException {
        if (file != null && !force && !file.toString().equals("-") && java.nio.file.Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toAbsolutePath().toString(), null,
                    "the file exists; choose another --json file or add --force");
        }
        refuseNonJson(file);
    }

    /**
     * {@link #refuseExistingJson(Path, boolean)}, and also fails when {@code file} is one of the run's inputs (the model,
     * its external data, a file in the dataset folder...), whatever {@code force} says ({@link OutputPolicy}).
     */
    public static void refuseExistingJson(Path file, boolean force, OutputPolicy inputs) throws IOException, CoreException {
        if (file == null || file.toString().equals("-")) {
            return;
        }
        if (inputs != null) {
            inputs.checkNotInput(file);
        }
        refuseExistingJson(file, force);
    }

    /**
     * Fails when {@code file} exists and is not a JSON document (a model, an image, a folder...): {@code --force} replaces
     * a JSON result, never an input or anything else the user owns.
     */
    static void refuseNonJson(Path file) throws IOException {
        if (file == null || file.toString().equals("-")) {
            return;
        }
        // a folder on the way that is a file (model.onnx/result.json): say so, not "model.onnx exists"
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p)) {
                if (!java.nio.file.Files.isDirectory(p)) {
                    throw new IOException(file + ": " + p + " is a file, not a folder; choose another --json file");
                }
                break;
            }
        }
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IOException(file.toAbsolutePath() + " is not a file; choose another --json file");
        }
        int first = -1;
        try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                    first = b;
                    break;
                }
            }
        }
        if (first != '{' && first != '[' && first != -1) {
            throw new IOException(file.toAbsolutePath() + " exists and is not a JSON file (a model or data?); --json never"
                    + " replaces it, even with --force. Choose another --json file");
        }
    }

    /** Writes {@code value} as JSON to {@code file} (atomically) when {@code file} is not null; "-" means stdout. */
    public static void writeJson(Path file, Object value, boolean force) throws IOException {
        if (file == null) {
            return;
        }
        if (file.toString().equals("-")) {
            System.out.println(Json.toJson(value));
        } else {
            refuseNonJson(file);
            Json.write(file, value, force);
        }
    }
}
