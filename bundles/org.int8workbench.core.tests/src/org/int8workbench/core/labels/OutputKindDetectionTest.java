package org.int8workbench.core.labels;

import static org.int8workbench.core.labels.KindGraphs.H;
import static org.int8workbench.core.labels.KindGraphs.PIXELS;
import static org.int8workbench.core.labels.KindGraphs.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LabelDecoders#forModel} finds each output kind from small generated graphs, run with real ONNX Runtime
 * sessions; the labels are checked against the graphs' arithmetic done in Java ({@link KindGraphs}).
 */
class OutputKindDetectionTest {

    private static final Preprocessing NCHW = Preprocessing.defaults(W, H, Preprocessing.Layout.NCHW);
    private static final Preprocessing NHWC = Preprocessing.defaults(W, H, Preprocessing.Layout.NHWC);

    @TempDir
    Path dir;

    @Test
    void convSigmoidOneChannelIsBinaryInEitherLayout() throws Exception {
        for (boolean nhwc : new boolean[] {false, true}) {
            GraphBuilder b = KindGraphs.graph(nhwc, 1);
            String x = nhwc ? KindGraphs.toNchw(b, "x") : "x";
            String y = KindGraphs.sigmoid(b, KindGraphs.conv(b, x, 1));
            if (nhwc) {
                KindGraphs.output(b, KindGraphs.toNhwc(b, y), "mask", DataType.FLOAT, 1, H, W, 1);
            } else {
                KindGraphs.output(b, y, "mask", DataType.FLOAT, 1, 1, H, W);
            }
            float[] in = KindGraphs.input(3, 1);
            int[] expected = KindGraphs.positive(KindGraphs.convChannel(in, 0, 0, nhwc));
            Path model = KindGraphs.write(b, dir, "binary-" + nhwc + ".onnx");
            try (OrtSession s = KindGraphs.session(model);
                    OrtSession.Result r = KindGraphs.run(s, in, nhwc ? new long[] {1, H, W, 3} : new long[] {1, 3, H, W})) {
                // the input is given, or read from the model's image input
                for (Preprocessing pre : new Preprocessing[] {nhwc ? NHWC : NCHW, null}) {
                    List<LabelDecoder> ds = LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO);
                    assertEquals(1, ds.size());
                    LabelDecoder d = ds.get(0);
                    assertInstanceOf(BinaryDecoder.class, d);
                    ModelOutput o = d.output();
                    assertEquals(new ModelOutput("mask", OutputKind.BINARY, 1, List.of(), true, 0.5, "final Sigmoid, 1 channel"), o);
                    Prediction p = d.decode(r);
                    assertEquals(W, p.labels().width());
                    assertEquals(H, p.labels().height());
                    assertArrayEquals(expected, p.labels().labels(), "nhwc " + nhwc);
                    assertEquals(PIXELS, p.raw().length, "the probabilities are kept for the raw-output cosine");
                    assertArrayEquals(expected, d.decodeBatch(r));
                }
            }
        }
    }

    @Test
    void rankThreeSigmoidAndQdqWrappedOutputsReadLikeTheirParent() throws Exception {
        // Sigmoid -> Squeeze: [1,H,W]
        GraphBuilder b = KindGraphs.graph(false, 1);
        String axes = b.initializer(b.unique("axes"), new long[] {1}, 1);
        String sq = b.node("Squeeze", KindGraphs.sigmoid(b, KindGraphs.conv(b, "x", 1)), axes).output();
        KindGraphs.output(b, sq, "mask", DataType.FLOAT, 1, H, W);
        // Sigmoid -> QuantizeLinear -> DequantizeLinear, as the INT8 model writes it
        GraphBuilder q = KindGraphs.graph(false, 1);
        KindGraphs.output(q, KindGraphs.qdq(q, KindGraphs.sigmoid(q, KindGraphs.conv(q, "x", 1))), "mask", DataType.FLOAT, 1, 1, H, W);
        // multi-label maps wrapped the same way
        GraphBuilder qm = KindGraphs.graph(false, 1);
        KindGraphs.output(qm, KindGraphs.qdq(qm, KindGraphs.sigmoid(qm, KindGraphs.conv(qm, "x", 3))), "maps", DataType.FLOAT, 1, 3, H, W);

        float[] in = KindGraphs.input(5, 1);
        int[] expected = KindGraphs.positive(KindGraphs.convChannel(in, 0, 0, false));
        for (GraphBuilder g : List.of(b, q)) {
            Path model = KindGraphs.write(g, dir, "m" + System.nanoTime() + ".onnx");
            try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
                LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, null).get(0);
                assertEquals(OutputKind.BINARY, d.kind());
                assertEquals("final Sigmoid, 1 channel", d.output().reason());
                assertArrayEquals(expected, d.decode(r).labels().labels());
            }
        }
        Path model = KindGraphs.write(qm, dir, "qdq-multi.onnx");
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, null).get(0);
            assertEquals(OutputKind.MULTILABEL, d.kind());
            assertEquals("final Sigmoid, 3 channels", d.output().reason());
            Prediction p = d.decode(r);
            for (int m = 0; m < 3; m++) {
                assertArrayEquals(KindGraphs.positive(KindGraphs.convChannel(in, 0, m, false)), p.channels().get(m).labels());
            }
        }
    }

    @Test
    void oneChannelTakenOutOfASoftmaxIsABinaryProbability() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, 1);
        String soft = b.softmax(KindGraphs.conv(b, "x", 2), 1);
        String starts = b.initializer(b.unique("starts"), new long[] {1}, 1);
        String ends = b.initializer(b.unique("ends"), new long[] {2}, 1);
        String axes = b.initializer(b.unique("axes"), new long[] {1}, 1);
        KindGraphs.output(b, b.node("Slice", soft, starts, ends, axes).output(), "person", DataType.FLOAT, 1, 1, H, W);
        Path model = KindGraphs.write(b, dir, "softmax-slice.onnx");
        float[] in = KindGraphs.input(19, 1);
        float[] v0 = KindGraphs.convChannel(in, 0, 0, false);
        float[] v1 = KindGraphs.convChannel(in, 0, 1, false);
        int[] expected = new int[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            expected[i] = v1[i] > v0[i] ? 1 : 0;
        }
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertEquals(new ModelOutput("person", OutputKind.BINARY, 1, List.of(), true, 0.5, "final Softmax, 1 channel (a class probability)"),
                    d.output());
            assertArrayEquals(expected, d.decode(r).labels().labels());
        }
    }

    @Test
    void oneChannelWithoutSigmoidIsRegression() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, 1);
        KindGraphs.output(b, KindGraphs.conv(b, "x", 1), "depth", DataType.FLOAT, 1, 1, H, W);
        Path model = KindGraphs.write(b, dir, "depth.onnx");
        float[] in = KindGraphs.input(7, 1);
        float[] expected = KindGraphs.convChannel(in, 0, 0, false);
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertInstanceOf(RegressionDecoder.class, d);
            assertEquals(OutputKind.REGRESSION, d.output().kind());
            assertTrue(d.output().reason().startsWith("1 float channel, no final Sigmoid (last: Conv)"), d.output().reason());
            Prediction p = d.decode(r);
            assertNull(p.labels());
            assertEquals(W, p.values().width());
            assertEquals(H, p.values().height());
            assertArrayEquals(expected, p.values().values());
            assertArrayEquals(expected, p.raw());
            int[] bits = d.decodeBatch(r);
            for (int i = 0; i < PIXELS; i++) {
                assertEquals(expected[i], Float.intBitsToFloat(bits[i]));
            }
        }
    }

    @Test
    void severalSigmoidChannelsAreMultiLabel() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, 1);
        KindGraphs.output(b, KindGraphs.sigmoid(b, KindGraphs.conv(b, "x", 3)), "maps", DataType.FLOAT, 1, 3, H, W);
        Path model = KindGraphs.write(b, dir, "multi.onnx");
        float[] in = KindGraphs.input(9, 1);
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertInstanceOf(MultiLabelDecoder.class, d);
            ModelOutput o = d.output();
            assertEquals(OutputKind.MULTILABEL, o.kind());
            assertEquals(3, o.channels());
            assertEquals(List.of("label 0", "label 1", "label 2"), o.labelNames());
            assertEquals("final Sigmoid, 3 channels", o.reason());
            Prediction p = d.decode(r);
            float[][] v = new float[3][];
            for (int m = 0; m < 3; m++) {
                v[m] = KindGraphs.convChannel(in, 0, m, false);
                assertArrayEquals(KindGraphs.positive(v[m]), p.channels().get(m).labels(), "label " + m);
            }
            int[] display = new int[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                int best = -1;
                for (int m = 0; m < 3; m++) {
                    if (v[m][i] > 0 && (best < 0 || v[m][i] > v[best][i])) {
                        best = m;
                    }
                }
                display[i] = best + 1;
            }
            assertArrayEquals(display, p.labels().labels());
            assertArrayEquals(display, d.decodeBatch(r));
            assertEquals(3 * PIXELS, p.raw().length);
        }
    }

    @Test
    void softmaxAndLogitsAreClassesAndArgMaxIsLabels() throws Exception {
        GraphBuilder soft = KindGraphs.graph(false, 1);
        KindGraphs.output(soft, soft.softmax(KindGraphs.conv(soft, "x", 3), 1), "scores", DataType.FLOAT, 1, 3, H, W);
        GraphBuilder logits = KindGraphs.graph(false, 1);
        KindGraphs.output(logits, KindGraphs.conv(logits, "x", 3), "logits", DataType.FLOAT, 1, 3, H, W);
        GraphBuilder argmax = KindGraphs.graph(false, 1);
        KindGraphs.output(argmax, argmax.argmax(KindGraphs.conv(argmax, "x", 3), 1), "labels", DataType.INT64, 1, 1, H, W);
        // ArgMax cast to float: still labels
        GraphBuilder cast = KindGraphs.graph(false, 1);
        String c = cast.node("Cast", cast.argmax(KindGraphs.conv(cast, "x", 3), 1)).attr("to", DataType.FLOAT_VALUE).output();
        KindGraphs.output(cast, c, "labels", DataType.FLOAT, 1, 1, H, W);

        float[] in = KindGraphs.input(11, 1);
        int[] expected = new int[PIXELS];
        float[][] v = {KindGraphs.convChannel(in, 0, 0, false), KindGraphs.convChannel(in, 0, 1, false), KindGraphs.convChannel(in, 0, 2, false)};
        for (int i = 0; i < PIXELS; i++) {
            int best = 0;
            for (int m = 1; m < 3; m++) {
                if (v[m][i] > v[best][i]) {
                    best = m;
                }
            }
            expected[i] = best;
        }
        record Case(GraphBuilder g, OutputKind kind, String reason, boolean probabilities) {
        }
        for (Case k : List.of(new Case(soft, OutputKind.CLASS_SCORES, "final Softmax, 3 channels", true),
                new Case(logits, OutputKind.CLASS_SCORES, "3 channels of logits (last: Conv, no final Softmax or Sigmoid)", false),
                new Case(argmax, OutputKind.LABEL_MAP, "integer output (INT64)", false),
                new Case(cast, OutputKind.LABEL_MAP, "final ArgMax", false))) {
            Path model = KindGraphs.write(k.g(), dir, "c" + System.nanoTime() + ".onnx");
            try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
                LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
                assertEquals(k.kind(), d.kind(), k.reason());
                assertEquals(k.reason(), d.output().reason());
                assertEquals(k.probabilities(), d.output().probabilities());
                assertArrayEquals(expected, d.decode(r).labels().labels(), k.reason());
                assertArrayEquals(expected, d.decodeBatch(r), k.reason());
            }
        }
    }

    @Test
    void everyOutputOfTheFirstOutputsKindIsReported() throws Exception {
        // two class-score outputs (as TwinLiteNet): both
        GraphBuilder two = KindGraphs.graph(false, 1);
        String f = KindGraphs.conv(two, "x", 3);
        KindGraphs.output(two, f, "drivable", DataType.FLOAT, 1, 3, H, W);
        KindGraphs.output(two, two.softmax(f, 1), "lanes", DataType.FLOAT, 1, 3, H, W);
        // a binary mask first, class scores second: the mask only
        GraphBuilder mixed = KindGraphs.graph(false, 1);
        String m = KindGraphs.conv(mixed, "x", 3);
        KindGraphs.output(mixed, KindGraphs.sigmoid(mixed, KindGraphs.conv(mixed, "x", 1)), "mask", DataType.FLOAT, 1, 1, H, W);
        KindGraphs.output(mixed, m, "scores", DataType.FLOAT, 1, 3, H, W);

        float[] in = KindGraphs.input(13, 1);
        Path model = KindGraphs.write(two, dir, "two.onnx");
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            List<LabelDecoder> ds = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO);
            assertEquals(List.of("drivable", "lanes"), ds.stream().map(d -> d.output().name()).toList());
            assertTrue(ds.stream().allMatch(d -> d.kind() == OutputKind.CLASS_SCORES));
            assertArrayEquals(ds.get(0).decode(r).labels().labels(), ds.get(1).decode(r).labels().labels(),
                    "softmax keeps the argmax of its logits");
            // named decoders read their own output, not the first
            assertEquals("drivable", ((ArgmaxDecoder) ds.get(0)).outputName());
            assertEquals("lanes", ((ArgmaxDecoder) ds.get(1)).outputName());
        }
        model = KindGraphs.write(mixed, dir, "mixed.onnx");
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            List<LabelDecoder> ds = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO);
            assertEquals(1, ds.size());
            assertEquals(OutputKind.BINARY, ds.get(0).kind());
            assertEquals("mask", ds.get(0).output().name());
            assertNull(((BinaryDecoder) ds.get(0)).outputName(), "the one reported output is the first: read as the first");
            assertArrayEquals(KindGraphs.positive(KindGraphs.convChannel(in, 0, 0, false)), ds.get(0).decode(r).labels().labels());
            // every output with its kind, before any selection
            List<ModelOutput> all = LabelDecoders.describe(model, s, NCHW);
            assertEquals(List.of(OutputKind.BINARY, OutputKind.CLASS_SCORES), all.stream().map(ModelOutput::kind).toList());
            assertEquals(List.of("mask", "scores"), all.stream().map(ModelOutput::name).toList());
        }
    }

    @Test
    void aCutModelReportsItsHeadThenItsOtherClassOutputs() throws Exception {
        // the cut model: "logits" [1,3,4,5] whose head (Resize x2 + ArgMax) is recorded, and a second class output "aux"
        SegmentationHead head = new SegmentationHead(SegmentationHead.FORMAT_VERSION, "Resize", 13, "linear", "half_pixel", null,
                new float[] {1, 1, 2, 2}, null, "stretch", "NCHW", 1, 3, new long[] {1, 3, 4, 5}, 8, 10, "argmax", false, "logits",
                "labels", List.of("Resize", "ArgMax"), SegmentationHead.KERNEL_STANDARD);
        GraphBuilder b = new GraphBuilder("cut").opset(13);
        b.input("x", DataType.FLOAT, 1, 3, 4, 5);
        KindGraphs.output(b, "x", "logits", DataType.FLOAT, 1, 3, 4, 5);
        KindGraphs.output(b, b.node("Neg", "x").output(), "aux", DataType.FLOAT, 1, 3, 4, 5);
        b.metadata(SegmentationHead.METADATA_KEY, head.toJson());
        Path model = KindGraphs.write(b, dir, "cut.onnx");
        Preprocessing pre = Preprocessing.defaults(10, 8, Preprocessing.Layout.NCHW);
        try (OrtSession s = KindGraphs.session(model)) {
            List<LabelDecoder> auto = LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO);
            assertEquals(List.of(OutputKind.CUT_HEAD, OutputKind.CLASS_SCORES), auto.stream().map(LabelDecoder::kind).toList());
            assertEquals(List.of("labels", "aux"), auto.stream().map(d -> d.output().name()).toList());
            assertInstanceOf(HeadLabelDecoder.class, LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO.withOutputName("labels"))
                    .get(0));
            assertInstanceOf(HeadLabelDecoder.class, LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO.withOutputName("logits"))
                    .get(0));
            List<LabelDecoder> aux = LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO.withOutputName("aux"));
            assertEquals(1, aux.size());
            assertEquals("aux", ((ArgmaxDecoder) aux.get(0)).outputName());
            String e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> LabelDecoders.forModel(model, s, pre, OutputSelection.AUTO.withKind(OutputKind.BINARY))).getMessage();
            assertTrue(e.contains("cut before its segmentation head") && e.contains("choose classes or auto"), e);
        }
    }

    @Test
    void dynamicBatchAndSizeDecodeEveryImage() throws Exception {
        GraphBuilder b = new GraphBuilder("dyn").opset(13);
        b.input("x", DataType.FLOAT, "N", 3, "H", "W");
        KindGraphs.output(b, KindGraphs.sigmoid(b, KindGraphs.conv(b, "x", 1)), "mask", DataType.FLOAT, "N", 1, "H", "W");
        GraphBuilder m = new GraphBuilder("dyn3").opset(13);
        m.input("x", DataType.FLOAT, "N", 3, "H", "W");
        KindGraphs.output(m, KindGraphs.sigmoid(m, KindGraphs.conv(m, "x", 3)), "maps", DataType.FLOAT, "N", 3, "H", "W");
        // the channel axis itself dynamic: shape inference of the graph gives it
        GraphBuilder open = new GraphBuilder("open").opset(13);
        open.input("x", DataType.FLOAT, "N", 3, "H", "W");
        KindGraphs.output(open, KindGraphs.conv(open, "x", 3), "scores", DataType.FLOAT, "N", "C", "H", "W");

        float[] in = KindGraphs.input(17, 2);
        Path model = KindGraphs.write(b, dir, "dyn.onnx");
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 2, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertEquals(OutputKind.BINARY, d.kind());
            int[] labels = d.decodeBatch(r);
            assertEquals(2 * PIXELS, labels.length);
            for (int n = 0; n < 2; n++) {
                assertArrayEquals(KindGraphs.positive(KindGraphs.convChannel(in, n, 0, false)),
                        java.util.Arrays.copyOfRange(labels, n * PIXELS, (n + 1) * PIXELS), "image " + n);
            }
        }
        model = KindGraphs.write(m, dir, "dyn3.onnx");
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 2, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertEquals(OutputKind.MULTILABEL, d.kind());
            assertEquals(3, d.output().channels());
            assertEquals(2 * PIXELS, d.decodeBatch(r).length);
        }
        model = KindGraphs.write(open, dir, "open.onnx");
        try (OrtSession s = KindGraphs.session(model)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO).get(0);
            assertEquals(OutputKind.CLASS_SCORES, d.kind());
            assertTrue(d.output().reason().startsWith("3 channels"), d.output().reason());
        }
    }

    @Test
    void withoutTheFileTheSessionAloneGivesTheSameKindsWhereTheShapeTells() throws Exception {
        GraphBuilder logits = KindGraphs.graph(false, 1);
        KindGraphs.output(logits, KindGraphs.conv(logits, "x", 3), "logits", DataType.FLOAT, 1, 3, H, W);
        GraphBuilder one = KindGraphs.graph(false, 1);
        KindGraphs.output(one, KindGraphs.conv(one, "x", 1), "depth", DataType.FLOAT, 1, 1, H, W);
        for (GraphBuilder g : List.of(logits, one)) {
            Path model = KindGraphs.write(g, dir, "s" + System.nanoTime() + ".onnx");
            try (OrtSession s = KindGraphs.session(model)) {
                LabelDecoder bySession = LabelDecoders.forSession(s, NCHW);
                LabelDecoder byModel = LabelDecoders.forModel(model, s, NCHW, null).get(0);
                assertEquals(byModel.kind(), bySession.kind());
                assertEquals(byModel.getClass(), bySession.getClass());
                assertFalse(bySession.output().reason().isBlank());
            }
        }
    }
}
