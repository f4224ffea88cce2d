package org.int8workbench.core.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
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
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.TestData;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.HeadLabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;

/** Head detection, the cut graph, the recorded metadata, the reasons for models without a head, and the write operation. */
class HeadCutTest {

    private static final int C = 6;

    /** input [1,3,9,11] -> Conv 3x3 (C classes) -> [Resize -> Softmax -> ArgMax -> Cast -> Identity "labels"]. */
    static GraphBuilder convNet(boolean withHead) {
        GraphBuilder b = new GraphBuilder("net").opset(13);
        b.input("image", DataType.FLOAT, 1, 3, 9, 11);
        Random r = new Random(5);
        float[] w = new float[C * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] bias = new float[C];
        String logits = b.conv("image", w, new long[] {C, 3, 3, 3}, bias, 1, 1, 1, 1);
        if (!withHead) {
            b.output(logits, DataType.FLOAT);
            return b;
        }
        String up = b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withSizes(1, C, 37, 29));
        String labels = b.argmax(b.softmax(up, 1), 1, false, false);
        String cast = b.node("Cast", labels).attr("to", (long) DataType.INT32.getNumber()).output();
        b.node("Identity", cast).outputs("labels");
        b.output("labels", DataType.INT32, 1, 37, 29);
        return b;
    }

    @Test
    void cutsHeadAndRecordsIt() throws OrtException {
        ModelProto full = convNet(true).metadata("other", "kept").build();
        HeadCut.Result cut = HeadCut.cut(full);
        assertTrue(cut.found(), cut.reason());
        SegmentationHead h = cut.head().get();
        assertEquals("linear", h.mode());
        assertEquals("half_pixel", h.coordinateTransformation());
        assertEquals("NCHW", h.layout());
        assertEquals(1, h.classAxis());
        assertEquals(C, h.numClasses());
        assertEquals(37, h.outputHeight());
        assertEquals(29, h.outputWidth());
        assertEquals("softmax+argmax", h.followedBy());
        assertEquals(List.of("Resize", "Softmax", "ArgMax", "Cast", "Identity"), h.removedOps());
        assertEquals("labels", h.originalOutput());
        assertArrayEquals(new long[] {1, C, 9, 11}, h.logitsShape());
        assertEquals(SegmentationHead.KERNEL_STANDARD, h.kernel());

        // the cut graph: no head nodes, one output, the record in the metadata next to the old entries
        ModelProto m = cut.model();
        assertEquals(1, m.getGraph().getOutputCount());
        assertEquals(h.logitsOutput(), m.getGraph().getOutput(0).getName());
        assertEquals(List.of("Conv"), m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(2, m.getGraph().getInitializerCount(), "only the conv weights and bias remain");
        assertEquals(h, SegmentationHead.fromModel(m).orElseThrow());
        assertTrue(m.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals("other")));

        // running it: the logits equal the pre-resize tensor, and the decoder reproduces the full model's labels
        float[] image = new float[3 * 9 * 11];
        Random r = new Random(9);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        byte[] noHead = convNet(false).toBytes();
        try (OrtSession fullS = Ort.env().createSession(full.toByteArray(), new OrtSession.SessionOptions());
                OrtSession cutS = Ort.env().createSession(m.toByteArray(), new OrtSession.SessionOptions());
                OrtSession refS = Ort.env().createSession(noHead, new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(image), new long[] {1, 3, 9, 11});
                OrtSession.Result a = fullS.run(Map.of("image", t));
                OrtSession.Result b = cutS.run(Map.of("image", t));
                OrtSession.Result c = refS.run(Map.of("image", t))) {
            float[] cutLogits = floats((OnnxTensor) b.get(0));
            assertArrayEquals(floats((OnnxTensor) c.get(0)), cutLogits);
            int[] expected = new int[37 * 29];
            ((OnnxTensor) a.get(0)).getIntBuffer().get(expected);
            HeadLabelDecoder decoder = HeadLabelDecoder.forSession(cutS).orElseThrow();
            assertArrayEquals(expected, decoder.decodeBatch(b));
            assertTrue(decoder.description().contains("exact label head"));
            assertTrue(HeadLabelDecoder.forSession(refS).isEmpty());
            // the one factory: the exact head for the cut model, an argmax for the same logits without a recorded head
            assertTrue(LabelDecoders.forSession(cutS, null) instanceof HeadLabelDecoder);
            assertTrue(LabelDecoders.forSession(refS, null) instanceof ArgmaxDecoder);
            assertArrayEquals(expected, LabelDecoders.forSession(cutS, null).decode(b).labels().labels());
        }
    }

    /**
     * Integer scales after a convolution with 16 or 32 output channels: with default session options ONNX Runtime may
     * run its NCHWc upsample instead of the standard kernel; the cut records whichever reproduces it and stays exact.
     */
    @Test
    void nchwcUpsampleIsReproduced() throws OrtException {
        for (String transform : new String[] {"half_pixel", "asymmetric", "align_corners"}) {
            for (int classes : new int[] {16, 32}) {
                Random r = new Random(classes);
                float[] w = new float[classes * 8 * 9];
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextInt(3) - 1; // small integers: many exact ties in the logits
                }
                GraphBuilder b = new GraphBuilder("nchwc").opset(13);
                b.input("x", DataType.FLOAT, 1, 8, 12, 12);
                String conv = b.conv("x", w, new long[] {classes, 8, 3, 3}, new float[classes], 1, 1, 1, 1);
                b.output(b.argmax(b.resize(conv, ResizeSpec.linear().withTransform(transform).withScales(1, 1, 2, 2)), 1),
                        DataType.INT64);
                ModelProto full = b.build();
                HeadCut.Result cut = HeadCut.cut(full);
                assertTrue(cut.found(), transform + "/" + classes + ": " + cut.reason());
                System.out.println("NCHWc probe " + transform + " " + classes + " classes: kernel " + cut.head().get().kernel());
                try (OrtSession fullS = Ort.env().createSession(full.toByteArray(), new OrtSession.SessionOptions());
                        OrtSession cutS = Ort.env().createSession(cut.model().toByteArray(), new OrtSession.SessionOptions())) {
                    HeadLabelDecoder decoder = HeadLabelDecoder.forSession(cutS).orElseThrow();
                    for (int trial = 0; trial < 4; trial++) {
                        float[] x = new float[8 * 144];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = trial % 2 == 0 ? r.nextInt(3) - 1 : (float) r.nextGaussian();
                        }
                        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), new long[] {1, 8, 12, 12});
                                OrtSession.Result a = fullS.run(Map.of("x", t));
                                OrtSession.Result c = cutS.run(Map.of("x", t))) {
                            long[] expected = new long[24 * 24];
                            ((OnnxTensor) a.get(0)).getLongBuffer().get(expected);
                            int[] labels = decoder.decodeBatch(c);
                            for (int p = 0; p < expected.length; p++) {
                                assertEquals(expected[p], labels[p], transform + "/" + classes + " trial " + trial + " pixel " + p);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void alreadyCutModelKeepsItsHead() {
        HeadCut.Result first = HeadCut.cut(convNet(true).build());
        HeadCut.Result again = HeadCut.cut(first.model());
        assertTrue(again.found());
        assertEquals(first.head().get(), again.head().get());
        assertEquals(first.model(), again.model());
        assertTrue(again.reason().contains("already"), again.reason());
    }

    @Test
    void reasonsForModelsWithoutAHead() {
        assertNoHead(convNet(false).build(), "Conv");

        assertNoHead(resizeNet(ResizeSpec.cubic().withSizes(1, C, 20, 20), 13), "cubic");
        assertNoHead(resizeNet(ResizeSpec.linear().withTransform("tf_crop_and_resize").withRoi(0, 0, 0.1f, 0.1f, 1, 1, 0.9f, 0.9f)
                .withSizes(1, C, 20, 20), 13), "tf_crop_and_resize");
        assertNoHead(resizeNet(ResizeSpec.linear().withAntialias(true).withSizes(1, C, 20, 20), 18), "antialias");
        assertNoHead(resizeNet(ResizeSpec.linear().withKeepAspectRatioPolicy("not_larger").withSizes(1, C, 20, 20), 18),
                "keep_aspect_ratio_policy");

        // resized logits that are also a graph output
        GraphBuilder b = new GraphBuilder("two").opset(13);
        b.input("x", DataType.FLOAT, 1, C, 4, 4);
        String up = b.resize(b.identity("x"), ResizeSpec.linear().withSizes(1, C, 8, 8));
        b.output(up, DataType.FLOAT);
        b.output(b.argmax(up, 1), DataType.INT64);
        assertNoHead(b.build(), "also");

        // sizes computed at run time from the input's shape
        GraphBuilder d = new GraphBuilder("dynamic").opset(13);
        d.input("x", DataType.FLOAT, 1, C, 4, 4);
        String shape = d.node("Shape", "x").output();
        String twice = d.node("Mul", shape, d.initializer(null, new long[] {1, 1, 2, 2}, 4)).output();
        String r = d.node("Resize", d.identity("x"), "", "", twice).attr("mode", "linear").output();
        d.output(r, DataType.FLOAT);
        assertNoHead(d.build(), "run time");

        // a Resize straight on a graph input leaves nothing to run
        GraphBuilder e = new GraphBuilder("bare").opset(13);
        e.input("x", DataType.FLOAT, 1, C, 4, 4);
        e.output(e.resize("x", ResizeSpec.linear().withSizes(1, C, 8, 8)), DataType.FLOAT);
        assertNoHead(e.build(), "graph input");

        // a Resize that changes the class axis
        assertNoHead(resizeNet(ResizeSpec.nearest().withSizes(1, 2 * C, 8, 8), 13), "more than the two spatial axes");
    }

    private static ModelProto resizeNet(ResizeSpec spec, int opset) {
        GraphBuilder b = new GraphBuilder("r").opset(opset);
        b.input("x", DataType.FLOAT, 1, C, 4, 4);
        b.output(b.resize(b.identity("x"), spec), DataType.FLOAT);
        return b.build();
    }

    private static void assertNoHead(ModelProto m, String reasonPart) {
        HeadCut.Result r = HeadCut.cut(m);
        assertFalse(r.found(), "unexpected head: " + r.reason());
        assertSame(m, r.model());
        assertTrue(r.reason().contains(reasonPart), "reason '" + r.reason() + "' should mention '" + reasonPart + "'");
    }

    @Test
    void operationWritesBesideTheModelAndRefusesToOverwrite() throws Exception {
        Path dir = Files.createDirectories(TestData.scratch("head-cut").resolve("op-" + System.nanoTime()));
        Path model = dir.resolve("net.onnx");
        Files.write(model, convNet(true).toBytes());
        CutHeadOperation.CutHeadResult r = new CutHeadOperation(model).run(new NullProgressMonitor());
        assertTrue(r.cut(), r.reason());
        assertEquals(dir.resolve("net.head.onnx"), r.output());
        assertTrue(Files.isRegularFile(r.output()));
        assertEquals(r.head(), SegmentationHead.fromModel(ModelProto.parseFrom(Files.readAllBytes(r.output()))).orElseThrow());
        assertEquals(64, r.modelSha256().length());
        assertThrows(CoreException.class, () -> new CutHeadOperation(model).run(new NullProgressMonitor()));
        assertTrue(new CutHeadOperation(model).overwrite(true).run(new NullProgressMonitor()).cut());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }

        Path plain = dir.resolve("plain.onnx");
        Files.write(plain, convNet(false).toBytes());
        CutHeadOperation.CutHeadResult none = new CutHeadOperation(plain).run(new NullProgressMonitor());
        assertFalse(none.cut());
        assertNull(none.output());
        assertTrue(none.reason().contains("Conv"), none.reason());
        assertFalse(Files.exists(dir.resolve("plain.head.onnx")));
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer fb = t.getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }
}
