package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import org.int8workbench.core.dataset.LabelMask;

/**
 * The decoder of {@link OutputKind#LABEL_MAP} outputs: a model that already computes labels, {@code [N,H,W]},
 * {@code [N,1,H,W]} or {@code [N,H,W,1]}. An integer tensor (int64, int32, uint8 or int8) is taken as it is; a float
 * one (an {@code ArgMax} cast to float, or labels stored as numbers when the user says so) is rounded to the nearest
 * integer. A negative label is an error that says what to choose instead. Immutable.
 */
public final class LabelMapDecoder implements LabelDecoder {
    private final String outputName;
    private final String shownName;
    private final String reason;

    /**
     * @param outputName the output to read, or {@code null} for the first
     */
    public LabelMapDecoder(String outputName) {
        this(outputName, null);
    }

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param reason why the output is read as labels, for reports; {@code null} for the description
     */
    public LabelMapDecoder(String outputName, String reason) {
        this(outputName, outputName, reason);
    }

    /** As the public constructor; {@code shownName} names the output in {@link #output()} and messages. */
    LabelMapDecoder(String outputName, String shownName, String reason) {
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
        return OutputKind.LABEL_MAP;
    }

    @Override
    public String description() {
        return "labels from the model (no decoding)";
    }

    @Override
    public ModelOutput output() {
        return new ModelOutput(shownName, OutputKind.LABEL_MAP, 1, List.of(), false, null, reason != null ? reason : description());
    }

    @Override
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.tensor(result, outputName);
        int[] labels = labels(t);
        long[] shape = t.getInfo().getShape();
        OutputShapes.requireMapSize(shape, "a label map");
        return new Prediction(labelMap(labels, shape, what(t), t.getInfo().type == OnnxJavaType.FLOAT), null);
    }

    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        return labels(LabelDecoders.tensor(result, outputName));
    }

    /** The values of an integer tensor (int64, int32, uint8 or int8) as ints, in order; see {@link LabelTensors}. */
    public static int[] read(OnnxTensor t) throws OrtException {
        return LabelTensors.read(t);
    }

    /** Integer labels as they are, float labels rounded (NaN to 0). */
    private int[] labels(OnnxTensor t) {
        if (t.getInfo().type != OnnxJavaType.FLOAT) {
            return LabelTensors.read(t);
        }
        if (!OutputShapes.singleChannel(t.getInfo().getShape())) {
            throw new IllegalArgumentException("the model's output '" + LabelDecoders.shown(outputName, shownName) + "' is FLOAT "
                    + java.util.Arrays.toString(t.getInfo().getShape()) + ": several float channels, not labels; "
                    + "choose --output-kind classes (argmax) or multilabel (each channel thresholded)");
        }
        FloatBuffer b = t.getFloatBuffer();
        int[] labels = new int[b.remaining()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Math.round(b.get(i));
        }
        return labels;
    }

    private String what(OnnxTensor t) {
        return "output '" + LabelDecoders.shown(outputName, shownName) + "' (" + t.getInfo().type + ")";
    }

    /**
     * The label map of one image from labels in a tensor of shape {@code [1,H,W]}, {@code [1,1,H,W]},
     * {@code [1,H,W,1]} or {@code [H,W]}.
     *
     * @throws IllegalArgumentException for another shape, or a negative label
     */
    public static LabelMask labelMap(int[] labels, long[] shape) {
        return labelMap(labels, shape, null, false);
    }

    /**
     * {@link #labelMap(int[], long[])} naming the output in the message on a negative label; for a float output the
     * message says which kinds read such values.
     */
    static LabelMask labelMap(int[] labels, long[] shape, String what, boolean fromFloats) {
        int[] hw = OutputShapes.requireMapSize(shape, "a label map");
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("the model's label map " + (what != null ? "(" + what + ") " : "")
                        + "holds a negative label " + l + "; labels are 0 or more, so this output is not a label map"
                        + (fromFloats ? ": choose --output-kind regression for values (depth, edges) or binary for a logit"
                                : " the tool can read"));
            }
        }
        return new LabelMask(hw[1], hw[0], labels);
    }
}
