package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.int8workbench.core.dataset.LabelMask;

/**
 * The decoder of a model whose segmentation head was cut off (by {@code org.int8workbench.core.head.HeadCut}, which
 * records the head in the model's metadata): the model outputs low-resolution values and {@link ExactLabelHead}
 * computes the labels the full model's output gives.
 * <ul>
 * <li>A head of class scores ({@link OutputKind#CUT_HEAD}): the label map of the removed Resize + ArgMax.</li>
 * <li>A head of sigmoid maps: the same {@link Prediction} as {@link BinaryDecoder} ({@link OutputKind#BINARY}, one
 * channel: the 0/1 map) or {@link MultiLabelDecoder} ({@link OutputKind#MULTILABEL}: one 0/1 map per label in
 * {@link Prediction#channels}, and the display map, 0 or {@code 1 + i} for the label with the highest probability
 * among those above the threshold, the first on a tie) give on the full model at the same threshold, so that the
 * evaluator, the benchmark and Visualize read the cut model like its parent. The raw values are left out (the
 * low-resolution logits are not comparable with the parent's probabilities).</li>
 * </ul>
 * Safe for concurrent use.
 */
public final class HeadLabelDecoder implements LabelDecoder {

    private final SegmentationHead head;
    private final double threshold;
    /** the lowest foreground value of a sigmoid head at {@link #threshold} */
    private final float lowest;
    private volatile ExactLabelHead cached;
    /**
     * Sessions of the recorded tails (the removed sigmoid and Q/DQ of heads of logits), by their base64 form: one per
     * distinct tail for the life of the process, for the display map where several labels are above the threshold.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, OrtSession> TAILS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The decoder at the threshold the head records (0.5) for sigmoid maps. */
    public HeadLabelDecoder(SegmentationHead head) {
        this(head, head.sigmoid() != null ? head.sigmoid().threshold() : OutputSelection.DEFAULT_THRESHOLD);
    }

    /**
     * The decoder with a threshold for sigmoid maps (ignored for class scores).
     *
     * @throws IllegalArgumentException when the threshold is not in (0, 1), or the recorded tail cannot be run
     */
    public HeadLabelDecoder(SegmentationHead head, double threshold) {
        this.head = Objects.requireNonNull(head, "head");
        this.threshold = threshold;
        if (head.sigmoid() != null) {
            try {
                this.lowest = ExactLabelHead.lowest(head, threshold);
            } catch (OrtException e) {
                throw new IllegalArgumentException("cannot run the sigmoid recorded by the model's head: " + e.getMessage(), e);
            }
        } else {
            this.lowest = Float.NaN;
        }
    }

    /** A decoder for a session whose model metadata records a head, if it does. */
    public static Optional<HeadLabelDecoder> forSession(OrtSession session) throws OrtException {
        return SegmentationHead.fromMetadata(session.getMetadata().getCustomMetadata()).map(HeadLabelDecoder::new);
    }

    public SegmentationHead head() {
        return head;
    }

    /** The threshold of a head of sigmoid maps. */
    public double threshold() {
        return threshold;
    }

    /** The lowest resized value that is foreground (sigmoid maps; NaN for class scores or when none is). */
    public float lowest() {
        return lowest;
    }

    /** {@link OutputKind#CUT_HEAD} for class scores; {@link OutputKind#BINARY} or {@link OutputKind#MULTILABEL} for sigmoid maps. */
    @Override
    public OutputKind kind() {
        return head.outputKind();
    }

    /**
     * The output of the full model that the head gives back (the removed graph output, so that the cut model's
     * prediction is named like its parent's), its classes (labels for sigmoid maps, with the threshold), and the
     * recorded head as the reason.
     */
    @Override
    public ModelOutput output() {
        String name = head.originalOutput() != null ? head.originalOutput() : head.logitsOutput();
        String reason = "the model records its cut-off head (" + head.describe() + ")";
        SegmentationHead.Sigmoid s = head.sigmoid();
        if (s == null) {
            return new ModelOutput(name, OutputKind.CUT_HEAD, head.numClasses(), List.of(), false, null, reason);
        }
        List<String> names = s.binary() || head.numClasses() < 1 ? List.of() : MultiLabelDecoder.defaultNames(head.numClasses());
        return new ModelOutput(name, s.outputKind(), s.binary() ? 1 : head.numClasses(), names, true, threshold, reason);
    }

    @Override
    public String description() {
        SegmentationHead.Sigmoid s = head.sigmoid();
        if (s == null) {
            return "exact label head (" + head.describe() + ", Java)";
        }
        return "exact label head (" + head.describe() + "): " + (s.binary() ? "" : "each channel ") + "foreground where the "
                + (SegmentationHead.Sigmoid.PROBABILITIES.equals(s.source()) ? "resized probability" : "resized logit")
                + " >= " + lowest + " = probability > " + threshold + " (Java)";
    }

    @Override
    public int[] decodeBatch(OrtSession.Result outputs) throws OrtException {
        OnnxTensor t = logits(outputs);
        ExactLabelHead h = headFor(t.getInfo().getShape());
        FloatBuffer fb = t.getFloatBuffer();
        float[] logits = new float[fb.remaining()];
        fb.get(logits);
        if (head.sigmoid() == null) {
            return h.labels(logits);
        }
        int pixels = h.labelsPerImage();
        int[] labels = new int[h.batch() * pixels];
        int[] masks = new int[h.classes() * pixels];
        for (int n = 0; n < h.batch(); n++) {
            h.threshold(logits, n * h.logitsPerImage(), lowest, masks, 0);
            if (h.classes() == 1) {
                System.arraycopy(masks, 0, labels, n * pixels, pixels);
            } else {
                display(h, logits, n * h.logitsPerImage(), masks, labels, n * pixels);
            }
        }
        return labels;
    }

