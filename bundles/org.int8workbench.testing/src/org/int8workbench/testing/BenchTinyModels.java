package org.int8workbench.testing;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;

/**
 * Tiny ONNX graphs for the benchmark and optimized-graph tests: a float Conv+Relu with a dynamic batch axis,
 * a uint8 QDQ Conv followed by a QDQ-wrapped Resize, and a float Conv followed by a Resize head.
 */
public final class BenchTinyModels {
    private BenchTinyModels() {
    }

    /** {@code X[N,3,8,8] → Conv(3→4, 3x3, pad 1) → Relu → Y[N,4,8,8]}, batch axis dynamic ("N"). */
    public static OnnxMl.ModelProto floatConv() {
        GraphBuilder b = new GraphBuilder("tiny_float_conv").opset(13);
        b.input("X", DataType.FLOAT, "N", 3, 8, 8);
        String c = b.conv("X", gaussian(4 * 3 * 3 * 3, 1), new long[] {4, 3, 3, 3}, gaussian(4, 2), 1, 1, 1, 1);
        b.node("Relu", c).outputs("Y");
        b.output("Y", DataType.FLOAT, "N", 4, 8, 8);
        return b.build();
    }

    /**
     * {@code X[1,3,8,8] → Q(u8) → DQ → Conv(int8 weights via DQ) → Q → DQ → Resize(linear, x2) → Q → DQ → Y[1,4,16,16]}:
     * ONNX Runtime fuses the Conv into an integer kernel and leaves the Resize float.
     */
    public static OnnxMl.ModelProto qdqConvResize() {
        GraphBuilder b = new GraphBuilder("tiny_qdq_conv_resize").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, 8, 8);
        String sx = b.initializer("s_x", new float[] {0.02f});
        String zx = b.initializerUint8("z_x", new byte[] {(byte) 128});
        String sw = b.initializer("s_w", new float[] {0.01f});
        String zw = b.initializerInt8("z_w", new byte[] {0});
        String sc = b.initializer("s_c", new float[] {0.05f});
        String zc = b.initializerUint8("z_c", new byte[] {(byte) 128});
        byte[] w = new byte[4 * 3 * 3 * 3];
        new Random(3).nextBytes(w);
        String wq = b.initializerInt8("W_q", w, 4, 3, 3, 3);
        String xq = b.node("QuantizeLinear", "X", sx, zx).name("q_x").output();
        String xdq = b.node("DequantizeLinear", xq, sx, zx).name("dq_x").output();
        String wdq = b.node("DequantizeLinear", wq, sw, zw).name("dq_w").output();
        String c = b.node("Conv", xdq, wdq).name("conv").attrInts("pads", 1, 1, 1, 1).output();
        String cq = b.node("QuantizeLinear", c, sc, zc).name("q_c").output();
        String cdq = b.node("DequantizeLinear", cq, sc, zc).name("dq_c").output();
        String r = b.resize(cdq, ResizeSpec.linear().withScales(1, 1, 2, 2));
        String rq = b.node("QuantizeLinear", r, sc, zc).name("q_r").output();
        b.node("DequantizeLinear", rq, sc, zc).name("dq_r").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 4, 16, 16);
        return b.build();
    }

    /**
     * {@code X[1,3,8,8] → Conv(3→4, 3x3, pad 1) → Resize(linear, half_pixel, x2) → Y[1,4,16,16]}: class logits
     * upsampled at the end, a segmentation head that {@code CutHeadOperation} cuts off.
     */
    public static OnnxMl.ModelProto floatConvResize() {
        GraphBuilder b = new GraphBuilder("tiny_float_conv_resize").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, 8, 8);
        String c = b.conv("X", gaussian(4 * 3 * 3 * 3, 4), new long[] {4, 3, 3, 3}, gaussian(4, 5), 1, 1, 1, 1);
        String r = b.resize(c, ResizeSpec.linear().withSizes(1, 4, 16, 16));
        b.node("Identity", r).outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 4, 16, 16);
        return b.build();
    }

    /** Writes {@code model} to {@code dir/name}. */
    public static Path write(OnnxMl.ModelProto model, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.write(p, model.toByteArray());
        return p;
    }

    private static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.3);
        }
        return v;
    }
}
