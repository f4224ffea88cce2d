package org.int8workbench.core.quantize;

import java.nio.FloatBuffer;

/**
 * Running statistics of one activation tensor over the calibration images, in bounded memory: minimum, maximum,
 * the sums of the per-image minima and maxima (each {@link #add} call is one image), and (when asked for) two
 * fixed-size histograms of magnitudes, one for positive and one for negative values, plus a count of exact zeros.
 *
 * <p>The histograms have {@link #BINS} bins of a power-of-two width starting at 0. When a value beyond the last
 * bin arrives, the width doubles and neighbouring bins are merged pairwise, which is exact; so the histogram
 * always covers the values seen with between {@code BINS/2} and {@code BINS} bins, whatever order they come in.
 * {@link #range} turns the statistics into a quantization range with one of the {@link RangeMethod}s.
 */
public final class TensorStatistics {
    /** Bins per side. */
    public static final int BINS = 2048;

    private final boolean histogram;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long count;
    /** Calls of {@link #add} with values: one per calibration image (batch). */
    private int samples;
    private double sumMin;
    private double sumMax;
    private long zeros;
    private long[] pos;
    private long[] neg;
    /** Bin width is 2^exponent; unset until the first non-zero value. */
    private int exponent = Integer.MIN_VALUE;

    /** Statistics with histograms when {@code histogram} is true (needed by all methods but MinMax). */
    public TensorStatistics(boolean histogram) {
        this.histogram = histogram;
        if (histogram) {
            pos = new long[BINS];
            neg = new long[BINS];
        }
    }

    /**
     * Adds the values of one calibration sample (one image, or one batch): each call is one sample for
     * {@link RangeMethod#MEAN_MINMAX}, which averages the per-sample minima and maxima.
     */
    public void add(float[] values) {
        add(FloatBuffer.wrap(values));
    }

    /** Adds the remaining values of {@code buf} as one sample (its position is not changed); see {@link #add(float[])}. */
    public void add(FloatBuffer buf) {
        int n = buf.remaining();
        int off = buf.position();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = buf.get(off + i);
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        if (n == 0 || Float.isNaN(lo) || Float.isNaN(hi)) {
            if (n > 0) {
                throw new IllegalArgumentException("the tensor contains NaN; the FP32 model produces invalid values on this input");
            }
            return;
        }
        min = Math.min(min, lo);
        max = Math.max(max, hi);
        count += n;
        samples++;
        sumMin += lo;
        sumMax += hi;
        if (!histogram) {
            return;
        }
        float absmax = Math.max(Math.abs(lo), Math.abs(hi));
        if (absmax > 0) {
            fit(absmax);
        }
        if (exponent == Integer.MIN_VALUE) {
            zeros += n;
            return;
        }
        float inv = 1f / width();
        for (int i = 0; i < n; i++) {
            float v = buf.get(off + i);
            if (v > 0) {
                pos[Math.min(BINS - 1, (int) (v * inv))]++;
            } else if (v < 0) {
                neg[Math.min(BINS - 1, (int) (-v * inv))]++;
            } else {
                zeros++;
            }
        }
    }

    /** Widens the bins (doubling, merging pairs) until {@code absmax} falls inside. */
    private void fit(float absmax) {
        if (exponent == Integer.MIN_VALUE) {
            int e = Math.getExponent(absmax / BINS);
            while (Math.scalb(1f, e) * BINS <= absmax) {
                e++;
            }
            exponent = e;
            return;
        }
        while (Math.scalb(1f, exponent) * BINS <= absmax) {
            merge(pos);
            merge(neg);
            exponent++;
        }
    }

    private static void merge(long[] h) {
        for (int i = 0; i < BINS / 2; i++) {
            h[i] = h[2 * i] + h[2 * i + 1];
        }
        java.util.Arrays.fill(h, BINS / 2, BINS, 0);
    }

