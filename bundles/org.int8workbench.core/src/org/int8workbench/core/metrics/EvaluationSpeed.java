package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * A benchmark of the evaluation itself: how long {@link EvaluateOperation} takes against the two models' pure
 * inference time over the same images. Each round measures, one after the other:
 * <ol>
 * <li><b>pure, sequential</b>: {@code session.run} alone on tensors decoded beforehand, the model then the parent on
 * each image, in fresh sessions on all cores, once with ONNX Runtime's default spinning threads and once without; the
 * faster of the two is the sum of the two models' pure inference time;</li>
 * <li><b>pure, side by side</b>: the same runs scheduled as the evaluator schedules them
 * ({@link EvaluateOperation#inferenceLayout}), still without decoding or metrics: how much of the evaluator's speed
 * comes from that scheduling alone;</li>
 * <li>the <b>evaluation</b> (metrics only), the evaluation writing the report folder without pictures, and with a
 * side-by-side picture per image.</li>
 * </ol>
 * Every pass includes the first, slower run of fresh sessions; creating sessions is outside all of them. The ratios are
 * taken per round, and summarised by their median and range, because a shared machine is noisy. Not a test: nothing
 * here asserts a time.
 *
 * <pre>
 * EvaluationSpeed.Result r = new EvaluationSpeed().model(int8).parent(fp32).dataset(Datasets.open(voc, "val")).rounds(5)
 *         .run(monitor);
 * </pre>
 */
public final class EvaluationSpeed {
    /** What the figures mean, for reports. */
    public static final String METHOD = "Per round: pure sequential inference (the model then the parent on each image, "
            + "tensors decoded beforehand, all cores, the faster of ONNX Runtime's spinning and non-spinning threads), the same "
            + "runs side by side as the evaluator schedules them, then the evaluation (metrics only), with the report folder "
            + "(HTML, CSV, JSON) and with a picture per image. Ratios are evaluation wall time / pure sequential inference time, "
            + "taken per round; the summaries are the median and range over the rounds.";

    private Path model;
    private Path parent;
    private SegmentationDataset dataset;
    private Preprocessing preprocessing;
    private int limit;
    private int rounds = 5;

    /** The model to evaluate (the optimized model). */
    public EvaluationSpeed model(Path file) {
        this.model = file;
        return this;
    }

    /** The parent model. */
    public EvaluationSpeed parent(Path file) {
        this.parent = file;
        return this;
    }

    public EvaluationSpeed dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /** How images become inputs; when not set, as {@link EvaluateOperation} infers it from the model. */
    public EvaluationSpeed preprocessing(Preprocessing p) {
        this.preprocessing = p;
        return this;
    }

    /** Only the first {@code n} items (0: all). */
    public EvaluationSpeed limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        this.limit = n;
        return this;
    }

    /** Rounds to take (default 5). */
    public EvaluationSpeed rounds(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one round");
        }
        this.rounds = n;
        return this;
    }

    /**
     * One round, in seconds.
     *
     * @param pureSpinning pure sequential inference, ONNX Runtime's default (spinning) threads
     * @param pureQuiet pure sequential inference, threads that do not spin
     * @param sideBySide the same runs side by side as the evaluator schedules them
     * @param evaluation the evaluation's wall time, metrics only
     * @param withReport the same writing the report folder without pictures
     * @param withPictures the same with a side-by-side picture per image
     */
    public record Round(double pureSpinning, double pureQuiet, double sideBySide, double evaluation, double withReport,
            double withPictures) {

        /** The sum of the two models' pure inference time: the faster sequential pass. */
        public double pure() {
            return Math.min(pureSpinning, pureQuiet);
        }

        public double evaluationRatio() {
            return evaluation / pure();
        }

        public double reportRatio() {
            return withReport / pure();
        }

        public double picturesRatio() {
            return withPictures / pure();
        }

        /** The evaluation against the side-by-side pure inference: what decoding and metrics add. */
        public double strictRatio() {
            return evaluation / sideBySide;
        }
    }

    /** A median with the range it comes from. */
    public record Spread(double median, double min, double max) {

        static Spread of(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Spread(median, v[0], v[n - 1]);
        }
    }

    /**
     * The benchmark's outcome.
     *
     * @param evaluation evaluation / pure sequential inference, over the rounds
     * @param withReport the same with the report folder
     * @param withPictures the same with pictures
     * @param strict evaluation / side-by-side pure inference
     */
    public record Result(String model, String parent, String dataset, int images, int concurrentRuns, int threadsPerRun,
            List<Round> rounds, Spread evaluation, Spread withReport, Spread withPictures, Spread strict, String method,
            Provenance provenance) {
    }

    /** Runs the rounds; cancel through the monitor. */
    public Result run(IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(dataset, "dataset");
        try {
            return doRun(monitor);
        } catch (OperationCanceledException | CoreException e) {
            throw e;
        } catch (OrtException | IOException | RuntimeException e) {
            throw CoreStatus.exception("the evaluation benchmark failed: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        }
    }

    private Result doRun(IProgressMonitor monitor) throws CoreException, OrtException, IOException, InterruptedException {
        List<Sample> items = dataset.samples();
        if (limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Benchmarking the evaluation of " + model.getFileName(), 1 + 6 * rounds);
        Preprocessing pre = preprocessing;
        if (pre == null) {
            try (OrtSession s = Ort.env().createSession(model.toString())) {
                pre = EvaluateOperation.fromModel(s);
            }
        }
        sub.subTask("Decoding the images");
        List<float[]> tensors = new ArrayList<>();
        for (Sample s : items) {
            sub.checkCanceled();
            tensors.add(pre.toTensor(dataset.readImage(s)));
        }
        sub.split(1);
        int[] layout = EvaluateOperation.inferenceLayout(Runtime.getRuntime().availableProcessors());
        List<Round> done = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String of = " (round " + round + " of " + rounds + ")";
            sub.split(1).subTask("Pure inference, spinning threads" + of);
            double spinning = sequential(tensors, pre, true);
            sub.split(1).subTask("Pure inference, quiet threads" + of);
            double quiet = sequential(tensors, pre, false);
            sub.split(1).subTask("Pure inference, side by side" + of);
            double sideBySide = sideBySide(tensors, pre, layout);
            double evaluation = evaluate(pre, items.size(), false, false, sub.split(1));
            double report = evaluate(pre, items.size(), true, false, sub.split(1));
            double pictures = evaluate(pre, items.size(), true, true, sub.split(1));
            done.add(new Round(spinning, quiet, sideBySide, evaluation, report, pictures));
        }
        return new Result(model.toAbsolutePath().toString(), parent.toAbsolutePath().toString(), dataset.description(), items.size(),
                layout[0], layout[1], List.copyOf(done), Spread.of(done, Round::evaluationRatio), Spread.of(done, Round::reportRatio),
                Spread.of(done, Round::picturesRatio), Spread.of(done, Round::strictRatio), METHOD, Provenance.now());
    }

    private double evaluate(Preprocessing pre, int images, boolean report, boolean pictures, IProgressMonitor monitor)
            throws CoreException, IOException {
        Path dir = null;
        try {
            EvaluateOperation op = new EvaluateOperation().model(model).parent(parent).dataset(dataset).preprocessing(pre).limit(images);
            if (report) {
                dir = Files.createTempDirectory("int8wb-evaluation-speed");
                op.reportDir(dir.resolve("report")).renderImages(pictures);
            }
            return op.run(monitor).timing().wallSeconds();
        } finally {
            if (dir != null) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Full graph optimisation on all cores, with ONNX Runtime's default spinning threads or threads that do not spin. */
    private static OrtSession.SessionOptions sequentialOptions(boolean spinning) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (!spinning) {
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return o;
    }

    /** Both models on every image, one run at a time on all cores; {@code session.run} time summed. */
    private double sequential(List<float[]> tensors, Preprocessing pre, boolean spinning) throws OrtException {
        long nanos = 0;
        try (OrtSession.SessionOptions o = sequentialOptions(spinning);
                OrtSession a = Ort.env().createSession(model.toString(), o);
                OrtSession b = Ort.env().createSession(parent.toString(), o)) {
            long[] shape = pre.inputShape(Ort.inputShape(a));
            String ia = a.getInputNames().iterator().next();
            String ib = b.getInputNames().iterator().next();
            for (float[] t : tensors) {
                try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(t), shape)) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result r = a.run(Map.of(ia, in))) {
                        nanos += System.nanoTime() - t0;
                    }
                    long t1 = System.nanoTime();
                    try (OrtSession.Result r = b.run(Map.of(ib, in))) {
                        nanos += System.nanoTime() - t1;
                    }
                }
            }
        }
        return nanos / 1e9;
    }

    /** Both models on every image, in the evaluator's layout (runs taken in data order by its workers); wall time. */
    private double sideBySide(List<float[]> tensors, Preprocessing pre, int[] layout) throws OrtException, InterruptedException {
        try (OrtSession.SessionOptions o = EvaluationSessions.sessionOptions(layout[1]);
                OrtSession a = Ort.env().createSession(model.toString(), o);
                OrtSession b = Ort.env().createSession(parent.toString(), o)) {
            long[] shape = pre.inputShape(Ort.inputShape(a));
            String ia = a.getInputNames().iterator().next();
            String ib = b.getInputNames().iterator().next();
            AtomicInteger next = new AtomicInteger();
            AtomicReference<OrtException> failed = new AtomicReference<>();
            int jobs = tensors.size() * 2;
            Runnable worker = () -> {
                for (int j; failed.get() == null && (j = next.getAndIncrement()) < jobs;) {
                    boolean isParent = (j & 1) == 1;
                    try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(tensors.get(j >> 1)), shape);
                            OrtSession.Result r = (isParent ? b : a).run(Map.of(isParent ? ib : ia, in))) {
                        // only the time counts
                    } catch (OrtException e) {
                        failed.compareAndSet(null, e);
                    }
                }
            };
            Thread[] threads = new Thread[layout[0]];
            long t0 = System.nanoTime();
            for (int i = 0; i < threads.length; i++) {
                threads[i] = Thread.ofPlatform().name("int8wb-evaluation-speed-" + i).start(worker);
            }
            for (Thread t : threads) {
                t.join();
            }
            long wall = System.nanoTime() - t0;
            if (failed.get() != null) {
                throw failed.get();
            }
            return wall / 1e9;
        }
    }

    /** The rounds as rows for printing: seconds and ratios. */
    public static List<String> describe(Result r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.rounds().size(); i++) {
            Round x = r.rounds().get(i);
            out.add(String.format(java.util.Locale.ROOT,
                    "round %d: pure sequential %.2f s (spinning) / %.2f s (not), side by side %.2f s; evaluation %.2f s, "
                            + "with report %.2f s, with pictures %.2f s; ratios %.2f, %.2f, %.2f, strict %.2f",
                    i + 1, x.pureSpinning(), x.pureQuiet(), x.sideBySide(), x.evaluation(), x.withReport(), x.withPictures(),
                    x.evaluationRatio(), x.reportRatio(), x.picturesRatio(), x.strictRatio()));
        }
        return out;
    }

    static String format(Spread s) {
        return String.format(java.util.Locale.ROOT, "%.2f (%.2f-%.2f)", s.median(), s.min(), s.max());
    }

    /** The summary lines. */
    public static List<String> summary(Result r) {
        return Arrays.asList(
                String.format(java.util.Locale.ROOT, "%d images; the evaluator keeps %d runs going at once, %d ONNX Runtime thread(s) each",
                        r.images(), r.concurrentRuns(), r.threadsPerRun()),
                "evaluation / pure sequential inference:        " + format(r.evaluation()),
                "  with the report folder, without pictures:    " + format(r.withReport()),
                "  with the report folder and pictures:         " + format(r.withPictures()),
                "evaluation / side-by-side pure inference:      " + format(r.strict()),
                "(median of the per-round ratios, range in brackets)");
    }
}
