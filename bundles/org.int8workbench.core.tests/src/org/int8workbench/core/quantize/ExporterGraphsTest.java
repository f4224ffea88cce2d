package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;

/**
 * Graphs as exporters write them, on small generated models: weights in Constant nodes, initializers listed as graph
 * inputs (IR 3), unfolded BatchNormalization after Conv and ConvTranspose, a dynamic input, MatMul, opsets 11 and 21,
 * FP16, a rank-3 input ([3,H,W], quantized as its [1,3,H,W] twin) and a rank-5 one (refused). The working copy must
 * compute what the parent computes, and the quantized result must run in ONNX Runtime with the Conv as QLinearConv.
 */
class ExporterGraphsTest {

    static final Preprocessing PRE = Preprocessing.defaults(16, 16, Preprocessing.Layout.NCHW);

    static String constant(GraphBuilder b, String name, float[] v, long... dims) {
        b.node("Constant").attr("value", GraphBuilder.floatTensor(name, v, dims)).outputs(name);
        return name;
    }

    static String bn(GraphBuilder b, String x, int c, Random r, boolean asConstants) {
        float[] gamma = TinyModels.random(r, c, 0.5f);
        float[] beta = TinyModels.random(r, c, 0.2f);
        float[] mean = TinyModels.random(r, c, 0.2f);
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            gamma[i] += 1;
            var[i] = 0.5f + r.nextFloat();
        }
        String tag = x.replace('/', '_');
        String[] in = asConstants
                ? new String[] {constant(b, tag + "_g", gamma, c), constant(b, tag + "_b", beta, c), constant(b, tag + "_m", mean, c),
                    constant(b, tag + "_v", var, c)}
                : new String[] {b.initializer(tag + "_g", gamma, c), b.initializer(tag + "_b", beta, c),
                    b.initializer(tag + "_m", mean, c), b.initializer(tag + "_v", var, c)};
        return b.node("BatchNormalization", x, in[0], in[1], in[2], in[3]).attr("epsilon", 1e-5f).output();
    }

    /** Paddle2ONNX style: opset 12, dynamic input, every weight in a Constant node, Conv + BatchNormalization + Relu. */
    static ModelProto paddleStyle(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder("paddle-style").opset(12);
        b.input("x", DataType.FLOAT, "N", 3, "H", "W");
        String w1 = constant(b, "conv1.w", TinyModels.random(r, 8 * 27, 0.3f), 8, 3, 3, 3);
        String c1 = b.node("Conv", "x", w1).attrInts("pads", 1, 1, 1, 1).attrInts("kernel_shape", 3, 3).output();
        String a1 = b.relu(bn(b, c1, 8, r, true));
        String w2 = constant(b, "conv2.w", TinyModels.random(r, 8 * 9, 0.3f), 8, 1, 3, 3);
        String c2 = b.node("Conv", a1, w2).attrInts("pads", 1, 1, 1, 1).attr("group", 8L).attrInts("kernel_shape", 3, 3).output();
        String a2 = b.relu(bn(b, c2, 8, r, true));
        String w3 = constant(b, "conv3.w", TinyModels.random(r, 2 * 8, 0.3f), 2, 8, 1, 1);
        String b3 = constant(b, "conv3.b", TinyModels.random(r, 2, 0.1f), 2);
        b.node("Conv", a2, w3, b3).outputs("logits");
        b.output("logits", DataType.FLOAT, "N", 2, "H", "W");
        return b.build();
    }

    static float[] run(byte[] model, float[] x, long[] shape) throws Exception {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(model, o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
                OrtSession.Result res = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            FloatBuffer f = ((OnnxTensor) res.get(0)).getFloatBuffer();
            float[] out = new float[f.remaining()];
            f.get(out);
            return out;
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    static double cosine(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    static float[] input(long seed, int n) {
        return TinyModels.random(new Random(seed), n, 1f);
    }

    static QuantizationResult quantize(ModelProto m, String name) throws Exception {
        Path dir = TinyModels.fresh("exporter-graphs-" + name);
        Path model = dir.resolve(name + ".onnx");
        Files.write(model, m.toByteArray());
        Path images = TinyModels.images(dir.resolve("images"), 8, 24, 20, 1);
        return new QuantizeOperation(model).calibration(images).preprocessing(PRE).run(new NullProgressMonitor());
    }

    @Test
    void workingCopyOfAPaddleStyleGraphComputesTheSame() throws Exception {
        ModelProto m = paddleStyle(3);
        OnnxModel source = OnnxModel.of(m, null);
        ExporterGraphs.Result r = ExporterGraphs.normalize(source, ExporterGraphs.Options.quantize(PRE.shape(1)));
        OnnxModel work = r.model();
        assertEquals(0, work.graph().opHistogram().getOrDefault("Constant", 0));
        assertEquals(0, work.graph().opHistogram().getOrDefault("BatchNormalization", 0));
        assertEquals(13, work.graph().onnxOpset());
        assertTrue(r.unfolded().isEmpty(), r.unfolded().toString());
        assertEquals("[1, 3, 16, 16]", java.util.Arrays.toString(shape(work.graph().inputs().get(0))));
        float[] x = input(5, 3 * 16 * 16);
        float d = maxAbsDiff(run(m.toByteArray(), x, PRE.shape(1)), run(work.proto().toByteArray(), x, PRE.shape(1)));
        assertTrue(d < 1e-4, "folded BatchNormalization differs by " + d);
    }

    @Test
    void paddleStyleGraphQuantizesEveryConv() throws Exception {
        QuantizationResult r = quantize(paddleStyle(3), "paddle");
        assertEquals(3, r.convNodes());
        assertEquals(3, r.integerConvNodes(), r.optimizedGraph().opHistogram().toString());
        assertEquals(0, r.optimizedGraph().count("BatchNormalization"));
        OnnxModel out = OnnxModel.load(Path.of(r.outputModel()));
        // written with the fixed input size it was calibrated for (see QuantizeOperation)
        assertEquals("[1, 3, 16, 16]", java.util.Arrays.toString(shape(out.graph().inputs().get(0))));
        assertTrue(r.notes().stream().anyMatch(w -> w.contains("Constant nodes read as initializers")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(w -> w.contains("2 BatchNormalization folded")), r.notes().toString());
        // per-channel weights after the opset 12 model was raised to 13
        assertEquals(13, out.graph().onnxOpset());
        NodeProto dq = out.graph().nodes().stream().filter(n -> n.getOpType().equals("DequantizeLinear")
                && n.getAttributeCount() > 0).findFirst().orElse(null);
        assertNotNull(dq, "a per-channel DequantizeLinear");
    }

    static long[] shape(ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream().mapToLong(d -> d.getDimValue()).toArray();
    }

    /**
     * A 2x2 stride-2 ConvTranspose + BatchNormalization (folded, then written as a 1x1 Conv + DepthToSpace, exactly)
     * and a 3x3 stride-1 padded ConvTranspose (not rewritable: stays float with the measured reason).
     */
    @Test
    void convTransposeFoldsRewritesOrStaysFloatWithItsReason() throws Exception {
        Random r = new Random(7);
        GraphBuilder b = new GraphBuilder("deconv").opset(17);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String c1 = b.relu(b.conv("input", TinyModels.random(r, 8 * 27, 0.3f), new long[] {8, 3, 3, 3}, null, 1, 2, 1, 1));
        String w = b.initializer("up.w", TinyModels.random(r, 8 * 4 * 4, 0.3f), 8, 4, 2, 2);
        String up = b.node("ConvTranspose", c1, w).attrInts("strides", 2, 2).attrInts("kernel_shape", 2, 2).output();
        String act = b.relu(bn(b, up, 4, r, false));
        String w2 = b.initializer("smooth.w", TinyModels.random(r, 4 * 4 * 9, 0.2f), 4, 4, 3, 3);
        String smooth = b.node("ConvTranspose", act, w2, b.initializer("smooth.b", TinyModels.random(r, 4, 0.1f), 4))
                .attrInts("pads", 1, 1, 1, 1).attrInts("kernel_shape", 3, 3).output();
        b.node("Conv", b.relu(smooth), b.initializer("cls.w", TinyModels.random(r, 2 * 4, 0.3f), 2, 4, 1, 1)).outputs("out");
        b.output("out", DataType.FLOAT, 1, 2, 16, 16);
        ModelProto m = b.build();
        OnnxModel work = ExporterGraphs.normalize(OnnxModel.of(m, null), ExporterGraphs.Options.quantize(PRE.shape(1))).model();
        assertEquals(0, work.graph().opHistogram().getOrDefault("BatchNormalization", 0));
        assertEquals(1, work.graph().opHistogram().get("ConvTranspose"));
        assertEquals(1, work.graph().opHistogram().get("DepthToSpace"));
        float[] x = input(9, 3 * 16 * 16);
        float d = maxAbsDiff(run(m.toByteArray(), x, PRE.shape(1)), run(work.proto().toByteArray(), x, PRE.shape(1)));
        assertTrue(d < 1e-4, "working copy differs by " + d);

        QuantizationResult q = quantize(m, "deconv");
        assertEquals(3, q.integerConvNodes(), q.optimizedGraph().opHistogram().toString());
        NodeReport ct = q.nodes().stream().filter(n -> n.opType().equals("ConvTranspose")).findFirst().orElseThrow();
        assertFalse(ct.quantized());
        assertTrue(ct.reason().contains("measured") && ct.reason().contains("ConvTranspose"), ct.reason());
    }

    @Test
    void unfoldableBatchNormStaysFloatWithItsReason() throws Exception {
        Random r = new Random(8);
        GraphBuilder b = new GraphBuilder("bn-after-add").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String c1 = b.conv("input", TinyModels.random(r, 4 * 27, 0.3f), new long[] {4, 3, 3, 3}, null, 1, 1, 1, 1);
        String c2 = b.conv("input", TinyModels.random(r, 4 * 27, 0.3f), new long[] {4, 3, 3, 3}, null, 1, 1, 1, 1);
        String n = bn(b, b.add(c1, c2), 4, r, false);
        b.node("Identity", n).outputs("out");
        b.output("out", DataType.FLOAT, 1, 4, 16, 16);
        QuantizationResult q = quantize(b.build(), "bn-after-add");
        NodeReport bn = q.nodes().stream().filter(x -> x.opType().equals("BatchNormalization")).findFirst().orElseThrow();
        assertFalse(bn.quantized());
        assertTrue(bn.reason().contains("does not follow a Conv"), bn.reason());
        assertEquals(2, q.integerConvNodes());
    }

    @Test
    void initializersListedAsInputsOfAnIr3Model() throws Exception {
        ModelProto m = TinyModels.segmentationNet(4);
        var g = m.getGraph().toBuilder();
        for (var t : m.getGraph().getInitializerList()) {
            g.addInput(GraphBuilder.valueInfo(t.getName(), DataType.forNumber(t.getDataType()),
                    t.getDimsList().toArray()));
        }
        ModelProto old = m.toBuilder().setIrVersion(3).setGraph(g).build();
        QuantizationResult q = quantize(old, "ir3");
        assertEquals(5, q.integerConvNodes(), q.optimizedGraph().opHistogram().toString());
        OnnxModel out = OnnxModel.load(Path.of(q.outputModel()));
        assertEquals(1, out.proto().getGraph().getInputCount());
        assertTrue(out.proto().getIrVersion() >= 4);
    }

    @Test
    void matMulWithAConstantWeightRunsAsQLinearMatMul() throws Exception {
        Random r = new Random(11);
        GraphBuilder b = new GraphBuilder("matmul").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String c = b.relu(b.conv("input", TinyModels.random(r, 8 * 27, 0.3f), new long[] {8, 3, 3, 3}, null, 1, 1, 1, 1));
        String mm = b.node("MatMul", c, b.initializer("mm.w", TinyModels.random(r, 16 * 16, 0.2f), 16, 16)).output();
        b.node("Conv", mm, b.initializer("cls.w", TinyModels.random(r, 2 * 8, 0.3f), 2, 8, 1, 1)).outputs("out");
        b.output("out", DataType.FLOAT, 1, 2, 16, 16);
        QuantizationResult q = quantize(b.build(), "matmul");
        assertEquals(1, q.optimizedGraph().count("QLinearMatMul"), q.optimizedGraph().opHistogram().toString());
        assertEquals(2, q.integerConvNodes());
    }

    /** Opset 11 (Clip with inputs, Unsqueeze/Squeeze with axes attributes, Split with a split attribute) and opset 21. */
    @Test
    void opsets11And21() throws Exception {
        for (int opset : new int[] {11, 21}) {
            Random r = new Random(opset);
            GraphBuilder b = new GraphBuilder("opset" + opset).opset(opset);
            b.input("input", DataType.FLOAT, 1, 3, 16, 16);
            String c = b.relu6(b.conv("input", TinyModels.random(r, 8 * 27, 0.3f), new long[] {8, 3, 3, 3}, null, 1, 1, 1, 1));
            var split = b.node("Split", c).attr("axis", 1L).outputs("s0", "s1");
            if (opset < 13) {
                split.attrInts("split", 4, 4);
            } else {
                split.attr("num_outputs", 2L);
            }
            String cat = b.concat(1, "s1", "s0");
            String u;
            if (opset < 13) {
                u = b.node("Squeeze", b.node("Unsqueeze", cat).attrInts("axes", 0).output()).attrInts("axes", 0).output();
            } else {
                u = b.node("Squeeze", b.node("Unsqueeze", cat, b.initializer("ax", new long[] {0}, 1)).output(),
                        b.initializer("ax2", new long[] {0}, 1)).output();
            }
            b.node("Conv", u, b.initializer("cls.w", TinyModels.random(r, 2 * 8, 0.3f), 2, 8, 1, 1)).outputs("out");
            b.output("out", DataType.FLOAT, 1, 2, 16, 16);
            ModelProto m = b.build();
            QuantizationResult q = quantize(m, "opset" + opset);
            assertEquals(2, q.integerConvNodes(), "opset " + opset + ": " + q.optimizedGraph().opHistogram());
            OnnxModel out = OnnxModel.load(Path.of(q.outputModel()));
            assertEquals(Math.max(13, opset), out.graph().onnxOpset());
            float[] x = new float[3 * 16 * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 2 - 1; // within the calibrated range
            }
            float[] y = run(m.toByteArray(), x, PRE.shape(1));
            OnnxModel work = ExporterGraphs.normalize(OnnxModel.of(m, null), ExporterGraphs.Options.quantize(PRE.shape(1))).model();
            assertTrue(maxAbsDiff(y, run(work.proto().toByteArray(), x, PRE.shape(1))) < 1e-5, "opset " + opset + " working copy");
            float[] yq = run(Files.readAllBytes(Path.of(q.outputModel())), x, PRE.shape(1));
            assertTrue(cosine(y, yq) > 0.98, "opset " + opset + ": INT8 cosine " + cosine(y, yq));
        }
    }

    /**
     * MobileNetV3 style: hard-swish written as Add, Clip, Mul, Div and a squeeze-excite block pooled with ReduceMean:
     * the working copy writes Div by 6 as Mul and the ReduceMean as GlobalAveragePool (exactly), so all of them run as
     * integer kernels; HardSigmoid stays float with the measured reason.
     */
    @Test
    void hardSwishAndSqueezeExcite() throws Exception {
        Random r = new Random(13);
        GraphBuilder b = new GraphBuilder("mnv3").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String c = b.conv("input", TinyModels.random(r, 8 * 27, 0.3f), new long[] {8, 3, 3, 3}, TinyModels.random(r, 8, 0.1f), 1, 1, 1, 1);
        String relu6 = b.clip(b.add(c, b.initializer("three", new float[] {3f})), 0f, 6f);
        String hs = b.node("Div", b.node("Mul", c, relu6).output(), b.initializer("six", new float[] {6f})).output();
        String pooled = b.node("ReduceMean", hs).attrInts("axes", 2, 3).attr("keepdims", 1L).output();
        String fc = b.conv(pooled, TinyModels.random(r, 8 * 8, 0.3f), new long[] {8, 8, 1, 1}, TinyModels.random(r, 8, 0.1f), 1, 1, 0, 1);
        String gate = b.node("HardSigmoid", fc).attr("alpha", 1f / 6).attr("beta", 0.5f).output();
        String se = b.node("Mul", hs, gate).output();
        b.node("Conv", se, b.initializer("cls.w", TinyModels.random(r, 2 * 8, 0.3f), 2, 8, 1, 1)).outputs("out");
        b.output("out", DataType.FLOAT, 1, 2, 16, 16);
        ModelProto m = b.build();
        OnnxModel work = ExporterGraphs.normalize(OnnxModel.of(m, null), ExporterGraphs.Options.quantize(PRE.shape(1))).model();
        assertEquals(0, work.graph().opHistogram().getOrDefault("Div", 0));
        assertEquals(0, work.graph().opHistogram().getOrDefault("ReduceMean", 0));
        float[] x = input(21, 3 * 16 * 16);
        float d = maxAbsDiff(run(m.toByteArray(), x, PRE.shape(1)), run(work.proto().toByteArray(), x, PRE.shape(1)));
        assertTrue(d < 1e-4, "working copy differs by " + d);

        QuantizationResult q = quantize(m, "mnv3");
        var g = q.optimizedGraph();
        assertEquals(3, q.integerConvNodes(), g.opHistogram().toString());
        assertEquals(1, g.count("QLinearGlobalAveragePool"), g.opHistogram().toString());
        assertEquals(3, g.count("QLinearMul"), g.opHistogram().toString());
        assertEquals(1, g.count("QLinearAdd"), g.opHistogram().toString());
        NodeReport hsig = q.nodes().stream().filter(n -> n.opType().equals("HardSigmoid")).findFirst().orElseThrow();
        assertTrue(hsig.reason().contains("measured"), hsig.reason());
    }

    @Test
    void fp16ModelGetsOneClearLine() throws Exception {
        GraphBuilder b = new GraphBuilder("fp16").opset(13);
        b.input("input", DataType.FLOAT16, 1, 3, 16, 16);
        b.node("Relu", "input").outputs("out");
        b.output("out", DataType.FLOAT16, 1, 3, 16, 16);
        CoreException e = assertThrows(CoreException.class, () -> quantize(b.build(), "fp16"));
        String msg = e.getStatus().getMessage();
        assertTrue(msg.contains("FP16") && msg.contains("FP32") && !msg.contains("\n"), msg);
    }

    /** One Conv on a [3,H,W] input (batched by the graph's Unsqueeze) or on a [1,3,H,W] input, same weights. */
    private static ModelProto oneConv(boolean rank3) {
        GraphBuilder b = new GraphBuilder(rank3 ? "rank3" : "rank4").opset(13);
        String x = "input";
        if (rank3) {
            b.input("input", DataType.FLOAT, 3, "H", "W");
            x = b.node("Unsqueeze", "input", b.initializer("axes0", new long[] {0}, 1)).outputs("batched").output();
        } else {
            b.input("input", DataType.FLOAT, 1, 3, "H", "W");
        }
        Random r = new Random(5);
        b.node("Conv", x, b.initializer("w", TinyModels.random(r, 4 * 3 * 9, 0.3f), 4, 3, 3, 3)).attrInts("pads", 1, 1, 1, 1)
                .outputs("out");
        b.output("out", DataType.FLOAT, 1, 4, "H", "W");
        return b.build();
    }

    /**
     * A rank-3 input [3,H,W] (no batch axis) is calibrated and quantized as it is fed: the INT8 model takes [3,16,16]
     * and computes exactly what the INT8 model of the same graph with a [1,3,H,W] input computes.
     */
    @Test
    void rank3InputIsQuantizedAsItsRank4Twin() throws Exception {
        ModelProto m3 = oneConv(true);
        QuantizationResult q3 = quantize(m3, "rank3");
        QuantizationResult q4 = quantize(oneConv(false), "rank4");
        assertEquals(1, q3.integerConvNodes(), q3.optimizedGraph().opHistogram().toString());
        Path one = TinyModels.images(TinyModels.fresh("exporter-graphs-rank3-image"), 1, 24, 20, 1); // the first calibration image
        float[] in;
        try (var files = Files.list(one)) {
            in = PRE.toTensor(javax.imageio.ImageIO.read(files.findFirst().orElseThrow().toFile()));
        }
        float[] fp32 = run(m3.toByteArray(), in, new long[] {3, 16, 16});
        float[] int8 = run(Files.readAllBytes(Path.of(q3.outputModel())), in, new long[] {3, 16, 16});
        float[] twin = run(Files.readAllBytes(Path.of(q4.outputModel())), in, new long[] {1, 3, 16, 16});
        assertEquals(0f, maxAbsDiff(int8, twin), 1e-6f, "the rank-3 and rank-4 INT8 models compute the same");
        assertEquals(0f, maxAbsDiff(fp32, run(oneConv(false).toByteArray(), in, new long[] {1, 3, 16, 16})), 1e-6f);
    }

    @Test
    void rank5InputGetsOneClearLine() throws Exception {
        GraphBuilder b = new GraphBuilder("rank5").opset(13);
        b.input("input", DataType.FLOAT, 1, 1, 3, "H", "W");
        b.node("Relu", "input").outputs("r");
        b.node("Add", "r", "r").outputs("out");
        b.output("out", DataType.FLOAT);
        CoreException e = assertThrows(CoreException.class, () -> quantize(b.build(), "rank5"));
        String msg = e.getStatus().getMessage();
        assertTrue(msg.contains("5 dimensions") && msg.contains("4-D") && msg.contains("3-D") && !msg.contains("\n"), msg);
    }
}
