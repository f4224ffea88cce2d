package org.int8workbench.core.report;

/**
 * One model of a benchmark compared with the first model of the run (e.g. the INT8 model, or the INT8 model with
 * the exact label head, against the FP32 parent). Every figure is a ratio measured once per round, so that drift of
 * the machine between rounds cancels.
 *
 * @param model index of the compared model in {@link BenchmarkResult#models()} (1 or more)
 * @param path the compared model's file
 * @param speedup its model-only images/s over the first model's, per round
 * @param latencySpeedup the first model's median model-only latency over its own, per round
 * @param endToEndSpeedup its end-to-end label maps/s over the first model's, per round; {@code null} when end-to-end
 *        figures were not measured
 */
public record BenchmarkComparison(int model, String path, BenchmarkSpread speedup, BenchmarkSpread latencySpeedup,
        BenchmarkSpread endToEndSpeedup) {
}
