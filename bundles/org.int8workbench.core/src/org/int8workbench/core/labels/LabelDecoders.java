package org.int8workbench.core.labels;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;
import java.util.Optional;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * Chooses how a model's outputs become labels, from the model itself; the one place that does. In order:
 * <ol>
 * <li>the model's metadata records a cut-off head ({@link SegmentationHead#METADATA_KEY}):
 * {@link HeadLabelDecoder}, the exact labels of the removed {@code Resize (+ ArgMax)};</li>
 * <li>the first output is float: {@link ArgmaxDecoder} (class scores; the layout rule needs the input size and
 * layout, from the given preprocessing or else the model);</li>
 * <li>the first output is an integer tensor: {@link LabelMapDecoder} (labels as they are).</li>
 * </ol>
 * New {@link OutputKind}s are recognised here, before the fallbacks, so that every caller picks them up.
 */
public final class LabelDecoders {

    /** {@link #forSession} as a {@link LabelDecoder.Factory}. */
    public static final LabelDecoder.Factory FROM_MODEL = LabelDecoders::forSession;

    private LabelDecoders() {
    }

    /**
     * The decoder for the model of a session (see the class comment).
     *
     * @param preprocessing the model's input size and layout, or {@code null} to take them from the model (its
     *        recorded preprocessing, else a 4-D image input shape; unknown otherwise)
     * @throws IllegalArgumentException when the first output is neither float scores nor integer labels
     */
    public static LabelDecoder forSession(OrtSession session, Preprocessing preprocessing) throws OrtException {
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        Optional<SegmentationHead> head = SegmentationHead.fromMetadata(metadata);
        if (head.isPresent()) {
            return new HeadLabelDecoder(head.get());
        }
        Preprocessing input = preprocessing != null ? preprocessing : inputOf(session, metadata);
        NodeInfo first = session.getOutputInfo().values().iterator().next();
        if (!(first.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException("the model's output '" + first.getName() + "' is not a tensor; cannot produce labels from it");
        }
        return choose(null, first.getName(), t, input);
    }

    /**
     * The decoders for a model's outputs as the user selected them: one per reported output, in the model's output
     * order. With {@link OutputSelection#AUTO} the kind of every output is found from the graph (final {@code Softmax},
     * {@code Sigmoid}, {@code ArgMax}, channel count, element type) and every output of the first output's kind is
     * reported; a model recording a cut-off head gets its {@link HeadLabelDecoder} only.
     *
     * @param modelFile the model file of the session (its graph is read to find the output kinds)
     * @param preprocessing the model's input size and layout, or {@code null} to read them from the model
     * @throws IllegalArgumentException when the selection does not fit the model (no such output, a kind that the output
     *         cannot have), with a message saying what to choose instead
     */
    public static java.util.List<LabelDecoder> forModel(java.nio.file.Path modelFile, OrtSession session, Preprocessing preprocessing,
            OutputSelection selection) throws OrtException, java.io.IOException {
        if (selection == null || selection.isAuto()) {
            return java.util.List.of(forSession(session, preprocessing));
        }
        throw new UnsupportedOperationException("#13: output selection not implemented yet");
    }

    /**
     * The decoder for one output given its type and declared shape, when the model records no head: argmax for float
     * scores, labels as they are for integer outputs.
     *
     * @param outputName the output the decoder reads, or {@code null} for the first
     * @param info the output's type and declared shape
     * @param input the model's input size and layout, or {@code null} when not known
     * @throws IllegalArgumentException when the output is neither float scores nor integer labels
     */
    public static LabelDecoder forOutput(String outputName, TensorInfo info, Preprocessing input) {
        return choose(outputName, outputName != null ? outputName : "#0", info, input);
    }

    private static LabelDecoder choose(String outputName, String displayName, TensorInfo info, Preprocessing input) {
        return switch (info.type) {
            case FLOAT -> new ArgmaxDecoder(outputName, input, info.getShape());
            case INT64, INT32, UINT8, INT8 -> new LabelMapDecoder(outputName);
            default -> throw new IllegalArgumentException("output '" + displayName + "' has element type " + info.type
                    + "; expected float class scores or integer labels");
        };
    }

    /** The preprocessing a model records, else the defaults for its 4-D image input, else {@code null}. */
    private static Preprocessing inputOf(OrtSession session, Map<String, String> metadata) throws OrtException {
        NodeInfo in = session.getInputInfo().values().iterator().next();
        long[] shape = in.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
        return Preprocessing.forModel(metadata, shape).orElse(null);
    }

    /** The output tensor a decoder reads: the named one, or the first for {@code null}. */
    static OnnxTensor tensor(OrtSession.Result result, String outputName) {
        OnnxValue v = outputName != null ? result.get(outputName).orElseThrow(
                () -> new IllegalArgumentException("the model has no output '" + outputName + "'")) : result.get(0);
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("the model's output " + (outputName != null ? "'" + outputName + "' " : "")
                    + "is a " + v.getType() + ", not a tensor; cannot produce labels from it");
        }
        return t;
    }
}
