package org.int8workbench.core.labels;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.List;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * What {@link LabelDecoders} finds for one model output: its type, shape, channels, last meaningful operator and so
 * its kind with the reason; and the decoder for it, with the user's override checked against what was found.
 *
 * @param name the output's name
 * @param type its element type, or {@code null} when it is not a tensor
 * @param shape its declared shape (dynamic axes negative), empty when not a tensor
 * @param channels its channel count, -1 when not known
 * @param lastOp the last meaningful operator before it, or {@code null} when the graph was not read
 * @param kind the kind found, or {@code null} when the output cannot be read (the reason says why)
 * @param probabilities whether the values are probabilities (a final Sigmoid or Softmax)
 * @param reason why this kind, e.g. {@code final Sigmoid, 1 channel}; for no kind, what is wrong
 */
record FoundOutput(String name, OnnxJavaType type, long[] shape, int channels, String lastOp, OutputKind kind,
        boolean probabilities, String reason) {

    static FoundOutput of(NodeInfo n, OutputTrace trace, Preprocessing input) {
        if (!(n.getInfo() instanceof TensorInfo t)) {
            return new FoundOutput(n.getName(), null, new long[0], -1, null, null, false,
                    "is a " + n.getInfo().getClass().getSimpleName().replace("Info", "").toLowerCase(java.util.Locale.ROOT)
                            + ", not a tensor; cannot produce labels from it");
        }
        return of(n.getName(), t, trace.lastOp(n.getName()), trace.channels().get(n.getName()), input);
    }

    static FoundOutput of(String name, TensorInfo info, String lastOp, Integer inferredChannels, Preprocessing input) {
        long[] shape = info.getShape();
        if (!OutputShapes.perPixel(shape)) {
            return new FoundOutput(name, info.type, shape, -1, lastOp, null, false, "has no height and width ("
                    + LabelDecoders.shape(shape) + "): values per image, not per pixel; no label map can be read from it");
        }
        int c = OutputShapes.channels(shape, input);
        if (c < 0 && inferredChannels != null) {
            c = inferredChannels;
        }
        OnnxJavaType type = info.type;
        switch (type) {
            case INT64, INT32, UINT8, INT8:
                return new FoundOutput(name, type, shape, 1, lastOp, OutputKind.LABEL_MAP, false, "integer output (" + type + ")");
            case FLOAT:
                break;
            default:
                return new FoundOutput(name, type, shape, c, lastOp, null, false, "has element type " + type
                        + "; expected float class scores or integer labels (or float values)");
        }
        if ("ArgMax".equals(lastOp)) {
            return new FoundOutput(name, type, shape, 1, lastOp, OutputKind.LABEL_MAP, false, "final ArgMax");
        }
        boolean sigmoid = lastOp != null && OutputTrace.SIGMOIDS.contains(lastOp);
        boolean softmax = lastOp != null && OutputTrace.SOFTMAXES.contains(lastOp);
        String channels = c < 0 ? "channels not known" : c == 1 ? "1 channel" : c + " channels";
        if (sigmoid) {
            OutputKind k = c == 1 ? OutputKind.BINARY : OutputKind.MULTILABEL;
            return new FoundOutput(name, type, shape, c, lastOp, k, true, "final " + lastOp + ", " + channels);
        }
        if (c == 1 && "Softmax".equals(lastOp)) {
            // one class's probability taken out of a softmax (e.g. Softmax -> Slice of the foreground channel)
            return new FoundOutput(name, type, shape, 1, lastOp, OutputKind.BINARY, true, "final Softmax, 1 channel (a class probability)");
        }
        if (c == 1) {
            String why = lastOp == null ? "1 float channel (the graph was not read): values, not class scores"
                    : "1 float channel, no final Sigmoid (last: " + lastOp + "): values, not class scores";
            return new FoundOutput(name, type, shape, 1, lastOp, OutputKind.REGRESSION, false, why);
        }
        String why = softmax ? "final " + lastOp + ", " + channels
                : lastOp == null ? channels + " of float scores (the graph was not read)"
                        : channels + " of logits (last: " + lastOp + ", no final Softmax or Sigmoid)";
        return new FoundOutput(name, type, shape, c, lastOp, OutputKind.CLASS_SCORES, "Softmax".equals(lastOp), why);
    }

    /**
     * The decoder of this output.
     *
     * @param override the kind the user chose, or {@code null} for the one found
     * @param readFirst whether the decoder reads the model's first output (as {@code null}, which lets callers
     *        that bind only the first output keep doing so)
     * @throws IllegalArgumentException when the output cannot be read, or not as {@code override}; the message says
     *         what to choose instead
     */
    LabelDecoder decoder(OutputKind override, OutputSelection sel, Preprocessing input, boolean readFirst) {
        if (kind == null) {
            throw new IllegalArgumentException("output '" + name + "' " + reason);
        }
        OutputKind k = override != null ? override : kind;
        if (override != null) {
            check(override);
        }
        String why = override != null ? "--output-kind " + override.cliName() : reason;
        String reads = readFirst ? null : name;
        boolean sigmoid = lastOp != null && (OutputTrace.SIGMOIDS.contains(lastOp) || (channels == 1 && "Softmax".equals(lastOp)));
        return switch (k) {
            case CLASS_SCORES -> new ArgmaxDecoder(reads, name, input, shape, "Softmax".equals(lastOp), why);
            case LABEL_MAP -> new LabelMapDecoder(reads, name, why);
            case BINARY -> new BinaryDecoder(reads, name, sigmoid, sel.threshold(), why);
            case MULTILABEL -> new MultiLabelDecoder(reads, name, input, shape, List.of(), sigmoid, sel.threshold(), why);
            case REGRESSION -> new RegressionDecoder(reads, name, why);
            case CUT_HEAD -> throw new IllegalArgumentException("the cut-head kind is recorded by the tool in the model, not chosen");
        };
    }

    /** Refuses a kind that the output cannot have, saying what to choose instead. */
    private void check(OutputKind k) {
        String what = "output '" + name + "' (" + type + " " + java.util.Arrays.toString(shape) + ")";
        String asked = "--output-kind " + k.cliName();
        if (type != OnnxJavaType.FLOAT) {
            if (k != OutputKind.LABEL_MAP) {
                throw new IllegalArgumentException(what + " holds integer labels; " + asked
                        + " needs float scores or values: choose labels (or auto)");
            }
            return;
        }
        if (channels == 1) {
            switch (k) {
                case CLASS_SCORES -> throw new IllegalArgumentException(what + " has one float channel: an argmax over it is "
                        + "always 0, so " + asked + " does not apply; choose binary (a probability or logit, thresholded), "
                        + "regression (values) or labels (labels stored as numbers)");
                case MULTILABEL -> throw new IllegalArgumentException(what + " has one channel; " + asked
                        + " needs several (one per label): choose binary for one thresholded channel");
                default -> {
                }
            }
        } else if (channels > 1) {
            switch (k) {
                case LABEL_MAP -> throw new IllegalArgumentException(what + " holds " + channels + " float channels, not labels; "
                        + asked + " does not apply: choose classes (argmax over the channels) or multilabel (each channel "
                        + "thresholded on its own)");
                case BINARY -> throw new IllegalArgumentException(what + " has " + channels + " channels; " + asked
                        + " reads one: choose multilabel (each channel thresholded on its own) or classes (argmax)");
                case REGRESSION -> throw new IllegalArgumentException(what + " has " + channels + " channels; " + asked
                        + " reads one value per pixel: choose classes or multilabel, or --output-name for a one-channel output");
                default -> {
                }
            }
        }
    }
}
