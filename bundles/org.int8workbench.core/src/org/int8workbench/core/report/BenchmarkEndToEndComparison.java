package org.int8workbench.core.report;

/**
 * End-to-end comparison of two models.
 *
 * @param speedup the second model's end-to-end label maps per second over the first's, per round
 */
public record BenchmarkEndToEndComparison(BenchmarkSpread speedup) {
}
