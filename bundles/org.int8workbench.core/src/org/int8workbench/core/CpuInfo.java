package org.int8workbench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CPU offers for INT8 inference, read from {@code /proc/cpuinfo} on Linux (elsewhere only the
 * core count and {@code os.arch} are known).
 *
 * @param modelName the CPU model name, or {@code os.arch} when unknown
 * @param logicalCores processors available to this JVM
 * @param isaFlags the instruction-set extensions that matter for INT8 kernels, in a fixed order:
 *        AVX2, AVX-512F, AVX-512 VNNI, AVX-VNNI, AMX (only those present)
 */
public record CpuInfo(String modelName, int logicalCores, List<String> isaFlags) {

    public CpuInfo {
        isaFlags = List.copyOf(isaFlags);
    }

    private static final String[][] FLAGS = {
        {"avx2", "AVX2"}, {"avx512f", "AVX-512"}, {"avx512_vnni", "AVX-512 VNNI"},
        {"avx_vnni", "AVX-VNNI"}, {"amx_int8", "AMX-INT8"}};

    private static volatile CpuInfo current;

    /** The CPU this JVM runs on (read once). */
    public static CpuInfo current() {
        CpuInfo c = current;
        if (c == null) {
            c = read(Path.of("/proc/cpuinfo"));
            current = c;
        }
        return c;
    }

    static CpuInfo read(Path cpuinfo) {
        String model = System.getProperty("os.arch");
        Set<String> flags = new HashSet<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = value;
                } else if (key.equals("flags") && flags.isEmpty()) {
                    flags.addAll(List.of(value.split("\\s+")));
                }
            }
        } catch (IOException e) {
            // not Linux: model name stays os.arch, no flags known
        }
        List<String> isa = new ArrayList<>();
        for (String[] f : FLAGS) {
            if (flags.contains(f[0])) {
                isa.add(f[1]);
            }
        }
        return new CpuInfo(model, Runtime.getRuntime().availableProcessors(), isa);
    }

    /** True when the CPU has VNNI dot-product instructions (AVX-512 VNNI or AVX-VNNI). */
    public boolean hasVnni() {
        return isaFlags.contains("AVX-512 VNNI") || isaFlags.contains("AVX-VNNI");
    }

    /** One line, e.g. {@code Intel(R) Xeon(R) ... (2 cores; AVX2, AVX-512, AVX-512 VNNI)}. */
    public String describe() {
        return modelName + " (" + logicalCores + " cores; " + (isaFlags.isEmpty() ? "no AVX" : String.join(", ", isaFlags)) + ")";
    }
}
