package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Reads the labels of a model that computes them itself: an integer tensor (int64, int32, uint8 or int8) as ints.
 * Self-contained (the JDK and ONNX Runtime only), so that generated inference code ships this very file.
 */
public final class LabelTensors {

    private LabelTensors() {
    }

    /**
     * The values of an integer tensor as ints, in order: int64 values must fit an int, uint8 values are 0..255.
     *
     * @throws IllegalArgumentException for a tensor of another type
     * @throws ArithmeticException for an int64 value outside the int range
     */
    public static int[] read(OnnxTensor t) {
        OnnxJavaType type = t.getInfo().type;
        switch (type) {
            case INT64: {
                LongBuffer b = t.getLongBuffer();
                int[] out = new int[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.toIntExact(b.get(i));
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
                boolean unsigned = type == OnnxJavaType.UINT8;
                for (int i = 0; i < out.length; i++) {
                    out[i] = unsigned ? b.get(i) & 0xFF : b.get(i);
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("cannot read labels from a " + type + " output of shape "
                        + Arrays.toString(t.getInfo().getShape()) + "; expected an integer label map");
        }
    }
}
