package org.int8workbench.core;

import java.time.Instant;

/**
 * Where a result came from: the machine, the runtime and the time. Every result record of the core
 * carries one, so a number in a report can be traced back.
 *
 * @param tool INT8 Workbench version
 * @param onnxRuntime ONNX Runtime version
 * @param cpu the CPU
 * @param javaVersion {@code java.version}
 * @param os {@code os.name os.version}
 * @param time when the operation finished (UTC, ISO-8601)
 */
public record Provenance(String tool, String onnxRuntime, CpuInfo cpu, String javaVersion, String os, String time) {

    /** Provenance of this process, now. */
    public static Provenance now() {
        return new Provenance(Version.PRODUCT, Ort.version(), CpuInfo.current(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), Instant.now().toString());
    }
}
