package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.int8workbench.core.report.BenchmarkLatency;
import org.int8workbench.core.report.BenchmarkSpread;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    private static final double EPS = 1e-9;

    @Test
    void percentilesInterpolateLinearlyBetweenClosestRanks() {
        double[] v = {40, 15, 50, 35, 20}; // sorted: 15 20 35 40 50
        assertEquals(15, Statistics.percentile(v, 0), EPS);
        assertEquals(20, Statistics.percentile(v, 25), EPS); // rank 1
        assertEquals(35, Statistics.percentile(v, 50), EPS); // rank 2
        assertEquals(46, Statistics.percentile(v, 90), EPS); // rank 3.6: 40 + 0.6 * 10
        assertEquals(49.6, Statistics.percentile(v, 99), EPS); // rank 3.96: 40 + 0.96 * 10
        assertEquals(50, Statistics.percentile(v, 100), EPS);
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 3, 2}), EPS);
        assertEquals(7, Statistics.percentile(new double[] {7}, 90), EPS);
        assertThrows(IllegalArgumentException.class, () -> Statistics.percentile(new double[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Statistics.percentile(v, 101));
    }

    @Test
    void latencyFromNanosecondsInMilliseconds() {
        BenchmarkLatency l = Statistics.latency(new long[] {4_000_000, 1_000_000, 3_000_000, 2_000_000});
        assertEquals(4, l.count());
        assertEquals(2.5, l.mean(), EPS);
        assertEquals(2.5, l.median(), EPS);
        assertEquals(3.7, l.p90(), EPS); // rank 2.7: 3 + 0.7
        assertEquals(3.97, l.p99(), EPS); // rank 2.97
        assertEquals(1, l.min(), EPS);
        assertEquals(4, l.max(), EPS);
        assertEquals(0, Statistics.latency(new long[0]).count());
    }

    @Test
    void spreadIsMedianMinMaxOfPerRoundValuesInRoundOrder() {
        BenchmarkSpread s = Statistics.spread(new double[] {1.8, 1.6, 2.0, 1.7, 1.9});
        assertEquals(1.8, s.median(), EPS);
        assertEquals(1.6, s.min(), EPS);
        assertEquals(2.0, s.max(), EPS);
        assertEquals(List.of(1.8, 1.6, 2.0, 1.7, 1.9), s.perRound());
        assertEquals("1.80x (1.60–2.00)", s.describe());

        BenchmarkSpread r = Statistics.ratioSpread(new double[] {20, 30, 45, 40}, new double[] {10, 20, 20, 10});
        assertEquals(List.of(2.0, 1.5, 2.25, 4.0), r.perRound());
        assertEquals(2.125, r.median(), EPS); // (2.0 + 2.25) / 2
        assertEquals(1.5, r.min(), EPS);
        assertEquals(4.0, r.max(), EPS);
        assertThrows(IllegalArgumentException.class, () -> Statistics.ratioSpread(new double[] {1}, new double[] {1, 2}));
    }
}
