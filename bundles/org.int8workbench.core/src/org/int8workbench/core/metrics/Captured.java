package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.labels.ScoreLayout;

/**
 * A prediction taken from a result: finished ({@code done}), or float logits whose argmax is still to be taken,
 * held in an array or in a pinned output buffer. Used by one thread at a time.
 */
final class Captured {
    final ArgmaxDecoder predictor;
    final Prediction done;
    final long[] shape;
    private float[] raw;
    private final FloatBuffer pinned;
    private Runnable release;
    /** The predictions of the further reported outputs, decoded on the inference thread (empty for one output). */
    java.util.List<Prediction> others = java.util.List.of();

    Captured(ArgmaxDecoder predictor, Prediction done, float[] raw, FloatBuffer pinned, long[] shape, Runnable release) {
        this.predictor = predictor;
        this.done = done;
        this.raw = raw;
        this.pinned = pinned;
        this.shape = shape;
        this.release = release;
    }

    /**
     * What {@link ArgmaxDecoder#decode} needs from a result, taken on an inference thread so that the argmax can run
     * on another: float logits are left where ONNX Runtime wrote them ({@code pinned}, which then belongs to the
     * capture until it is read and {@link Captured#discard} calls {@code release}) or copied into a new array; other
     * outputs are predicted at once.
     *
     * @param pinned the buffer of the pinned output tensor the predictor reads, or {@code null}
     * @param release gives {@code pinned} back to its owner: called by {@link Captured#discard} once the logits were
     *        read, or at once when the capture does not keep the buffer (pinned outputs outlive the result, which
     *        does not own them)
     */
    static Captured of(ArgmaxDecoder predictor, OrtSession.Result result, FloatBuffer pinned, Runnable release) throws OrtException {
        String outputName = predictor.outputName();
        OnnxValue v = outputName != null ? result.get(outputName).orElse(null) : result.get(0);
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
            try {
                return new Captured(null, predictor.decode(result), null, null, null, null);
            } finally {
                if (release != null) {
                    release.run();
                }
            }
        }
        long[] shape = t.getInfo().getShape();
        if (pinned != null) {
            return new Captured(predictor, null, null, pinned, shape, release);
        }
        if (release != null) {
            release.run();
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return new Captured(predictor, null, raw, null, shape, null);
    }

    /** The number of logits (0 for a finished prediction). */
    int size() {
        return raw != null ? raw.length : pinned != null ? pinned.limit() : 0;
    }

    /**
     * The logits as a buffer holding them from index 0: the pinned output ONNX Runtime wrote (valid until
     * {@link #discard}), or the captured array.
     */
    FloatBuffer buffer() {
        return raw != null ? FloatBuffer.wrap(raw) : pinned;
    }

    /** The logits as an array: the captured one, or the pinned buffer copied out, after which it is released. */
    float[] logits() {
        if (raw == null && pinned != null) {
            int n = pinned.limit();
            float[] dst = new float[n];
            pinned.get(0, dst, 0, n);
            raw = dst;
            discard();
        }
        return raw;
    }

    /** Gives the pinned buffer back, once read (or unread, after a failure); the logits are gone from it then. */
    void discard() {
        Runnable r = release;
        release = null;
        if (r != null) {
            r.run();
        }
    }

    Prediction prediction() {
        return done != null ? done : predictor.fromScores(logits(), shape);
    }

    /** The class count when these are logits {@code [1,C,H,W]} (NCHW) of {@link #size} values, else -1. */
    int nchwClasses() {
        if (done != null || shape.length != 4 || shape[0] != 1 || shape[1] == 1 || shape[3] == 1
                || predictor.layout(shape) != ScoreLayout.NCHW || shape[1] * shape[2] * shape[3] != size()) {
            return -1;
        }
        return (int) shape[1];
    }

    int width() {
        return (int) shape[3];
    }

    int height() {
        return (int) shape[2];
    }
}
