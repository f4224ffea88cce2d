package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The range estimators against hand-computed expectations, and the streaming histogram. */
class TensorStatisticsTest {

    @Test
    void minMaxIsTheObservedRange() {
        TensorStatistics s = new TensorStatistics(false);
        s.add(new float[] {0.5f, -1.5f, 2f});
        s.add(new float[] {3.25f});
        assertArrayEquals(new float[] {-1.5f, 3.25f}, s.range(RangeMethod.MINMAX, true, 99.9), 0f);
        assertEquals(4, s.count());
        assertThrows(IllegalStateException.class, () -> s.range(RangeMethod.PERCENTILE, true, 99.9));
    }

    @Test
    void percentileOfAHistogramInterpolatesWithinTheBin() {
        // bins of width 1 holding 50, 30, 20 values: 90% of 100 is reached 10/20 into the third bin -> 2.5
        assertEquals(2.5f, TensorStatistics.percentile(new long[] {50, 30, 20}, 1f, 90), 1e-6f);
        assertEquals(1f, TensorStatistics.percentile(new long[] {50, 30, 20}, 1f, 50), 1e-6f);
        assertEquals(3f, TensorStatistics.percentile(new long[] {50, 30, 20}, 1f, 100), 1e-6f);
    }

    @Test
    void entropyClipsARareOutlierBin() {
        // levels = 2, histogram [10, 10, 1] (width 1). Candidates:
        // cut 2: P = [10, 11]/21 (outlier folded in), Q = [10, 10]/21 -> KL = 11/21 ln(11/10) = 0.0499
        // cut 3: P = [10, 10, 1]/21, Q = [10, 5.5, 5.5]/21 -> KL = 10/21 ln(10/5.5) + 1/21 ln(1/5.5) = 0.2035
        // so the threshold is 2
        assertEquals(2f, TensorStatistics.entropy(new long[] {10, 10, 1}, 1f, 2), 0f);
        // all mass within `levels` bins: nothing to cut, the threshold is the top of the last bin
        assertEquals(3f, TensorStatistics.entropy(new long[] {5, 0, 7, 0}, 1f, 4), 0f);
    }

    @Test
    void mseTradesRoundingNoiseAgainstClipping() {
        // levels = 2 (one step of t), width 1: 12 values at 0.5 and 1 value at 3.5.
        // t=1: 12*(1/12) + (3.5-1)^2 = 7.25; t=2: 12*(4/12) + 1.5^2 = 6.25; t=3: 12*(9/12) + 0.5^2 = 9.25;
        // t=4: 13*(16/12) = 17.3 -> t = 2
        assertEquals(2f, TensorStatistics.mse(new long[] {12, 0, 0, 1}, 1f, 2), 0f);
    }

    @Test
    void histogramWidensExactlyAsLargerValuesArrive() {
        TensorStatistics s = new TensorStatistics(true);
        s.add(new float[] {0.001f, 0.002f});
        s.add(new float[] {1000f, -3f, 0f});
        assertEquals(5, s.count());
        // percentile 100 of magnitudes reaches the top: the maximum
        float[] r = s.range(RangeMethod.PERCENTILE, true, 100);
        assertEquals(-3f, r[0]);
        assertEquals(1000f, r[1]);
        // the median magnitude (5 values incl. one zero: 0, 0.001, 0.002, 3, 1000) lies in the lowest bins
        float[] m = s.range(RangeMethod.PERCENTILE, true, 60);
        assertTrue(m[1] < 1f, "60th percentile " + m[1]);
    }

