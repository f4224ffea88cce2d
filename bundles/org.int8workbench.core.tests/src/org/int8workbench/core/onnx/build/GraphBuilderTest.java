package org.int8workbench.core.onnx.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.int8workbench.core.Ort;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.junit.jupiter.api.Test;

/** Builds tiny graphs with {@link GraphBuilder} and checks ONNX Runtime's results against hand-computed values. */
class GraphBuilderTest {

    /** Runs a one-input model and returns the named output as a flat float array. */
    static float[] runFloat(byte[] model, String input, float[] data, long[] shape, String output) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(model, o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(data), shape);
                OrtSession.Result r = s.run(Map.of(input, t))) {
            OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] a = new float[fb.remaining()];
            fb.get(a);
            return a;
        }
    }

    static long[] outputShape(byte[] model, String input, float[] data, long[] shape, String output) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(model, o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(data), shape);
                OrtSession.Result r = s.run(Map.of(input, t))) {
            return ((OnnxTensor) r.get(output).orElseThrow()).getInfo().getShape();
        }
    }

    @Test
    void convWithBiasPadsStridesGroupsAndDilations() throws OrtException {
        // input 1x2x4x4: channel 0 = 0..15, channel 1 = 1 everywhere
        float[] x = new float[32];
        for (int i = 0; i < 16; i++) {
            x[i] = i;
            x[16 + i] = 1;
        }
        // depthwise (group 2), 2x2 kernels of ones, dilation 2, stride 2, pad 1 on all sides, bias {10, -1}
        GraphBuilder b = new GraphBuilder("conv");
        b.input("x", DataType.FLOAT, 1, 2, 4, 4);
        float[] w = {1, 1, 1, 1, 1, 1, 1, 1};
        String y = b.conv("x", w, new long[] {2, 1, 2, 2}, new float[] {10, -1}, 2, 2, 1, 2);
        b.node("Identity", y).outputs("y");
        b.output("y", DataType.FLOAT, 1, 2, 2, 2);
        // padded 6x6; effective kernel 3x3 with taps at (0,0),(0,2),(2,0),(2,2); output (6-3)/2+1 = 2
        // channel 0, out (0,0): taps at padded (0,0),(0,2),(2,0),(2,2) -> x(-1,-1)=0, x(-1,1)=0, x(1,-1)=0, x(1,1)=5
        // out (0,1): padded cols 2,4 -> x(-1,1),x(-1,3),x(1,1),x(1,3) = 0+0+5+7 = 12
        // out (1,0): rows 1,3: x(1,-1),x(1,1),x(3,-1),x(3,1) = 0+5+0+13 = 18
        // out (1,1): x(1,1)+x(1,3)+x(3,1)+x(3,3) = 5+7+13+15 = 40
        // channel 1: number of in-image taps: 1, 2, 2, 4
        float[] expected = {15, 22, 28, 50, 0, 1, 1, 3};
        assertArrayEquals(expected, runFloat(b.toBytes(), "x", x, new long[] {1, 2, 4, 4}, "y"));
    }

    @Test
    void convWithAsymmetricPadsAndNoBias() throws OrtException {
        // 1x1x3x3 input 1..9, 2 output channels, 1x2 kernel {1, -1} and {2, 0}, pads top0 left1 bottom0 right0, strides (1,2)
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        GraphBuilder b = new GraphBuilder("conv2");
        b.input("x", DataType.FLOAT, 1, 1, 3, 3);
        String y = b.conv("x", new float[] {1, -1, 2, 0}, new long[] {2, 1, 1, 2}, null, 1, new int[] {1, 2},
                new int[] {0, 1, 0, 0}, new int[] {1, 1});
        b.output(y, DataType.FLOAT);
        // padded row [0 a b c]; width (4-2)/2+1 = 2; windows (0,a), (b,c)
        // ch0: 0-a, b-c ; ch1: 0, 2b
        float[] expected = {-1, -1, -4, -1, -7, -1, 0, 4, 0, 10, 0, 16};
        assertArrayEquals(expected, runFloat(b.toBytes(), "x", x, new long[] {1, 1, 3, 3}, y));
    }

    @Test
    void clipInBothOpsetForms() throws OrtException {
        float[] x = {-3, 0.5f, 6.5f, 3};
        for (int opset : new int[] {9, 13}) {
            GraphBuilder b = new GraphBuilder("clip").opset(opset);
            b.input("x", DataType.FLOAT, 4);
            String y = b.relu6("x");
            b.output(y, DataType.FLOAT, 4);
            assertArrayEquals(new float[] {0, 0.5f, 6, 3}, runFloat(b.toBytes(), "x", x, new long[] {4}, y), "opset " + opset);
        }
    }

    @Test
    void addConcatGlobalPoolAndSymbolicBatch() throws OrtException {
        GraphBuilder b = new GraphBuilder("misc");
        b.input("x", DataType.FLOAT, "N", 1, 2, 2);
        String c = b.initializer("c", new float[] {100}, 1);
        String sum = b.add("x", c);
        String cat = b.concat(1, "x", sum);
        String pooled = b.globalAveragePool(cat);
        b.node("Identity", pooled).outputs("out");
        b.output("out", DataType.FLOAT, "N", 2, 1, 1);
        float[] x = {1, 2, 3, 4, 10, 20, 30, 40};
        byte[] model = b.toBytes();
        assertArrayEquals(new float[] {2.5f, 102.5f, 25, 125}, runFloat(model, "x", x, new long[] {2, 1, 2, 2}, "out"));
        assertArrayEquals(new long[] {2, 2, 1, 1}, outputShape(model, "x", x, new long[] {2, 1, 2, 2}, "out"));
    }

    @Test
    void argmaxFirstMaximumWins() throws OrtException {
        GraphBuilder b = new GraphBuilder("argmax");
        b.input("x", DataType.FLOAT, 1, 3, 1, 2);
        String a = b.argmax("x", 1);
        b.output(a, DataType.INT64, 1, 1, 1, 2);
        // pixel 0: classes {1, 5, 5} -> 1 (first max); pixel 1: {7, 2, 7} -> 0
        float[] x = {1, 7, 5, 2, 5, 7};
        try (OrtSession s = Ort.env().createSession(b.toBytes(), new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), new long[] {1, 3, 1, 2});
                OrtSession.Result r = s.run(Map.of("x", t))) {
            LongBuffer lb = ((OnnxTensor) r.get(0)).getLongBuffer();
            assertEquals(1, lb.get(0));
            assertEquals(0, lb.get(1));
        }
    }

    @Test
    void resizeLinearAlignCornersWithSizes() throws OrtException {
        GraphBuilder b = new GraphBuilder("resize");
        b.input("x", DataType.FLOAT, 1, 1, 2, 2);
        String y = b.resize("x", ResizeSpec.linear().withTransform("align_corners").withSizes(1, 1, 3, 3));
        b.output(y, DataType.FLOAT, 1, 1, 3, 3);
        float[] x = {0, 2, 4, 6};
        assertArrayEquals(new float[] {0, 1, 2, 2, 3, 4, 4, 5, 6}, runFloat(b.toBytes(), "x", x, new long[] {1, 1, 2, 2}, y));
    }

    @Test
    void resizeLinearHalfPixelWithScalesInEveryOpsetForm() throws OrtException {
        // 1x1x1x2 -> 1x1x1x4, half_pixel: x_orig = (x+0.5)/2-0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1
        float[] x = {0, 4};
        float[] expected = {0, 1, 3, 4};
        for (int opset : new int[] {11, 13, 18, 19}) {
            GraphBuilder b = new GraphBuilder("resize").opset(opset);
            b.input("x", DataType.FLOAT, 1, 1, 1, 2);
            String y = b.resize("x", ResizeSpec.linear().withScales(1, 1, 1, 2));
            b.output(y, DataType.FLOAT);
            assertArrayEquals(expected, runFloat(b.toBytes(), "x", x, new long[] {1, 1, 1, 2}, y), "opset " + opset);
        }
        // opset 10 has asymmetric semantics: x_orig = x/2 -> 0, 0.5, 1, 1.5 (clamped 1)
        GraphBuilder b = new GraphBuilder("resize10").opset(10);
        b.input("x", DataType.FLOAT, 1, 1, 1, 2);
        String y = b.resize("x", ResizeSpec.linear().withScales(1, 1, 1, 2));
        b.output(y, DataType.FLOAT);
        assertArrayEquals(new float[] {0, 2, 4, 4}, runFloat(b.toBytes(), "x", x, new long[] {1, 1, 1, 2}, y));
    }

    @Test
    void resizeNearestModes() throws OrtException {
        // 1x1x1x3 -> 1x1x1x5 asymmetric: x_orig = x*3/5 = 0, 0.6, 1.2, 1.8, 2.4
        float[] x = {10, 20, 30};
        Map<String, float[]> expected = new LinkedHashMap<>();
        expected.put("floor", new float[] {10, 10, 20, 20, 30});
        expected.put("ceil", new float[] {10, 20, 30, 30, 30});
        expected.put("round_prefer_floor", new float[] {10, 20, 20, 30, 30});
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            GraphBuilder b = new GraphBuilder("nearest");
            b.input("x", DataType.FLOAT, 1, 1, 1, 3);
            String y = b.resize("x", ResizeSpec.nearest().withTransform("asymmetric").withNearestMode(e.getKey()).withSizes(1, 1, 1, 5));
            b.output(y, DataType.FLOAT);
            assertArrayEquals(e.getValue(), runFloat(b.toBytes(), "x", x, new long[] {1, 1, 1, 3}, y), e.getKey());
        }
    }

    @Test
    void integerInitializersAndAttributes() throws OrtException {
        GraphBuilder b = new GraphBuilder("ints").opset(13);
        b.input("x", DataType.FLOAT, 4);
        // int8, uint8 and int32 through DequantizeLinear; int64 via Reshape's shape input
        String s = b.initializer(null, new float[] {0.5f});
        String q8 = b.node("DequantizeLinear", b.initializerInt8(null, new byte[] {-2, 0, 2, 4}, 4), s,
                b.initializerInt8(null, new byte[] {0})).output();
        String u8 = b.node("DequantizeLinear", b.initializerUint8(null, new byte[] {(byte) 200, 0, 1, 2}, 4), s,
                b.initializerUint8(null, new byte[] {(byte) 128})).output();
        String i32 = b.node("DequantizeLinear", b.initializer(null, new int[] {1, 2, 3, 1000}, 4), s).output();
        String sum = b.add(b.add(b.add("x", q8), u8), i32);
        // Constant nodes with tensor, float and floats attributes
        String ct = b.node("Constant").attr("value", GraphBuilder.floatTensor("ct", new float[] {1, 1, 1, 1}, 4)).output();
        String cf = b.node("Constant").attr("value_float", 0.25f).output();
        String cfs = b.node("Constant").attrFloats("value_floats", 0, 0, 0, 100).output();
        String cis = b.node("Constant").attrInts("value_ints", 2, 2).output();
        String total = b.add(b.add(b.add(sum, ct), cf), cfs);
        String shaped = b.node("Reshape", total, b.initializer(null, new long[] {2, -1}, 2)).output();
        String flat = b.node("Reshape", shaped, b.node("Constant").attrInts("value_ints", 4).output()).output();
        b.node("Identity", flat).outputs("y");
        b.output("y", DataType.FLOAT, 4);
        b.node("Identity", cis).outputs("unused_shape");
        b.output("unused_shape", DataType.INT64, 2);
        b.metadata("k", "v").docString("test");
        // x + int8 (-1,0,1,2) + uint8 (36,-64,-63.5,-63) + int32 (0.5,1,1.5,500) + 1 + 0.25 + (0,0,0,100)
        float[] x = {0, 0, 0, 0};
        float[] expected = {36.75f, -61.75f, -59.75f, 540.25f};
        byte[] model = b.toBytes();
        assertArrayEquals(expected, runFloat(model, "x", x, new long[] {4}, "y"));
        try (OrtSession sess = Ort.env().createSession(model, new OrtSession.SessionOptions())) {
            assertEquals("v", sess.getMetadata().getCustomMetadata().get("k"));
        }
        ModelProto m = b.build();
        assertEquals(7, m.getIrVersion());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        // node names are unique
        assertEquals(m.getGraph().getNodeCount(), m.getGraph().getNodeList().stream().map(n -> n.getName()).distinct().count());
    }

    @Test
    void argumentErrors() {
        GraphBuilder b = new GraphBuilder("bad");
        assertThrows(IllegalArgumentException.class, () -> b.initializer("w", new float[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> b.conv("x", new float[4], new long[] {1, 4}, null, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> b.resize("x", ResizeSpec.linear()));
        assertThrows(IllegalArgumentException.class, () -> b.input("x", DataType.FLOAT, 1.5, new Object()));
    }
}
