package org.int8workbench.core.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.int8workbench.core.report.BenchmarkLatency;
import org.int8workbench.core.report.BenchmarkSpread;

/**
 * The statistics of the benchmark.
 *
 * <p>Percentile definition: linear interpolation between the closest ranks (Hyndman and Fan type 7, the
 * default of NumPy, R and spreadsheet {@code PERCENTILE.INC}): for {@code n} sorted values {@code x[0..n-1]}
 * the {@code p}-th percentile is at rank {@code h = (n - 1) * p / 100}, i.e.
 * {@code x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])}. The median is the 50th percentile
 * (the mean of the two middle values for even {@code n}).
 */
public final class Statistics {
    private Statistics() {
    }

    /** The {@code p}-th percentile ({@code 0 <= p <= 100}) of values sorted ascending; see the class comment. */
    public static double percentileOfSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be within 0..100, got " + p);
        }
        double h = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The {@code p}-th percentile of values in any order. */
    public static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return percentileOfSorted(s, p);
    }

    /** The median of values in any order. */
    public static double median(double[] values) {
        return percentile(values, 50);
    }

    /** Latency statistics in milliseconds of request durations given in nanoseconds. */
    public static BenchmarkLatency latency(long[] nanos) {
        if (nanos.length == 0) {
            return new BenchmarkLatency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] ms = new double[nanos.length];
        double sum = 0;
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
            sum += ms[i];
        }
        Arrays.sort(ms);
        return new BenchmarkLatency(ms.length, sum / ms.length, percentileOfSorted(ms, 50), percentileOfSorted(ms, 90),
                percentileOfSorted(ms, 99), ms[0], ms[ms.length - 1]);
    }

    /** Median, minimum and maximum of per-round values. */
    public static BenchmarkSpread spread(double[] perRound) {
        if (perRound.length == 0) {
            throw new IllegalArgumentException("no rounds");
        }
        double[] s = perRound.clone();
        Arrays.sort(s);
        List<Double> values = new ArrayList<>(perRound.length);
        for (double v : perRound) {
            values.add(v);
        }
        return new BenchmarkSpread(percentileOfSorted(s, 50), s[0], s[s.length - 1], values);
    }

    /** Spread of the per-round ratios {@code numerator[i] / denominator[i]}. */
    public static BenchmarkSpread ratioSpread(double[] numerator, double[] denominator) {
        if (numerator.length != denominator.length) {
            throw new IllegalArgumentException("rounds differ: " + numerator.length + " vs " + denominator.length);
        }
        double[] r = new double[numerator.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = numerator[i] / denominator[i];
        }
        return spread(r);
    }
}
