package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * The decoder of {@link OutputKind#CLASS_SCORES} outputs: float scores {@code [1,C,H,W]} (NCHW) or {@code [1,H,W,C]}
 * (NHWC) become the argmax over the classes, with the rule of {@link Argmax} (the first maximum wins; NaN never wins
 * over a number). The layout follows {@link ScoreLayout#decide}: decided once from the shape the model declares, or,
 * when that has dynamic axes, from each result's shape. {@link LabelDecoders} never gives it a single-channel output
 * (that is binary, regression or labels); given one anyway ({@code [1,H,W]}, {@code [1,1,H,W]} or {@code [1,H,W,1]},
 * {@link OutputShapes#singleChannel}), it rounds the values to labels as {@link LabelMapDecoder} does. Immutable.
 */
public final class ArgmaxDecoder implements LabelDecoder {
    private final String outputName;
    private final String shownName;
    private final Preprocessing input;
    private final ScoreLayout declared;
    private final int channels;
    private final boolean probabilities;
    private final String reason;

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param input the model's input size and layout, which the layout rule needs; {@code null} when not known
     * @param declaredShape the shape the model declares for the output (dynamic axes negative), or {@code null}
     */
    public ArgmaxDecoder(String outputName, Preprocessing input, long[] declaredShape) {
        this(outputName, input, declaredShape, false, null);
    }

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param input the model's input size and layout, which the layout rule needs; {@code null} when not known
     * @param declaredShape the shape the model declares for the output (dynamic axes negative), or {@code null}
     * @param probabilities true when the scores are probabilities (a final {@code Softmax})
     * @param reason why the output is read as class scores, for reports; {@code null} for the description
     */
    public ArgmaxDecoder(String outputName, Preprocessing input, long[] declaredShape, boolean probabilities, String reason) {
        this(outputName, outputName, input, declaredShape, probabilities, reason);
    }

    /** As the public constructor; {@code shownName} names the output in {@link #output()}. */
    ArgmaxDecoder(String outputName, String shownName, Preprocessing input, long[] declaredShape, boolean probabilities,
            String reason) {
        this.outputName = outputName;
        this.shownName = shownName;
        this.input = input;
        this.declared = declaredShape == null || OutputShapes.singleChannel(declaredShape) ? null
                : ScoreLayout.decideDeclared(declaredShape, input).orElse(null);
        this.channels = declaredShape == null ? -1 : OutputShapes.channels(declaredShape, input);
        this.probabilities = probabilities;
        this.reason = reason;
    }

    /** The output this decoder reads, or {@code null} for the first. */
    public String outputName() {
        return outputName;
    }

    /** The layout of scores of the given concrete 4-D shape (the declared layout when it was decided). */
    public ScoreLayout layout(long[] shape) {
        return declared != null ? declared : ScoreLayout.decide(shape, input);
    }

    @Override
    public OutputKind kind() {
        return OutputKind.CLASS_SCORES;
    }

    @Override
    public ModelOutput output() {
        return new ModelOutput(shownName, OutputKind.CLASS_SCORES, channels, java.util.List.of(), probabilities, null,
                reason != null ? reason : description());
    }

    @Override
    public String description() {
        return declared != null ? "argmax over axis " + declared.classAxis() + " (" + declared + ", Java)"
                : "argmax over the classes (NCHW or NHWC by the output shape, Java)";
    }

    @Override
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = floats(result);
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return fromScores(raw, t.getInfo().getShape());
    }

    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        OnnxTensor t = floats(result);
        long[] s = t.getInfo().getShape();
        FloatBuffer b = t.getFloatBuffer();
        if (OutputShapes.singleChannel(s)) {
            int[] labels = new int[b.remaining()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Math.round(b.get(i));
            }
            return labels;
        }
        if (s.length != 4) {
            throw new IllegalArgumentException("expected class scores [N,C,H,W] or [N,H,W,C], got " + Arrays.toString(s));
        }
        ScoreLayout l = layout(s);
        int batch = (int) s[0];
        int classes = (int) s[l.classAxis()];
        int pixels = (int) (s[l.heightAxis()] * s[l.widthAxis()]);
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.limit()) {
            return l == ScoreLayout.NCHW ? Argmax.nchw(b.array(), batch, classes, pixels) : Argmax.nhwc(b.array(), batch, classes, pixels);
        }
        return l == ScoreLayout.NCHW ? Argmax.nchw(b, batch, classes, pixels) : Argmax.nhwc(b, batch, classes, pixels);
    }

    /**
     * The prediction from the scores of one image, of the given shape (see the class comment); {@code raw} is kept in
     * the prediction, not copied.
     */
    public Prediction fromScores(float[] raw, long[] shape) {
        if (OutputShapes.singleChannel(shape)) {
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = Math.round(raw[i]);
            }
            return new Prediction(LabelMapDecoder.labelMap(labels, shape, null, true), raw);
        }
        if (shape.length != 4 || shape[0] != 1) {
            throw new IllegalArgumentException("expected class scores [1,C,H,W] or [1,H,W,C], got " + Arrays.toString(shape));
        }
        ScoreLayout l = layout(shape);
        int c = (int) shape[l.classAxis()];
        int h = (int) shape[l.heightAxis()];
        int w = (int) shape[l.widthAxis()];
        int[] labels = l == ScoreLayout.NCHW ? Argmax.nchw(raw, 1, c, w * h) : Argmax.nhwc(raw, 1, c, w * h);
        return new Prediction(new LabelMask(w, h, labels), raw);
    }

    private OnnxTensor floats(OrtSession.Result result) {
        OnnxTensor t = LabelDecoders.tensor(result, outputName);
        if (t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("the model's output '" + (outputName != null ? outputName : "#0") + "' is "
                    + t.getInfo().type + " " + Arrays.toString(t.getInfo().getShape())
                    + ", not float class scores; integer outputs are read as label maps");
        }
        return t;
    }
}
