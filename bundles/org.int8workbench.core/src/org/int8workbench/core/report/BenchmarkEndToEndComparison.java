package org.int8workbench.core.report;

/**
 * End-to-end comparison of the second model of a benchmark with the first.
 *
 * @param speedup the second model's end-to-end label maps per second over the first's, per round
 */
public record BenchmarkEndToEndComparison(BenchmarkSpread speedup) {
}
