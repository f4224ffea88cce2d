package org.int8workbench.core.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkScheduler.Measurements;
import org.int8workbench.core.bench.BenchmarkScheduler.Phase;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.report.BenchmarkComparison;
import org.int8workbench.core.report.BenchmarkEndToEnd;
import org.int8workbench.core.report.BenchmarkEndToEndComparison;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkProfile;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.BenchmarkSettings;
import org.int8workbench.core.report.BenchmarkSpread;

/**
 * CPU benchmark of one ONNX model, or of a model against others (e.g. the FP32 parent against its INT8 model and
 * the INT8 model cut before its upsampling head), with ONNX Runtime.
 *
 * <pre>{@code
 * BenchmarkResult r = new BenchmarkOperation(fp32).others(List.of(int8, int8Head)).mode(Mode.THROUGHPUT).seconds(30)
 *         .run(monitor);
 * r.speedup().describe(); // int8 over fp32: "1.80x (1.66–1.95)"
 * r.comparisons().get(1).endToEndSpeedup().describe(); // int8 with the exact head over fp32, end to end
 * }</pre>
 *
 * <ul>
 * <li>{@link Mode#LATENCY}: one request at a time, intra-op threads = all cores unless {@link #threads} says
 * otherwise. {@link Mode#THROUGHPUT}: {@link #streams} requests in flight on one session per model, each with
 * {@code cores / streams} intra-op threads by default; by default {@code max(2, cores / 2)} streams (2 on a
 * 2-core machine), capped at the core count.</li>
 * <li>The models alternate within every round (A B C A B C …, see {@link BenchmarkScheduler}); each model's
 * figures pool all rounds; every speedup (each model after the first against the first) is the median of the
 * per-round ratios with their minimum and maximum.</li>
 * <li>{@link #seconds} is the total timed duration over all rounds, models and measurements (model-only and end
 * to end); {@link #iterations} instead fixes the timed requests per model and measurement. Default: 20 s.</li>
 * <li>Inputs are built before timing: images of a {@link #dataset} preprocessed for each model (up to
 * {@value #INPUT_POOL} batches, used in turn), else seeded random values of the input's shape.</li>
 * <li>End to end: a request is the run plus producing the label map of every reported output with the
 * {@link LabelDecoder}s that {@link LabelDecoders#forModel} chooses for the model file and the {@link #outputs}
 * selection: the exact label head for a model cut before its head (it records the head in its metadata), else by the
 * output's kind (an argmax in Java over class scores, a threshold of a sigmoid map, labels as they are, the values of
 * a regression output).</li>
 * <li>After timing: the graph ONNX Runtime runs ({@link OrtOptimizedGraph}) and, when {@link #profile} is on, a
 * short sequential profiled pass giving time per operator type ("why isn't INT8 faster?").</li>
 * </ul>
 */
public final class BenchmarkOperation {

    /** Benchmark mode. */
    public enum Mode {
        /** One request at a time. */
        LATENCY,
        /** Several requests in flight. */
        THROUGHPUT;

