package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * The decoder of {@link OutputKind#MULTILABEL} outputs: several independent sigmoid maps, one per label,
 * {@code [N,C,H,W]} or {@code [N,H,W,C]} (the layout by {@link OutputShapes#layout}, decided once from the declared
 * shape or else from each result's). Each channel is thresholded on its own as {@link BinaryDecoder} does (a
 * probability against the threshold, a logit against its logit; NaN never above): {@link Prediction#channels} holds
 * one 0/1 map per label. {@link Prediction#labels} is for display: 0 where no label is above the threshold, else
 * {@code 1 + i} for the label {@code i} with the highest value among those above (the first on a tie). Immutable.
 */
public final class MultiLabelDecoder implements LabelDecoder {
    private final String outputName;
    private final String shownName;
    private final Preprocessing input;
    private final ScoreLayout declared;
    private final int channels;
    private final List<String> labelNames;
    private final boolean probabilities;
    private final double threshold;
    private final double cut;
    private final float floor;
    private final String reason;

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param input the model's input size and layout (the layout rule needs it), or {@code null} when not known
     * @param declaredShape the shape the model declares for the output (dynamic axes negative), or {@code null}
     * @param labelNames the names of the labels, one per channel; empty for {@code label 0}, {@code label 1}, ...
     * @param probabilities true when the values are probabilities, false for logits
     * @param threshold the probability above which a pixel carries a label, in (0, 1)
     * @param reason why the output is read as multi-label, for reports
     */
    public MultiLabelDecoder(String outputName, Preprocessing input, long[] declaredShape, List<String> labelNames,
            boolean probabilities, double threshold, String reason) {
        this(outputName, outputName, input, declaredShape, labelNames, probabilities, threshold, reason);
    }

    /** As the public constructor; {@code shownName} names the output in {@link #output()} and messages. */
    MultiLabelDecoder(String outputName, String shownName, Preprocessing input, long[] declaredShape, List<String> labelNames,
            boolean probabilities, double threshold, String reason) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        this.outputName = outputName;
        this.shownName = shownName;
        this.input = input;
        boolean fixed = declaredShape != null && declaredShape.length == 4 && declaredShape[1] > 0 && declaredShape[2] > 0
                && declaredShape[3] > 0;
        this.declared = fixed ? ScoreLayout.decide(declaredShape, input) : null;
        this.channels = declaredShape != null ? OutputShapes.channels(declaredShape, input) : -1;
        List<String> names = List.copyOf(labelNames);
        if (names.isEmpty() && channels > 0) {
            names = defaultNames(channels);
        }
        this.labelNames = names;
        this.probabilities = probabilities;
        this.threshold = threshold;
        this.cut = BinaryDecoder.cutoff(probabilities, threshold);
        this.floor = BinaryDecoder.floatFloor(cut);
        this.reason = reason;
    }

    /** {@code label 0}, {@code label 1}, ... */
    public static List<String> defaultNames(int count) {
        List<String> n = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            n.add("label " + i);
        }
        return List.copyOf(n);
    }

    /** The output this decoder reads, or {@code null} for the first. */
    public String outputName() {
        return outputName;
    }

    /** The layout of an output of the given concrete 4-D shape. */
    public ScoreLayout layout(long[] shape) {
        return declared != null ? declared : ScoreLayout.decide(shape, input);
    }

    @Override
    public OutputKind kind() {
        return OutputKind.MULTILABEL;
    }

    @Override
    public String description() {
        return "each channel " + (probabilities ? "> " + threshold : "logit > " + String.format(java.util.Locale.ROOT, "%.4g", cut))
                + (declared != null ? " (multi-label, " + declared + ", Java)" : " (multi-label, Java)");
    }

    @Override
    public ModelOutput output() {
        return new ModelOutput(shownName, OutputKind.MULTILABEL, channels, labelNames, probabilities, threshold, reason);
    }

    @Override
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.floats(result, outputName, shownName, "sigmoid maps");
        long[] shape = t.getInfo().getShape();
        if (shape.length != 4 || shape[0] != 1) {
            throw shapeError(shape, "[1,C,H,W] or [1,H,W,C] for one image");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return fromValues(raw, shape);
    }

    /** The prediction from the values of one image, of the given shape; {@code raw} is kept, not copied. */
    public Prediction fromValues(float[] raw, long[] shape) {
        ScoreLayout l = layout(shape);
        int c = (int) shape[l.classAxis()];
        int h = (int) shape[l.heightAxis()];
        int w = (int) shape[l.widthAxis()];
        int pixels = w * h;
        check(raw.length, 1, c, pixels);
        float f = floor;
        List<LabelMask> masks = new ArrayList<>(c);
        for (int k = 0; k < c; k++) {
            int[] m = new int[pixels];
            if (l == ScoreLayout.NCHW) {
                for (int p = 0, i = k * pixels; p < pixels; p++, i++) {
                    m[p] = raw[i] > f ? 1 : 0;
                }
            } else {
                for (int p = 0, i = k; p < pixels; p++, i += c) {
                    m[p] = raw[i] > f ? 1 : 0;
                }
            }
            masks.add(new LabelMask(w, h, m));
        }
        int[] display = display(FloatBuffer.wrap(raw), 1, c, pixels, l);
        return new Prediction(new LabelMask(w, h, display), raw, masks, null);
    }

    /** The display label maps of every image of the batch (see the class comment), concatenated. */
    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.floats(result, outputName, shownName, "sigmoid maps");
        long[] s = t.getInfo().getShape();
        if (s.length != 4) {
            throw shapeError(s, "[N,C,H,W] or [N,H,W,C]");
        }
        ScoreLayout l = layout(s);
        return display(t.getFloatBuffer(), (int) s[0], (int) s[l.classAxis()], (int) (s[l.heightAxis()] * s[l.widthAxis()]), l);
    }

    /**
     * 0 = no label above the cut-off, 1 + i = the label with the highest value above it (first on a tie): the running
     * best starts at the cut-off, so a label replaces it only when above the cut-off and strictly above the best so far.
     */
    private int[] display(FloatBuffer v, int batch, int classes, int pixels, ScoreLayout l) {
        check(v.limit(), batch, classes, pixels);
        float f = floor;
        int[] labels = new int[batch * pixels];
        if (l == ScoreLayout.NCHW) {
            float[] best = new float[pixels];
            float[] plane = new float[pixels];
            for (int n = 0; n < batch; n++) {
                int lo = n * pixels;
                Arrays.fill(best, f);
                for (int k = 0; k < classes; k++) {
                    v.get((n * classes + k) * pixels, plane, 0, pixels);
                    int label = k + 1;
                    for (int p = 0; p < pixels; p++) {
                        float x = plane[p];
                        if (x > best[p]) {
                            best[p] = x;
                            labels[lo + p] = label;
                        }
                    }
                }
            }
        } else {
            float[] px = new float[classes];
            for (int p = 0, total = batch * pixels; p < total; p++) {
                v.get(p * classes, px, 0, classes);
                int arg = 0;
                float best = f;
                for (int k = 0; k < classes; k++) {
                    if (px[k] > best) {
                        best = px[k];
                        arg = k + 1;
                    }
                }
                labels[p] = arg;
            }
        }
        return labels;
    }

    private static void check(int length, int batch, int classes, int pixels) {
        if ((long) batch * classes * pixels != length) {
            throw new IllegalArgumentException(length + " values do not hold " + batch + " image(s) of " + classes + " labels x "
                    + pixels + " pixels");
        }
    }

    private IllegalArgumentException shapeError(long[] shape, String expected) {
        return new IllegalArgumentException("the model's output '" + LabelDecoders.shown(outputName, shownName) + "' has shape "
                + Arrays.toString(shape) + "; multi-label maps are " + expected);
    }
}
