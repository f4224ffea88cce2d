package org.int8workbench.core.head;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.metrics.Prediction;
import org.int8workbench.core.metrics.Predictor;
import org.int8workbench.core.bench.LabelDecoder;

/**
 * A {@link LabelDecoder} for a model whose segmentation head was cut off ({@link HeadCut}): reads the low-resolution
 * logits output and computes the label maps with {@link ExactLabelHead}, equal to the original model's
 * Resize + ArgMax. Safe for concurrent use.
 */
public final class HeadLabelDecoder implements LabelDecoder, Predictor {

    private final SegmentationHead head;
    private volatile ExactLabelHead cached;

    public HeadLabelDecoder(SegmentationHead head) {
        this.head = Objects.requireNonNull(head, "head");
    }

    /** A decoder for a session whose model metadata records a head, if it does. */
    public static Optional<HeadLabelDecoder> forSession(OrtSession session) throws OrtException {
        return SegmentationHead.fromMetadata(session.getMetadata().getCustomMetadata()).map(HeadLabelDecoder::new);
    }

    /**
     * A factory for the benchmark: the exact head for models that record one, {@code null} (the benchmark's default)
     * for others.
     */
    public static LabelDecoder.Factory factory() {
        return (model, session) -> forSession(session).orElse(null);
    }

    public SegmentationHead head() {
        return head;
    }

    @Override
    public String description() {
        return "exact label head (" + head.describe() + ", Java)";
    }

    @Override
    public int[] decode(OrtSession.Result outputs) throws OrtException {
        OnnxValue v = outputs.get(head.logitsOutput()).orElseThrow(() -> new IllegalArgumentException(
                "the model has no output '" + head.logitsOutput() + "' recorded by its head"));
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("output '" + head.logitsOutput() + "' is not a tensor");
        }
        long[] shape = t.getInfo().getShape();
        ExactLabelHead h = headFor(shape);
        FloatBuffer fb = t.getFloatBuffer();
        float[] logits = new float[fb.remaining()];
        fb.get(logits);
        return h.labels(logits);
    }

    /**
     * The label map at the head's output resolution, for the evaluator. The raw tensor is left out: the cut model's
     * low-resolution logits are not comparable with a full model's output.
     */
    @Override
    public Prediction predict(OrtSession.Result outputs) throws OrtException {
        OnnxValue v = outputs.get(head.logitsOutput()).orElseThrow(() -> new IllegalArgumentException(
                "the model has no output '" + head.logitsOutput() + "' recorded by its head"));
        ExactLabelHead h = headFor(((OnnxTensor) v).getInfo().getShape());
        return new Prediction(new LabelMask(h.outputWidth(), h.outputHeight(), decode(outputs)), null);
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

    private boolean sameShape(ExactLabelHead h, long[] shape) {
        long[] s = head.channelsLast() ? new long[] {h.batch(), h.inputHeight(), h.inputWidth(), h.classes()}
                : new long[] {h.batch(), h.classes(), h.inputHeight(), h.inputWidth()};
        return Arrays.equals(s, shape);
    }
}
