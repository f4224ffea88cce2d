package org.int8workbench.core.metrics;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.labels.ScoreLayout;
import org.int8workbench.core.render.ColorMap;
import org.int8workbench.core.render.SegmentationRenderer;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * Evaluates a model on a dataset: its accuracy against the ground truth (when the dataset has masks) and, when a
 * parent model is given, how its predictions differ from the parent's, image by image. Both models run on each image
 * in one pass: a decoder thread reads and preprocesses images ahead of inference through small bounded queues,
 * inference threads run the model and the parent side by side ({@link #inferenceLayout}), and the calling thread
 * computes metrics and draws pictures behind them, in the order of the data, so the pass takes about as long as the two
 * models' inference alone.
 *
 * <pre>
 * AccuracyReport r = new EvaluateOperation().model(int8).parent(fp32).dataset(Datasets.open(voc, "val"))
 *         .preprocessing(pre).reportDir(dir).run(monitor);
 * </pre>
 *
 * Items that cannot be read (corrupt files, a mask of another size, labels outside the label set) are skipped and
 * listed in the report with the reason; {@link #strict(boolean)} turns them into errors. With a report folder, all
 * files are written into a temporary folder beside it that is moved into place at the end, so a cancelled or failed
 * run leaves nothing half-written.
 */
public final class EvaluateOperation {
    private static final String PLUGIN = "org.int8workbench.core";

    private Path model;
    private Path parent;
    private SegmentationDataset dataset;
    private Preprocessing preprocessing;
    private Path reportDir;
    private boolean overwrite;
    private int limit;
    private ClassInfo classes;
    private LabelDecoder predictor;
    private LabelDecoder parentPredictor;
    private boolean strict;
    private boolean renderImages = true;
    private boolean saveLabelMaps;
    private int panelWidth = 360;

    /** The model to evaluate (the optimized model when a parent is given). */
    public EvaluateOperation model(Path file) {
        this.model = file;
        return this;
    }

    /** The parent (reference) model whose predictions {@link #model} is compared with; optional. */
    public EvaluateOperation parent(Path file) {
        this.parent = file;
        return this;
    }

    public EvaluateOperation dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /**
     * How images become inputs of both models; when not set, the preprocessing recorded in the model's metadata, else
     * {@link Preprocessing#defaults} for its input shape.
     */
    public EvaluateOperation preprocessing(Preprocessing p) {
        this.preprocessing = p;
        return this;
    }

    /** Folder for report.json, report.html, CSV files and images; none when not set. */
    public EvaluateOperation reportDir(Path dir) {
        this.reportDir = dir;
        return this;
    }

    /** Replace an existing report folder (default: refuse before any work). */
    public EvaluateOperation overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /** Evaluate only the first {@code n} items (0: all). */
    public EvaluateOperation limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        this.limit = n;
        return this;
    }

    /** Class names and colours to use instead of the dataset's (e.g. Pascal VOC names for an unannotated folder). */
    public EvaluateOperation classes(ClassInfo c) {
        this.classes = c;
        return this;
    }

    /** How the model's outputs become labels (default {@link LabelDecoders#forSession}). */
    public EvaluateOperation predictor(LabelDecoder p) {
        this.predictor = p;
        return this;
    }

    /**
     * The exact label head for a model cut before its head (recorded in its metadata), else argmax over the first
     * output.
     */
    static LabelDecoder defaultPredictor(OrtSession session, Preprocessing pre) throws OrtException {
        return session == null ? null : LabelDecoders.forSession(session, pre);
    }

    /** How the parent's outputs become labels (default {@link LabelDecoders#forSession}). */
    public EvaluateOperation parentPredictor(LabelDecoder p) {
        this.parentPredictor = p;
        return this;
    }

    /** Fail on the first unreadable item instead of skipping it (default false: skip and record). */
    public EvaluateOperation strict(boolean value) {
        this.strict = value;
        return this;
    }

    /** Draw a side-by-side PNG per image into the report folder (default true). */
    public EvaluateOperation renderImages(boolean value) {
        this.renderImages = value;
        return this;
    }

    /**
     * Save the model's label map of every image into the report folder (default false): grey PNGs at the model's
     * output resolution under {@link AccuracyReportWriter#LABELS_DIR}, named by {@link AccuracyReportWriter#labelMapFile}.
     * Regression tests compare against them (see the code generator).
     */
    public EvaluateOperation saveLabelMaps(boolean value) {
        this.saveLabelMaps = value;
        return this;
    }

    /** Runs the evaluation; cancel through the monitor. */
    public AccuracyReport run(IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        try {
            return doRun(monitor);
        } catch (OperationCanceledException | CoreException e) {
            throw e;
        } catch (OrtException e) {
            throw new CoreException(new Status(IStatus.ERROR, PLUGIN, "ONNX Runtime failed while evaluating " + model.getFileName()
                    + ": " + e.getMessage() + "; check that the model is a valid segmentation model and the preprocessing fits it", e));
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof FileAlreadyExistsException f ? f.getFile() + " exists; choose another report folder or allow overwriting (--force)"
                    : e.getMessage() != null ? e.getMessage() : e.toString();
            throw new CoreException(new Status(IStatus.ERROR, PLUGIN, "evaluation failed: " + msg, e));
        }
    }

    private AccuracyReport doRun(IProgressMonitor monitor) throws IOException, OrtException, CoreException {
        List<Sample> items = dataset.samples();
        if (limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Evaluating " + model.getFileName(), items.size() + 4);
        Path target = reportDir == null ? null : reportDir.toAbsolutePath().normalize();
        if (target != null && Files.exists(target) && !overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null, "report folder exists");
        }
        AccuracyReport.Model modelRef = describe(model);
        AccuracyReport.Model parentRef = parent == null ? null : describe(parent);
        sub.split(1);
        Path tmp = null;
        boolean done = false;
        int[] layout = inferenceLayout(Runtime.getRuntime().availableProcessors());
        try (OrtSession.SessionOptions options = sessionOptions(layout[1])) {
            try (OrtSession session = Ort.env().createSession(model.toString(), options);
                    OrtSession parentSession = parent == null ? null : Ort.env().createSession(parent.toString(), options)) {
                sub.split(1);
                Preprocessing pre = preprocessing != null ? preprocessing : fromModel(session);
                checkInput(session, pre, model);
                if (parentSession != null) {
                    checkInput(parentSession, pre, parent);
                }
                ClassInfo cls = extendClasses(classes != null ? classes : dataset.classes(), session, pre);
                if (target != null) {
                    Files.createDirectories(target.getParent());
                    tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
                    Files.createDirectories(tmp.resolve("images"));
                    if (saveLabelMaps) {
                        Files.createDirectories(tmp.resolve(AccuracyReportWriter.LABELS_DIR));
                    }
                }
                Pass pass = new Pass(pre, cls, tmp, session, parentSession,
                        predictor != null ? predictor : defaultPredictor(session, pre),
                        parentPredictor != null ? parentPredictor : defaultPredictor(parentSession, pre), layout[0], layout[1]);
                pass.run(items, sub);
                AccuracyReport report = pass.report(modelRef, parentRef);
                sub.split(1).subTask("Writing the report");
                if (target != null) {
                    AccuracyReportWriter.writeFiles(report, tmp);
                    moveInto(tmp, target);
                }
                done = true;
                sub.split(1);
                return report;
            }
        } finally {
            if (!done && tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    private static AccuracyReport.Model describe(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new java.nio.file.NoSuchFileException(abs.toString(), null, "the model file does not exist");
        }
        return new AccuracyReport.Model(abs.toString(), Sha256.of(abs), Files.size(abs));
    }

    /** Preprocessing recorded in the session's model metadata, else defaults for its input shape. */
    public static Preprocessing fromModel(OrtSession s) throws OrtException {
        long[] shape = ((TensorInfo) s.getInputInfo().values().iterator().next().getInfo()).getShape();
        return Preprocessing.forModel(s.getMetadata().getCustomMetadata(), shape).orElseThrow(() -> new IllegalArgumentException(
                "cannot infer the preprocessing from the model's input shape "
                + java.util.Arrays.toString(shape) + "; give the input size and layout"));
    }

    private static void checkInput(OrtSession s, Preprocessing pre, Path file) throws OrtException {
        NodeInfo in = s.getInputInfo().values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(file.getFileName() + ": the first input '" + in.getName()
                    + "' is not a float tensor; evaluation feeds float images");
        }
        long[] shape = ti.getShape();
        long[] want = pre.shape(1);
        if (shape.length != 4) {
            throw new IllegalArgumentException(file.getFileName() + ": input '" + in.getName() + "' has shape "
                    + java.util.Arrays.toString(shape) + ", expected a 4-D image input " + java.util.Arrays.toString(want));
        }
        for (int i = 0; i < 4; i++) {
            if (shape[i] > 0 && shape[i] != want[i]) {
                throw new IllegalArgumentException(file.getFileName() + ": input '" + in.getName() + "' has shape "
                        + java.util.Arrays.toString(shape) + " but the preprocessing (" + pre.describe() + ") gives "
                        + java.util.Arrays.toString(want) + "; fix the input size or layout");
            }
        }
    }

    /** The label set grown to the model's class count with generated names and colours. */
    private static ClassInfo extendClasses(ClassInfo base, OrtSession s, Preprocessing pre) throws OrtException {
        int n = base.count();
        NodeInfo out = s.getOutputInfo().values().iterator().next();
        if (out.getInfo() instanceof TensorInfo ti) {
            n = Math.max(n, ScoreLayout.classCount(ti.getShape(), pre));
        }
        if (n <= 0) {
            n = 256;
        }
        if (n == base.count()) {
            return base;
        }
        List<String> names = new ArrayList<>(base.names());
        List<Integer> colors = new ArrayList<>(base.colors());
        List<Integer> extra = ColorMap.distinctColors(n);
        for (int i = base.count(); i < n; i++) {
            names.add("class " + i);
            colors.add(extra.get(i));
        }
        return new ClassInfo(names, colors, base.ignoreLabel());
    }

    private static void moveInto(Path tmp, Path target) throws IOException {
        Path backup = null;
        if (Files.exists(target)) {
            backup = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(backup);
            Files.move(target, backup);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        } catch (IOException e) {
            if (backup != null) {
                Files.move(backup, target);
            }
            throw e;
        }
        if (backup != null) {
            deleteTree(backup);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover hidden temporary folder is harmless
        }
    }

    private static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    /** One decoded item, or the reason it could not be read. */
    private record Decoded(Sample sample, BufferedImage image, LabelMask mask, SkippedItem problem) {
    }

    /**
     * One image in flight: decoded, then run through the model and the parent by the inference workers (one job
     * each), then measured on the calling thread. The input tensor lives in a pooled direct buffer that both jobs read
     * without a copy.
     */
    private static final class Flight {
        final Decoded item;
        final OnnxTensor input;
        final FloatBuffer inputBuffer;
        final CountDownLatch pending;
        volatile Captured model;
        volatile Captured parent;
        /** Its buffers were given back (calling thread only). */
        boolean released;

        Flight(Decoded item, OnnxTensor input, FloatBuffer inputBuffer, int jobs) {
            this.item = item;
            this.input = input;
            this.inputBuffer = inputBuffer;
            this.pending = new CountDownLatch(jobs);
        }
    }

    /** One model run of one flight; {@code parent} tells which model. */
    private record Job(Flight flight, boolean parent) {
    }

    private static final Flight END_OF_FLIGHTS = new Flight(null, null, null, 0);
    private static final Job END_OF_JOBS = new Job(null, false);

    /** Output tensors ONNX Runtime writes into directly, lent to one run and its measurement at a time. */
    private static final class PinnedOutputs implements AutoCloseable {
        final String name;
        final BlockingQueue<OnnxTensor> free;
        final List<OnnxTensor> all = new ArrayList<>();

        PinnedOutputs(String name, long[] shape, int count) throws OrtException {
            this.name = name;
            this.free = new ArrayBlockingQueue<>(count);
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            try {
                for (int i = 0; i < count; i++) {
                    FloatBuffer b = java.nio.ByteBuffer.allocateDirect((int) size * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                    OnnxTensor t = OnnxTensor.createTensor(Ort.env(), b, shape);
                    all.add(t);
                    free.add(t);
                }
            } catch (OrtException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            for (OnnxTensor t : all) {
                t.close();
            }
        }
    }

    /**
     * How many models run at once, and on how many threads each: two runs side by side on half the cores each keep a
     * small machine busier than one run on all cores, whose threads wait for each other between operators (on a 2-core
     * VM the model and the parent ran side by side in 0.81x the time they took one after the other; see
     * {@link EvaluationSpeed}), and decoding and metrics fill the gaps.
     *
     * @return {@code {runs at once, intra-op threads per run}} for a machine with {@code cores} logical cores
     */
    public static int[] inferenceLayout(int cores) {
        int workers = Math.max(1, Math.min(2, cores));
        return new int[] {workers, Math.max(1, cores / workers)};
    }

    /**
     * The options of the evaluator's sessions: full graph optimisation, {@code threads} intra-op threads that do not
     * spin between operators (ONNX Runtime's default), since the other run, the decoder and the metrics need those
     * cycles. {@link EvaluationSpeed} times pure inference side by side with the same options.
     */
    static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setIntraOpNumThreads(threads);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** One pass over the data: decoder thread, inference worker threads, metrics on the calling thread. */
    private final class Pass {
        final Preprocessing pre;
        final ClassInfo cls;
        final Path out;
        final OrtSession session;
        final OrtSession parentSession;
        final LabelDecoder modelPredictor;
        final LabelDecoder parentPred;
        final int n;
        final int workers;
        final int threadsPerRun;
        final SegmentationRenderer renderer;
        final String inputName;
        final String parentInputName;

        // written by the calling thread
        final ConfusionMatrix gt;
        final ConfusionMatrix gtParent;
        final ConfusionMatrix agree;
        final List<AccuracyReport.ImageRow> rows = new ArrayList<>();
        final List<AccuracyReport.ClassRow> classRows = new ArrayList<>();
        final List<SkippedItem> skipped = new ArrayList<>();
        double sumImageIoU;
        int countImageIoU;
        double sumParentImageIoU;
        int countParentImageIoU;
        double sumAgreeIoU;
        int countAgreeIoU;
        double sumMse;
        double sumCos;
        int countDistance;
        long unpredicted;

        final AtomicLong modelNanos = new AtomicLong();
        final AtomicLong parentNanos = new AtomicLong();
        long wallNanos;

        // the fused argmax of the calling thread, with its scratch arrays
        final PairArgmax pair = new PairArgmax();

        Pass(Preprocessing pre, ClassInfo cls, Path out, OrtSession session, OrtSession parentSession, LabelDecoder p, LabelDecoder pp,
                int workers, int threadsPerRun) {
            this.threadsPerRun = threadsPerRun;
            this.pre = pre;
            this.cls = cls;
            this.out = out;
            this.session = session;
            this.parentSession = parentSession;
            this.modelPredictor = p;
            this.parentPred = pp;
            this.workers = workers;
            this.n = cls.count();
            this.renderer = new SegmentationRenderer(cls);
            this.inputName = session.getInputNames().iterator().next();
            this.parentInputName = parentSession == null ? null : parentSession.getInputNames().iterator().next();
            this.gt = new ConfusionMatrix(n);
            this.gtParent = new ConfusionMatrix(n);
            this.agree = new ConfusionMatrix(n);
            skipped.addAll(dataset.skipped());
        }

        /**
         * Pinned outputs (saving a copy of the logits per run) when the predictor reads only the model's first output
         * and that output is a float tensor of fixed shape; else {@code null}.
         */
        private PinnedOutputs pinnedOutputs(OrtSession s, LabelDecoder p, int count) throws OrtException {
            if (!(p instanceof ArgmaxDecoder ap) || ap.outputName() != null) {
                return null;
            }
            NodeInfo first = s.getOutputInfo().values().iterator().next();
            if (!(first.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
                return null;
            }
            long size = 1;
            for (long d : ti.getShape()) {
                if (d <= 0) {
                    return null;
                }
                size *= d;
            }
            if (size > Integer.MAX_VALUE / 4) {
                return null;
            }
            return new PinnedOutputs(first.getName(), ti.getShape(), count);
        }

        void run(List<Sample> items, SubMonitor sub) throws OrtException, IOException {
            // each worker holds at most one pinned output per model while it runs, the calling thread one while it
            // measures, and one more lets a worker start the next image before the measurement has copied it out
            int count = workers + 2;
            try (PinnedOutputs pinned = pinnedOutputs(session, modelPredictor, count);
                    PinnedOutputs parentPinned = parentSession == null ? null : pinnedOutputs(parentSession, parentPred, count)) {
                run(items, sub, pinned, parentPinned);
            }
        }

        private void run(List<Sample> items, SubMonitor sub, PinnedOutputs pinned, PinnedOutputs parentPinned)
                throws OrtException, IOException {
            int jobsPerImage = parentSession == null ? 1 : 2;
            // images decoded ahead of inference, and images between decoding and measurement
            BlockingQueue<Flight> flights = new ArrayBlockingQueue<>(workers + 3);
            BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(jobsPerImage * (workers + 3) + workers);
            BlockingQueue<FloatBuffer> inputs = new ArrayBlockingQueue<>(workers + 5);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().daemon().name("int8wb-evaluate-decoder")
                    .start(() -> decodeAll(items, flights, jobs, inputs, stop, failure)));
            for (int w = 0; w < workers; w++) {
                threads.add(Thread.ofPlatform().daemon().name("int8wb-evaluate-inference-" + w)
                        .start(() -> infer(jobs, pinned, parentPinned, stop, failure)));
            }
            Flight current = null;
            try {
                while (true) {
                    Flight f = take(flights, failure);
                    if (f == END_OF_FLIGHTS) {
                        break;
                    }
                    current = f;
                    SubMonitor step = sub.split(1);
                    step.subTask(f.item.sample().id());
                    await(f.pending, failure);
                    measure(f);
                    release(f, inputs);
                    current = null;
                }
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.interrupt();
                }
                // a worker finishes the run it is in; only then may its input and the sessions be closed
                boolean interrupted = false;
                for (Thread t : threads) {
                    while (t.isAlive()) {
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                }
                if (current != null) {
                    release(current, inputs);
                }
                for (Flight f; (f = flights.poll()) != null;) {
                    release(f, inputs);
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            wallNanos = System.nanoTime() - start;
            rethrow(failure.get());
            if (rows.isEmpty()) {
                throw new IOException("none of the " + items.size() + " items could be read"
                        + (skipped.isEmpty() ? "" : "; the first problem: " + skipped.get(skipped.size() - 1).reason()));
            }
        }

        /** Closes a flight's input tensor and gives back its buffers, once; only when no run of it is going on. */
        private void release(Flight f, BlockingQueue<FloatBuffer> inputs) {
            if (f == END_OF_FLIGHTS || f.released) {
                return;
            }
            f.released = true;
            if (f.input != null) {
                f.input.close();
                inputs.offer(f.inputBuffer);
            }
            if (f.model != null) {
                f.model.discard();
            }
            if (f.parent != null) {
                f.parent.discard();
            }
        }

        /** Decoder thread: reads and preprocesses items in order, hands each to the measurement and its jobs to the workers. */
        private void decodeAll(List<Sample> items, BlockingQueue<Flight> flights, BlockingQueue<Job> jobs,
                BlockingQueue<FloatBuffer> inputs, AtomicBoolean stop, AtomicReference<Throwable> failure) {
            int created = 0;
            int capacity = inputs.remainingCapacity();
            float[] tensor = new float[pre.tensorSize()];
            long[] shape = pre.shape(1);
            try {
                for (Sample s : items) {
                    if (stop.get()) {
                        return;
                    }
                    Decoded d;
                    try {
                        BufferedImage img = dataset.readImage(s);
                        LabelMask mask = dataset.hasMasks() && s.mask() != null ? dataset.readMask(s) : null;
                        if (mask != null) {
                            Datasets.checkPair(s, img, mask);
                        }
                        pre.toTensor(img, tensor, 0);
                        d = new Decoded(s, img, mask, null);
                    } catch (IOException e) {
                        if (strict) {
                            throw e;
                        }
                        String file = s.image() != null ? s.image().toString() : "";
                        d = new Decoded(s, null, null, new SkippedItem(s.id(), file, e.getMessage()));
                    }
                    if (d.problem() != null) {
                        offer(flights, new Flight(d, null, null, 0), stop);
                        continue;
                    }
                    FloatBuffer buffer = inputs.poll();
                    if (buffer == null && created < capacity) {
                        buffer = java.nio.ByteBuffer.allocateDirect(tensor.length * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                        created++;
                    }
                    while (buffer == null) {
                        buffer = inputs.poll(100, TimeUnit.MILLISECONDS);
                        if (stop.get()) {
                            return;
                        }
                    }
                    buffer.clear();
                    buffer.put(tensor).flip();
                    Flight f = new Flight(d, OnnxTensor.createTensor(Ort.env(), buffer, shape), buffer, parentSession == null ? 1 : 2);
                    if (!offer(flights, f, stop)) {
                        f.input.close();
                        return;
                    }
                    if (!offer(jobs, new Job(f, false), stop) || (parentSession != null && !offer(jobs, new Job(f, true), stop))) {
                        return;
                    }
                }
                if (offer(flights, END_OF_FLIGHTS, stop)) {
                    for (int w = 0; w < workers; w++) {
                        offer(jobs, END_OF_JOBS, stop);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Inference worker: runs jobs until the end of the data or a stop. */
        private void infer(BlockingQueue<Job> jobs, PinnedOutputs pinned, PinnedOutputs parentPinned,
                AtomicBoolean stop, AtomicReference<Throwable> failure) {
            try {
                while (!stop.get()) {
                    Job job = jobs.poll(100, TimeUnit.MILLISECONDS);
                    if (job == END_OF_JOBS) {
                        return;
                    }
                    if (job == null) {
                        continue;
                    }
                    Flight f = job.flight();
                    Captured c = job.parent()
                            ? run(parentSession, parentInputName, f.input, parentPred, parentPinned, parentNanos, stop)
                            : run(session, inputName, f.input, modelPredictor, pinned, modelNanos, stop);
                    if (c == null) {
                        return;
                    }
                    if (job.parent()) {
                        f.parent = c;
                    } else {
                        f.model = c;
                    }
                    f.pending.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        /** One run; the prediction, or {@code null} when stopped while waiting for an output buffer. */
        private Captured run(OrtSession s, String input, OnnxTensor tensor, LabelDecoder p, PinnedOutputs pinned,
                AtomicLong nanos, AtomicBoolean stop)
                throws OrtException, InterruptedException {
            OnnxTensor out = null;
            if (pinned != null) {
                while (out == null) {
                    out = pinned.free.poll(100, TimeUnit.MILLISECONDS);
                    if (out == null && stop.get()) {
                        return null;
                    }
                }
            }
            OnnxTensor lent = out;
            boolean kept = false;
            try {
                long t0 = System.nanoTime();
                try (OrtSession.Result r = lent == null ? s.run(Map.of(input, tensor)) : s.run(Map.of(input, tensor), Map.of(pinned.name, lent))) {
                    nanos.addAndGet(System.nanoTime() - t0);
                    Captured c;
                    if (p instanceof ArgmaxDecoder ap) {
                        c = lent == null ? Captured.of(ap, r, null, null)
                                : Captured.of(ap, r, (FloatBuffer) lent.getBufferRef().orElseThrow(), () -> pinned.free.offer(lent));
                    } else {
                        c = new Captured(null, p.decode(r), null, null, null, null);
                    }
                    kept = lent != null;
                    return c;
                }
            } finally {
                if (lent != null && !kept) {
                    pinned.free.offer(lent);
                }
            }
        }

        /** Metrics (and pictures) of one image; runs on the calling thread. */
        private void measure(Flight f) throws IOException {
            Decoded d = f.item;
            Sample s = d.sample();
            if (d.problem() != null) {
                skipped.add(d.problem());
                return;
            }
            Captured cm = f.model;
            Captured cp = f.parent;
            Prediction model;
            Prediction parent = null;
            TensorDistance distance = null;
            int c = cm.nchwClasses();
            if (cp != null && c > 0 && cp.nchwClasses() == c && cp.size() == cm.size()) {
                // both argmaxes and the tensor distance in one pass over the two logit tensors, read where they are
                int plane = cm.size() / c;
                int[] la = new int[plane];
                int[] lb = new int[plane];
                distance = pair.run(cm.buffer(), cp.buffer(), c, plane, la, lb);
                cm.discard();
                cp.discard();
                model = new Prediction(new LabelMask(cm.width(), cm.height(), la), null);
                parent = new Prediction(new LabelMask(cp.width(), cp.height(), lb), null);
            } else {
                model = cm.prediction();
                parent = cp == null ? null : cp.prediction();
                if (parent != null && model.raw() != null && parent.raw() != null && model.raw().length == parent.raw().length) {
                    distance = TensorDistance.of(model.raw(), parent.raw());
                }
            }
            measure(d, s, model, parent, distance);
        }

        private void measure(Decoded d, Sample s, Prediction model, Prediction parent, TensorDistance distance) throws IOException {
            int w = d.image().getWidth();
            int h = d.image().getHeight();
            LabelMask pred = Postprocessing.toImage(model.labels(), pre, w, h);
            LabelMask parentPred = parent == null ? null : Postprocessing.toImage(parent.labels(), pre, w, h);
            LabelMask mask = d.mask();
            int ignore = cls.ignoreLabel();
            ConfusionMatrix cm = null;
            ConfusionMatrix cmParent = null;
            ConfusionMatrix cmAgree = null;
            long unpredictedHere = 0;
            for (int l : pred.labels()) {
                if (l < 0) {
                    unpredictedHere++;
                }
            }
            unpredicted += unpredictedHere;
            if (mask != null) {
                cm = new ConfusionMatrix(n).add(mask, pred, ignore);
                gt.add(cm);
                double v = cm.meanIoU();
                if (!Double.isNaN(v)) {
                    sumImageIoU += v;
                    countImageIoU++;
                }
                if (parentPred != null) {
                    cmParent = new ConfusionMatrix(n).add(mask, parentPred, ignore);
                    gtParent.add(cmParent);
                    double vp = cmParent.meanIoU();
                    if (!Double.isNaN(vp)) {
                        sumParentImageIoU += vp;
                        countParentImageIoU++;
                    }
                }
            }
            Double mse = null;
            Double cos = null;
            if (parentPred != null) {
                cmAgree = new ConfusionMatrix(n).add(parentPred, pred, -1);
                agree.add(cmAgree);
                double v = cmAgree.meanIoU();
                if (!Double.isNaN(v)) {
                    sumAgreeIoU += v;
                    countAgreeIoU++;
                }
                if (distance != null) {
                    TensorDistance td = distance;
                    mse = num(td.mse());
                    cos = num(td.cosine());
                    if (mse != null && cos != null) {
                        sumMse += td.mse();
                        sumCos += td.cosine();
                        countDistance++;
                    }
                }
                for (int c : cmAgree.presentClasses()) {
                    classRows.add(new AccuracyReport.ClassRow(s.id(), c, cls.name(c), cmAgree.iou(c), cmAgree.referenceCount(c),
                            cmAgree.predictedCount(c), cm == null ? null : num(cm.iou(c))));
                }
            } else if (cm != null) {
                for (int c : cm.presentClasses()) {
                    classRows.add(new AccuracyReport.ClassRow(s.id(), c, cls.name(c), cm.iou(c), cm.referenceCount(c),
                            cm.predictedCount(c), num(cm.iou(c))));
                }
            }
            TreeSet<Integer> present = new TreeSet<>();
            if (cm != null) {
                present.addAll(cm.presentClasses());
            }
            if (cmAgree != null) {
                present.addAll(cmAgree.presentClasses());
            }
            if (cm == null && cmAgree == null) {
                for (int l : pred.labels()) {
                    if (l >= 0) {
                        present.add(l);
                    }
                }
            }
            if (out != null && saveLabelMaps) {
                AccuracyReportWriter.writeLabelMap(model.labels(), out.resolve(AccuracyReportWriter.labelMapFile(s.id(), rows.size())),
                        false);
            }
            String composite = null;
            if (out != null && renderImages) {
                composite = "images/" + fileName(s, rows.size()) + ".png";
                render(d.image(), mask, parentPred, pred, present, out.resolve(composite));
            }
            long compared = cmAgree == null ? 0 : cmAgree.total();
            long same = 0;
            if (cmAgree != null) {
                for (int c = 0; c < n; c++) {
                    same += cmAgree.intersection(c);
                }
            }
            rows.add(new AccuracyReport.ImageRow(s.id(), s.image() == null ? null : s.image().toString(),
                    s.mask() == null ? null : s.mask().toString(), w, h, cm == null ? null : num(cm.meanIoU()),
                    cm == null ? null : num(cm.pixelAccuracy()), cmParent == null ? null : num(cmParent.meanIoU()),
                    cmParent == null ? null : num(cmParent.pixelAccuracy()), cmAgree == null ? null : num(cmAgree.meanIoU()),
                    cmAgree == null || compared == 0 ? null : (double) same / compared, compared - same, mse, cos,
                    unpredictedHere, List.copyOf(present), composite));
        }

        private void render(BufferedImage image, LabelMask mask, LabelMask parentPred, LabelMask pred, TreeSet<Integer> present,
                Path file) throws IOException {
            double scale = Math.min(1.0, (double) panelWidth / image.getWidth());
            int sw = Math.max(1, (int) Math.round(image.getWidth() * scale));
            int sh = Math.max(1, (int) Math.round(image.getHeight() * scale));
            image = SegmentationRenderer.scale(image, sw, sh);
            mask = mask == null ? null : SegmentationRenderer.scale(mask, sw, sh);
            parentPred = parentPred == null ? null : SegmentationRenderer.scale(parentPred, sw, sh);
            pred = SegmentationRenderer.scale(pred, sw, sh);
            List<SegmentationRenderer.Panel> panels = new ArrayList<>();
            panels.add(new SegmentationRenderer.Panel("image", image));
            TreeSet<Integer> legend = new TreeSet<>(present);
            LabelMask truthForDiff = null;
            if (mask != null) {
                panels.add(new SegmentationRenderer.Panel("ground truth", renderer.overlay(image, mask, 0.6)));
                int[] t = mask.labels().clone();
                for (int i = 0; i < t.length; i++) {
                    if (t[i] == cls.ignoreLabel()) {
                        t[i] = Postprocessing.NO_PREDICTION;
                        legend.add(cls.ignoreLabel());
                    }
                }
                truthForDiff = new LabelMask(mask.width(), mask.height(), t);
            }
            if (parentPred != null) {
                panels.add(new SegmentationRenderer.Panel("parent", renderer.overlay(image, parentPred, 0.6)));
                panels.add(new SegmentationRenderer.Panel("optimized", renderer.overlay(image, pred, 0.6)));
                panels.add(new SegmentationRenderer.Panel("difference to parent", renderer.difference(image, parentPred, pred)));
            } else {
                panels.add(new SegmentationRenderer.Panel("prediction", renderer.overlay(image, pred, 0.6)));
                if (truthForDiff != null) {
                    panels.add(new SegmentationRenderer.Panel("errors vs ground truth", renderer.difference(image, truthForDiff, pred)));
                }
            }
            BufferedImage c = renderer.composite(panels, legend, panelWidth);
            try (OutputStream os = Files.newOutputStream(file)) {
                SegmentationRenderer.writePng(c, os);
            }
        }

        AccuracyReport report(AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
            boolean masks = dataset.hasMasks() && gt.total() > 0;
            AccuracyReport.Metrics gtMetrics = masks ? metrics(gt, sumImageIoU, countImageIoU) : null;
            AccuracyReport.Metrics parentMetrics = masks && parentSession != null ? metrics(gtParent, sumParentImageIoU, countParentImageIoU) : null;
            AccuracyReport.Agreement agreement = null;
            if (parentSession != null && agree.total() > 0) {
                long total = agree.total();
                long same = 0;
                for (int c = 0; c < n; c++) {
                    same += agree.intersection(c);
                }
                agreement = new AccuracyReport.Agreement((double) same / total, num(agree.meanIoU()),
                        countAgreeIoU == 0 ? null : sumAgreeIoU / countAgreeIoU, countDistance == 0 ? null : sumMse / countDistance,
                        countDistance == 0 ? null : sumCos / countDistance, total - same, total, scores(agree), agree.rows());
            }
            List<String> notes = new ArrayList<>();
            if (dataset.synthetic()) {
                notes.add("The images are generated (synthetic): accuracy and agreement figures on them are not meaningful; "
                        + "use real images for accuracy.");
            }
            if (!dataset.hasMasks()) {
                notes.add("The dataset has no ground-truth masks: only the agreement with the parent model is measured.");
            }
            if (!skipped.isEmpty()) {
                notes.add(skipped.size() + " items were skipped; see the list of skipped items.");
            }
            if (unpredicted > 0) {
                notes.add(unpredicted + " image pixels were cropped away by the preprocessing (" + pre.resize().cliName()
                        + ") and have no prediction; they are left out of every metric.");
            }
            if (out != null && saveLabelMaps) {
                notes.add("The model's label maps are saved under " + AccuracyReportWriter.LABELS_DIR + "/ as grey PNGs at the "
                        + "model's output resolution (pixel value = class).");
            }
            if (parentSession == null) {
                notes.add("No parent model was given: the Advanced rows compare the model with the ground truth.");
            }
            double model = modelNanos.get() / 1e9;
            double parentS = parentNanos.get() / 1e9;
            double wall = wallNanos / 1e9;
            AccuracyReport.Timing timing = new AccuracyReport.Timing(rows.size(), wall, model, parentS,
                    model + parentS > 0 ? wall / (model + parentS) : 0, workers, threadsPerRun);
            String root = dataset instanceof FileDataset fd ? fd.root().toString() : null;
            return new AccuracyReport(AccuracyReport.FORMAT, modelRef, parentRef, dataset.description(), root, dataset.synthetic(),
                    masks, cls, pre, Postprocessing.DESCRIPTION, AccuracyReport.AGGREGATION
                            + (parentSession != null ? " " + AccuracyReport.BASIC_DEFINITION : ""),
                    notes, gtMetrics, parentMetrics, agreement, rows, classRows, skipped, timing, Provenance.now());
        }

        private AccuracyReport.Metrics metrics(ConfusionMatrix m, double sum, int count) {
            return new AccuracyReport.Metrics(num(m.meanIoU()), count == 0 ? null : sum / count, num(m.pixelAccuracy()),
                    num(m.meanClassAccuracy()), num(m.frequencyWeightedIoU()), m.total(), unpredicted, scores(m), m.rows());
        }

        private List<AccuracyReport.ClassScore> scores(ConfusionMatrix m) {
            List<AccuracyReport.ClassScore> out = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                long ref = m.referenceCount(c);
                out.add(new AccuracyReport.ClassScore(c, cls.name(c), num(m.iou(c)),
                        ref == 0 ? null : (double) m.intersection(c) / ref, ref, m.predictedCount(c), m.intersection(c)));
            }
            return out;
        }
    }

    /** A file name for an item's picture: its id with unsafe characters replaced, plus the row number when changed. */
    private static String fileName(Sample s, int row) {
        return AccuracyReportWriter.fileBase(s.id(), row);
    }

    private static <T> T take(BlockingQueue<T> q, AtomicReference<Throwable> failure) throws IOException, OrtException {
        try {
            while (true) {
                T t = q.poll(100, TimeUnit.MILLISECONDS);
                if (t != null) {
                    return t;
                }
                rethrow(failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        }
    }

    /** Offers until taken; false when stopped first. */
    private static <T> boolean offer(BlockingQueue<T> q, T item, AtomicBoolean stop) throws InterruptedException {
        while (!q.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (stop.get()) {
                return false;
            }
        }
        return true;
    }

    private static void await(CountDownLatch latch, AtomicReference<Throwable> failure) throws IOException, OrtException {
        try {
            while (!latch.await(100, TimeUnit.MILLISECONDS)) {
                rethrow(failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        }
    }

    private static void rethrow(Throwable t) throws IOException, OrtException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof OrtException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
