package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.int8workbench.core.dataset.LabelMask;

/**
 * The decoder of {@link OutputKind#BINARY} outputs: one float channel per pixel ({@code [N,1,H,W]}, {@code [N,H,W,1]}
 * or {@code [N,H,W]}) thresholded into background (0) and foreground (1). A probability (after a final
 * {@code Sigmoid}) is foreground when above the threshold {@code T}; a logit when above {@code ln(T / (1 - T))}, the
 * same decision without an {@code exp} per pixel. NaN is never above. Immutable.
 */
public final class BinaryDecoder implements LabelDecoder {
    private final String outputName;
    private final String shownName;
    private final boolean probabilities;
    private final double threshold;
    private final double cut;
    private final float floor;
    private final String reason;

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param probabilities true when the values are probabilities, false for logits
     * @param threshold the probability above which a pixel is foreground, in (0, 1)
     * @param reason why the output is read as binary, for reports
     */
    public BinaryDecoder(String outputName, boolean probabilities, double threshold, String reason) {
        this(outputName, outputName, probabilities, threshold, reason);
    }

    /** As the public constructor; {@code shownName} names the output in {@link #output()} and messages. */
    BinaryDecoder(String outputName, String shownName, boolean probabilities, double threshold, String reason) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        this.outputName = outputName;
        this.shownName = shownName;
        this.probabilities = probabilities;
        this.threshold = threshold;
        this.cut = cutoff(probabilities, threshold);
        this.floor = floatFloor(cut);
        this.reason = reason;
    }

    /**
     * The value a pixel must exceed to count as foreground: {@code threshold} for probabilities, its logit
     * {@code ln(T / (1 - T))} for logits.
     */
    public static double cutoff(boolean probabilities, double threshold) {
        return probabilities ? threshold : Math.log(threshold / (1 - threshold));
    }

    /**
     * The largest float not above {@code cut}: for every float {@code x}, {@code x > floatFloor(cut)} exactly when
     * {@code x > cut} (false for NaN), so the per-pixel test is one float comparison.
     */
    static float floatFloor(double cut) {
        float f = (float) cut;
        return f > cut ? Math.nextDown(f) : f;
    }

    /** The output this decoder reads, or {@code null} for the first. */
    public String outputName() {
        return outputName;
    }

    @Override
    public OutputKind kind() {
        return OutputKind.BINARY;
    }

    @Override
    public String description() {
        return probabilities ? "probability > " + threshold + " (binary, Java)"
                : "logit > " + String.format(java.util.Locale.ROOT, "%.4g", cut) + " = probability > " + threshold + " (binary, Java)";
    }

    @Override
    public ModelOutput output() {
        return new ModelOutput(shownName, OutputKind.BINARY, 1, List.of(), probabilities, threshold, reason);
    }

    @Override
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.floats(result, outputName, shownName, "a one-channel map");
        long[] shape = t.getInfo().getShape();
        requireOneChannel(shape);
        int[] hw = OutputShapes.requireMapSize(shape, "a one-channel map");
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return new Prediction(new LabelMask(hw[1], hw[0], threshold(raw)), raw);
    }

    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.floats(result, outputName, shownName, "a one-channel map");
        requireOneChannel(t.getInfo().getShape());
        FloatBuffer b = t.getFloatBuffer();
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.limit()) {
            return threshold(b.array());
        }
        float[] v = new float[b.remaining()];
        b.get(0, v);
        return threshold(v);
    }

    /** The 0/1 labels of values in any order: 1 where the value is above the cut-off (never for NaN). */
    public int[] threshold(float[] values) {
        int[] labels = new int[values.length];
        float c = floor;
        for (int i = 0; i < values.length; i++) {
            labels[i] = values[i] > c ? 1 : 0;
        }
        return labels;
    }

    private void requireOneChannel(long[] shape) {
        if (!OutputShapes.singleChannel(shape)) {
            throw new IllegalArgumentException("the model's output '" + LabelDecoders.shown(outputName, shownName) + "' has shape "
                    + Arrays.toString(shape) + "; a binary output has one channel ([N,1,H,W], [N,H,W,1] or [N,H,W])"
                    + "; choose --output-kind multilabel or classes for several channels");
        }
    }
}
