package org.int8workbench.core.accuracy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Json;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.DatasetRecipe;
import org.int8workbench.core.dataset.DatasetUris;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.metrics.ConfusionMatrix;
import org.int8workbench.core.metrics.Postprocessing;

/**
 * Validation images with the parent's predictions (and the ground truth when the data has masks), computed once;
 * {@link #score} then judges candidate INT8 models (bytes, e.g. {@code Calibration.write(...).bytes()}) against them,
 * reusing the cached input tensors, so that a candidate costs only its own inference.
 *
 * <p>The figures follow the evaluator's rules, so that a score over all images equals {@code evaluate}'s: the labels at
 * model-output resolution are sampled back onto the image grid ({@link Postprocessing#toImage}); the mean IoU is taken
 * from the confusion matrix summed over the scored images, with the dataset's ignore label (VOC's 255) left out; pixel
 * agreement is the share of the compared pixels on which both models give the same label. A binary output counts every
 * mask value above 0 as foreground (no ignore label). A multi-label output is judged by its agreement with the parent,
 * label by label (the mean over the labels); a regression output by the share of pixels within the tolerance
 * ({@link OutputSelection#tolerance}, else 1% of the parent's value range on each image). Neither has a mean IoU.
 *
 * <p>A score is folded from parts: {@link #scorePart} runs the candidate on some images, {@link #combine} folds parts
 * that cover the images (exact sums summed, per-image figures folded in image order), so that parts scored apart (on
 * other JVMs: {@link #recipe}, {@link #open}) give the score of all the images at once, bit for bit.
 *
 * <p>Sessions run with full graph optimisation and as many intra-op threads as there are cores, one image at a time.
 * {@link #scorePart} may be called from several threads at once; a validation {@linkplain #open opened} from a recipe
 * prepares each image on first use (thread-safe). {@link #close} frees the cached tensors.
 */
public final class Validation implements AutoCloseable {

    /** One validation image: its cached input, its size, its ground truth and the parent's prediction. */
    private record Item(String id, OnnxTensor input, int width, int height, byte[] mask, int[] wideMask, LabelMask parentLabels,
            List<LabelMask> parentChannels, short[] parentRaw, double tolerance) {
        int maskAt(int i) {
            return mask != null ? mask[i] & 0xFF : wideMask[i];
        }

        boolean hasMask() {
            return mask != null || wideMask != null;
        }
    }

    private final Path parent;
    private final String description;
    private final Preprocessing pre;
    private final OutputSelection selection;
    private final AccuracyMetric metric;
    private final LabelDecoder decoder;
    private final OutputKind kind;
    private final int classes;
    private final int ignore;
    private final int threads;
    private final List<String> ids;
    private final AtomicReferenceArray<Item> items;
    private final List<String> skipped;
    private final DatasetRecipe data;
    private final Lazy lazy; // null when every item was prepared up front
    private final double parentMetric;
    private final double seconds;

    private Validation(Path parent, String description, Preprocessing pre, OutputSelection selection, AccuracyMetric metric,
            LabelDecoder decoder, int classes, int ignore, int threads, List<String> ids, List<Item> items, List<String> skipped,
            DatasetRecipe data, Lazy lazy, double seconds) {
        this.parent = parent;
        this.description = description;
        this.pre = pre;
        this.selection = selection;
        this.metric = metric;
        this.decoder = decoder;
        this.kind = decoder.kind();
        this.classes = classes;
        this.ignore = ignore;
        this.threads = threads;
        this.ids = List.copyOf(ids);
        this.items = new AtomicReferenceArray<>(ids.size());
        for (int i = 0; i < items.size(); i++) {
            this.items.set(i, items.get(i));
        }
        this.skipped = List.copyOf(skipped);
        this.data = data;
        this.lazy = lazy;
        this.seconds = seconds;
        this.parentMetric = lazy != null ? Double.NaN : metric == AccuracyMetric.MIOU ? parentMiou() : 1.0;
    }

