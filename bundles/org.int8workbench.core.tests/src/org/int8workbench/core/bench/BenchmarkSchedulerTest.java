package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.bench.BenchmarkScheduler.Measurements;
import org.int8workbench.core.bench.BenchmarkScheduler.Phase;
import org.int8workbench.core.bench.BenchmarkScheduler.Plan;
import org.int8workbench.core.bench.BenchmarkScheduler.Segment;
import org.junit.jupiter.api.Test;

/** Scheduling without ONNX Runtime: fake workloads that advance a fake clock and log their requests. */
class BenchmarkSchedulerTest {
    private static final long MS = 1_000_000L;

    /** Each request costs {@code warmupCost} for the first {@code warmup} requests of a phase, else {@code cost}. */
    private static class Fake implements BenchmarkScheduler.Workload {
        final String name;
        final AtomicLong clock;
        final List<String> log;
        final int warmup;
        final long warmupCost;
        final long cost;
        final int[] calls = new int[2];

        Fake(String name, AtomicLong clock, List<String> log, int warmup, long warmupCost, long cost) {
            this.name = name;
            this.clock = clock;
            this.log = log;
            this.warmup = warmup;
            this.warmupCost = warmupCost;
            this.cost = cost;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void request(int stream, boolean endToEnd) {
            int phase = endToEnd ? 1 : 0;
            boolean warm = calls[phase]++ < warmup;
            log.add(name + (endToEnd ? "e" : "m") + (warm ? "w" : ""));
            clock.addAndGet(warm ? warmupCost : cost);
        }

        @Override
        public void terminate() {
        }
    }

    /**
     * A machine that slows down round by round: a timed request of round r costs (1 + r) times {@code cost}; with
     * {@code perRound} requests per segment, a workload's k-th timed request of a phase is in round k / perRound.
     */
    private static final class Drifting extends Fake {
        final int perRound;

        Drifting(String name, AtomicLong clock, List<String> log, long cost, int perRound) {
            super(name, clock, log, 2, 1000 * MS, cost);
            this.perRound = perRound;
        }

        @Override
        public void request(int stream, boolean endToEnd) {
            int timed = calls[endToEnd ? 1 : 0] - warmup;
            super.request(stream, endToEnd);
            if (timed >= 0) {
                clock.addAndGet(cost * (timed / perRound));
            }
        }
    }

    @Test
    void interleavesModelsInEveryRoundAndExcludesWarmup() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<String> log = new ArrayList<>();
        Fake a = new Fake("A", clock, log, 3, 1000 * MS, 10 * MS);
        Fake b = new Fake("B", clock, log, 3, 1000 * MS, 5 * MS);
        Plan plan = new Plan(1, 3, 4, 10, 0, true);
        Measurements m = new BenchmarkScheduler(plan, clock::get).run(List.of(a, b), new NullProgressMonitor());

        List<String> expected = new ArrayList<>();
        expected.addAll(Collections.nCopies(3, "Amw"));
        expected.addAll(Collections.nCopies(3, "Aew"));
        expected.addAll(Collections.nCopies(3, "Bmw"));
        expected.addAll(Collections.nCopies(3, "Bew"));
        int[] perRound = {3, 3, 2, 2}; // 10 iterations over 4 rounds
        for (int k : perRound) {
            expected.addAll(Collections.nCopies(k, "Am"));
            expected.addAll(Collections.nCopies(k, "Bm"));
            expected.addAll(Collections.nCopies(k, "Ae"));
            expected.addAll(Collections.nCopies(k, "Be"));
        }
        assertEquals(expected, log);

        // segments in the order they ran: per round A, B model-only, then A, B end to end
        List<Segment> s = m.segments();
        assertEquals(16, s.size());
        for (int r = 0; r < 4; r++) {
            assertEquals(List.of(0, 1, 0, 1), s.subList(4 * r, 4 * r + 4).stream().map(Segment::workload).toList());
            assertEquals(List.of(Phase.MODEL, Phase.MODEL, Phase.END_TO_END, Phase.END_TO_END),
                    s.subList(4 * r, 4 * r + 4).stream().map(Segment::phase).toList());
            assertEquals(perRound[r], s.get(4 * r).requests());
        }
        // warm-up (1000 ms each) is in no figure: every recorded request took exactly 10 ms (A) or 5 ms (B)
        long[] la = m.latencies(0, Phase.MODEL);
        assertEquals(10, la.length);
        assertTrue(java.util.Arrays.stream(la).allMatch(x -> x == 10 * MS));
        assertEquals(10, m.latencies(1, Phase.END_TO_END).length);
        assertTrue(java.util.Arrays.stream(m.latencies(1, Phase.END_TO_END)).allMatch(x -> x == 5 * MS));
        assertEquals(100, m.requestsPerSecond(0, Phase.MODEL), 1e-9);
        assertEquals(200, m.requestsPerSecond(1, Phase.MODEL), 1e-9);
        assertArrayEquals(new double[] {100, 100, 100, 100}, m.requestsPerSecondPerRound(0, Phase.MODEL), 1e-9);
    }

    @Test
    void threeModelsAlternateABCInEveryRoundAndDriftCancelsInTheRatios() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<String> log = new ArrayList<>();
        Fake a = new Drifting("A", clock, log, 12 * MS, 2);
        Fake b = new Drifting("B", clock, log, 6 * MS, 2);
        Fake c = new Drifting("C", clock, log, 4 * MS, 2);
        Plan plan = new Plan(1, 2, 3, 6, 0, true);
        Measurements m = new BenchmarkScheduler(plan, clock::get).run(List.of(a, b, c), new NullProgressMonitor());

