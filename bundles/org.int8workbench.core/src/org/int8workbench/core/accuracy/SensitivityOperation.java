package org.int8workbench.core.accuracy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.onnx.ShapeInference;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.ModelRunner;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.QuantizeOperation;

/**
 * The sensitivity analysis of a model's INT8 quantization: calibrates once, then for every group that can be reverted
 * to FP32 (a quantized compute node with its folded activation) measures
 * <ul>
 * <li>the signal-to-quantization-noise ratio of its output tensor in the full INT8 model against FP32, on a few
 * calibration images (both models run once per image with every group's output exposed), and</li>
 * <li>what reverting only that group gains on the ranking images: the validation images on which the full INT8 model
 * agrees least with FP32 ({@link #rankingImages}, default 8), one INT8 model written per group from the same
 * calibration and scored on those images ({@link Validation#score}).</li>
 * </ul>
 * and whether ONNX Runtime runs the node as an integer kernel at all. The result ranks the groups, most harmful first.
 *
 * <pre>
 * SensitivityResult r = new SensitivityOperation(fp32).calibration(photos).validation(Datasets.open(voc, "val"))
 *         .preprocessing(pre).run(monitor);
 * </pre>
 *
 * {@link #analyze} is the same analysis on a calibration and a validation at hand (the Accuracy-aware method's ranking).
 */
public final class SensitivityOperation {

    /** Default number of ranking images. */
    public static final int DEFAULT_RANKING_IMAGES = 8;
    /** Calibration images the SQNR is measured on (at most). */
    public static final int SQNR_IMAGES = 8;

    private final Path model;
    private Path calibrationPath;
    private SegmentationDataset calibrationData;
    private SegmentationDataset validation;
    private Preprocessing preprocessing;
    private QuantizationSettings settings = QuantizationSettings.defaults();
    private OutputSelection outputSelection = OutputSelection.AUTO;
    private AccuracyMetric metric;
    private int rankingImages = DEFAULT_RANKING_IMAGES;
    private Scorers scorers = Scorers.LOCAL;

    public SensitivityOperation(Path fp32Model) {
        this.model = Objects.requireNonNull(fp32Model, "model");
    }

    /** The calibration images: a folder of images or a dataset folder. */
    public SensitivityOperation calibration(Path folderOrDataset) {
        this.calibrationPath = folderOrDataset;
        this.calibrationData = null;
        return this;
    }

    public SensitivityOperation calibration(SegmentationDataset images) {
        this.calibrationData = images;
        this.calibrationPath = null;
        return this;
    }

    /**
     * The validation images (default: the calibration images not used for calibration, else the calibration images
     * themselves, judged by agreement with FP32).
     */
    public SensitivityOperation validation(SegmentationDataset data) {
        this.validation = data;
        return this;
    }

    /** How images become inputs (default: from the model's metadata or its input shape). */
    public SensitivityOperation preprocessing(Preprocessing p) {
        this.preprocessing = p;
        return this;
    }

    /** The quantization settings analysed (default {@link QuantizationSettings#defaults}). */
    public SensitivityOperation settings(QuantizationSettings s) {
        this.settings = Objects.requireNonNull(s, "settings");
        return this;
    }

    /** Which output is judged, and as what (default {@link OutputSelection#AUTO}). */
    public SensitivityOperation outputSelection(OutputSelection s) {
        this.outputSelection = s == null ? OutputSelection.AUTO : s;
        return this;
    }

    /** The metric, or {@code null} for auto (mIoU with masks, else agreement). */
    public SensitivityOperation metric(AccuracyMetric m) {
        this.metric = m;
        return this;
    }

