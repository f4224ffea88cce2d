package org.int8workbench.core.labels;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.int8workbench.core.Ort;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * Tiny generated graphs for the output kinds, and the arithmetic they do written plainly in Java, so that every test
 * knows its exact answer: an image input {@code [1,3,H,W]} (or NHWC), a 1x1 convolution whose weights make every
 * output value a multiple of 0.5 plus 0.25 (never 0, so thresholds at 0 and 0.5 are never borderline), then the head
 * of the kind under test.
 */
final class KindGraphs {
    static final int H = 4;
    static final int W = 6;
    static final int PIXELS = H * W;

    /** Per output channel: the weights of the 3 input channels; bias 0.25 for all. */
    static final float[][] WEIGHTS = {{1, -2, 0.5f}, {-1, 1, 1}, {0.5f, 0.5f, -1}};
    static final float BIAS = 0.25f;

    private KindGraphs() {
    }

    /** A graph with input {@code x} [N,3,H,W] (or [N,H,W,3] when {@code nhwc}) of the given batch ("N" for dynamic). */
    static GraphBuilder graph(boolean nhwc, Object batch) {
        GraphBuilder b = new GraphBuilder("kinds").opset(13);
        if (nhwc) {
            b.input("x", DataType.FLOAT, batch, H, W, 3);
        } else {
            b.input("x", DataType.FLOAT, batch, 3, H, W);
        }
        return b;
    }

    /** The 1x1 convolution of {@code channels} output channels on NCHW {@code in}. */
    static String conv(GraphBuilder b, String in, int channels) {
        float[] w = new float[channels * 3];
        float[] bias = new float[channels];
        for (int m = 0; m < channels; m++) {
            System.arraycopy(WEIGHTS[m], 0, w, m * 3, 3);
            bias[m] = BIAS;
        }
        return b.conv(in, w, new long[] {channels, 3, 1, 1}, bias, 1, 1, 0, 1);
    }

    static String toNchw(GraphBuilder b, String x) {
        return b.node("Transpose", x).attrInts("perm", 0, 3, 1, 2).output();
    }

    static String toNhwc(GraphBuilder b, String x) {
        return b.node("Transpose", x).attrInts("perm", 0, 2, 3, 1).output();
    }

    static String sigmoid(GraphBuilder b, String x) {
        return b.node("Sigmoid", x).output();
    }

    /** {@code QuantizeLinear -> DequantizeLinear} with scale 1/255, zero point 0 (uint8), as an INT8 model wraps outputs. */
    static String qdq(GraphBuilder b, String x) {
        String scale = b.initializer(b.unique("scale"), new float[] {1f / 255}, new long[0]);
        String zp = b.initializerUint8(b.unique("zp"), new byte[] {0}, new long[0]);
        String q = b.node("QuantizeLinear", x, scale, zp).output();
        return b.node("DequantizeLinear", q, scale, zp).output();
    }

    /** Names {@code t} as graph output {@code name} of the given type and shape. */
    static void output(GraphBuilder b, String t, String name, DataType type, Object... dims) {
        b.node("Identity", t).outputs(name);
        b.output(name, type, dims);
    }

    /** Seeded integer pixels in [-3, 3], {@code batch} images, in the input's layout. */
    static float[] input(long seed, int batch) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * 3 * PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(7) - 3;
        }
        return x;
    }

    /** The convolution's output channel {@code m} for image {@code n}, pixel by pixel, from an input in the given layout. */
    static float[] convChannel(float[] x, int n, int m, boolean nhwc) {
        float[] out = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            double s = BIAS;
            for (int c = 0; c < 3; c++) {
                float v = nhwc ? x[(n * PIXELS + p) * 3 + c] : x[(n * 3 + c) * PIXELS + p];
                s += WEIGHTS[m][c] * v;
            }
            out[p] = (float) s;
        }
        return out;
    }

    /** 1 where {@code v > 0}: a sigmoid above 0.5. */
    static int[] positive(float[] v) {
        int[] l = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i] > 0 ? 1 : 0;
        }
        return l;
    }

    static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    /** Writes a graph to a file of the given folder, for {@link LabelDecoders#forModel}. */
    static Path write(GraphBuilder b, Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b.toBytes());
        return p;
    }

    static OrtSession session(Path model) throws OrtException {
        return Ort.env().createSession(model.toString(), new OrtSession.SessionOptions());
    }

    /** Runs the model on {@code x} of the given shape. */
    static OrtSession.Result run(OrtSession s, float[] x, long... shape) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape)) {
            return s.run(Map.of("x", t));
        }
    }
}