        List<String> expected = new ArrayList<>();
        for (String w : List.of("A", "B", "C")) {
            expected.addAll(Collections.nCopies(2, w + "mw"));
            expected.addAll(Collections.nCopies(2, w + "ew"));
        }
        for (int r = 0; r < 3; r++) {
            for (String phase : List.of("m", "e")) {
                for (String w : List.of("A", "B", "C")) {
                    expected.addAll(Collections.nCopies(2, w + phase));
                }
            }
        }
        assertEquals(expected, log, "warm-up per model first, then A B C model-only and A B C end to end in every round");
        List<Segment> s = m.segments();
        assertEquals(18, s.size());
        for (int r = 0; r < 3; r++) {
            assertEquals(List.of(0, 1, 2, 0, 1, 2), s.subList(6 * r, 6 * r + 6).stream().map(Segment::workload).toList());
            int round = r;
            assertTrue(s.subList(6 * r, 6 * r + 6).stream().allMatch(x -> x.round() == round));
        }
        // absolute figures drift (round 3 is three times slower than round 1) but per-round ratios do not
        double[] fa = m.requestsPerSecondPerRound(0, Phase.MODEL);
        assertEquals(3 * fa[2], fa[0], 1e-6, "the drift is visible in absolute figures");
        var ab = Statistics.ratioSpread(m.requestsPerSecondPerRound(1, Phase.MODEL), fa);
        var ac = Statistics.ratioSpread(m.requestsPerSecondPerRound(2, Phase.END_TO_END), m.requestsPerSecondPerRound(0, Phase.END_TO_END));
        assertEquals(2.0, ab.min(), 1e-9);
        assertEquals(2.0, ab.max(), 1e-9);
        assertEquals(3.0, ac.median(), 1e-9);
        assertEquals(ac.min(), ac.max(), 1e-9, "no spread");
    }

    @Test
    void runsByDurationPerSegment() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<String> log = new ArrayList<>();
        Fake a = new Fake("A", clock, log, 2, 1000 * MS, 10 * MS);
        Fake b = new Fake("B", clock, log, 2, 1000 * MS, 5 * MS);
        Plan plan = new Plan(1, 2, 3, 0, 100 * MS, false);
        Measurements m = new BenchmarkScheduler(plan, clock::get).run(List.of(a, b), null);
        assertEquals(6, m.segments().size());
        for (Segment s : m.segments()) {
            assertEquals(s.workload() == 0 ? 10 : 20, s.requests(), s.toString());
            assertEquals(100 * MS, s.wallNanos());
            assertEquals(Phase.MODEL, s.phase());
        }
        assertEquals(List.of(0, 1, 0, 1, 0, 1), m.segments().stream().map(Segment::workload).toList());
        assertEquals(4 + 3 * 30, log.size());
        assertTrue(log.stream().noneMatch(x -> x.contains("e")), "no end-to-end requests when disabled");
    }

    @Test
    void concurrentStreamsHonourTheIterationCount() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<Integer> streams = Collections.synchronizedList(new ArrayList<>());
        BenchmarkScheduler.Workload w = new BenchmarkScheduler.Workload() {
            @Override
            public String name() {
                return "W";
            }

            @Override
            public void request(int stream, boolean endToEnd) throws InterruptedException {
                requests.incrementAndGet();
                streams.add(stream);
                Thread.sleep(1);
            }

            @Override
            public void terminate() {
            }
        };
        Measurements m = new BenchmarkScheduler(new Plan(3, 4, 2, 21, 0, true)).run(List.of(w), new NullProgressMonitor());
        assertEquals(4 * 2 + 21 * 2, requests.get(), "warm-up and timed requests of both phases");
        assertEquals(List.of(11L, 10L), m.of(0, Phase.MODEL).stream().map(Segment::requests).toList());
        assertEquals(21, m.latencies(0, Phase.END_TO_END).length);
        assertTrue(streams.stream().allMatch(s -> s >= 0 && s < 3));
    }

    @Test
    void cancelStopsARequestInFlight() {
        NullProgressMonitor monitor = new NullProgressMonitor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch terminated = new CountDownLatch(1);
        BenchmarkScheduler.Workload w = new BenchmarkScheduler.Workload() {
            @Override
            public String name() {
                return "blocking";
            }

            @Override
            public void request(int stream, boolean endToEnd) throws Exception {
                started.countDown();
                if (!terminated.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("terminate() was not called");
                }
                throw new IllegalStateException("terminated");
            }

            @Override
            public void terminate() {
                terminated.countDown();
            }
        };
        Thread canceller = new Thread(() -> {
            try {
                started.await();
                monitor.setCanceled(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(OperationCanceledException.class,
                () -> new BenchmarkScheduler(new Plan(1, 0, 1, 5, 0, false)).run(List.of(w), monitor)));
        assertEquals(0, terminated.getCount());
    }

    @Test
    void rejectsFewerIterationsThanRounds() {
        assertThrows(IllegalArgumentException.class, () -> new Plan(1, 0, 5, 3, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Plan(1, 0, 5, 0, 0, false));
        assertEquals(3, new Plan(1, 0, 4, 10, 0, false).requestsInRound(1));
        assertEquals(2, new Plan(1, 0, 4, 10, 0, false).requestsInRound(2));
    }
}
