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
                }
            }
        }
        return e;
    }

    /** The ONNX Runtime version, e.g. {@code 1.29.0}. */
    public static String version() {
        return env().getVersion();
    }
}