    private float width() {
        return Math.scalb(1f, exponent);
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    /** Number of values added. */
    public long count() {
        return count;
    }

    /** Number of samples (calls of {@link #add} with values). */
    public int samples() {
        return samples;
    }

    /** Mean over the samples of each sample's minimum. */
    public float meanMin() {
        return (float) (sumMin / samples);
    }

    /** Mean over the samples of each sample's maximum. */
    public float meanMax() {
        return (float) (sumMax / samples);
    }

    /**
     * The quantization range {@code [lo, hi]} by {@code method}.
     *
     * <p>MinMax returns the observed range; MeanMinMax the mean of the per-sample minima and the mean of the per-sample
     * maxima (inside the observed range; the observed range itself when there is one sample). The others work on
     * magnitudes: for a tensor that is never negative on the positive histogram with 256 levels; for a signed tensor
     * with symmetric quantization on the merged magnitude histogram with 128 levels (the range is then {@code [-t, t]}
     * cut to the observed range); for a signed tensor with asymmetric quantization, each side is estimated on its own
     * histogram with 128 levels.
     *
     * @param percentile for {@link RangeMethod#PERCENTILE}, e.g. 99.999
     */
    public float[] range(RangeMethod method, boolean symmetric, double percentile) {
        if (count == 0) {
            throw new IllegalStateException("no values were observed");
        }
        if (method == RangeMethod.MINMAX || max - min == 0) {
            return new float[] {min, max};
        }
        if (method == RangeMethod.MEAN_MINMAX) {
            // each mean lies within [min, max]; clamp against rounding of the double sums
            float lo = Math.max(min, Math.min(max, meanMin()));
            float hi = Math.max(lo, Math.min(max, meanMax()));
            return new float[] {lo, hi};
        }
        if (!histogram) {
            throw new IllegalStateException(method + " needs histograms; create the statistics with histogram=true");
        }
        if (exponent == Integer.MIN_VALUE) {
            return new float[] {0, 0};
        }
        if (min >= 0) {
            return new float[] {min, Math.min(max, threshold(method, pos, U8_LEVELS, percentile))};
        }
        if (max <= 0) {
            return new float[] {Math.max(min, -threshold(method, neg, S_LEVELS, percentile)), max};
        }
        if (symmetric) {
            long[] abs = new long[BINS];
            for (int i = 0; i < BINS; i++) {
                abs[i] = pos[i] + neg[i];
            }
            float t = threshold(method, abs, S_LEVELS, percentile);
            return new float[] {Math.max(min, -t), Math.min(max, t)};
        }
        return new float[] {Math.max(min, -threshold(method, neg, S_LEVELS, percentile)),
            Math.min(max, threshold(method, pos, S_LEVELS, percentile))};
    }

    private static final int U8_LEVELS = 256;
    private static final int S_LEVELS = 128;

    private float threshold(RangeMethod method, long[] h, int levels, double percentile) {
        long[] hist = h.clone();
        if (method == RangeMethod.PERCENTILE) {
            // exact zeros count for percentiles; Entropy and MSE leave them out: 0 is exactly representable (zero point),
            // and the spike of a ReLU's zeros would otherwise dominate KL and pull every threshold to the minimum
            hist[0] += zeros;
        }
        return switch (method) {
            case PERCENTILE -> percentile(hist, width(), percentile);
            case ENTROPY -> entropy(hist, width(), levels);
            case MSE -> mse(hist, width(), levels);
            case MINMAX, MEAN_MINMAX -> throw new IllegalStateException();
        };
    }

    /** Value below which {@code p} percent of the histogram's mass lies, interpolated within the bin. */
    static float percentile(long[] hist, float width, double p) {
        long total = 0;
        for (long c : hist) {
            total += c;
        }
        double target = total * Math.min(100, Math.max(0, p)) / 100.0;
        long cum = 0;
        int last = lastNonEmpty(hist);
        for (int i = 0; i <= last; i++) {
            if (cum + hist[i] >= target && hist[i] > 0) {
                double frac = (target - cum) / hist[i];
                return (float) ((i + frac) * width);
            }
            cum += hist[i];
        }
        return (last + 1) * width;
    }

    private static int lastNonEmpty(long[] hist) {
        for (int i = hist.length - 1; i >= 0; i--) {
            if (hist[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /**
     * TensorRT-style KL calibration: for each candidate cut {@code i} (in bins, from {@code levels} up), the
     * reference distribution P is the first {@code i} bins with everything beyond folded into the last one; Q is P
     * merged into {@code levels} equal groups, each group's mass spread evenly over its non-empty bins. Returns the
     * cut with the least KL(P‖Q), as a value (upper edge of the bin).
     */
    static float entropy(long[] hist, float width, int levels) {
        int last = lastNonEmpty(hist) + 1;
        if (last <= levels) {
            return last * width;
        }
        double best = Double.POSITIVE_INFINITY;
        int bestI = last;
        double[] p = new double[last];
        for (int i = levels; i <= last; i++) {
            double outliers = 0;
            for (int k = i; k < last; k++) {
                outliers += hist[k];
            }
            double sum = 0;
            for (int k = 0; k < i; k++) {
                p[k] = hist[k];
                sum += hist[k];
            }
            p[i - 1] += outliers;
            sum += outliers;
            if (sum == 0) {
                continue;
            }
            // Q: merge the i bins (without the folded outliers) into `levels` groups and expand back
            double kl = 0;
            for (int g = 0; g < levels; g++) {
                int start = (int) ((long) g * i / levels);
                int end = (int) ((long) (g + 1) * i / levels);
                double mass = 0;
                int nonEmpty = 0;
                for (int k = start; k < end; k++) {
                    mass += hist[k];
                    if (hist[k] > 0) {
                        nonEmpty++;
                    }
                }
                for (int k = start; k < end; k++) {
                    if (p[k] == 0) {
                        continue;
                    }
                    double pk = p[k] / sum;
                    double qk = hist[k] > 0 && nonEmpty > 0 ? mass / nonEmpty / sum : 0;
                    kl += qk > 0 ? pk * Math.log(pk / qk) : pk * Math.log(pk / 1e-12);
                }
            }
            if (kl < best) {
                best = kl;
                bestI = i;
            }
        }
        return bestI * width;
    }

    /**
     * The threshold {@code t} minimizing the expected squared error when values in {@code [0, t]} are rounded to a
     * grid of {@code levels - 1} steps (error {@code step²/12} each) and values beyond {@code t} are clipped to it
     * (error {@code (x - t)²}, {@code x} the bin centre). Candidates are the bin edges.
     */
    static float mse(long[] hist, float width, int levels) {
        int last = lastNonEmpty(hist) + 1;
        double best = Double.POSITIVE_INFINITY;
        int bestI = last;
        for (int i = 1; i <= last; i++) {
            double t = (double) i * width;
            double step = t / (levels - 1);
            double noise = step * step / 12;
            double err = 0;
            for (int k = 0; k < last; k++) {
                if (hist[k] == 0) {
                    continue;
                }
                double c = (k + 0.5) * width;
                err += hist[k] * (k < i ? noise : (c - t) * (c - t));
            }
            if (err < best) {
                best = err;
                bestI = i;
            }
        }
        return bestI * width;
    }
}
