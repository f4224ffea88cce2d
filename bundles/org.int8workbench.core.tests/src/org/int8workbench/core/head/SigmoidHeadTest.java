package org.int8workbench.core.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.HeadLabelDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact label head of sigmoid maps on small generated graphs: a 3x3 convolution to 1 (binary) or 3 (multi-label)
 * channels, a Resize, and a Sigmoid after it (with an INT8 model's Q/DQ pairs around it, or none), or a Sigmoid before
 * the Resize. The cut model read by {@link LabelDecoders} must give the same {@link Prediction} (labels, and per-label
 * maps for multi-label) as the full model read by the binary and multi-label decoders, bit for bit, in ONNX Runtime
 * (FP32 and QDQ graphs), at several thresholds, including images whose logits sit at the float sigmoid's rounding to
 * exactly 0.5.
 */
class SigmoidHeadTest {

    private static final int H = 9;
    private static final int W = 11;
    private static final int OUT_H = 37;
    private static final int OUT_W = 29;

    @TempDir
    Path dir;

    /** What follows the convolution. */
    enum Tail {
        /** Resize -> Sigmoid */
        SIGMOID,
        /** Resize -> Q -> DQ -> Sigmoid -> Q -> DQ, as the INT8 model writes it (ONNX Runtime runs QLinearSigmoid) */
        QDQ_SIGMOID,
        /** Sigmoid -> Resize: resized probabilities */
        PROBABILITIES
    }

    /**
     * input x [1,3,H,W] (NHWC: [1,H,W,3], transposed) -> Conv 3x3 (no bias) to {@code channels} -> [Transpose to NHWC]
     * -> the tail, output "mask".
     */
    static GraphBuilder net(int channels, boolean nhwc, Tail tail, ResizeSpec spec, long seed) {
        GraphBuilder b = new GraphBuilder("sigmoid").opset(13);
        String x = "x";
        if (nhwc) {
            b.input("x", DataType.FLOAT, 1, H, W, 3);
            x = b.node("Transpose", "x").attrInts("perm", 0, 3, 1, 2).output();
        } else {
            b.input("x", DataType.FLOAT, 1, 3, H, W);
        }
        Random r = new Random(seed);
        float[] w = new float[channels * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        String t = b.conv(x, w, new long[] {channels, 3, 3, 3}, new float[channels], 1, 1, 1, 1);
        if (nhwc) {
            t = b.node("Transpose", t).attrInts("perm", 0, 2, 3, 1).output();
        }
        switch (tail) {
            case SIGMOID -> t = b.node("Sigmoid", b.resize(t, spec)).output();
            case QDQ_SIGMOID -> {
                String s1 = b.initializer("logit_scale", new float[] {0.04f}, new long[0]);
                String z1 = b.initializerUint8("logit_zp", new byte[] {(byte) 128}, new long[0]);
                String s2 = b.initializer("prob_scale", new float[] {1f / 255}, new long[0]);
                String z2 = b.initializerUint8("prob_zp", new byte[] {0}, new long[0]);
                String q1 = b.node("QuantizeLinear", b.resize(t, spec), s1, z1).output();
                String sig = b.node("Sigmoid", b.node("DequantizeLinear", q1, s1, z1).output()).output();
                String q2 = b.node("QuantizeLinear", sig, s2, z2).output();
                t = b.node("DequantizeLinear", q2, s2, z2).output();
            }
            case PROBABILITIES -> t = b.resize(b.node("Sigmoid", t).output(), spec);
        }
        b.node("Identity", t).outputs("mask");
        if (nhwc) {
            b.output("mask", DataType.FLOAT, 1, OUT_H, OUT_W, channels);
        } else {
            b.output("mask", DataType.FLOAT, 1, channels, OUT_H, OUT_W);
        }
        return b;
    }

    static ResizeSpec linear(int channels, boolean nhwc) {
        return ResizeSpec.linear().withTransform("half_pixel")
                .withSizes(nhwc ? new long[] {1, OUT_H, OUT_W, channels} : new long[] {1, channels, OUT_H, OUT_W});
    }

    @Test
    void binaryFloatSigmoidIsExactAtEveryThreshold() throws Exception {
        SegmentationHead h = check(net(1, false, Tail.SIGMOID, linear(1, false), 1), OutputKind.BINARY);
        assertEquals("sigmoid", h.followedBy());
        assertEquals(List.of("Resize", "Sigmoid", "Identity"), h.removedOps());
        assertEquals(SegmentationHead.Sigmoid.LOGITS, h.sigmoid().source());
        assertEquals(List.of("Sigmoid", "Identity"), h.sigmoid().tailOps());
        // ONNX Runtime's float sigmoid is exactly 0.5 for logits up to about 1e-7: ln(T/(1-T)) = 0 would be wrong there
        float lowest = h.sigmoid().lowest();
        assertTrue(lowest > 0 && lowest < 1e-6f, "lowest foreground logit at 0.5: " + lowest);
        System.out.println("binary float sigmoid head: lowest foreground logit at 0.5 = " + lowest + " (" + Float.toHexString(lowest) + ")");
    }

    @Test
    void binaryNearestAndNhwc() throws Exception {
        check(net(1, false, Tail.SIGMOID, ResizeSpec.nearest().withScales(1, 1, 4, 3), 2), OutputKind.BINARY);
        check(net(1, true, Tail.SIGMOID, linear(1, true), 3), OutputKind.BINARY);
    }

    @Test
    void multilabelFloatSigmoidNchwAndNhwc() throws Exception {
        SegmentationHead h = check(net(3, false, Tail.SIGMOID, linear(3, false), 4), OutputKind.MULTILABEL);
        assertEquals("multilabel", h.sigmoid().kind());
        assertEquals(3, h.numClasses());
        assertEquals("NHWC", check(net(3, true, Tail.SIGMOID, linear(3, true), 5), OutputKind.MULTILABEL).layout());
    }

    /** The INT8 form: the head thresholds where the quantized sigmoid crosses the threshold, not at logit 0. */
    @Test
    void quantizedSigmoidIsReproducedAsItRounds() throws Exception {
        SegmentationHead h = check(net(1, false, Tail.QDQ_SIGMOID, linear(1, false), 6), OutputKind.BINARY);
        assertEquals(List.of("QuantizeLinear", "DequantizeLinear", "Sigmoid", "QuantizeLinear", "DequantizeLinear", "Identity"),
                h.sigmoid().tailOps());
        assertTrue(h.describe().contains("quantized sigmoid"), h.describe());
        // logit step 0.04: the cut is at the edge of a quantization step (half a step from a level), found from how
        // ONNX Runtime rounds, not at logit 0
        float lowest = h.sigmoid().lowest();
        assertTrue(Math.abs(lowest) <= 0.0201f && Math.abs(Math.abs(lowest) - 0.02f) < 1e-6f, "lowest foreground logit " + lowest);
        System.out.println("quantized sigmoid head: lowest foreground logit at 0.5 = " + lowest);
        check(net(3, false, Tail.QDQ_SIGMOID, linear(3, false), 7), OutputKind.MULTILABEL);
        check(net(3, true, Tail.QDQ_SIGMOID, linear(3, true), 8), OutputKind.MULTILABEL);
    }

    @Test
    void resizedProbabilities() throws Exception {
        SegmentationHead h = check(net(1, false, Tail.PROBABILITIES, linear(1, false), 9), OutputKind.BINARY);
        assertEquals(SegmentationHead.Sigmoid.PROBABILITIES, h.sigmoid().source());
        assertEquals("none", h.followedBy());
        assertNull(h.sigmoid().tail());
        assertEquals(Math.nextUp(0.5f), h.sigmoid().lowest());
        check(net(3, false, Tail.PROBABILITIES, linear(3, false), 10), OutputKind.MULTILABEL);
    }

    @Test
    void recordIsVersion2AndReadBack() throws Exception {
        ModelProto full = net(3, false, Tail.QDQ_SIGMOID, linear(3, false), 11).build();
        HeadCut.Result cut = HeadCut.cut(full);
        assertTrue(cut.found(), cut.reason());
        SegmentationHead h = cut.head().get();
        assertEquals(2, h.version());
        assertEquals(h, SegmentationHead.fromJson(h.toJson()));
        assertEquals(OutputKind.MULTILABEL, h.outputKind());
        assertTrue(h.toJson().replace(" ", "").contains("\"kind\":\"multilabel\""), h.toJson());
        assertTrue(h.toJson().replace(" ", "").contains("\"threshold\":0.5"), h.toJson());
        assertTrue(cut.reason().contains("QuantizeLinear"), cut.reason());
        // a class head stays version 1 (builds before sigmoid heads read it)
        HeadCut.Result classes = HeadCut.cut(HeadCutTest.convNet(true).build());
        assertEquals(SegmentationHead.CLASSES_VERSION, classes.head().get().version());
        assertNull(classes.head().get().sigmoid());
    }

    @Test
    void outputKindOverrideMustFitTheHead() throws Exception {
        Path head = cutToFile(net(1, false, Tail.SIGMOID, linear(1, false), 12).build(), "override");
        try (OrtSession s = Ort.env().createSession(head.toString(), new OrtSession.SessionOptions())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LabelDecoders.forModel(head, s, pre(), OutputSelection.AUTO.withKind(OutputKind.CLASS_SCORES)));
            assertTrue(e.getMessage().contains("choose binary or auto"), e.getMessage());
            LabelDecoder d = LabelDecoders.forModel(head, s, pre(), OutputSelection.AUTO.withKind(OutputKind.BINARY).withOutputName("mask"))
                    .get(0);
            assertEquals(OutputKind.BINARY, d.kind());
            assertTrue(LabelDecoders.forSession(s, null) instanceof HeadLabelDecoder);
        }
    }

    /** Generated code computes class labels only: a sigmoid head model is refused with the model to use instead. */
    @Test
    void codegenRefusesASigmoidHead() throws Exception {
        Path head = cutToFile(net(1, false, Tail.SIGMOID, linear(1, false), 13).build(), "codegen");
        Path out = dir.resolve("generated");
        org.eclipse.core.runtime.CoreException e = assertThrows(org.eclipse.core.runtime.CoreException.class,
                () -> new org.int8workbench.core.codegen.CodegenOperation(head).packageName("org.example").className("Seg").outputDir(out)
                        .samples(1).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("binary head"), e.getStatus().getMessage());
        assertFalse(Files.exists(out.resolve("pom.xml")));
    }

    @Test
    void noHeadForOneChannelValuesOrLearnedUpsampling() {
        GraphBuilder b = new GraphBuilder("values").opset(13);
        b.input("x", DataType.FLOAT, 1, 3, H, W);
        String c = b.conv("x", new float[27], new long[] {1, 3, 3, 3}, new float[1], 1, 1, 1, 1);
        b.node("Identity", b.resize(c, linear(1, false))).outputs("depth");
        b.output("depth", DataType.FLOAT, 1, 1, OUT_H, OUT_W);
        HeadCut.Result r = HeadCut.cut(b.build());
        assertFalse(r.found());
        assertTrue(r.reason().contains("values, not class scores or a sigmoid map"), r.reason());

        // MediaPipe's form: ConvTranspose -> Sigmoid -> Reshape, no Resize to cut
        GraphBuilder m = new GraphBuilder("learned").opset(13);
        m.input("x", DataType.FLOAT, 1, 3, H, W);
        String up = m.node("ConvTranspose", "x", m.initializer("w", new float[3 * 4], 3, 1, 2, 2)).attrInts("strides", 2, 2)
                .attrInts("kernel_shape", 2, 2).output();
        String shape = m.initializer("shape", new long[] {1, 2 * H, 2 * W, 1}, 4);
        m.node("Reshape", m.node("Sigmoid", up).output(), shape).outputs("mask");
        m.output("mask", DataType.FLOAT, 1, 2 * H, 2 * W, 1);
        HeadCut.Result l = HeadCut.cut(m.build());
        assertFalse(l.found());
        assertTrue(l.reason().contains("Reshape <- Sigmoid <- ConvTranspose"), l.reason());
        assertTrue(l.reason().contains("no final Resize"), l.reason());
    }

    // ------------------------------------------------------------------ the comparison

    private static Preprocessing pre() {
        return pre(false);
    }

    private static Preprocessing pre(boolean nhwc) {
        return Preprocessing.defaults(W, H, nhwc ? Preprocessing.Layout.NHWC : Preprocessing.Layout.NCHW);
    }

    private Path cutToFile(ModelProto full, String name) throws Exception {
        Path f = dir.resolve(name + ".onnx");
        Files.write(f, full.toByteArray());
        CutHeadOperation.CutHeadResult r = new CutHeadOperation(f).run(new NullProgressMonitor());
        assertTrue(r.cut(), r.reason());
        return r.output();
    }

    /**
     * Cuts the head, then for 3 thresholds and 6 inputs (gaussian, and scaled down to 1e-7 so that logits sit where the
     * float sigmoid rounds to 0.5) compares the cut model's prediction with the full model's, and returns the head.
     */
    private SegmentationHead check(GraphBuilder net, OutputKind kind) throws Exception {
        ModelProto full = net.build();
        String name = "m" + Integer.toHexString(full.hashCode());
        Path fullFile = dir.resolve(name + ".onnx");
        Files.write(fullFile, full.toByteArray());
        Path headFile = cutToFile(full, name);
        SegmentationHead head = SegmentationHead.fromModel(ModelProto.parseFrom(Files.readAllBytes(headFile))).orElseThrow();
        boolean nhwc = full.getGraph().getInput(0).getType().getTensorType().getShape().getDim(3).getDimValue() == 3;
        long[] shape = nhwc ? new long[] {1, H, W, 3} : new long[] {1, 3, H, W};
        long boundary = 0;
        try (OrtSession fs = Ort.env().createSession(fullFile.toString(), new OrtSession.SessionOptions());
                OrtSession hs = Ort.env().createSession(headFile.toString(), new OrtSession.SessionOptions())) {
            for (double threshold : new double[] {0.5, 0.3, 0.9}) {
                OutputSelection sel = OutputSelection.AUTO.withThreshold(threshold);
                LabelDecoder fd = only(LabelDecoders.forModel(fullFile, fs, pre(nhwc), sel));
                LabelDecoder hd = only(LabelDecoders.forModel(headFile, hs, pre(nhwc), sel));
                assertEquals(kind, fd.kind());
                assertEquals(kind, hd.kind(), "the head model reads like its parent");
                assertSameOutput(fd.output(), hd.output());
                Random r = new Random(17);
                for (int image = 0; image < 6; image++) {
                    float scale = image < 3 ? 1f : 1e-7f;
                    float[] x = new float[3 * H * W];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian() * scale;
                    }
                    try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
                            OrtSession.Result a = fs.run(Map.of("x", t));
                            OrtSession.Result b = hs.run(Map.of("x", t))) {
                        Prediction pf = fd.decode(a);
                        Prediction ph = hd.decode(b);
                        String what = kind + " threshold " + threshold + " image " + image;
                        assertEquals(pf.labels().width(), ph.labels().width());
                        assertArrayEquals(pf.labels().labels(), ph.labels().labels(), what);
                        assertEquals(pf.channels().size(), ph.channels().size(), what);
                        for (int c = 0; c < pf.channels().size(); c++) {
                            assertArrayEquals(pf.channels().get(c).labels(), ph.channels().get(c).labels(), what + " label " + c);
                        }
                        assertArrayEquals(fd.decodeBatch(a), hd.decodeBatch(b), what);
                        if (threshold == 0.5 && head.sigmoid().tail() != null) {
                            boundary += naiveDifferences(head, (OnnxTensor) b.get(0), pf, kind);
                        }
                    }
                }
            }
        }
        System.out.println(kind + " " + head.describe() + ": pixels where 'logit > ln(T/(1-T))' would differ from the full model: "
                + boundary);
        return head;
    }

    private static LabelDecoder only(List<LabelDecoder> decoders) {
        assertEquals(1, decoders.size());
        return decoders.get(0);
    }

    private static void assertSameOutput(ModelOutput full, ModelOutput head) {
        assertEquals(full.name(), head.name());
        assertEquals(full.kind(), head.kind());
        assertEquals(full.channels(), head.channels());
        assertEquals(full.labelNames(), head.labelNames());
        assertEquals(full.probabilities(), head.probabilities());
        assertEquals(full.threshold(), head.threshold());
    }

    /** Pixels where comparing the resized logit with 0 (the exact logit of 0.5) gives another label than the full model. */
    private static long naiveDifferences(SegmentationHead head, OnnxTensor low, Prediction full, OutputKind kind) throws OrtException {
        ExactLabelHead h = ExactLabelHead.of(head, low.getInfo().getShape());
        FloatBuffer fb = low.getFloatBuffer();
        float[] logits = new float[fb.remaining()];
        fb.get(logits);
        int[] masks = new int[h.classes() * h.labelsPerImage()];
        h.threshold(logits, 0, Math.nextUp(0f), masks, 0);
        long n = 0;
        for (int c = 0; c < h.classes(); c++) {
            int[] ref = kind == OutputKind.BINARY ? full.labels().labels() : full.channels().get(c).labels();
            for (int p = 0; p < ref.length; p++) {
                n += ref[p] != masks[c * ref.length + p] ? 1 : 0;
            }
        }
        return n;
    }
}
