package org.int8workbench.core.perf;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;
import org.int8workbench.core.bench.BenchmarkScheduler;
import org.int8workbench.core.bench.BenchmarkScheduler.Phase;
import org.int8workbench.core.bench.SessionWorkload;
import org.int8workbench.core.bench.Statistics;
import org.int8workbench.core.report.BenchmarkSpread;

/**
 * Harness-overhead benchmark (not a unit test): the benchmark's timed loop ({@link BenchmarkScheduler} driving a
 * {@link SessionWorkload}, exactly what {@code BenchmarkOperation} times) against a bare
 * {@code try (Result r = session.run(inputs)) {}} loop on the same session and input tensor, alternating in
 * rounds. Prints the per-round ratio (harness requests/s over bare requests/s) and the overhead
 * {@code 1 - median ratio}; the requirement is at most 3%. Short segments and many rounds keep machine drift
 * out of the ratio; which loop goes first alternates between rounds.
 *
 * <pre>
 * java -cp ... org.int8workbench.core.perf.HarnessOverhead [MODEL] [SECONDS_PER_SEGMENT=1] [ROUNDS=24] [STREAMS=1] [THREADS=cores/streams]
 * </pre>
 */
public final class HarnessOverhead {
    private HarnessOverhead() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0]
                : "../shared/data/models/deeplabv3_mnv2_dm05_voc_257/deeplabv3_mnv2_dm05_voc_257.onnx");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        int streams = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int cores = CpuInfo.current().logicalCores();
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : Math.max(1, cores / streams);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            try (OrtSession session = Ort.env().createSession(model.toString(), o)) {
                NodeInfo in = session.getInputInfo().values().iterator().next();
                long[] shape = ((TensorInfo) in.getInfo()).getShape().clone();
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? 1 : shape[i];
                }
                int n = 1;
                for (long d : shape) {
                    n *= (int) d;
                }
                float[] x = new float[n];
                Random r = new Random(42);
                for (int i = 0; i < n; i++) {
                    x[i] = r.nextFloat() * 2 - 1;
                }
                try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
                        SessionWorkload w = new SessionWorkload("harness", session, List.of(Map.of(in.getName(), t)), null,
                                streams)) {
                    Map<String, OnnxTensor> inputs = Map.of(in.getName(), t);
                    long nanos = (long) (seconds * 1e9);
                    BenchmarkScheduler harness = new BenchmarkScheduler(new BenchmarkScheduler.Plan(streams, 0, 1, 0, nanos, false));
                    // warm-up both paths
                    bare(session, inputs, 2_000_000_000L, streams);
                    harness.run(List.of(w), new NullProgressMonitor());
                    double[] ratios = new double[rounds];
                    System.out.printf(Locale.ROOT, "%s, %d stream(s) x %d intra-op threads, %.1f s per segment, %d rounds%n",
                            model.getFileName(), streams, threads, seconds, rounds);
                    for (int k = 0; k < rounds; k++) {
                        // alternate which goes first so that order effects cancel
                        double h;
                        double b;
                        if (k % 2 == 0) {
                            h = harness.run(List.of(w), new NullProgressMonitor()).requestsPerSecond(0, Phase.MODEL);
                            b = bare(session, inputs, nanos, streams);
                        } else {
                            b = bare(session, inputs, nanos, streams);
                            h = harness.run(List.of(w), new NullProgressMonitor()).requestsPerSecond(0, Phase.MODEL);
                        }
                        ratios[k] = h / b;
                        System.out.printf(Locale.ROOT, "round %d: harness %.2f/s, bare %.2f/s, ratio %.4f%n", k + 1, h, b, ratios[k]);
                    }
                    BenchmarkSpread s = Statistics.spread(ratios);
                    System.out.printf(Locale.ROOT, "harness/bare throughput: median %.4f (min %.4f, max %.4f); overhead %.2f%% (requirement: <= 3%%)%n",
                            s.median(), s.min(), s.max(), 100 * (1 - s.median()));
                }
            }
        }
        System.exit(0);
    }

    /** Requests per second of a bare loop over {@code nanos}, with {@code streams} threads. */
    private static double bare(OrtSession session, Map<String, OnnxTensor> inputs, long nanos, int streams) throws Exception {
        long start = System.nanoTime();
        long deadline = start + nanos;
        if (streams == 1) {
            long count = 0;
            while (System.nanoTime() < deadline) {
                try (OrtSession.Result r = session.run(inputs)) {
                    count++;
                }
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                fs.add(pool.submit(() -> {
                    long c = 0;
                    while (System.nanoTime() < deadline) {
                        try (OrtSession.Result r = session.run(inputs)) {
                            c++;
                        }
                    }
                    return c;
                }));
            }
            long total = 0;
            for (Future<Long> f : fs) {
                total += f.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
