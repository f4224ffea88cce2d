package org.int8workbench.core.report;

import java.util.List;

/**
 * A ratio measured once per round, and its spread over the rounds.
 *
 * @param median median of the per-round values (the headline figure)
 * @param min smallest per-round value
 * @param max largest per-round value
 * @param perRound the value of every round, in order
 */
public record BenchmarkSpread(double median, double min, double max, List<Double> perRound) {
    public BenchmarkSpread {
        perRound = List.copyOf(perRound);
    }

    /** {@code 1.83x (1.75–1.87)}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%.2fx (%.2f–%.2f)", median, min, max);
    }
}
