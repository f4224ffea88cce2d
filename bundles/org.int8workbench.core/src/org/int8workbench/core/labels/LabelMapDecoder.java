package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import org.int8workbench.core.dataset.LabelMask;

/**
 * The decoder of {@link OutputKind#LABEL_MAP} outputs: a model that already computes labels (an integer tensor of
 * shape {@code [N,H,W]}, {@code [N,1,H,W]} or {@code [N,H,W,1]}, of type int64, int32, uint8 or int8); the labels are
 * taken as they are. Immutable.
 */
public final class LabelMapDecoder implements LabelDecoder {
    private final String outputName;

    /**
     * @param outputName the output to read, or {@code null} for the first
     */
    public LabelMapDecoder(String outputName) {
        this.outputName = outputName;
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
    public Prediction decode(OrtSession.Result result) throws OrtException {
        OnnxTensor t = LabelDecoders.tensor(result, outputName);
        return new Prediction(labelMap(read(t), t.getInfo().getShape()), null);
    }

    @Override
    public int[] decodeBatch(OrtSession.Result result) throws OrtException {
        return read(LabelDecoders.tensor(result, outputName));
    }

    /** The values of an integer tensor (int64, int32, uint8 or int8) as ints, in order; see {@link LabelTensors}. */
    public static int[] read(OnnxTensor t) throws OrtException {
        return LabelTensors.read(t);
    }

    /**
     * The label map of one image from labels in a tensor of shape {@code [1,H,W]}, {@code [1,1,H,W]},
     * {@code [1,H,W,1]} or {@code [H,W]}.
     *
     * @throws IllegalArgumentException for another shape, or a negative label
     */
    public static LabelMask labelMap(int[] labels, long[] shape) {
        int h;
        int w;
        if (shape.length == 3 && shape[0] == 1) {
            h = (int) shape[1];
            w = (int) shape[2];
        } else if (shape.length == 4 && shape[0] == 1 && shape[1] == 1) {
            h = (int) shape[2];
            w = (int) shape[3];
        } else if (shape.length == 4 && shape[0] == 1 && shape[3] == 1) {
            h = (int) shape[1];
            w = (int) shape[2];
        } else if (shape.length == 2) {
            h = (int) shape[0];
            w = (int) shape[1];
        } else {
            throw new IllegalArgumentException("expected a label map [1,H,W], [1,1,H,W] or [1,H,W,1], got " + Arrays.toString(shape));
        }
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("the model's label map holds a negative label " + l);
            }
        }
        return new LabelMask(w, h, labels);
    }
}
