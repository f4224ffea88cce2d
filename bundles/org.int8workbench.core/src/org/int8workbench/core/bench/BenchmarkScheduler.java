package org.int8workbench.core.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The timing engine of the benchmark, independent of ONNX Runtime: it runs requests of one or more
 * {@link Workload}s and records how long each took.
 *
 * <p>Order: first every workload's warm-up requests (model-only, then end-to-end), which are never recorded;
 * then {@link Plan#rounds} rounds, each of which runs, for each measurement (model-only, then end-to-end when
 * enabled), one segment per workload in the given order, so two models alternate A B A B and machine drift
 * affects both alike. A segment lasts {@link Plan#segmentNanos} or, when {@link Plan#iterations} is set, a fixed
 * number of requests: the iterations are split over the rounds (the first {@code iterations % rounds} rounds get
 * one more). With {@link Plan#streams} {@code > 1}, that many threads issue requests concurrently.
 *
 * <p>Cancellation: the monitor is checked before every request; a watcher thread calls
 * {@link Workload#terminate()} when the monitor is cancelled so that a request in flight stops too.
 */
public final class BenchmarkScheduler {

    /** Something whose requests are timed, e.g. one model's session and inputs ({@link SessionWorkload}). */
    public interface Workload {
        /** Name for progress and errors. */
        String name();

        /**
         * Runs one request; {@code endToEnd} also produces the label map. Must be safe to call from
         * {@code streams} threads at once, each with its own {@code stream} index.
         */
        void request(int stream, boolean endToEnd) throws Exception;

        /** Stops requests in flight (called from another thread on cancellation). */
        void terminate();
    }

    /** Which figure a segment measures. */
    public enum Phase {
        /** The model run alone. */
        MODEL,
        /** The model run plus producing the label map. */
        END_TO_END
    }

    /**
     * What to run.
     *
     * @param streams concurrent requests (1: one at a time)
     * @param warmup warm-up requests per workload and phase (not recorded)
     * @param rounds rounds
     * @param iterations requests per workload and phase over all rounds; 0 to run by time
     * @param segmentNanos duration of one segment when running by time
     * @param endToEnd whether to measure {@link Phase#END_TO_END} too
     */
    public record Plan(int streams, int warmup, int rounds, long iterations, long segmentNanos, boolean endToEnd) {
        public Plan {
            if (streams < 1 || rounds < 1 || warmup < 0 || iterations < 0) {
                throw new IllegalArgumentException("streams and rounds must be at least 1, warm-up and iterations not negative");
            }
            if (iterations > 0 && iterations < rounds) {
                throw new IllegalArgumentException(iterations + " iterations cannot be split over " + rounds
                        + " rounds; use at least one iteration per round");
            }
            if (iterations == 0 && segmentNanos <= 0) {
                throw new IllegalArgumentException("give a number of iterations or a positive duration");
            }
        }

        /** Requests of one segment in round {@code round} when running by count. */
        public long requestsInRound(int round) {
            return iterations / rounds + (round < iterations % rounds ? 1 : 0);
        }

        List<Phase> phases() {
            return endToEnd ? List.of(Phase.MODEL, Phase.END_TO_END) : List.of(Phase.MODEL);
        }
    }

    /**
     * One timed segment.
     *
     * @param round round index
     * @param workload index of the workload in the list given to {@link #run}
     * @param phase what was measured
     * @param requests requests completed
     * @param wallNanos wall time from the first request's start to the last one's end
     * @param latencies duration of every request, in nanoseconds, in completion order per stream
     */
    public record Segment(int round, int workload, Phase phase, long requests, long wallNanos, long[] latencies) {
        /** Requests per second in this segment. */
        public double requestsPerSecond() {
            return requests / (wallNanos / 1e9);
        }
    }

    /** All segments, in the order they ran. */
    public record Measurements(List<Segment> segments) {
        public Measurements {
            segments = List.copyOf(segments);
        }

        /** The segments of one workload and phase, in round order. */
        public List<Segment> of(int workload, Phase phase) {
            return segments.stream().filter(s -> s.workload() == workload && s.phase() == phase).toList();
        }

        /** Every request duration of one workload and phase over all rounds. */
        public long[] latencies(int workload, Phase phase) {
            return of(workload, phase).stream().flatMapToLong(s -> Arrays.stream(s.latencies())).toArray();
        }

        /** Requests per second over all rounds (total requests over total wall time). */
        public double requestsPerSecond(int workload, Phase phase) {
            long n = 0;
            long t = 0;
            for (Segment s : of(workload, phase)) {
                n += s.requests();
                t += s.wallNanos();
            }
            return n / (t / 1e9);
        }

        /** Requests per second of every round. */
        public double[] requestsPerSecondPerRound(int workload, Phase phase) {
            return of(workload, phase).stream().mapToDouble(Segment::requestsPerSecond).toArray();
        }
    }

    private final Plan plan;
    private final LongSupplier clock;

    /** A scheduler timing with {@link System#nanoTime()}. */
    public BenchmarkScheduler(Plan plan) {
        this(plan, System::nanoTime);
    }

    /** A scheduler with the given clock in nanoseconds (tests use a fake clock). */
    public BenchmarkScheduler(Plan plan, LongSupplier clock) {
        this.plan = Objects.requireNonNull(plan);
        this.clock = Objects.requireNonNull(clock);
    }

    public Plan plan() {
        return plan;
    }

    /**
     * Runs warm-up and all rounds.
     *
     * @throws OperationCanceledException when the monitor was cancelled
     * @throws Exception the first failure of a request
     */
    public Measurements run(List<? extends Workload> workloads, IProgressMonitor monitor) throws Exception {
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("nothing to run");
        }
        List<Phase> phases = plan.phases();
        int steps = workloads.size() * phases.size() * (1 + plan.rounds());
        SubMonitor sub = SubMonitor.convert(monitor, "Benchmarking", steps);
        ExecutorService pool = plan.streams() > 1 ? Executors.newFixedThreadPool(plan.streams(), r -> {
            Thread t = new Thread(r, "int8wb-benchmark-stream");
            t.setDaemon(true);
            return t;
        }) : null;
        Thread watcher = startWatcher(workloads, sub);
        List<Segment> segments = new ArrayList<>();
        try {
            for (int w = 0; w < workloads.size(); w++) {
                for (Phase phase : phases) {
                    sub.subTask("warm-up: " + workloads.get(w).name() + (phase == Phase.END_TO_END ? " (end to end)" : ""));
                    segment(workloads.get(w), phase, plan.warmup(), 0, pool, sub);
                    sub.split(1);
                }
            }
            for (int r = 0; r < plan.rounds(); r++) {
                for (Phase phase : phases) {
                    for (int w = 0; w < workloads.size(); w++) {
                        Workload wl = workloads.get(w);
                        sub.subTask("round " + (r + 1) + "/" + plan.rounds() + ": " + wl.name()
                                + (phase == Phase.END_TO_END ? " (end to end)" : ""));
                        long count = plan.iterations() > 0 ? plan.requestsInRound(r) : 0;
                        Timed t = segment(wl, phase, count, plan.iterations() > 0 ? 0 : plan.segmentNanos(), pool, sub);
                        segments.add(new Segment(r, w, phase, t.latencies.length, t.wallNanos, t.latencies));
                        sub.split(1);
                    }
                }
            }
        } finally {
            watcher.interrupt();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new Measurements(segments);
    }

    private record Timed(long wallNanos, long[] latencies) {
    }

    /** Runs {@code count} requests (when {@code count > 0}) or requests for {@code nanos} (when {@code nanos > 0}). */
    private Timed segment(Workload w, Phase phase, long count, long nanos, ExecutorService pool, IProgressMonitor monitor)
            throws Exception {
        if (count <= 0 && nanos <= 0) {
            return new Timed(0, new long[0]);
        }
        boolean e2e = phase == Phase.END_TO_END;
        AtomicLong claimed = new AtomicLong();
        long start = clock.getAsLong();
        long deadline = nanos > 0 ? start + nanos : Long.MAX_VALUE;
        if (pool == null) {
            long[] lat = loop(w, 0, e2e, count, claimed, deadline, monitor);
            return new Timed(clock.getAsLong() - start, lat);
        }
        List<Future<long[]>> futures = new ArrayList<>();
        for (int s = 0; s < plan.streams(); s++) {
            int stream = s;
            futures.add(pool.submit(() -> loop(w, stream, e2e, count, claimed, deadline, monitor)));
        }
        List<long[]> parts = new ArrayList<>();
        Exception failure = null;
        for (Future<long[]> f : futures) {
            try {
                parts.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                    w.terminate();
                }
            }
        }
        long end = clock.getAsLong();
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
        if (failure != null) {
            throw failure;
        }
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        return new Timed(end - start, all);
    }

    private long[] loop(Workload w, int stream, boolean e2e, long count, AtomicLong claimed, long deadline,
            IProgressMonitor monitor) throws Exception {
        long[] lat = new long[count > 0 ? (int) Math.min(count, 1 << 20) : 1024];
        int n = 0;
        while (true) {
            if (count > 0) {
                if (claimed.getAndIncrement() >= count) {
                    break;
                }
            } else if (clock.getAsLong() >= deadline) {
                break;
            }
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            long t0 = clock.getAsLong();
            try {
                w.request(stream, e2e);
            } catch (Exception e) {
                if (monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
                throw e;
            }
            long t1 = clock.getAsLong();
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = t1 - t0;
        }
        return Arrays.copyOf(lat, n);
    }

    private static Thread startWatcher(List<? extends Workload> workloads, IProgressMonitor monitor) {
        Thread t = new Thread(() -> {
            try {
                while (!monitor.isCanceled()) {
                    Thread.sleep(20);
                }
                for (Workload w : workloads) {
                    w.terminate();
                }
            } catch (InterruptedException e) {
                // finished
            }
        }, "int8wb-benchmark-cancel-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
