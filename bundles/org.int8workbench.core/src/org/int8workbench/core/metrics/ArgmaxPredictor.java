package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * The standard predictor: takes one output of the model (the first, unless named) and
 * <ul>
 * <li>for float logits {@code [1,C,H,W]} (NCHW) or {@code [1,H,W,C]} (NHWC), takes the argmax over the classes
 * (the first maximum wins on ties; NaN never wins over a number);</li>
 * <li>for integer outputs {@code [1,H,W]}, {@code [1,1,H,W]} or {@code [1,H,W,1]} (models that already output a
 * label map), takes the labels as they are.</li>
 * </ul>
 * The layout of logits is the one whose spatial axes have the aspect of the model input; when both fit (square
 * inputs), the input layout decides.
 */
public final class ArgmaxPredictor implements Predictor {
    private final String outputName;
    private final Preprocessing.Layout inputLayout;
    private final int inputWidth;
    private final int inputHeight;

    /**
     * @param outputName the output to read, or {@code null} for the first
     * @param preprocessing the model's input size and layout, to tell NCHW from NHWC outputs
     */
    public ArgmaxPredictor(String outputName, Preprocessing preprocessing) {
        this.outputName = outputName;
        this.inputLayout = preprocessing.layout();
        this.inputWidth = preprocessing.width();
        this.inputHeight = preprocessing.height();
    }

