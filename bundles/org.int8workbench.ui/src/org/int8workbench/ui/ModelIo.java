package org.int8workbench.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.onnx.ModelSummary;

/**
 * What the workbench reads from a model file's graph without running it: its first input's shape as declared (fixed
 * and dynamic or symbolic dimensions) and its output names.
 *
 * @param inputShape the first input's dimensions, {@code -1} for a dynamic or symbolic one; empty when unknown
 * @param inputDims the same as text: a number, or the symbol ({@code ?} when unnamed)
 * @param outputs the graph's output names, in order
 */
public record ModelIo(long[] inputShape, List<String> inputDims, List<String> outputs) {

    /** Nothing known (an unreadable model). */
    public static final ModelIo UNKNOWN = new ModelIo(new long[0], List.of(), List.of());

    public ModelIo {
        inputShape = inputShape.clone();
        inputDims = List.copyOf(inputDims);
        outputs = List.copyOf(outputs);
    }

    /** Reads {@code model}'s graph; {@link #UNKNOWN} when it cannot be read. */
    public static ModelIo of(Path model) {
        try {
            return of(ModelSummary.of(model));
        } catch (Exception e) {
            return UNKNOWN;
        }
    }

    /** What {@code m} says of the model's input and outputs. */
    public static ModelIo of(ModelSummary m) {
        List<String> outs = new ArrayList<>();
        m.outputs().forEach(o -> outs.add(o.name()));
        if (m.inputs().isEmpty() || m.inputs().get(0).shape() == null) {
            return new ModelIo(new long[0], List.of(), outs);
        }
        List<String> text = m.inputs().get(0).shape();
        long[] dims = new long[text.size()];
        for (int i = 0; i < dims.length; i++) {
            try {
                dims[i] = Long.parseLong(text.get(i));
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] <= 0) {
                dims[i] = -1;
            }
        }
        return new ModelIo(dims, text, outs);
    }

    /**
     * True when the input is an image input, 4-D or 3-D without a batch axis ([3,H,W], [H,W,3]), with a dynamic or
     * symbolic height or width (the batch axis aside).
     */
    public boolean dynamicSize() {
        int first = inputShape.length == 4 ? 1 : inputShape.length == 3 ? 0 : -1;
        if (first < 0) {
            return false;
        }
        int c = channelAxis();
        for (int i = first; i < inputShape.length; i++) {
            if (i + 1 - first != c && inputShape[i] < 0) { // i + 1 - first: the axis in the batched [N,...] shape
                return true;
            }
        }
        return false;
    }

    /**
     * The axis holding 3 colour channels in the batched shape: 1 (NCHW, or [3,H,W]) or 3 (NHWC, or [H,W,3]), or -1
     * when the shape does not fix it.
     */
    public int channelAxis() {
        if (inputShape.length == 3) {
            return inputShape[0] == 3 ? 1 : inputShape[2] == 3 ? 3 : -1;
        }
        if (inputShape.length != 4) {
            return -1;
        }
        if (inputShape[1] == 3) {
            return 1;
        }
        return inputShape[3] == 3 ? 3 : -1;
    }

    /** The input shape as text, e.g. {@code [-1, 3, -1, -1]} as {@code [N, 3, H, W]} with its symbols. */
    public String describeInput() {
        return "[" + String.join(", ", inputDims) + "]";
    }
}
