package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.int8workbench.core.dataset.LabelMask;

/**
 * The decoder of {@link OutputKind#CUT_HEAD} outputs: a model whose segmentation head was cut off (by
 * {@code org.int8workbench.core.head.HeadCut}, which records the head in the model's metadata) outputs low-resolution
 * logits; {@link ExactLabelHead} computes the label maps from them, equal to the original model's Resize + ArgMax.
 * Safe for concurrent use.
 */
public final class HeadLabelDecoder implements LabelDecoder {

    private final SegmentationHead head;
    private volatile ExactLabelHead cached;

    public HeadLabelDecoder(SegmentationHead head) {
        this.head = Objects.requireNonNull(head, "head");
    }

    /** A decoder for a session whose model metadata records a head, if it does. */
    public static Optional<HeadLabelDecoder> forSession(OrtSession session) throws OrtException {
        return SegmentationHead.fromMetadata(session.getMetadata().getCustomMetadata()).map(HeadLabelDecoder::new);
    }

    public SegmentationHead head() {
        return head;
    }

    @Override
    public OutputKind kind() {
        return OutputKind.CUT_HEAD;
    }

    /**
     * The output of the full model that the head gives back (the removed graph output, so that the cut model's
     * prediction is named like its parent's), its classes, and the recorded head as the reason.
     */
    @Override
    public ModelOutput output() {
        String name = head.originalOutput() != null ? head.originalOutput() : head.logitsOutput();
        return new ModelOutput(name, OutputKind.CUT_HEAD, head.numClasses(), java.util.List.of(), false, null,
                "the model records its cut-off head (" + head.describe() + ")");
    }

    @Override
    public String description() {
        return "exact label head (" + head.describe() + ", Java)";
    }

    @Override
    public int[] decodeBatch(OrtSession.Result outputs) throws OrtException {
        OnnxTensor t = logits(outputs);
        ExactLabelHead h = headFor(t.getInfo().getShape());
        FloatBuffer fb = t.getFloatBuffer();
        float[] logits = new float[fb.remaining()];
        fb.get(logits);
        return h.labels(logits);
    }

    /**
     * The label map at the head's output resolution. The raw tensor is left out: the cut model's low-resolution logits
     * are not comparable with a full model's output.
     */
    @Override
    public Prediction decode(OrtSession.Result outputs) throws OrtException {
        ExactLabelHead h = headFor(logits(outputs).getInfo().getShape());
        return new Prediction(new LabelMask(h.outputWidth(), h.outputHeight(), decodeBatch(outputs)), null);
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