    @Override
    public Prediction predict(OrtSession.Result result) throws OrtException {
        OnnxValue v = outputName != null ? result.get(outputName).orElseThrow(
                () -> new IllegalArgumentException("the model has no output '" + outputName + "'")) : result.get(0);
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("the model's output is a " + v.getType() + ", not a tensor; give a predictor for it");
        }
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer fb = t.getFloatBuffer();
                float[] raw = new float[fb.remaining()];
                fb.get(raw);
                return fromLogits(raw, shape);
            }
            case INT64 -> {
                LongBuffer lb = t.getLongBuffer();
                int[] labels = new int[lb.remaining()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = Math.toIntExact(lb.get(i));
                }
                return new Prediction(labelMap(labels, shape), null);
            }
            case INT32 -> {
                IntBuffer ib = t.getIntBuffer();
                int[] labels = new int[ib.remaining()];
                ib.get(labels);
                return new Prediction(labelMap(labels, shape), null);
            }
            case UINT8, INT8 -> {
                ByteBuffer bb = t.getByteBuffer();
                int[] labels = new int[bb.remaining()];
                boolean unsigned = info.type == ai.onnxruntime.OnnxJavaType.UINT8;
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = unsigned ? bb.get(i) & 0xFF : bb.get(i);
                }
                return new Prediction(labelMap(labels, shape), null);
            }
            default -> throw new IllegalArgumentException("cannot read labels from a " + info.type + " output of shape "
                    + java.util.Arrays.toString(shape) + "; expected float logits or an integer label map");
        }
    }

    /**
     * What {@link #predict} needs from a result, taken on an inference thread so that the argmax can run on another:
     * float logits are left where ONNX Runtime wrote them ({@code pinned}, which then belongs to the capture until it
     * is read and {@link Captured#discard} calls {@code release}) or copied into a new array; other outputs are
     * predicted at once.
     *
     * @param pinned the buffer of the pinned output tensor the predictor reads, or {@code null}
     * @param release gives {@code pinned} back to its owner: called by {@link Captured#discard} once the logits were
     *        read, or at once when the capture does not keep the buffer (pinned outputs outlive the result, which
     *        does not own them)
     */
    Captured capture(OrtSession.Result result, FloatBuffer pinned, Runnable release) throws OrtException {
        OnnxValue v = outputName != null ? result.get(outputName).orElse(null) : result.get(0);
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            try {
                return new Captured(null, predict(result), null, null, null, null);
            } finally {
                if (release != null) {
                    release.run();
                }
            }
        }
        long[] shape = t.getInfo().getShape();
        if (pinned != null) {
            return new Captured(this, null, null, pinned, shape, release);
        }
        if (release != null) {
            release.run();
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] raw = new float[fb.remaining()];
        fb.get(raw);
        return new Captured(this, null, raw, null, shape, null);
    }

    /**
     * A prediction taken from a result: finished ({@code done}), or float logits whose argmax is still to be taken,
     * held in an array or in a pinned output buffer. Used by one thread at a time.
     */
    static final class Captured {
        final ArgmaxPredictor predictor;
        final Prediction done;
        final long[] shape;
        private float[] raw;
        private final FloatBuffer pinned;
        private Runnable release;

        Captured(ArgmaxPredictor predictor, Prediction done, float[] raw, FloatBuffer pinned, long[] shape, Runnable release) {
            this.predictor = predictor;
            this.done = done;
            this.raw = raw;
            this.pinned = pinned;
            this.shape = shape;
            this.release = release;
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
            return done != null ? done : predictor.fromLogits(logits(), shape);
        }

        /** The class count when these are logits {@code [1,C,H,W]} (NCHW) of {@link #size} values, else -1. */
        int nchwClasses() {
            if (done != null || shape.length != 4 || shape[0] != 1 || shape[1] == 1 || shape[3] == 1 || !predictor.isNchw(shape)
                    || shape[1] * shape[2] * shape[3] != size()) {
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

    /** The output this predictor reads, or {@code null} for the first. */
    String outputName() {
        return outputName;
    }

    /** Argmax of logits of the given shape (see the class comment). */
    public Prediction fromLogits(float[] raw, long[] shape) {
        if (shape.length == 3 || (shape.length == 4 && (shape[1] == 1 || shape[3] == 1) && !(shape[1] == 1 && shape[3] == 1))) {
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = Math.round(raw[i]);
            }
            return new Prediction(labelMap(labels, shape), raw);
        }
        if (shape.length != 4 || shape[0] != 1) {
            throw new IllegalArgumentException("expected logits [1,C,H,W] or [1,H,W,C], got " + java.util.Arrays.toString(shape));
        }
        boolean nchw = isNchw(shape);
        int c = (int) (nchw ? shape[1] : shape[3]);
        int h = (int) (nchw ? shape[2] : shape[1]);
        int w = (int) (nchw ? shape[3] : shape[2]);
        return new Prediction(new LabelMask(w, h, nchw ? argmaxNchw(raw, c, w * h) : argmaxNhwc(raw, c, w * h)), raw);
    }

    private boolean isNchw(long[] s) {
        return isNchw(s, inputWidth, inputHeight, inputLayout);
    }

    private static boolean isNchw(long[] s, int inputWidth, int inputHeight, Preprocessing.Layout inputLayout) {
        boolean nchwFits = s[2] * inputWidth == s[3] * inputHeight;
        boolean nhwcFits = s[1] * inputWidth == s[2] * inputHeight;
        if (nchwFits != nhwcFits) {
            return nchwFits;
        }
        return inputLayout == Preprocessing.Layout.NCHW;
    }

    /**
     * The number of classes of a float logits output of the given shape ({@code [1,C,H,W]} or {@code [1,H,W,C]}),
     * or -1 when the shape is not that of logits with known channels (label maps, dynamic axes).
     */
    public static int classCount(long[] shape, Preprocessing preprocessing) {
        if (shape.length != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
            return -1;
        }
        long c = isNchw(shape, preprocessing.width(), preprocessing.height(), preprocessing.layout()) ? shape[1] : shape[3];
        return c > 1 ? (int) c : -1;
    }

    /** Argmax over {@code c} planes of {@code plane} floats; plane by plane so memory is read in order. */
    static int[] argmaxNchw(float[] v, int c, int plane) {
        int[] labels = new int[plane];
        float[] best = new float[plane];
        System.arraycopy(v, 0, best, 0, plane);
        for (int k = 1; k < c; k++) {
            int base = k * plane;
            for (int p = 0; p < plane; p++) {
                float x = v[base + p];
                if (x > best[p] || (best[p] != best[p] && x == x)) {
                    best[p] = x;
                    labels[p] = k;
                }
            }
        }
        return labels;
    }

    static int[] argmaxNhwc(float[] v, int c, int pixels) {
        int[] labels = new int[pixels];
        for (int p = 0, i = 0; p < pixels; p++, i += c) {
            float best = v[i];
            int bi = 0;
            for (int k = 1; k < c; k++) {
                float x = v[i + k];
                if (x > best || (best != best && x == x)) {
                    best = x;
                    bi = k;
                }
            }
            labels[p] = bi;
        }
        return labels;
    }

    private static LabelMask labelMap(int[] labels, long[] shape) {
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
            throw new IllegalArgumentException("expected a label map [1,H,W], [1,1,H,W] or [1,H,W,1], got " + java.util.Arrays.toString(shape));
        }
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("the model's label map holds a negative label " + l);
            }
        }
        return new LabelMask(w, h, labels);
    }
}