    /** How many ranking images (default 8). */
    public SensitivityOperation rankingImages(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the ranking needs at least 1 image, got " + k);
        }
        this.rankingImages = k;
        return this;
    }

    /** Where the INT8 candidates are scored (default {@link Scorers#LOCAL}: in this JVM). */
    public SensitivityOperation scorers(Scorers s) {
        this.scorers = Objects.requireNonNull(s, "scorers");
        return this;
    }

    /**
     * Calibrates, prepares the validation and analyses every group.
     *
     * @throws CoreException naming the problem
     * @throws OperationCanceledException when cancelled (every session is closed)
     */
    public SensitivityResult run(IProgressMonitor monitor) throws CoreException {
        long t0 = System.nanoTime();
        SubMonitor sub = SubMonitor.convert(monitor, "Sensitivity analysis of " + model.getFileName(), 100);
        SegmentationDataset calib;
        try {
            calib = calibrationData != null ? calibrationData : Datasets.open(Objects.requireNonNull(calibrationPath,
                    "no calibration images given"), null);
        } catch (IOException e) {
            throw CoreStatus.exception("cannot read the calibration images " + calibrationPath + ": " + e.getMessage(), e);
        }
        Calibration c = quantizeOperation(calib).calibrate(sub.split(30));
        List<String> warnings = new ArrayList<>();
        SegmentationDataset data = validation;
        if (data == null) {
            data = AccuracyAwareOperation.defaultValidation(calib, c);
            if (data == calib) {
                warnings.add("no validation data given and every calibration image was used for calibration: validated on the "
                        + "calibration images themselves");
            }
        }
        List<float[]> sqnrInputs = sqnrInputs(calib, c, warnings);
        try (Validation v = Validation.prepare(model, data, c.preprocessing(), outputSelection, metric, sub.split(15));
                CandidateScorer scorer = scorers.open(c, v)) {
            SensitivityResult r = analyze(c, v, rankingImages, sqnrInputs,
                    sqnrInputs.size() + " calibration images", scorer, sub.split(55));
            warnings.addAll(r.warnings());
            return with(r, warnings, (System.nanoTime() - t0) / 1e9);
        }
    }

    private QuantizeOperation quantizeOperation(SegmentationDataset calib) {
        QuantizeOperation q = new QuantizeOperation(model).calibration(calib).preset(settings.preset()).method(settings.method())
                .percentile(settings.percentile()).seed(settings.seed()).ignore(settings.ignoredScope())
                .keepFirstLast(settings.keepFirstLast()).fastBiasCorrection(settings.fastBiasCorrection());
        if (settings.subsetSize() > 0) {
            q.subset(settings.subsetSize());
        } else {
            q.subsetPercent(settings.subsetPercent());
        }
        if (preprocessing != null) {
            q.preprocessing(preprocessing);
        }
        return q;
    }

    /** Up to {@link #SQNR_IMAGES} of the images calibrated on, spread over them. */
    private static List<float[]> sqnrInputs(SegmentationDataset calib, Calibration c, List<String> warnings) {
        Set<String> used = new HashSet<>(c.imageIds());
        List<Sample> samples = calib.samples().stream().filter(s -> used.contains(s.id())).toList();
        List<float[]> out = new ArrayList<>();
        int n = Math.min(SQNR_IMAGES, samples.size());
        for (int i = 0; i < n; i++) {
            Sample s = samples.get((int) ((long) i * samples.size() / n));
            try {
                BufferedImage img = calib.readImage(s);
                out.add(c.preprocessing().toTensor(img));
            } catch (IOException | RuntimeException e) {
                warnings.add("SQNR: skipped calibration image " + s.id() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static SensitivityResult with(SensitivityResult r, List<String> warnings, double seconds) {
        return new SensitivityResult(r.model(), r.modelSha256(), r.settings(), r.calibration(), r.calibrationImages(),
                r.validation(), r.metric(), r.parentMetric(), r.int8Metric(), r.rankingImages(), r.nodes(), seconds,
                r.provenance(), warnings, r.rankedBy(), r.validationImages(), r.int8Agreement(), r.int8OutputError(),
                r.rankingInt8Metric(), r.rankingInt8Agreement(), r.rankingInt8OutputError(), r.sqnrImages());
    }

    /**
     * Ranks the groups of {@code c} on {@code v}: the full INT8 model is scored on every validation image, the
     * {@code rankingImages} images where it agrees least with FP32 become the ranking images, and each group is
     * reverted alone and scored on them. SQNR is measured on the ranking images' inputs.
     */
    public static SensitivityResult analyze(Calibration c, Validation v, int rankingImages, IProgressMonitor m)
            throws CoreException {
        return analyze(c, v, rankingImages, null, null, m);
    }

    /**
     * {@link #analyze(Calibration, Validation, int, IProgressMonitor)} with the SQNR measured on {@code sqnrInputs}
     * (input tensors of the calibration's preprocessing; {@code null}: the ranking images'), described by
     * {@code sqnrDescription}.
     */
    public static SensitivityResult analyze(Calibration c, Validation v, int rankingImages, List<float[]> sqnrInputs,
            String sqnrDescription, IProgressMonitor m) throws CoreException {
        try (CandidateScorer scorer = CandidateScorer.local(c, v)) {
            return analyze(c, v, rankingImages, sqnrInputs, sqnrDescription, scorer, m);
        }
    }

    /**
     * {@link #analyze(Calibration, Validation, int, List, String, IProgressMonitor)} with every INT8 model scored by
     * {@code scorer} (of {@code c} and {@code v}): the full INT8 model on all images and on the ranking images, then every
     * group reverted alone in one call (kernels asked for).
     */
    public static SensitivityResult analyze(Calibration c, Validation v, int rankingImages, List<float[]> sqnrInputs,
            String sqnrDescription, CandidateScorer scorer, IProgressMonitor m) throws CoreException {
        long t0 = System.nanoTime();
        List<Calibration.Group> groups = c.groups();
        SubMonitor sub = SubMonitor.convert(m, "Ranking the quantized nodes", 10 + 2 * groups.size() + 2);
        List<String> warnings = new ArrayList<>(v.skipped().stream().map(s -> "validation: skipped " + s).toList());
        Calibration.Written full = write(c, List.of());
        byte[] fullBytes = full.bytes();
        List<Candidate> int8 = List.of(new Candidate("the INT8 model", List.of()));
        sub.subTask("Scoring the INT8 model on " + v.size() + " validation images");
        Score all = scorer.score(int8, null, false, sub.split(6)).get(0).score();
        int[] ranking = lowest(all.imageAgreement(), Math.min(rankingImages, v.size()));
        Score base = scorer.score(int8, ranking, false, sub.split(1)).get(0).score();
        // rank by the metric itself: on the real DeepLabV3 the 5 groups with the highest mIoU gain on the 8 ranking
        // images gained 0.46 mIoU points each on all 102 val images when reverted alone (the best 5 possible: 0.69),
        // the top 5 by agreement gain 0.22, by output error 0.06, by lowest SQNR 0.03 (perf/RankingQuality)
        AccuracyMetric rankedBy = v.metric();

        sub.subTask("Finding the integer kernels");
        Set<String> floatNodes = new HashSet<>();
        try {
            OrtOptimizedGraph fullGraph = OrtOptimizedGraph.analyze(fullBytes, "INT8", OptLevel.ALL_OPT);
            for (OrtOptimizedGraph.FloatNode f : fullGraph.floatComputeNodes()) {
                floatNodes.add(f.name());
            }
        } catch (OrtException | IOException e) {
            warnings.add("could not read ONNX Runtime's optimized graph, integer kernels unknown: " + e.getMessage());
        }
        sub.worked(1);
        ShapeInference shapes = null;
        try {
            shapes = ShapeInference.of(c.workingModel());
        } catch (RuntimeException e) {
            warnings.add("shape inference failed, shapes unknown: " + e.getMessage());
        }

        List<float[]> inputs = sqnrInputs;
        String sqnrImages = sqnrDescription;
        if (inputs == null) {
            inputs = new ArrayList<>();
            for (int i : ranking) {
                inputs.add(v.input(i));
            }
            sqnrImages = inputs.size() + " ranking images (validation)";
        }
        Map<String, double[]> noise = sqnr(c, full, groups, inputs, sub.split(2));

        List<String> ids = v.imageIds();
        List<String> rankingIds = new ArrayList<>();
        for (int i : ranking) {
            rankingIds.add(ids.get(i));
        }
        // every group reverted alone, in one call (the local scorer writes the next model while one is scored)
        List<Candidate> candidates = new ArrayList<>();
        for (Calibration.Group g : groups) {
            candidates.add(new Candidate(g.node(), g.nodes()));
        }
        List<CandidateScore> scores = scorer.score(candidates, ranking, true, sub.split(2 * groups.size()));
        List<NodeSensitivity> nodes = new ArrayList<>();
        List<String> requantized = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Calibration.Group g = groups.get(gi);
            CandidateScore cs = scores.get(gi);
            Score s = cs.score();
            double[] q = noise.get(g.outputTensor());
            double sqnr = q == null || q[1] <= 0 ? (q != null && q[0] > 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : 10 * Math.log10(q[0] / q[1]);
            List<Long> shape = List.of();
            long[] sh = shapes == null ? null : shapes.shape(g.outputTensor());
            if (sh != null) {
                shape = java.util.Arrays.stream(sh).boxed().toList();
            }
            nodes.add(new NodeSensitivity(g.node(), g.opType(), g.nodes(), g.outputTensor(), shape,
                    CandidateKernels.integerKernel(g.node(), floatNodes), sqnr, s.value(), (s.value() - base.value()) * 100,
                    s.outputError(), s.agreement(), (s.agreement() - base.agreement()) * 100, cs.runsFloat()));
            if (Boolean.FALSE.equals(cs.runsFloat())) {
                requantized.add(g.node());
            }
        }
        nodes.sort(SensitivityResult.order(rankedBy));
        if (!requantized.isEmpty()) {
            warnings.add(requantized.size() + " of " + groups.size() + " nodes kept in FP32 still run as integer kernels: ONNX "
                    + "Runtime fuses the DequantizeLinear/QuantizeLinear around a kept node into an integer kernel (a Conv/Gemm "
                    + "after its WeightBiasQuantization pass gave the float weights per-tensor int8 ones); their gains measure "
                    + "that, not FP32 ("
                    + String.join(", ", requantized.subList(0, Math.min(8, requantized.size())))
                    + (requantized.size() > 8 ? ", ..." : "") + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>(c.settings().toMap());
        return new SensitivityResult(c.model().toAbsolutePath().toString(), c.sourceSha256(), settings, c.calibration(),
                c.images(), v.description(), v.metric(), v.parentMetric(), all.value(), rankingIds, nodes,
                (System.nanoTime() - t0) / 1e9, Provenance.now(), warnings, rankedBy, v.size(), all.agreement(),
                all.outputError(), base.value(), base.agreement(), base.outputError(), sqnrImages);
    }

    private static Calibration.Written write(Calibration c, List<String> keep) throws CoreException {
        try {
            return c.write(keep);
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("cannot write the INT8 model: " + e.getMessage(), e);
        }
    }

    /** The indices of the {@code k} lowest values (the lowest first; ties by index). */
    static int[] lowest(double[] values, int k) {
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> values[i]).thenComparingInt(i -> i));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * Signal and noise power of every group's output tensor: the FP32 working model and the full INT8 model (simulated,
     * every dequantized output exposed) run once per input; returns tensor → {sum x^2, sum (x - x_int8)^2}.
     */
    private static Map<String, double[]> sqnr(Calibration c, Calibration.Written full, List<Calibration.Group> groups,
            List<float[]> inputs, IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Measuring SQNR", Math.max(1, inputs.size()) + 1);
        Map<String, String> dq = new LinkedHashMap<>(); // FP32 tensor → its dequantized value in the INT8 model
        for (Calibration.Group g : groups) {
            String d = full.dequantized().get(g.outputTensor());
            if (d != null) {
                dq.put(g.outputTensor(), d);
            }
        }
        Map<String, double[]> out = new HashMap<>();
        if (dq.isEmpty() || inputs.isEmpty()) {
            return out;
        }
        Map<String, String> back = new HashMap<>();
        for (Map.Entry<String, String> e : dq.entrySet()) {
            back.put(e.getValue(), e.getKey());
        }
        ModelProto int8;
        try {
            int8 = ModelProto.parseFrom(full.bytes());
        } catch (IOException e) {
            throw CoreStatus.exception("cannot read the INT8 model: " + e.getMessage(), e);
        }
        long[] shape = c.preprocessing().inputShape(ExporterGraphs.imageInputShape(c.workingModel()));
        try (ModelRunner fp32 = new ModelRunner(c.workingModel().withInternalData(), new ArrayList<>(dq.keySet()),
                OptLevel.BASIC_OPT); ModelRunner q = new ModelRunner(int8, new ArrayList<>(dq.values()), OptLevel.BASIC_OPT)) {
            sub.split(1);
            for (float[] in : inputs) {
                sub.split(1);
                Map<String, float[]> ref = new HashMap<>();
                fp32.run(in, shape, (t, values, s) -> ref.put(t, copy(values)));
                q.run(in, shape, (t, values, s) -> {
                    String t32 = back.get(t);
                    float[] a = t32 == null ? null : ref.get(t32);
                    if (a == null || a.length != values.remaining()) {
                        return;
                    }
                    double[] acc = out.computeIfAbsent(t32, k -> new double[2]);
                    int base = values.position();
                    for (int i = 0; i < a.length; i++) {
                        double x = a[i];
                        double d = x - values.get(base + i);
                        acc[0] += x * x;
                        acc[1] += d * d;
                    }
                });
            }
        } catch (OrtException | IOException e) {
            throw CoreStatus.exception("cannot measure the quantization noise: " + e.getMessage(), e);
        }
        return out;
    }

    private static float[] copy(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(b.position(), a);
        return a;
    }

}