        /** Parses {@code latency} or {@code throughput}. */
        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be 'latency' or 'throughput', got '" + s + "'");
            }
        }
    }

    /** Default total timed duration when neither seconds nor iterations are set. */
    public static final double DEFAULT_SECONDS = 20;
    /** Largest number of distinct pre-built input batches. */
    public static final int INPUT_POOL = 8;

    private final Path model;
    private final List<Path> others = new ArrayList<>();
    private Mode mode = Mode.LATENCY;
    private Double seconds;
    private Long iterations;
    private int rounds = 5;
    private int warmup = 5;
    private Integer streams;
    private Integer threads;
    private int interOpThreads;
    private ExecutionMode executionMode = ExecutionMode.SEQUENTIAL;
    private OptLevel optLevel = OptLevel.ALL_OPT;
    private int batch = 1;
    private SegmentationDataset dataset;
    private Preprocessing preprocessingModel;
    private Preprocessing preprocessingOther;
    private List<Preprocessing> preprocessingPerModel;
    private long seed = 42;
    private boolean endToEnd = true;
    private boolean profile;
    private int profileRuns = 10;
    private boolean analyzeGraph = true;
    private LabelDecoder.Factory decoderFactory;
    private OutputSelection outputSelection = OutputSelection.AUTO;
    /** Dataset images that could not be read during the current run, by id (each once, whatever the model). */
    private final Map<String, SkippedItem> skippedImages = new java.util.LinkedHashMap<>();

    /** A benchmark of {@code model}. */
    public BenchmarkOperation(Path model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Compares {@code model} with one other model (speedup = other's images/s over model's); replaces models given
     * before; null for none.
     */
    public BenchmarkOperation other(Path otherModel) {
        this.others.clear();
        if (otherModel != null) {
            this.others.add(otherModel);
        }
        return this;
    }

    /**
     * Compares {@code model} with each of {@code otherModels} (each one's speedup is over {@code model}); replaces
     * models given before; empty for none.
     */
    public BenchmarkOperation others(List<Path> otherModels) {
        List<Path> copy = List.copyOf(otherModels);
        this.others.clear();
        this.others.addAll(copy);
        return this;
    }

    public BenchmarkOperation mode(Mode m) {
        this.mode = Objects.requireNonNull(m);
        return this;
    }

    /** Total timed duration over all rounds, models and measurements (clears {@link #iterations}). */
    public BenchmarkOperation seconds(double s) {
        if (!(s > 0)) {
            throw new IllegalArgumentException("seconds must be positive, got " + s);
        }
        this.seconds = s;
        this.iterations = null;
        return this;
    }

    /** Timed requests per model and measurement over all rounds (clears {@link #seconds}). */
    public BenchmarkOperation iterations(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + n);
        }
        this.iterations = n;
        this.seconds = null;
        return this;
    }

    /** Rounds (default 5); with several models each round times all of them, in order. */
    public BenchmarkOperation rounds(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + n);
        }
        this.rounds = n;
        return this;
    }

    /** Warm-up requests per model and measurement before the first round, excluded from all figures (default 5). */
    public BenchmarkOperation warmup(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("warm-up must not be negative, got " + n);
        }
        this.warmup = n;
        return this;
    }

    /** Concurrent requests in throughput mode (default: automatic); null for automatic. */
    public BenchmarkOperation streams(Integer n) {
        if (n != null && n < 1) {
            throw new IllegalArgumentException("streams must be at least 1, got " + n);
        }
        this.streams = n;
        return this;
    }

    /** Intra-op threads per session (default: automatic); null for automatic. */
    public BenchmarkOperation threads(Integer n) {
        if (n != null && n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    /** Inter-op threads per session; 0 leaves ONNX Runtime's default. */
    public BenchmarkOperation interOpThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("inter-op threads must not be negative");
        }
        this.interOpThreads = n;
        return this;
    }

    public BenchmarkOperation executionMode(ExecutionMode m) {
        this.executionMode = Objects.requireNonNull(m);
        return this;
    }

    /** Graph optimization level of the timed sessions (default ALL). */
    public BenchmarkOperation optimizationLevel(OptLevel level) {
        this.optLevel = Objects.requireNonNull(level);
        return this;
    }

    /** Images per request, where the model's batch axis is dynamic (default 1). */
    public BenchmarkOperation batch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + n);
        }
        this.batch = n;
        return this;
    }

    /** Real images as inputs (preprocessed before timing); null for random inputs. */
    public BenchmarkOperation dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /** Preprocessing of dataset images for all models (default: each model's metadata, else its input shape). */
    public BenchmarkOperation preprocessing(Preprocessing all) {
        return preprocessing(all, all);
    }

    /**
     * Preprocessing of dataset images for the first model and for all other models; null uses each model's own.
     * Replaces a list given to {@link #preprocessing(List)}.
     */
    public BenchmarkOperation preprocessing(Preprocessing forModel, Preprocessing forOthers) {
        this.preprocessingModel = forModel;
        this.preprocessingOther = forOthers;
        this.preprocessingPerModel = null;
        return this;
    }

    /**
     * Preprocessing of dataset images per model, in model order (the first model, then the others); null entries,
     * and models beyond the list, use the model's own.
     */
    public BenchmarkOperation preprocessing(List<Preprocessing> perModel) {
        this.preprocessingPerModel = new ArrayList<>(perModel);
        return this;
    }

    /** Seed of random inputs (default 42). */
    public BenchmarkOperation seed(long s) {
        this.seed = s;
        return this;
    }

    /** Whether to measure end to end (run + label map) too (default true). */
    public BenchmarkOperation endToEnd(boolean on) {
        this.endToEnd = on;
        return this;
    }

    /** Whether to make a profiled pass for time per operator type (default false). */
    public BenchmarkOperation profile(boolean on) {
        this.profile = on;
        return this;
    }

    /** Runs of the profiled pass (default 10, plus one discarded). */
    public BenchmarkOperation profileRuns(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("profile runs must be at least 1");
        }
        this.profileRuns = n;
        return this;
    }

    /** Whether to analyse the optimized graph ({@link OrtOptimizedGraph}; default true). */
    public BenchmarkOperation analyzeGraph(boolean on) {
        this.analyzeGraph = on;
        return this;
    }

    /**
     * Chooses the label decoder of each model for end-to-end figures, given the model's session and preprocessing
     * (null when neither given nor recorded), in place of {@link LabelDecoders#forModel}; a seam for tests. Default and
     * for null: the decoders {@link LabelDecoders#forModel} gives for each model file and {@link #outputs}.
     */
    public BenchmarkOperation decoderFactory(LabelDecoder.Factory factory) {
        this.decoderFactory = factory;
        return this;
    }

    /**
     * Which outputs the end-to-end requests decode, and as what (the user's {@code --output-kind}, {@code --output-name},
     * {@code --threshold}); applied to every model through {@link LabelDecoders#forModel}. Default and for null:
     * {@link OutputSelection#AUTO}, the kinds found from each model's graph. With several reported outputs a request
     * decodes all of them.
     */
    public BenchmarkOperation outputs(OutputSelection selection) {
        this.outputSelection = selection != null ? selection : OutputSelection.AUTO;
        return this;
    }

    /** Parses {@code all}, {@code layout}, {@code extended}, {@code basic} or {@code none}. */
    public static OptLevel parseOptLevel(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> OptLevel.ALL_OPT;
            case "layout" -> OptLevel.LAYOUT_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "none" -> OptLevel.NO_OPT;
            default -> throw new IllegalArgumentException("optimization level must be all, extended, basic or none; got '" + s + "'");
        };
    }

    /** Default concurrent requests in throughput mode for a core count: {@code max(2, cores / 2)}, at most {@code cores}. */
    public static int defaultStreams(int cores) {
        return Math.max(1, Math.min(cores, Math.max(2, cores / 2)));
    }

    /** One model's session, inputs and decoder while the operation runs. */
    private static final class Loaded implements AutoCloseable {
        Path path;
        String sha256;
        OrtSession session;
        double loadMs;
        String inputName;
        long[] shape;
        OnnxJavaType inputType;
        int batch;
        /** An image input without a batch axis ([3,H,W] or [H,W,3]): one image per run, every axis an image axis. */
        boolean unbatched;
        String batchNote = "";
        Preprocessing preprocessing;
        final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
        /** Tensors of the inputs other than the image, shared by every map in {@link #inputs}. */
        final Map<String, OnnxTensor> otherInputs = new LinkedHashMap<>();
        List<LabelDecoder> decoders = List.of();
        SessionWorkload workload;

        @Override
        public void close() {
            if (workload != null) {
                workload.close();
            }
            // non-image inputs are shared by all input maps: close every tensor once
            java.util.Set<OnnxTensor> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            all.addAll(otherInputs.values());
            for (Map<String, OnnxTensor> m : inputs) {
                all.addAll(m.values());
            }
            all.forEach(OnnxTensor::close);
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    // nothing more to release
                }
            }
        }
    }

    /**
     * Runs the benchmark.
     *
     * @throws CoreException when a model cannot be loaded or run, or the inputs cannot be built
     * @throws OperationCanceledException when cancelled (a run in flight is stopped)
     */
    public BenchmarkResult run(IProgressMonitor monitor) throws CoreException {
        long t0 = System.nanoTime();
        List<Path> paths = new ArrayList<>();
        paths.add(model);
        paths.addAll(others);
        for (Path p : paths) {
            if (!Files.isRegularFile(p)) {
                throw error("model not found: " + p + "; give the path of an .onnx file", new NoSuchFileException(p.toString()));
            }
        }
        int cores = CpuInfo.current().logicalCores();
        if (mode == Mode.LATENCY && streams != null && streams > 1) {
            throw new IllegalArgumentException("several streams apply to throughput mode only; latency mode runs one request at a time");
        }
        int nStreams = mode == Mode.LATENCY ? 1 : streams != null ? streams : defaultStreams(cores);
        int intra = threads != null ? threads : mode == Mode.LATENCY ? cores : Math.max(1, cores / nStreams);
        long iters = iterations != null ? iterations : 0;
        double secs = iterations != null ? 0 : seconds != null ? seconds : DEFAULT_SECONDS;
        int nRounds = iters > 0 ? (int) Math.min(rounds, iters) : rounds;
        List<String> notes = new ArrayList<>();
        skippedImages.clear();
        if (nRounds < rounds) {
            notes.add("rounds reduced to " + nRounds + " so that every round has at least one iteration");
        }
        List<Phase> phases = endToEnd ? List.of(Phase.MODEL, Phase.END_TO_END) : List.of(Phase.MODEL);
        long segmentNanos = iters > 0 ? 0 : (long) (secs * 1e9 / (nRounds * paths.size() * phases.size()));
        BenchmarkScheduler.Plan plan = new BenchmarkScheduler.Plan(nStreams, warmup, nRounds, iters, segmentNanos, endToEnd);

        SubMonitor sub = SubMonitor.convert(monitor, "Benchmarking", 100);
        List<Loaded> loaded = new ArrayList<>();
        try {
            SubMonitor loading = sub.split(10).setWorkRemaining(paths.size() * 2);
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                loading.subTask("loading " + p.getFileName());
                Loaded l = new Loaded();
                loaded.add(l);
                load(l, p, intra);
                loading.split(1);
                loading.subTask("preparing inputs for " + p.getFileName());
                prepareInputs(l, preprocessingFor(i), loading.split(1));
                if (endToEnd) {
                    Preprocessing pre = l.preprocessing != null ? l.preprocessing : preprocessingFor(i);
                    l.decoders = decoderFactory != null ? List.of(decoderFactory.create(l.session, pre))
                            : decoders(p, l.session, pre);
                }
                if (!l.batchNote.isEmpty()) {
                    notes.add(p.getFileName() + ": " + l.batchNote);
                }
            }
            if (!skippedImages.isEmpty()) {
                notes.add(skippedNote(skippedImages.values()));
            }
            for (Loaded l : loaded) {
                l.workload = new SessionWorkload(l.path.getFileName().toString(), l.session, l.inputs, nStreams, l.decoders);
            }
            Measurements m = new BenchmarkScheduler(plan).run(loaded.stream().map(l -> l.workload).toList(), sub.split(75));

            SubMonitor after = sub.split(15).setWorkRemaining(paths.size() * 2);
            List<OrtOptimizedGraph> graphs = new ArrayList<>();
            List<BenchmarkProfile> profiles = new ArrayList<>();
            for (Loaded l : loaded) {
                after.subTask("analysing the optimized graph of " + l.path.getFileName());
                OrtOptimizedGraph g = null;
                if (analyzeGraph) {
                    try {
                        g = OrtOptimizedGraph.analyze(l.path, optLevel);
                    } catch (OrtException | IOException e) {
                        notes.add(l.path.getFileName() + ": the optimized graph could not be analysed: " + e.getMessage());
                    }
                }
                graphs.add(g);
                after.split(1);
                BenchmarkProfile prof = null;
                if (profile) {
                    after.subTask("profiling " + l.path.getFileName());
                    prof = profile(l, intra, after);
                }
                profiles.add(prof);
                after.split(1);
            }
            if (profile) {
                notes.add("profile: a separate sequential pass of " + profileRuns + " runs per model after the timed rounds, with "
                        + intra + " intra-op threads; profiler overhead included, use the shares rather than the times");
            }
            return result(loaded, m, plan, graphs, profiles, notes, intra, secs, iters, t0);
        } catch (OrtException e) {
            if (sub.isCanceled()) {
                throw new OperationCanceledException();
            }
            throw error("ONNX Runtime failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw error("cannot read the benchmark inputs: " + e.getMessage(), e);
        } catch (CoreException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw error("the benchmark failed: " + e.getMessage(), e);
        } finally {
            for (Loaded l : loaded) {
                l.close();
            }
        }
    }

    /** The decoders of a model's end-to-end requests: {@link LabelDecoders#forModel} with the output selection. */
    private List<LabelDecoder> decoders(Path p, OrtSession session, Preprocessing pre) throws OrtException, CoreException {
        try {
            return LabelDecoders.forModel(p, session, pre, outputSelection);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw error("cannot read the graph of " + p + " to find its output kinds: " + e.getMessage(), e);
        }
    }

    /**
     * What an end-to-end request produces: each decoder's description with its kind and output, e.g.
     * {@code probability > 0.5 (binary, Java) [binary 'mask']}; several outputs are joined by {@code  + }.
     */
    static String endToEndDescription(List<LabelDecoder> decoders) {
        List<String> parts = new ArrayList<>();
        List<String> outputs = endToEndOutputs(decoders);
        for (int i = 0; i < decoders.size(); i++) {
            parts.add(decoders.get(i).description() + " [" + outputs.get(i) + "]");
        }
        return String.join(" + ", parts);
    }

    /** Each decoder's kind and output name, e.g. {@code binary 'mask'}. */
    static List<String> endToEndOutputs(List<LabelDecoder> decoders) {
        List<String> outputs = new ArrayList<>();
        for (LabelDecoder d : decoders) {
            String name = d.output().name();
            outputs.add(d.kind().cliName() + (name != null ? " '" + name + "'" : ""));
        }
        return outputs;
    }

    private Preprocessing preprocessingFor(int index) {
        if (preprocessingPerModel != null) {
            return index < preprocessingPerModel.size() ? preprocessingPerModel.get(index) : null;
        }
        return index == 0 ? preprocessingModel : preprocessingOther;
    }

    private OrtSession.SessionOptions sessionOptions(int intra) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(optLevel);
        o.setIntraOpNumThreads(intra);
        if (interOpThreads > 0) {
            o.setInterOpNumThreads(interOpThreads);
        }
        o.setExecutionMode(executionMode);
        return o;
    }

    private void load(Loaded l, Path p, int intra) throws OrtException, IOException, CoreException {
        l.path = p;
        l.sha256 = Sha256.of(p);
        OrtEnvironment env = Ort.env();
        try (OrtSession.SessionOptions o = sessionOptions(intra)) {
            long s = System.nanoTime();
            try {
                l.session = env.createSession(p.toString(), o);
            } catch (OrtException e) {
                throw error("ONNX Runtime cannot load " + p + ": " + e.getMessage(), e);
            }
            l.loadMs = (System.nanoTime() - s) / 1e6;
        }
        NodeInfo in = l.session.getInputInfo().values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti)) {
            throw error(p + ": input '" + in.getName() + "' is not a tensor; only tensor inputs can be benchmarked", null);
        }
        l.inputName = in.getName();
        l.inputType = ti.type;
        long[] shape = ti.getShape().clone();
        if (shape.length == 0) {
            throw error(p + ": input '" + in.getName() + "' is a scalar; expected a batch of images", null);
        }
        if (shape.length == 3 && (shape[0] == 3 || shape[2] == 3)) {
            l.unbatched = true;
            l.batch = 1;
            if (batch != 1) {
                l.batchNote = "the input '" + in.getName() + "' has no batch axis (shape " + Arrays.toString(shape) + "), so batch "
                        + batch + " cannot be used; measured with batch 1";
            }
            l.shape = shape;
            return;
        }
        if (shape[0] < 0) {
            l.batch = batch;
        } else {
            l.batch = (int) shape[0];
            if (batch != shape[0]) {
                l.batchNote = "the input '" + in.getName() + "' has a fixed batch axis of " + shape[0] + ", so batch " + batch
                        + " cannot be used; measured with batch " + shape[0];
            }
        }
        shape[0] = l.batch;
        l.shape = shape;
    }

    /** Fills dynamic non-batch axes from preprocessing, then builds the input tensors. */
    private void prepareInputs(Loaded l, Preprocessing given, IProgressMonitor monitor) throws OrtException, IOException, CoreException {
        boolean dynamic = false;
        int first = l.unbatched ? 0 : 1;
        for (int i = first; i < l.shape.length; i++) {
            dynamic |= l.shape[i] < 0;
        }
        Preprocessing pre = null;
        if (dataset != null || dynamic) {
            pre = given != null ? given : fromModel(l);
            if (pre == null) {
                throw CoreStatus.needsPreprocessing(l.path, l.shape);
            }
            String rank = Preprocessing.rankProblem(l.shape.length);
            if (rank != null) {
                throw error(l.path + ": input '" + l.inputName + "' has shape " + Arrays.toString(l.shape) + "; " + rank, null);
            }
            if (l.shape.length == 3 && !l.unbatched) {
                l.unbatched = true; // a rank-3 input the preprocessing feeds: no batch axis
                l.batch = 1;
                first = 0;
            }
            long[] expected = l.unbatched ? pre.inputShape(l.shape) : pre.shape(l.batch);
            for (int i = first; i < expected.length; i++) {
                if (l.shape[i] >= 0 && l.shape[i] != expected[i]) {
                    throw error(l.path + ": the preprocessing gives input shape " + Arrays.toString(expected)
                            + " but the model's input '" + l.inputName + "' is " + Arrays.toString(l.shape), null);
                }
            }
            l.shape = expected;
        }
        OrtEnvironment env = Ort.env();
        // owned by l from their creation on, so a failure below cannot leak them
        Map<String, OnnxTensor> others = l.otherInputs;
        Random rnd = new Random(seed);
        for (NodeInfo ni : l.session.getInputInfo().values()) {
            if (!ni.getName().equals(l.inputName)) {
                TensorInfo ti = (TensorInfo) ni.getInfo();
                long[] s = ti.getShape().clone();
                for (int i = 0; i < s.length; i++) {
                    if (s[i] < 0) {
                        s[i] = i == 0 ? l.batch : 1;
                    }
                }
                others.put(ni.getName(), random(env, ti.type, s, rnd, l.path, ni.getName()));
            }
        }
        if (dataset == null) {
            Map<String, OnnxTensor> m = new HashMap<>(others);
            m.put(l.inputName, random(env, l.inputType, l.shape, rnd, l.path, l.inputName));
            l.inputs.add(m);
            return;
        }
        if (l.inputType != OnnxJavaType.FLOAT) {
            throw error(l.path + ": input '" + l.inputName + "' is " + l.inputType + "; images can only be fed to float inputs", null);
        }
        l.preprocessing = pre;
        List<Sample> samples = dataset.samples();
        if (samples.isEmpty()) {
            throw error("the dataset has no images: " + dataset.description(), null);
        }
        int batches = Math.max(1, Math.min(INPUT_POOL, (samples.size() + l.batch - 1) / l.batch));
        SubMonitor sub = SubMonitor.convert(monitor, batches);
        int tried = 0;
        int reused = 0;
        List<Sample> readable = new ArrayList<>();
        int per = pre.tensorSize();
        for (int b = 0; b < batches; b++) {
            float[] buf = new float[per * l.batch];
            for (int i = 0; i < l.batch; i++) {
                // the images in dataset order; one that cannot be read is skipped and named in the result, as evaluate does;
                // when the pool needs more images than the dataset has, the readable ones are used again
                BufferedImage img = null;
                while (img == null) {
                    if (tried < samples.size()) {
                        Sample s = samples.get(tried++);
                        try {
                            img = dataset.readImage(s);
                            readable.add(s);
                        } catch (IOException | RuntimeException e) {
                            skippedImages.putIfAbsent(s.id(), new SkippedItem(s.id(), String.valueOf(s.image()),
                                    e.getMessage() == null || e.getMessage().isBlank() ? "cannot be read" : e.getMessage()));
                        }
                    } else if (readable.isEmpty()) {
                        SkippedItem problem = skippedImages.values().iterator().next();
                        throw new IOException("none of the " + samples.size() + " images of " + dataset.description()
                                + " could be read; the first problem: " + problem.id() + ": " + problem.reason());
                    } else {
                        img = dataset.readImage(readable.get(reused++ % readable.size()));
                    }
                }
                pre.toTensor(img, buf, i * per);
            }
            Map<String, OnnxTensor> m = new HashMap<>(others);
            m.put(l.inputName, OnnxTensor.createTensor(env, FloatBuffer.wrap(buf), l.shape));
            l.inputs.add(m);
            sub.split(1);
        }
    }

    /**
     * The one line naming the dataset images left out because they could not be read, e.g.
     * {@code 2 images skipped (cannot be read; the benchmark used the next readable ones): bad (not an image); cut (truncated)};
     * at most 10 are named.
     */
    static String skippedNote(java.util.Collection<SkippedItem> skipped) {
        List<String> named = skipped.stream().limit(10).map(k -> k.id() + " (" + k.reason() + ")").toList();
        return org.int8workbench.core.Printable.of(skipped.size() + " image" + (skipped.size() == 1 ? "" : "s")
                + " skipped (cannot be read; the benchmark used the next readable ones): " + String.join("; ", named)
                + (skipped.size() > 10 ? "; ..." : ""));
    }

    /** The dataset images the last {@link #run} skipped because they could not be read, in dataset order. */
    public List<SkippedItem> skipped() {
        return List.copyOf(skippedImages.values());
    }

    /** Preprocessing recorded in the model's metadata, else defaults from a 4-D image input shape, else null. */
    private static Preprocessing fromModel(Loaded l) throws OrtException {
        return Preprocessing.forModel(l.session.getMetadata().getCustomMetadata(), l.shape).orElse(null);
    }

    /** Seeded random values: uniform in [-1, 1) for float, all byte values for 8-bit, 0..9 for integer inputs. */
    private static OnnxTensor random(OrtEnvironment env, OnnxJavaType type, long[] shape, Random rnd, Path model, String name)
            throws OrtException, CoreException {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw error(model + ": input '" + name + "' has a dynamic axis in " + Arrays.toString(shape)
                        + "; random inputs need a fixed shape", null);
            }
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw error(model + ": input '" + name + "' of shape " + Arrays.toString(shape) + " is too large", null);
        }
        int n = (int) count;
        switch (type) {
            case FLOAT: {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextFloat() * 2 - 1;
                }
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
            }
            case UINT8:
            case INT8: {
                byte[] v = new byte[n];
                rnd.nextBytes(v);
                return OnnxTensor.createTensor(env, ByteBuffer.wrap(v), shape, type);
            }
            case INT64: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextInt(10);
                }
                return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(v), shape);
            }
            case INT32: {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextInt(10);
                }
                return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(v), shape);
            }
            default:
                throw error(model + ": input '" + name + "' has element type " + type
                        + "; random inputs support float, uint8, int8, int32 and int64", null);
        }
    }

    /** A sequential profiled pass of {@code profileRuns + 1} runs on a separate session; parses the trace. */
    private BenchmarkProfile profile(Loaded l, int intra, IProgressMonitor monitor)
            throws OrtException, IOException {
        Path dir = Files.createTempDirectory("int8wb-profile-");
        try {
            Path trace;
            try (OrtSession.SessionOptions o = sessionOptions(intra)) {
                o.enableProfiling(dir.resolve("profile").toString());
                try (OrtSession s = Ort.env().createSession(l.path.toString(), o);
                        SessionWorkload w = new SessionWorkload("profile", s, l.inputs, 1, l.decoders)) {
                    for (int i = 0; i <= profileRuns; i++) {
                        if (monitor.isCanceled()) {
                            throw new OperationCanceledException();
                        }
                        w.request(0, false);
                    }
                    trace = Path.of(s.endProfiling());
                }
            }
            if (!trace.isAbsolute()) {
                trace = dir.resolve(trace.getFileName());
            }
            return OrtProfile.parse(trace);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private BenchmarkResult result(List<Loaded> loaded, Measurements m, BenchmarkScheduler.Plan plan,
            List<OrtOptimizedGraph> graphs, List<BenchmarkProfile> profiles, List<String> notes, int intra, double secs,
            long iters, long t0) {
        List<BenchmarkModelResult> models = new ArrayList<>();
        List<double[]> fpsRounds = new ArrayList<>();
        List<double[]> e2eRounds = new ArrayList<>();
        List<double[]> medianRounds = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            Loaded l = loaded.get(i);
            double[] perRound = scale(m.requestsPerSecondPerRound(i, Phase.MODEL), l.batch);
            fpsRounds.add(perRound);
            medianRounds.add(m.of(i, Phase.MODEL).stream().mapToDouble(s -> Statistics.latency(s.latencies()).median()).toArray());
            long[] lat = m.latencies(i, Phase.MODEL);
            BenchmarkEndToEnd e2e = null;
            if (endToEnd) {
                double[] e2eRound = scale(m.requestsPerSecondPerRound(i, Phase.END_TO_END), l.batch);
                e2eRounds.add(e2eRound);
                long[] el = m.latencies(i, Phase.END_TO_END);
                e2e = new BenchmarkEndToEnd(endToEndDescription(l.decoders), m.requestsPerSecond(i, Phase.END_TO_END) * l.batch,
                        Statistics.latency(el), boxed(e2eRound), el.length, endToEndOutputs(l.decoders));
            }
            List<Long> shape = Arrays.stream(l.shape).boxed().toList();
            models.add(new BenchmarkModelResult(l.path.toAbsolutePath().toString(), l.sha256, l.inputName, shape,
                    l.inputType.name(), l.batch, l.batchNote, l.loadMs, m.requestsPerSecond(i, Phase.MODEL) * l.batch,
                    Statistics.latency(lat), boxed(perRound), lat.length, e2e, profiles.get(i), graphs.get(i), l.preprocessing));
        }
        List<BenchmarkComparison> comparisons = new ArrayList<>();
        for (int i = 1; i < loaded.size(); i++) {
            comparisons.add(new BenchmarkComparison(i, models.get(i).path(),
                    Statistics.ratioSpread(fpsRounds.get(i), fpsRounds.get(0)),
                    Statistics.ratioSpread(medianRounds.get(0), medianRounds.get(i)),
                    endToEnd ? Statistics.ratioSpread(e2eRounds.get(i), e2eRounds.get(0)) : null));
        }
        BenchmarkSpread speedup = null;
        BenchmarkSpread latencySpeedup = null;
        BenchmarkEndToEndComparison e2eCmp = null;
        if (!comparisons.isEmpty()) {
            BenchmarkComparison second = comparisons.get(0);
            speedup = second.speedup();
            latencySpeedup = second.latencySpeedup();
            if (second.endToEndSpeedup() != null) {
                e2eCmp = new BenchmarkEndToEndComparison(second.endToEndSpeedup());
            }
        }
        String input = dataset != null ? dataset.description() : "random (seed " + seed + ")";
        BenchmarkSettings settings = new BenchmarkSettings(mode.name().toLowerCase(Locale.ROOT), plan.streams(), intra,
                interOpThreads, executionMode.name(), OrtOptimizedGraph.levelName(optLevel), batch, warmup, plan.rounds(), secs,
                iters, endToEnd, profile, profile ? profileRuns : 0, input, seed);
        return new BenchmarkResult(Provenance.now(), settings, models, speedup, latencySpeedup, e2eCmp, comparisons, notes,
                (System.nanoTime() - t0) / 1e9);
    }

    private static double[] scale(double[] v, int factor) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= factor;
        }
        return r;
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static CoreException error(String message, Throwable cause) {
        return CoreStatus.exception(message, cause);
    }
}
