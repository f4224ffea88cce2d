package org.int8workbench.core.report;

import java.util.List;

/**
 * Where one model's time goes, from ONNX Runtime's profiler (a separate, sequential pass after the timed rounds;
 * its times include the profiler's own overhead and are meant for shares, not for speed).
 *
 * @param runs profiled runs averaged (the first profiled run is discarded)
 * @param kernelMsPerRun total kernel time per run, in milliseconds
 * @param opTypes time per operator type, slowest first
 * @param floatComputeMsPerRun kernel time per run of nodes doing float compute (float input, not an integer kernel, conversion or reshape)
 * @param floatComputeShare {@code floatComputeMsPerRun / kernelMsPerRun}
 */
public record BenchmarkProfile(int runs, double kernelMsPerRun, List<BenchmarkOpTime> opTypes, double floatComputeMsPerRun,
        double floatComputeShare) {
    public BenchmarkProfile {
        opTypes = List.copyOf(opTypes);
    }
}
