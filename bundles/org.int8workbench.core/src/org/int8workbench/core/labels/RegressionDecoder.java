package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder of {@link OutputKind#REGRESSION} outputs: one float value per pixel that is not a label (depth, edge
 * strength, ...), {@code [N,1,H,W]}, {@code [N,H,W,1]} or {@code [N,H,W]}. {@link Prediction#values} holds the map
 * and {@link Prediction#raw} the same values; {@link Prediction#labels} is {@code null}. Immutable.
 */
public final class RegressionDecoder implements LabelDecoder {
    private final String outputName;
    private final String shownName;
    private final String reason;

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param reason why the output is read as values, for reports
     */
    public RegressionDecoder(String outputName, String reason) {
        this(outputName, outputName, reason);
    }

    /** As the public constructor; {@code shownName} names the output in {@link #output()} and messages. */
    RegressionDecoder(String outputName, String shownName, String reason) {
        this.outputName = outputName;
        this.shownName = shownName;
        this.reason = reason;
    }

    /** The output this decoder reads, or {@code null} for the first. */
    public String outputName() {
        return outputName;
    }

    @Override
    public OutputKind kind() {
        return OutputKind.REGRESSION;
    }

    @Override
    public String description() {
        return "values as they are (regression, no labels)";
    }

    @Override
    public ModelOutput output() {
        return new ModelOutput(shownName, OutputKind.REGRESSION, 1, List.of(), false, null, reason);
    }

    @Override
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = oneChannel(result);
        int[] hw = OutputShapes.requireMapSize(t.getInfo().getShape(), "a one-channel value map");
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return new Prediction(null, raw, List.of(), new ValueMap(hw[1], hw[0], raw));
    }

    /**
     * A regression output has no labels: the values of every image of the batch, copied out of the result, as their
     * bits ({@link Float#floatToRawIntBits}; {@link Float#intBitsToFloat} gives them back), so that the benchmark's
     * end-to-end requests include reading the map.
     */
    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        FloatBuffer b = oneChannel(result).getFloatBuffer();
        int[] bits = new int[b.remaining()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(b.get(i));
        }
        return bits;
    }

    private OnnxTensor oneChannel(OrtSession.Result result) {
        OnnxTensor t = LabelDecoders.floats(result, outputName, shownName, "a one-channel value map");
        long[] shape = t.getInfo().getShape();
        if (!OutputShapes.singleChannel(shape)) {
            throw new IllegalArgumentException("the model's output '" + LabelDecoders.shown(outputName, shownName) + "' has shape "
                    + Arrays.toString(shape) + "; a regression output has one channel ([N,1,H,W], [N,H,W,1] or [N,H,W])");
        }
        return t;
    }
}