    /**
     * What a validation opened from a recipe needs to prepare an item on first use: the data, the parent's session and
     * how its output is read.
     */
    private static final class Lazy {
        final SegmentationDataset data;
        final Map<String, Sample> samples = new HashMap<>();
        final OrtSession.SessionOptions options;
        final OrtSession session;
        final String input;
        final long[] shape;

        Lazy(SegmentationDataset data, OrtSession.SessionOptions options, OrtSession session, long[] shape) {
            this.data = data;
            for (Sample s : data.samples()) {
                samples.putIfAbsent(s.id(), s);
            }
            this.options = options;
            this.session = session;
            this.input = session.getInputNames().iterator().next();
            this.shape = shape;
        }

        void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // closing: nothing to do
            }
            options.close();
        }
    }

    /**
     * Reads every image of {@code data}, makes its input tensor, runs the parent once on it and keeps the parent's
     * labels (and raw output) and the ground-truth mask. One monitor step per image.
     *
     * @param parent the FP32 model the candidates are compared with
     * @param pre how images become inputs (the candidates' preprocessing)
     * @param selection which output is judged (the first reported output of {@link LabelDecoders#forModel}), or
     *        {@code null} for {@link OutputSelection#AUTO}
     * @param metricOrNull the metric, or {@code null}: {@link AccuracyMetric#MIOU} when the data has masks and the output
     *        gives labels, else {@link AccuracyMetric#AGREEMENT}
     * @throws CoreException when the parent cannot be run, no image can be read, or mIoU is asked for where it does not
     *         apply (no masks, or an output without labels)
     */
    public static Validation prepare(Path parent, SegmentationDataset data, Preprocessing pre, OutputSelection selection,
            AccuracyMetric metricOrNull, IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(pre, "preprocessing");
        List<Sample> samples = data.samples();
        SubMonitor sub = SubMonitor.convert(monitor, "Running " + parent.getFileName() + " on the validation images",
                samples.size() + 1);
        long t0 = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<Item> items = new ArrayList<>();
        boolean done = false;
        try (OrtSession.SessionOptions options = options(threads);
                OrtSession session = Ort.env().createSession(parent.toString(), options)) {
            List<LabelDecoder> decoders = LabelDecoders.forModel(parent, session, pre, selection);
            LabelDecoder decoder = decoders.get(0);
            OutputKind kind = decoder.kind();
            boolean labelKind = hasLabels(kind);
            boolean binary = kind == OutputKind.BINARY;
            AccuracyMetric metric = metricOrNull != null ? metricOrNull
                    : data.hasMasks() && labelKind ? AccuracyMetric.MIOU : AccuracyMetric.AGREEMENT;
            if (metric == AccuracyMetric.MIOU && !data.hasMasks()) {
                throw CoreStatus.exception("the validation data " + data.description() + " has no masks, so there is no mIoU; "
                        + "give a dataset with masks or use --metric agreement", null);
            }
            if (metric == AccuracyMetric.MIOU && !labelKind) {
                throw CoreStatus.exception("the output of " + parent.getFileName() + " is read as " + kind.cliName()
                        + ", which has no mIoU; use --metric agreement", null);
            }
            sub.split(1);
            String input = session.getInputNames().iterator().next();
            long[] shape = pre.inputShape(Ort.inputShape(session));
            int classes = binary ? 2 : Math.max(Math.max(2, data.classes().count()), decoder.output().channels());
            int ignore = binary ? -1 : data.classes().ignoreLabel();
            List<String> skipped = new ArrayList<>();
            float[] tensor = new float[pre.tensorSize()];
            int[] maxLabel = {0};
            for (Sample s : samples) {
                SubMonitor step = sub.split(1);
                step.subTask(s.id());
                Read read;
                try {
                    read = read(data, s);
                } catch (IOException e) {
                    skipped.add(s.id() + ": " + e.getMessage());
                    continue;
                }
                items.add(item(s.id(), read, pre, tensor, session, input, shape, decoder, ignore, selection, maxLabel));
            }
            if (items.isEmpty()) {
                throw CoreStatus.exception("none of the " + samples.size() + " validation images of " + data.description()
                        + " could be read" + (skipped.isEmpty() ? "" : "; the first problem: " + skipped.get(0)), null);
            }
            classes = Math.max(classes, maxLabel[0] + 1);
            if (kind == OutputKind.LABEL_MAP) {
                classes = Math.max(classes, 256);
            }
            Validation v = new Validation(parent, data.description(), pre, selection, metric, decoder, classes, ignore, threads,
                    items.stream().map(Item::id).toList(), items, skipped, data.recipe(), null, (System.nanoTime() - t0) / 1e9);
            done = true;
            return v;
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed to run " + parent.getFileName() + " on the validation images: "
                    + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw CoreStatus.exception("cannot prepare the validation on " + data.description() + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                for (Item i : items) {
                    i.input().close();
                }
            }
        }
    }

    /** An image and its mask (or {@code null}) as read from the data. */
    private record Read(BufferedImage image, LabelMask mask) {
    }

    /** Reads the image of {@code s} and, where the data has masks, its mask (checked to fit the image). */
    private static Read read(SegmentationDataset data, Sample s) throws IOException {
        BufferedImage img = data.readImage(s);
        LabelMask mask = null;
        if (data.hasMasks() && s.mask() != null) {
            mask = data.readMask(s);
            Datasets.checkPair(s, img, mask);
        }
        return new Read(img, mask);
    }

    /**
     * Makes an image's input tensor (kept), runs the parent on it and keeps its prediction and the mask; raises
     * {@code maxLabel[0]} (when given) to the largest label seen in the mask and the prediction.
     */
    private static Item item(String id, Read read, Preprocessing pre, float[] tensor, OrtSession session, String input,
            long[] shape, LabelDecoder decoder, int ignore, OutputSelection selection, int[] maxLabel) throws OrtException {
        boolean binary = decoder.kind() == OutputKind.BINARY;
        BufferedImage img = read.image();
        LabelMask mask = read.mask();
        pre.toTensor(img, tensor, 0);
        FloatBuffer buffer = ByteBuffer.allocateDirect(tensor.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(tensor).flip();
        OnnxTensor in = OnnxTensor.createTensor(Ort.env(), buffer, shape);
        Prediction p;
        try (OrtSession.Result r = session.run(Map.of(input, in))) {
            p = decoder.decode(r);
        } catch (OrtException | RuntimeException e) {
            in.close();
            throw e;
        }
        int max = 0;
        byte[] narrow = null;
        int[] wide = null;
        if (mask != null) {
            int[] m = binary ? foreground(mask.labels()) : mask.labels();
            boolean fits = true;
            for (int v : m) {
                if (v < 0 || v > 255) {
                    fits = false;
                } else if (v != ignore && v > max) {
                    max = v;
                }
            }
            if (fits) {
                narrow = new byte[m.length];
                for (int i = 0; i < m.length; i++) {
                    narrow[i] = (byte) m[i];
                }
            } else {
                wide = m.clone();
            }
        }
        if (p.labels() != null) {
            for (int v : p.labels().labels()) {
                max = Math.max(max, v);
            }
        }
        if (maxLabel != null) {
            maxLabel[0] = Math.max(maxLabel[0], max);
        }
        float[] raw = p.raw() != null ? p.raw() : p.values() != null ? p.values().values() : null;
        return new Item(id, in, img.getWidth(), img.getHeight(), narrow, wide, p.labels(), p.channels(), half(raw),
                tolerance(selection, raw));
    }

    private static boolean hasLabels(OutputKind kind) {
        return kind == OutputKind.CLASS_SCORES || kind == OutputKind.LABEL_MAP || kind == OutputKind.CUT_HEAD
                || kind == OutputKind.BINARY;
    }

    private static OrtSession.SessionOptions options(int threads) throws CoreException {
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            try {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
                o.setIntraOpNumThreads(threads);
                return o;
            } catch (OrtException | RuntimeException e) {
                o.close();
                throw e;
            }
        } catch (OrtException e) {
            throw CoreStatus.exception("cannot set up ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static int[] foreground(int[] m) {
        int[] out = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i] > 0 ? 1 : 0;
        }
        return out;
    }

    /** The raw output kept as half floats (the normalised error needs no more precision); {@code null} for none. */
    private static short[] half(float[] raw) {
        if (raw == null) {
            return null;
        }
        short[] h = new short[raw.length];
        for (int i = 0; i < raw.length; i++) {
            h[i] = Float.floatToFloat16(raw[i]);
        }
        return h;
    }

    /** A regression image's tolerance: the given one, else 1% of the parent's value range on the image. */
    private static double tolerance(OutputSelection selection, float[] raw) {
        if (selection != null && selection.tolerance() > 0) {
            return selection.tolerance();
        }
        if (raw == null || raw.length == 0) {
            return 0;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : raw) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return 0.01 * (hi - lo);
    }

    public AccuracyMetric metric() {
        return metric;
    }

    /** The number of validation images (those that could be read). */
    public int size() {
        return ids.size();
    }

    /** The ids of the validation images, in order (indices of {@link #score}). */
    public List<String> imageIds() {
        return ids;
    }

    /** One line naming the validation data. */
    public String description() {
        return description;
    }

    /** The parent model judged. */
    public Path parent() {
        return parent;
    }

    public Preprocessing preprocessing() {
        return pre;
    }

    /** How the parent's output is read (and so each candidate's). */
    public OutputKind outputKind() {
        return kind;
    }

    /** Items that could not be read, with the reason; they are not validated. */
    public List<String> skipped() {
        return skipped;
    }

    /** Wall time of {@link #prepare} (of {@link #open}: of opening, the items are prepared on first use). */
    public double seconds() {
        return seconds;
    }

    /**
     * The cached input tensor of image {@code i} (a copy), e.g. to run it through a model with intermediate tensors
     * exposed.
     *
     * @throws IllegalStateException when an opened validation cannot prepare the image
     */
    public float[] input(int i) {
        Item it;
        try {
            it = item(i);
        } catch (CoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        FloatBuffer b = it.input().getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /**
     * The parent's metric on all images: its mIoU against the ground truth, or 1.0 for agreement; NaN for a validation
     * {@linkplain #open opened} from a recipe (only the driver needs it).
     */
    public double parentMetric() {
        return parentMetric;
    }

    private double parentMiou() {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        for (int i = 0; i < items.length(); i++) {
            Item it = items.get(i);
            LabelMask p = Postprocessing.toImage(it.parentLabels(), pre, it.width(), it.height());
            addTruth(m, it, p.labels());
        }
        return m.meanIoU();
    }

    private void addTruth(ConfusionMatrix m, Item it, int[] pred) {
        int[] ref = new int[pred.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = it.maskAt(i);
        }
        m.add(new LabelMask(it.width(), it.height(), ref), new LabelMask(it.width(), it.height(), pred), ignore);
    }

    /**
     * Image {@code i}: the one prepared up front, or, for an opened validation, prepared now (read, the parent run on it)
     * when it is first asked for.
     */
    private Item item(int i) throws CoreException {
        Item it = items.get(i);
        if (it != null) {
            return it;
        }
        synchronized (lazy) {
            it = items.get(i);
            if (it != null) {
                return it;
            }
            String id = ids.get(i);
            Sample s = lazy.samples.get(id);
            if (s == null) {
                throw CoreStatus.exception("the validation image " + id + " is not in " + lazy.data.description(), null);
            }
            try {
                it = item(id, read(lazy.data, s), pre, new float[pre.tensorSize()], lazy.session, lazy.input, lazy.shape,
                        decoder, ignore, selection, null);
            } catch (IOException e) {
                throw CoreStatus.exception("cannot read the validation image " + id + " of " + description + ": "
                        + e.getMessage(), e);
            } catch (OrtException e) {
                throw CoreStatus.exception("ONNX Runtime failed to run " + parent.getFileName() + " on the validation image "
                        + id + ": " + e.getMessage(), e);
            }
            items.set(i, it);
            return it;
        }
    }

    private int[] chosen(int[] images) {
        int[] chosen = images != null ? images.clone() : IntStream.range(0, ids.size()).toArray();
        for (int i : chosen) {
            if (i < 0 || i >= ids.size()) {
                throw new IllegalArgumentException("image index " + i + " is outside 0.." + (ids.size() - 1));
            }
        }
        return chosen;
    }

    /**
     * Scores a candidate: opens one session on {@code model}, runs the chosen images (their cached inputs), decodes the
     * outputs with the parent's decoder and compares them with the parent's and the ground truth. One monitor step per
     * image; the session is closed before returning, also on cancel. The same as
     * {@code combine(images, List.of(scorePart(model, images, monitor)))}.
     *
     * @param model an ONNX model with the parent's input and outputs (e.g. an INT8 model written from it)
     * @param images indices into {@link #imageIds}, or {@code null} for all
     */
    public Score score(byte[] model, int[] images, IProgressMonitor monitor) throws CoreException {
        int[] chosen = chosen(images);
        return combine(chosen, List.of(scorePart(model, chosen, monitor)));
    }

    /**
     * Runs a candidate on some images and keeps what {@link #combine} needs: opens one session on {@code model}, runs
     * the images (their cached inputs; an opened validation prepares them first), decodes the outputs with the parent's
     * decoder and compares them with the parent's and the ground truth. One monitor step per image; the session is
     * closed before returning, also on cancel. May be called from several threads at once.
     *
     * @param images indices into {@link #imageIds}, or {@code null} for all
     */
    public ScorePart scorePart(byte[] model, int[] images, IProgressMonitor monitor) throws CoreException {
        int[] chosen = chosen(images);
        SubMonitor sub = SubMonitor.convert(monitor, chosen.length + 1);
        try (OrtSession.SessionOptions options = options(threads);
                OrtSession session = Ort.env().createSession(model, options)) {
            sub.split(1);
            String input = session.getInputNames().iterator().next();
            Accumulator acc = new Accumulator(chosen.length);
            for (int k = 0; k < chosen.length; k++) {
                sub.split(1);
                Item it = item(chosen[k]);
                Prediction p;
                try (OrtSession.Result r = session.run(Map.of(input, it.input()))) {
                    p = decoder.decode(r);
                }
                acc.add(k, it, p);
            }
            return acc.part(chosen);
        } catch (OperationCanceledException | CoreException e) {
            throw e;
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed to run a candidate of " + parent.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw CoreStatus.exception("cannot score a candidate of " + parent.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The score of a candidate on {@code images} from parts that cover them exactly, in any order: the pixel counts and
     * confusion matrices summed, the per-image figures folded in the order of {@code images}, so that the result is
     * {@link #score}'s on the same images, bit for bit.
     *
     * @param images indices into {@link #imageIds}, or {@code null} for all
     * @throws IllegalArgumentException when the parts do not cover {@code images} exactly
     */
    public Score combine(int[] images, List<ScorePart> parts) {
        int[] chosen = chosen(images);
        Map<Integer, ArrayDeque<int[]>> where = new HashMap<>();
        ConfusionMatrix truth = new ConfusionMatrix(classes);
        long same = 0;
        long compared = 0;
        boolean raw = true;
        for (int pi = 0; pi < parts.size(); pi++) {
            ScorePart part = parts.get(pi);
            for (int k = 0; k < part.size(); k++) {
                where.computeIfAbsent(part.image(k), x -> new ArrayDeque<>()).add(new int[] {pi, k});
            }
            same += part.same();
            compared += part.compared();
            raw &= part.raw();
            if (metric == AccuracyMetric.MIOU) {
                if (part.truthShared() == null) {
                    throw new IllegalArgumentException("a part has no confusion matrix against the ground truth");
                }
                truth.add(part.truthShared());
            }
        }
        double[] imageAgreement = new double[chosen.length];
        double agreementSum = 0;
        double errorSum = 0;
        double signalSum = 0;
        for (int k = 0; k < chosen.length; k++) {
            ArrayDeque<int[]> q = where.get(chosen[k]);
            int[] at = q == null ? null : q.poll();
            if (at == null) {
                throw new IllegalArgumentException("no part scores image " + chosen[k]);
            }
            ScorePart part = parts.get(at[0]);
            imageAgreement[k] = part.agreementAt(at[1]);
            agreementSum += imageAgreement[k];
            errorSum += part.errorAt(at[1]);
            signalSum += part.signalAt(at[1]);
        }
        for (ArrayDeque<int[]> q : where.values()) {
            if (!q.isEmpty()) {
                throw new IllegalArgumentException("the parts score images that were not asked for");
            }
        }
        double agreement = kind == OutputKind.MULTILABEL || kind == OutputKind.REGRESSION
                ? (chosen.length == 0 ? Double.NaN : agreementSum / chosen.length)
                : compared == 0 ? Double.NaN : (double) same / compared;
        double value = metric == AccuracyMetric.MIOU ? truth.meanIoU() : agreement;
        double error = raw && signalSum > 0 ? errorSum / signalSum : Double.NaN;
        return new Score(metric, value, agreement, error, chosen, imageAgreement);
    }

    /**
     * This validation as plain values, so that another JVM opens the same one ({@link #open}).
     *
     * @throws CoreException when the data cannot be reopened elsewhere (generated images, data held in memory)
     */
    public ValidationRecipe recipe() throws CoreException {
        if (data == null) {
            throw CoreStatus.exception("the validation data " + description + " cannot be opened again in another JVM "
                    + "(only dataset folders can); give a dataset folder", null);
        }
        return new ValidationRecipe(parent.toAbsolutePath().normalize().toString(), data, pre.toJson(),
                selection == null ? null : Json.gson().toJson(selection), metric, kind, classes, ignore, ids, description,
                skipped);
    }

    /**
     * The validation {@code r} was taken from, in this JVM: the same images (ids, order), metric, output reading, classes
     * and ignore label; {@link #parentMetric} is NaN. Opens the data's listing and a session on the parent; each image is
     * prepared (read, the parent run on it) when it is first scored, once, thread-safe. Close it.
     *
     * @throws CoreException when the data or the parent cannot be opened, or the parent's output is not read as the
     *         recipe says
     */
    public static Validation open(ValidationRecipe r) throws CoreException {
        return open(r, 0);
    }

    /**
     * {@link #open(ValidationRecipe)} with {@code threads} intra-op threads in every session (the parent's and each
     * candidate's), e.g. an executor's cores shared by the tasks running at once; 0: as many as there are cores.
     */
    public static Validation open(ValidationRecipe r, int threads) throws CoreException {
        return open(r, threads, DatasetUris.NONE);
    }

    /**
     * {@link #open(ValidationRecipe, int)} on validation data that may be named by a URI ({@link DatasetRecipe#remote()}),
     * opened through {@code uris} (e.g. Hadoop's file systems on a Spark executor).
     */
    public static Validation open(ValidationRecipe r, int threads, DatasetUris uris) throws CoreException {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative, got " + threads);
        }
        long t0 = System.nanoTime();
        Path parent = Path.of(r.parent());
        SegmentationDataset data;
        try {
            data = r.data().open(uris);
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("cannot open the validation data " + r.description() + ": " + e.getMessage(), e);
        }
        Preprocessing pre = Preprocessing.fromJson(r.preprocessing());
        OutputSelection selection = r.selection() == null ? null : Json.gson().fromJson(r.selection(), OutputSelection.class);
        int n = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        OrtSession.SessionOptions options = options(n);
        OrtSession session = null;
        try {
            session = Ort.env().createSession(parent.toString(), options);
            LabelDecoder decoder = LabelDecoders.forModel(parent, session, pre, selection).get(0);
            if (decoder.kind() != r.kind()) {
                throw CoreStatus.exception("the output of " + parent.getFileName() + " is read as " + decoder.kind().cliName()
                        + " here, as " + r.kind().cliName() + " where the validation was prepared", null);
            }
            long[] shape = pre.inputShape(Ort.inputShape(session));
            Lazy lazy = new Lazy(data, options, session, shape);
            return new Validation(parent, r.description(), pre, selection, r.metric(), decoder, r.classes(), r.ignore(), n,
                    r.imageIds(), List.of(), r.skipped(), r.data(), lazy, (System.nanoTime() - t0) / 1e9);
        } catch (OrtException | IOException | RuntimeException | CoreException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException c) {
                    e.addSuppressed(c);
                }
            }
            options.close();
            if (e instanceof CoreException c) {
                throw c;
            }
            throw CoreStatus.exception("cannot open the validation on " + parent.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The figures of one candidate, image by image. */
    private final class Accumulator {
        final ConfusionMatrix truth = metric == AccuracyMetric.MIOU ? new ConfusionMatrix(classes) : null;
        final double[] imageAgreement;
        final double[] imageError;
        final double[] imageSignal;
        long same;
        long compared;
        boolean raw = true;

        Accumulator(int n) {
            imageAgreement = new double[n];
            imageError = new double[n];
            imageSignal = new double[n];
        }

        void add(int k, Item it, Prediction p) {
            float[] values = p.raw() != null ? p.raw() : p.values() != null ? p.values().values() : null;
            if (values != null && it.parentRaw() != null && values.length == it.parentRaw().length) {
                short[] ref = it.parentRaw();
                double e = 0;
                double s = 0;
                for (int i = 0; i < values.length; i++) {
                    double b = Float.float16ToFloat(ref[i]);
                    double d = values[i] - b;
                    e += d * d;
                    s += b * b;
                }
                imageError[k] = e;
                imageSignal[k] = s;
            } else {
                raw = false;
            }
            switch (kind) {
                case MULTILABEL -> imageAgreement[k] = multilabel(it, p);
                case REGRESSION -> imageAgreement[k] = regression(it, values);
                default -> imageAgreement[k] = labels(it, p);
            }
        }

        private double labels(Item it, Prediction p) {
            if (p.labels() == null) {
                throw new IllegalArgumentException("the candidate gave no labels");
            }
            int[] pred = Postprocessing.toImage(p.labels(), pre, it.width(), it.height()).labels();
            int[] ref = Postprocessing.toImage(it.parentLabels(), pre, it.width(), it.height()).labels();
            long s = 0;
            long c = 0;
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] < 0 || ref[i] < 0) {
                    continue;
                }
                c++;
                if (pred[i] == ref[i]) {
                    s++;
                }
            }
            same += s;
            compared += c;
            if (metric == AccuracyMetric.MIOU && it.hasMask()) {
                addTruth(truth, it, pred);
            }
            return c == 0 ? 1.0 : (double) s / c;
        }

        private double multilabel(Item it, Prediction p) {
            List<LabelMask> ref = it.parentChannels();
            List<LabelMask> got = p.channels();
            if (ref.size() != got.size() || ref.isEmpty()) {
                throw new IllegalArgumentException("the candidate gave " + got.size() + " labels, the parent " + ref.size());
            }
            double sum = 0;
            for (int l = 0; l < ref.size(); l++) {
                int[] a = Postprocessing.toImage(got.get(l), pre, it.width(), it.height()).labels();
                int[] b = Postprocessing.toImage(ref.get(l), pre, it.width(), it.height()).labels();
                long s = 0;
                long c = 0;
                for (int i = 0; i < a.length; i++) {
                    if (a[i] < 0 || b[i] < 0) {
                        continue;
                    }
                    c++;
                    if (a[i] == b[i]) {
                        s++;
                    }
                }
                sum += c == 0 ? 1.0 : (double) s / c;
            }
            return sum / ref.size();
        }

        private double regression(Item it, float[] values) {
            short[] ref = it.parentRaw();
            if (values == null || ref == null || values.length != ref.length) {
                throw new IllegalArgumentException("the candidate's values do not match the parent's");
            }
            long within = 0;
            for (int i = 0; i < values.length; i++) {
                if (Math.abs(values[i] - Float.float16ToFloat(ref[i])) <= it.tolerance()) {
                    within++;
                }
            }
            return values.length == 0 ? 1.0 : (double) within / values.length;
        }

        ScorePart part(int[] chosen) {
            return new ScorePart(chosen, imageAgreement, imageError, imageSignal, raw, same, compared, truth);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < items.length(); i++) {
            Item it = items.get(i);
            if (it != null) {
                it.input().close();
            }
        }
        if (lazy != null) {
            synchronized (lazy) {
                lazy.close();
            }
        }
    }
}
