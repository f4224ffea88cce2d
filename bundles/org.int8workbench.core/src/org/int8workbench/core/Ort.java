package org.int8workbench.core;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * The one owner of the process-wide ONNX Runtime environment. Every session in the core is created from
 * {@link #env()}; nobody closes it (ONNX Runtime tears it down at JVM exit).
 */
public final class Ort {
    private static volatile OrtEnvironment env;

    private Ort() {
    }

    /** The shared environment, created on first use; it logs errors only (a valid model prints nothing). */
    public static OrtEnvironment env() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (Ort.class) {
                e = env;
                if (e == null) {
                    e = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "int8workbench");
                    env = e;
                    removeNativeFolder();
                }
            }
        }
        return e;
    }

    /**
     * ONNX Runtime's Java binding extracts its native libraries into a new {@code onnxruntime-java*} folder of the
     * temporary directory on every start and deletes the libraries only at exit, and never the folder: the folders of
     * earlier runs would pile up (with 28 MB of libraries each when the JVM is killed). Once the libraries are loaded
     * (the environment exists), the folder they were loaded from is removed at once, found from the process's memory
     * map (Linux; elsewhere nothing is removed).
     */
    private static void removeNativeFolder() {
        java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
        if (!java.nio.file.Files.isReadable(maps)) {
            return;
        }
        java.util.Set<java.nio.file.Path> folders = new java.util.HashSet<>();
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(maps)) {
            lines.forEach(l -> {
                int i = l.indexOf('/');
                if (i >= 0) {
                    java.nio.file.Path lib = java.nio.file.Path.of(l.substring(i).replace(" (deleted)", ""));
                    java.nio.file.Path dir = lib.getParent();
                    if (dir != null && dir.getFileName() != null && dir.getFileName().toString().startsWith("onnxruntime-java")) {
                        folders.add(dir);
                    }
                }
            });
        } catch (java.io.IOException | RuntimeException e) {
            return;
        }
        for (java.nio.file.Path p : folders) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(p)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
                java.nio.file.Files.deleteIfExists(p);
            } catch (java.io.IOException | RuntimeException e) {
                // gone already, or not ours to delete
            }
        }
    }

    /**
     * The declared shape of a session's first input (dynamic axes -1), or {@code null} when it is not a tensor. With
     * {@code Preprocessing.inputShape} it gives the shape an image is fed as (rank 3 or 4).
     */
    public static long[] inputShape(ai.onnxruntime.OrtSession s) throws ai.onnxruntime.OrtException {
        return s.getInputInfo().values().iterator().next().getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : null;
    }

    /**
     * What {@code read} finds in a session of {@code model} opened only to be read (no graph optimization): its
     * metadata, inputs or outputs; {@code null} when the model cannot be opened or read.
     */
    public static <T> T readPlain(java.nio.file.Path model, SessionReader<T> read) {
        try (ai.onnxruntime.OrtSession.SessionOptions o = new ai.onnxruntime.OrtSession.SessionOptions()) {
            o.setOptimizationLevel(ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (ai.onnxruntime.OrtSession s = env().createSession(model.toString(), o)) {
                return read.read(s);
            }
        } catch (ai.onnxruntime.OrtException | java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads something from an open session ({@link #readPlain}). */
    @FunctionalInterface
    public interface SessionReader<T> {
        T read(ai.onnxruntime.OrtSession session) throws ai.onnxruntime.OrtException, java.io.IOException;
    }

    /** The ONNX Runtime version, e.g. {@code 1.29.0}. */
    public static String version() {
        return env().getVersion();
    }
}