    @Test
    void estimatorsOnAHeavyTailedDistribution() {
        // 200,000 values uniform in [0, 1] and 20 outliers at 100: a ReLU-like tensor with rare spikes
        TensorStatistics s = new TensorStatistics(true);
        Random r = new Random(1);
        float[] v = new float[200_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        s.add(v);
        float[] spikes = new float[20];
        java.util.Arrays.fill(spikes, 100f);
        s.add(spikes);
        assertEquals(100f, s.range(RangeMethod.MINMAX, true, 0)[1]);
        // 99.99% of 200,020 values is below 1 (only 20 = 0.01% are spikes)
        float p = s.range(RangeMethod.PERCENTILE, true, 99.99)[1];
        assertTrue(p > 0.99f && p <= 1.05f, "percentile " + p);
        // rounding noise over [0, 100] for 200,000 values (200000 * (100/255)^2/12 = 2563) beats clipping 20 spikes
        // to ~1 (20 * 99^2 = 196020)? no: clipping costs far more, so MSE keeps the spikes
        float mse = s.range(RangeMethod.MSE, true, 0)[1];
        assertTrue(mse > 90f, "mse " + mse);
        // KL compares shapes: the uniform bulk and the lone spike bin are both represented exactly when the range
        // covers the spikes (each merged group spreads its mass over the bins that had some), so KL keeps them too
        assertEquals(100f, s.range(RangeMethod.ENTROPY, true, 0)[1], 0.1f);

        // a Gaussian's sparse tail, in contrast, is cut by KL: the threshold lies well inside the observed range
        TensorStatistics g = new TensorStatistics(true);
        float[] n = new float[200_000];
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) r.nextGaussian();
        }
        g.add(n);
        float t = g.range(RangeMethod.ENTROPY, true, 0)[1];
        float absmax = Math.max(-g.min(), g.max());
        assertTrue(t > 2f && t < 0.9f * absmax, "entropy " + t + " of max " + absmax);
        float[] sym = g.range(RangeMethod.ENTROPY, true, 0);
        assertEquals(-sym[1], sym[0], 1e-6f, "symmetric threshold on both sides");
    }

    @Test
    void signedRangesBySchema() {
        TensorStatistics s = new TensorStatistics(true);
        s.add(new float[] {-4f, -1f, 0f, 1f, 2f});
        // symmetric: one magnitude threshold, cut to the observed range
        assertArrayEquals(new float[] {-4f, 2f}, s.range(RangeMethod.PERCENTILE, true, 100), 1e-6f);
        // asymmetric: each side separately
        assertArrayEquals(new float[] {-4f, 2f}, s.range(RangeMethod.PERCENTILE, false, 100), 1e-6f);
        TensorStatistics z = new TensorStatistics(true);
        z.add(new float[] {0f, 0f});
        assertArrayEquals(new float[] {0f, 0f}, z.range(RangeMethod.ENTROPY, true, 0), 0f);
    }

    @Test
    void meanMinMaxAveragesThePerImageExtremes() {
        // three images (one add each): per-image minima -1, -2, 0 and maxima 2, 4, 9
        TensorStatistics s = new TensorStatistics(false);
        s.add(new float[] {-1f, 0.5f, 2f});
        s.add(new float[] {4f, -2f});
        s.add(new float[] {0f, 9f, 3f});
        assertEquals(3, s.samples());
        assertEquals(-1f, s.meanMin(), 1e-6f);
        assertEquals(5f, s.meanMax(), 1e-6f);
        // the mean extremes, not the global ones (-2, 9): the 9 of one image is clipped
        assertArrayEquals(new float[] {-1f, 5f}, s.range(RangeMethod.MEAN_MINMAX, true, 0), 1e-6f);
        assertArrayEquals(new float[] {-1f, 5f}, s.range(RangeMethod.MEAN_MINMAX, false, 0), 1e-6f);
        assertArrayEquals(new float[] {-2f, 9f}, s.range(RangeMethod.MINMAX, true, 0), 0f);
        // no histogram needed
        assertTrue(!RangeMethod.MEAN_MINMAX.needsHistogram());
    }

    @Test
    void meanMinMaxOfOneImageIsItsRange() {
        TensorStatistics s = new TensorStatistics(true);
        s.add(new float[] {0.25f, 3f, 1f});
        assertArrayEquals(new float[] {0.25f, 3f}, s.range(RangeMethod.MEAN_MINMAX, true, 0), 0f);
        // an empty add is no image
        s.add(new float[0]);
        assertEquals(1, s.samples());
        // a ReLU output whose minimum is 0 in every image keeps 0 as its lower end (zero point 0 in uint8)
        TensorStatistics relu = new TensorStatistics(false);
        relu.add(new float[] {0f, 6f});
        relu.add(new float[] {0f, 2f});
        assertArrayEquals(new float[] {0f, 4f}, relu.range(RangeMethod.MEAN_MINMAX, true, 0), 0f);
    }

    @Test
    void meanMinMaxStaysInsideTheObservedRange() {
        // many images with the same extremes: the mean of float sums must not round outside [min, max]
        TensorStatistics s = new TensorStatistics(false);
        for (int i = 0; i < 1000; i++) {
            s.add(new float[] {-0.1f, 0.3f});
        }
        float[] r = s.range(RangeMethod.MEAN_MINMAX, true, 0);
        assertTrue(r[0] >= -0.1f && r[1] <= 0.3f, java.util.Arrays.toString(r));
        assertEquals(-0.1f, r[0], 1e-6f);
        assertEquals(0.3f, r[1], 1e-6f);
    }

    @Test
    void rangeMethodNamesParse() {
        assertEquals(RangeMethod.MEAN_MINMAX, RangeMethod.parse("mean-minmax"));
        assertEquals(RangeMethod.MEAN_MINMAX, RangeMethod.parse("MEAN_MINMAX"));
        assertEquals(RangeMethod.MEAN_MINMAX, RangeMethod.parse("meanminmax")); // a display name "MeanMinMax" lower-cased
        assertEquals(RangeMethod.MSE, RangeMethod.parse(" MSE "));
        assertEquals("mean-minmax", RangeMethod.MEAN_MINMAX.cliName());
        for (RangeMethod m : RangeMethod.values()) {
            assertEquals(m, RangeMethod.parse(m.cliName()));
        }
        assertEquals("minmax", RangeMethod.MINMAX.cliName());
        assertThrows(IllegalArgumentException.class, () -> RangeMethod.parse("mean"));
    }
}
