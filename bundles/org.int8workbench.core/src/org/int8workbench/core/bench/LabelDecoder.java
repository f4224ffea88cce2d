package org.int8workbench.core.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Turns a model's outputs into label maps: the "end" of end-to-end figures. Implementations must be safe
 * for concurrent use (the throughput benchmark decodes on several threads).
 */
public interface LabelDecoder {

    /** What it does, for reports, e.g. {@code argmax over axis 1 (Java)}. */
    String description();

    /**
     * The label maps of every image of the batch, concatenated ({@code batch * height * width} labels,
     * row-major).
     */
    int[] decode(OrtSession.Result outputs) throws OrtException;

    /**
     * Chooses a decoder for a model, or returns {@code null} to let the benchmark choose its default
     * ({@link #forOutput}). Lets other parts of the core supply decoders, e.g. an exact label head for a
     * model cut before its upsampling.
     */
    @FunctionalInterface
    interface Factory {
        LabelDecoder create(java.nio.file.Path model, OrtSession session) throws OrtException, java.io.IOException;
    }

    /**
     * The default decoder for a model's first output: labels as they are for integer outputs (the model already
     * computes labels), else an argmax over the class axis ({@link #argmax(int)} with the axis guessed by
     * {@link #guessClassAxis}).
     */
    static LabelDecoder forOutput(NodeInfo output) {
        if (!(output.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException("output '" + output.getName() + "' is not a tensor; cannot produce labels from it");
        }
        return switch (t.type) {
            case FLOAT -> argmax(guessClassAxis(t.getShape()));
            case INT64, INT32, UINT8, INT8 -> identity();
            default -> throw new IllegalArgumentException("output '" + output.getName() + "' has element type " + t.type
                    + "; expected float scores or integer labels");
        };
    }

    /**
     * The class axis of a 4-D score tensor: 1 (NCHW) unless axis 3 is fixed and smaller than axis 1 (NHWC);
     * {@code -1} when the shape is not 4-D.
     */
    static int guessClassAxis(long[] shape) {
        if (shape.length != 4) {
            return -1;
        }
        if (shape[3] > 0 && (shape[1] < 0 || shape[3] < shape[1])) {
            return 3;
        }
        return 1;
    }

    /**
     * Argmax over the class axis of float scores in the first output ({@code [N,C,H,W]} for axis 1,
     * {@code [N,H,W,C]} for axis 3); the first maximum wins, as ONNX {@code ArgMax}.
     */
    static LabelDecoder argmax(int classAxis) {
        if (classAxis != 1 && classAxis != 3) {
            throw new IllegalArgumentException("class axis must be 1 (NCHW) or 3 (NHWC) of a 4-D score tensor, got " + classAxis);
        }
        return new LabelDecoder() {
            @Override
            public String description() {
                return "argmax over axis " + classAxis + " (" + (classAxis == 1 ? "NCHW" : "NHWC") + ", Java)";
            }

            @Override
            public int[] decode(OrtSession.Result outputs) throws OrtException {
                OnnxTensor t = firstTensor(outputs);
                long[] s = t.getInfo().getShape();
                if (s.length != 4) {
                    throw new IllegalArgumentException("expected 4-D scores, got shape " + Arrays.toString(s));
                }
                FloatBuffer b = t.getFloatBuffer();
                return classAxis == 1 ? argmaxNchw(b, (int) s[0], (int) s[1], (int) (s[2] * s[3]))
                        : argmaxNhwc(b, (int) s[0], (int) s[3], (int) (s[1] * s[2]));
            }
        };
    }

    /** Labels as the model outputs them (integer tensor of shape {@code [N,H,W]} or {@code [N,1,H,W]}). */
    static LabelDecoder identity() {
        return new LabelDecoder() {
            @Override
            public String description() {
                return "labels from the model (no decoding)";
            }

            @Override
            public int[] decode(OrtSession.Result outputs) throws OrtException {
                OnnxTensor t = firstTensor(outputs);
                OnnxJavaType type = t.getInfo().type;
                switch (type) {
                    case INT64: {
                        LongBuffer b = t.getLongBuffer();
                        int[] out = new int[b.remaining()];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = (int) b.get(i);
                        }
                        return out;
                    }
                    case INT32: {
                        IntBuffer b = t.getIntBuffer();
                        int[] out = new int[b.remaining()];
                        b.get(out);
                        return out;
                    }
                    case UINT8:
                    case INT8: {
                        ByteBuffer b = t.getByteBuffer();
                        int[] out = new int[b.remaining()];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = type == OnnxJavaType.UINT8 ? b.get(i) & 0xff : b.get(i);
                        }
                        return out;
                    }
                    default:
                        throw new IllegalArgumentException("expected integer labels, got " + type);
                }
            }
        };
    }

    /** Argmax over {@code classes} planes of {@code pixels} floats per image; first maximum wins. */
    static int[] argmaxNchw(FloatBuffer b, int batch, int classes, int pixels) {
        int[] labels = new int[batch * pixels];
        float[] best = new float[pixels];
        for (int n = 0; n < batch; n++) {
            int base = n * classes * pixels;
            int lo = n * pixels;
            b.get(base, best, 0, pixels);
            for (int c = 1; c < classes; c++) {
                int plane = base + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    float v = b.get(plane + p);
                    if (v > best[p]) {
                        best[p] = v;
                        labels[lo + p] = c;
                    }
                }
            }
        }
        return labels;
    }

    /** Argmax over the last axis of {@code batch * pixels} vectors of {@code classes} floats; first maximum wins. */
    static int[] argmaxNhwc(FloatBuffer b, int batch, int classes, int pixels) {
        int total = batch * pixels;
        int[] labels = new int[total];
        for (int p = 0; p < total; p++) {
            int base = p * classes;
            float best = b.get(base);
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                float v = b.get(base + c);
                if (v > best) {
                    best = v;
                    arg = c;
                }
            }
            labels[p] = arg;
        }
        return labels;
    }

    private static OnnxTensor firstTensor(OrtSession.Result outputs) {
        OnnxValue v = outputs.get(0);
        if (v instanceof OnnxTensor t) {
            return t;
        }
        throw new IllegalArgumentException("the model's first output is not a tensor");
    }
}
