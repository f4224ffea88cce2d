package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.junit.jupiter.api.Test;

/**
 * The decoder the factory chooses and what it decodes, on real ONNX Runtime sessions of tiny graphs: {@code Identity}
 * models pass hand-made scores or labels through as the model's output, so every case has a known answer.
 */
class LabelDecodersTest {

    @Test
    void theFactoryPicksTheExactHeadWhenTheModelRecordsOneAndArgmaxOtherwise() throws OrtException {
        // the full model: scores [1,3,4,5] -> Resize (linear, half_pixel, x2) -> ArgMax -> labels [1,1,8,10]
        GraphBuilder full = new GraphBuilder("full").opset(13);
        full.input("x", DataType.FLOAT, 1, 3, 4, 5);
        full.node("Identity", full.argmax(full.resize("x", ResizeSpec.linear().withScales(1, 1, 2, 2)), 1)).outputs("labels");
        full.output("labels", DataType.INT64, 1, 1, 8, 10);
        // the same model cut before its head: the scores are the output, the head is in the metadata
        SegmentationHead head = new SegmentationHead(SegmentationHead.FORMAT_VERSION, "Resize", 13, "linear", "half_pixel", null,
                new float[] {1, 1, 2, 2}, null, "stretch", "NCHW", 1, 3, new long[] {1, 3, 4, 5}, 8, 10, "argmax", false, "logits",
                "labels", List.of("Resize", "ArgMax"), SegmentationHead.KERNEL_STANDARD);
        byte[] cut = identity("logits", DataType.FLOAT, 1, 3, 4, 5).metadata(SegmentationHead.METADATA_KEY, head.toJson()).toBytes();
        byte[] uncut = identity("logits", DataType.FLOAT, 1, 3, 4, 5).toBytes();
        Preprocessing pre = Preprocessing.defaults(10, 8, Preprocessing.Layout.NCHW);

        float[] scores = scores(new SplittableRandom(7), 3 * 4 * 5, false);
        try (OrtSession fullS = session(full.toBytes()); OrtSession cutS = session(cut); OrtSession uncutS = session(uncut);
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(scores), new long[] {1, 3, 4, 5});
                OrtSession.Result fullR = fullS.run(Map.of("x", x)); OrtSession.Result cutR = cutS.run(Map.of("x", x))) {
            LabelDecoder forFull = LabelDecoders.forSession(fullS, pre);
            LabelDecoder forCut = LabelDecoders.forSession(cutS, pre);
            assertInstanceOf(LabelMapDecoder.class, forFull);
            assertEquals(OutputKind.LABEL_MAP, forFull.kind());
            assertInstanceOf(HeadLabelDecoder.class, forCut);
            assertEquals(OutputKind.CUT_HEAD, forCut.kind());
            assertEquals(head, ((HeadLabelDecoder) forCut).head());
            assertTrue(forCut.description().contains("exact label head"), forCut.description());
            assertEquals("labels", forCut.output().name(), "the cut model's prediction is named like the full model's output");
            assertEquals(3, forCut.output().channels());
            assertTrue(forCut.output().reason().startsWith("the model records its cut-off head (Resize linear"), forCut.output().reason());
            assertInstanceOf(ArgmaxDecoder.class, LabelDecoders.forSession(uncutS, pre), "no head recorded: argmax");
            assertInstanceOf(ArgmaxDecoder.class, LabelDecoders.FROM_MODEL.create(uncutS, null));

            Prediction expected = forFull.decode(fullR);
            assertEquals(10, expected.labels().width());
            assertEquals(8, expected.labels().height());
            Prediction exact = forCut.decode(cutR);
            assertEquals(10, exact.labels().width());
            assertEquals(8, exact.labels().height());
            assertArrayEquals(expected.labels().labels(), exact.labels().labels(), "the cut model's labels equal the full model's");
            assertNull(exact.raw(), "low-resolution logits are not comparable with a full model's output");
            assertArrayEquals(expected.labels().labels(), forCut.decodeBatch(cutR));
        }
    }

    @Test
    void scoresInEitherLayoutWithTheInputFromTheModelOrGiven() throws OrtException {
        SplittableRandom r = new SplittableRandom(11);
        // a 3-channel image input tells the input size and layout by itself (non-square: the aspect decides)
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 3, 4, 6), new long[] {1, 3, 4, 6}, null, ScoreLayout.NCHW);
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 4, 6, 3), new long[] {1, 4, 6, 3}, null, ScoreLayout.NHWC);
        // square scores whose both layouts fit: the given input layout decides
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 4, 4, 4), new long[] {1, 4, 4, 4},
                Preprocessing.defaults(4, 4, Preprocessing.Layout.NHWC), ScoreLayout.NHWC);
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 4, 4, 4), new long[] {1, 4, 4, 4},
                Preprocessing.defaults(4, 4, Preprocessing.Layout.NCHW), ScoreLayout.NCHW);
        // half-resolution scores of a 12x8 input given by its preprocessing: the aspect decides, not the input layout
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 21, 4, 6), new long[] {1, 21, 4, 6},
                Preprocessing.defaults(12, 8, Preprocessing.Layout.NHWC), ScoreLayout.NCHW);
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 4, 6, 21), new long[] {1, 4, 6, 21},
                Preprocessing.defaults(12, 8, Preprocessing.Layout.NCHW), ScoreLayout.NHWC);
        // two classes, with NaN among the scores
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 2, 3, 5), new long[] {1, 2, 3, 5},
                Preprocessing.defaults(5, 3, Preprocessing.Layout.NCHW), ScoreLayout.NCHW);
        // dynamic spatial axes: decided from each result's shape
        checkArgmax(r, identity("y", DataType.FLOAT, 1, 3, "H", "W"), new long[] {1, 3, 2, 7},
                Preprocessing.defaults(7, 2, Preprocessing.Layout.NCHW), ScoreLayout.NCHW);
    }

    @Test
    void aBatchDecodesImageAfterImage() throws OrtException {
        SplittableRandom r = new SplittableRandom(5);
        float[] s = scores(r, 2 * 3 * 4 * 6, true);
        try (OrtSession session = session(identity("y", DataType.FLOAT, "N", 3, 4, 6).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(s), new long[] {2, 3, 4, 6});
                OrtSession.Result out = session.run(Map.of("x", x))) {
            LabelDecoder d = LabelDecoders.forSession(session, null);
            int[] labels = d.decodeBatch(out);
            assertEquals(2 * 24, labels.length);
            assertArrayEquals(reference(s, 2, 3, 24, ScoreLayout.NCHW), labels);
            assertThrows(IllegalArgumentException.class, () -> d.decode(out), "decode takes a batch of one image");
        }
    }

    @Test
    void integerLabelMapsAreTakenAsTheyAre() throws OrtException {
        long[] longs = {0, 1, 2, 3, 4, 20};
        int[] expected = {0, 1, 2, 3, 4, 20};
        try (OrtSession s = session(identity("y", DataType.INT64, 1, 2, 3).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), LongBuffer.wrap(longs), new long[] {1, 2, 3});
                OrtSession.Result out = s.run(Map.of("x", x))) {
            checkLabels(LabelDecoders.forSession(s, null), out, expected, 3, 2);
        }
        try (OrtSession s = session(identity("y", DataType.INT32, 1, 1, 2, 3).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), IntBuffer.wrap(expected), new long[] {1, 1, 2, 3});
                OrtSession.Result out = s.run(Map.of("x", x))) {
            checkLabels(LabelDecoders.forSession(s, null), out, expected, 3, 2);
        }
        byte[] bytes = {0, 1, 2, 3, (byte) 200, 20};
        try (OrtSession s = session(identity("y", DataType.UINT8, 1, 2, 3, 1).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), ByteBuffer.wrap(bytes), new long[] {1, 2, 3, 1}, OnnxJavaType.UINT8);
                OrtSession.Result out = s.run(Map.of("x", x))) {
            checkLabels(LabelDecoders.forSession(s, null), out, new int[] {0, 1, 2, 3, 200, 20}, 3, 2);
        }
        try (OrtSession s = session(identity("y", DataType.INT8, 1, 2, 3).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), ByteBuffer.wrap(bytes), new long[] {1, 2, 3});
                OrtSession.Result out = s.run(Map.of("x", x))) {
            LabelDecoder d = LabelDecoders.forSession(s, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.decode(out));
            assertTrue(e.getMessage().contains("negative label -56"), e.getMessage());
        }
    }

    @Test
    void aSingleFloatChannelIsValuesNotClassScores() throws OrtException {
        float[] v = {0, 1.2f, 2, 2.7f, 4, 20};
        try (OrtSession s = session(identity("y", DataType.FLOAT, 1, 1, 2, 3).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(v), new long[] {1, 1, 2, 3});
                OrtSession.Result out = s.run(Map.of("x", x))) {
            LabelDecoder d = LabelDecoders.forSession(s, null);
            assertEquals(OutputKind.REGRESSION, d.kind(), "a single float channel is never a class-score tensor");
            Prediction p = d.decode(out);
            assertNull(p.labels());
            assertArrayEquals(v, p.values().values());
            assertEquals(3, p.values().width());
            assertArrayEquals(v, p.raw());
            // an argmax decoder given one channel anyway rounds, as a label map of numbers
            Prediction rounded = checkLabels(new ArgmaxDecoder(null, null, null), out, new int[] {0, 1, 2, 3, 4, 20}, 3, 2);
            assertArrayEquals(v, rounded.raw());
        }
    }

    @Test
    void outputsThatAreNotLabelsAreClearErrors() throws OrtException {
        try (OrtSession s = session(identity("y", DataType.BOOL, 1, 2, 3).toBytes())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelDecoders.forSession(s, null));
            assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains("float class scores or integer labels"), e.getMessage());
        }
        try (OrtSession s = session(identity("y", DataType.FLOAT, 1, 3, 2, 2).toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(new float[12]), new long[] {1, 3, 2, 2});
                OrtSession.Result out = s.run(Map.of("x", x))) {
            ArgmaxDecoder named = new ArgmaxDecoder("scores", null, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> named.decode(out));
            assertTrue(e.getMessage().contains("no output 'scores'"), e.getMessage());
            IllegalArgumentException notInts = assertThrows(IllegalArgumentException.class, () -> new LabelMapDecoder(null).decode(out));
            assertTrue(notInts.getMessage().contains("FLOAT"), notInts.getMessage());
        }
    }

    /** Runs scores of {@code shape} through the model and checks the decoder's layout and labels against {@link #reference}. */
    private static void checkArgmax(SplittableRandom r, GraphBuilder model, long[] shape, Preprocessing pre, ScoreLayout layout)
            throws OrtException {
        float[] s = scores(r, (int) (shape[1] * shape[2] * shape[3]), true);
        try (OrtSession session = session(model.toBytes());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(s), shape);
                OrtSession.Result out = session.run(Map.of("x", x))) {
            LabelDecoder d = LabelDecoders.forSession(session, pre);
            ArgmaxDecoder a = assertInstanceOf(ArgmaxDecoder.class, d);
            assertEquals(layout, a.layout(shape), java.util.Arrays.toString(shape));
            int classes = (int) shape[layout.classAxis()];
            int h = (int) shape[layout.heightAxis()];
            int w = (int) shape[layout.widthAxis()];
            Prediction p = d.decode(out);
            assertEquals(w, p.labels().width());
            assertEquals(h, p.labels().height());
            assertArrayEquals(reference(s, 1, classes, w * h, layout), p.labels().labels(), java.util.Arrays.toString(shape));
            assertArrayEquals(s, p.raw());
            assertArrayEquals(p.labels().labels(), d.decodeBatch(out));
        }
    }

    private static Prediction checkLabels(LabelDecoder d, OrtSession.Result out, int[] expected, int width, int height)
            throws OrtException {
        Prediction p = d.decode(out);
        assertArrayEquals(expected, p.labels().labels());
        assertEquals(width, p.labels().width());
        assertEquals(height, p.labels().height());
        assertArrayEquals(expected, d.decodeBatch(out));
        assertNotNull(d.description());
        return p;
    }

    /**
     * The labels by the rule, written plainly: per pixel, the first class holding the largest number; class 0 when all
     * are NaN.
     */
    private static int[] reference(float[] s, int batch, int classes, int pixels, ScoreLayout layout) {
        int[] labels = new int[batch * pixels];
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < pixels; p++) {
                int best = -1;
                for (int c = 0; c < classes; c++) {
                    int i = layout == ScoreLayout.NCHW ? (n * classes + c) * pixels + p : (n * pixels + p) * classes + c;
                    float v = s[i];
                    if (!Float.isNaN(v) && (best < 0 || v > s[indexOf(n, best, p, classes, pixels, layout)])) {
                        best = c;
                    }
                }
                labels[n * pixels + p] = Math.max(best, 0);
            }
        }
        return labels;
    }

    private static int indexOf(int n, int c, int p, int classes, int pixels, ScoreLayout layout) {
        return layout == ScoreLayout.NCHW ? (n * classes + c) * pixels + p : (n * pixels + p) * classes + c;
    }

    /** Small integers (many ties), with a NaN now and then when asked. */
    private static float[] scores(SplittableRandom r, int n, boolean nan) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = nan && r.nextInt(8) == 0 ? Float.NaN : r.nextInt(4) + (r.nextInt(3) == 0 ? 0.5f : 0f);
        }
        return s;
    }

    /** {@code x -> Identity -> output}, both of the given type and shape. */
    private static GraphBuilder identity(String output, DataType type, Object... dims) {
        GraphBuilder b = new GraphBuilder("identity").opset(13);
        b.input("x", type, dims);
        b.node("Identity", "x").outputs(output);
        b.output(output, type, dims);
        return b;
    }

    private static OrtSession session(byte[] model) throws OrtException {
        return Ort.env().createSession(model, new OrtSession.SessionOptions());
    }
}