    /**
     * The label map at the head's output resolution; for sigmoid maps also the 0/1 map of each label (multi-label). The
     * raw tensor is left out: the cut model's low-resolution values are not comparable with a full model's output.
     */
    @Override
    public Prediction decode(OrtSession.Result outputs) throws OrtException {
        OnnxTensor t = logits(outputs);
        ExactLabelHead h = headFor(t.getInfo().getShape());
        if (head.sigmoid() == null || head.sigmoid().binary()) {
            return new Prediction(new LabelMask(h.outputWidth(), h.outputHeight(), decodeBatch(outputs)), null);
        }
        if (h.batch() != 1) {
            throw new IllegalArgumentException("the model's output '" + head.logitsOutput() + "' has shape "
                    + Arrays.toString(t.getInfo().getShape()) + "; one image was expected");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] logits = new float[fb.remaining()];
        fb.get(logits);
        int pixels = h.labelsPerImage();
        int[] masks = new int[h.classes() * pixels];
        h.threshold(logits, 0, lowest, masks, 0);
        int[] labels = new int[pixels];
        display(h, logits, 0, masks, labels, 0);
        List<LabelMask> channels = new ArrayList<>(h.classes());
        for (int c = 0; c < h.classes(); c++) {
            channels.add(new LabelMask(h.outputWidth(), h.outputHeight(), Arrays.copyOfRange(masks, c * pixels, (c + 1) * pixels)));
        }
        return new Prediction(new LabelMask(h.outputWidth(), h.outputHeight(), labels), null, channels, null);
    }

    /**
     * The display map of one image from its 0/1 maps, as {@link MultiLabelDecoder} gives it: 0 where no label is
     * foreground, the one label where one is, and where several are, the first of those with the highest probability
     * as the full model computes it (the recorded tail run on their resized values; for resized probabilities the
     * values themselves), so that labels whose probabilities round to the same value tie as they do there.
     */
    private void display(ExactLabelHead h, float[] logits, int offset, int[] masks, int[] labels, int labelsOffset) throws OrtException {
        int pixels = h.labelsPerImage();
        int classes = h.classes();
        Arrays.fill(labels, labelsOffset, labelsOffset + pixels, 0);
        boolean[] several = new boolean[pixels];
        int count = 0;
        for (int c = 0; c < classes; c++) {
            int m = c * pixels;
            int label = c + 1;
            for (int p = 0; p < pixels; p++) {
                if (masks[m + p] != 0) {
                    int o = labelsOffset + p;
                    if (labels[o] == 0) {
                        labels[o] = label;
                    } else if (!several[p]) {
                        several[p] = true;
                        count++;
                    }
                }
            }
        }
        int[] overlap = new int[count];
        for (int p = 0, i = 0; i < count; p++) {
            if (several[p]) {
                overlap[i++] = p;
            }
        }
        if (count == 0) {
            return;
        }
        float[] values = new float[count * classes];
        int w = h.outputWidth();
        for (int i = 0; i < count; i++) {
            int p = overlap[i];
            for (int c = 0; c < classes; c++) {
                values[i * classes + c] = h.value(logits, offset, c, p / w, p % w);
            }
        }
        float[] probabilities = SegmentationHead.Sigmoid.PROBABILITIES.equals(head.sigmoid().source()) ? values : runTail(values);
        for (int i = 0; i < count; i++) {
            int p = overlap[i];
            float best = Float.NEGATIVE_INFINITY;
            int label = 0;
            for (int c = 0; c < classes; c++) {
                float v = probabilities[i * classes + c];
                if (masks[c * pixels + p] != 0 && (label == 0 || v > best)) {
                    best = v;
                    label = c + 1;
                }
            }
            labels[labelsOffset + p] = label;
        }
    }

    /** The recorded tail (the removed sigmoid) on the given values, in ONNX Runtime. */
    private float[] runTail(float[] values) throws OrtException {
        OrtSession s = TAILS.get(head.sigmoid().tail());
        if (s == null) {
            synchronized (TAILS) {
                s = TAILS.get(head.sigmoid().tail());
                if (s == null) {
                    s = org.int8workbench.core.Ort.env().createSession(head.sigmoid().tailModel(), new OrtSession.SessionOptions());
                    TAILS.put(head.sigmoid().tail(), s);
                }
            }
        }
        try (OnnxTensor in = OnnxTensor.createTensor(org.int8workbench.core.Ort.env(), FloatBuffer.wrap(values), new long[] {values.length});
                OrtSession.Result r = s.run(java.util.Map.of(s.getInputNames().iterator().next(), in))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[values.length];
            fb.get(out);
            return out;
        }
    }

    /** The decoder for a concrete logits shape (cached for the last shape seen). */
    public ExactLabelHead headFor(long[] shape) {
        ExactLabelHead h = cached;
        if (h == null || !sameShape(h, shape)) {
            h = ExactLabelHead.of(head, shape);
            cached = h;
        }
        return h;
    }

    private OnnxTensor logits(OrtSession.Result outputs) {
        OnnxValue v = outputs.get(head.logitsOutput()).orElseThrow(() -> new IllegalArgumentException(
                "the model has no output '" + head.logitsOutput() + "' recorded by its head"));
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("output '" + head.logitsOutput() + "' is not a tensor");
        }
        return t;
    }

    private boolean sameShape(ExactLabelHead h, long[] shape) {
        long[] s = head.channelsLast() ? new long[] {h.batch(), h.inputHeight(), h.inputWidth(), h.classes()}
                : new long[] {h.batch(), h.classes(), h.inputHeight(), h.inputWidth()};
        return Arrays.equals(s, shape);
    }
}
