package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link BinaryDecoder}, {@link MultiLabelDecoder} and {@link RegressionDecoder} on hand-made values passed through
 * real ONNX Runtime sessions of {@code Identity} graphs: thresholds on probabilities and logits, NaN, ties, layouts,
 * batches, and shapes they refuse.
 */
class ThresholdDecodersTest {

    private static final float NAN = Float.NaN;

    @Test
    void binaryThresholdsProbabilitiesAndLogitsInEveryOneChannelShape() throws OrtException {
        float[] p = {0.1f, 0.5f, 0.50001f, 0.9f, NAN, 0.7f};
        BinaryDecoder probs = new BinaryDecoder(null, true, 0.5, "test");
        int[] expected = {0, 0, 1, 1, 0, 1};
        for (long[] shape : new long[][] {{1, 1, 2, 3}, {1, 2, 3, 1}, {1, 2, 3}}) {
            try (Run r = new Run(p, shape)) {
                Prediction pr = probs.decode(r.result);
                assertArrayEquals(expected, pr.labels().labels(), java.util.Arrays.toString(shape));
                assertEquals(3, pr.labels().width());
                assertEquals(2, pr.labels().height());
                assertArrayEquals(p, pr.raw());
                assertArrayEquals(expected, probs.decodeBatch(r.result));
            }
        }
        // a logit is compared with ln(T / (1 - T)): 0 for 0.5, ln 4 for 0.8, -ln 4 for 0.2
        float[] logits = {-2f, -1.3f, 0f, 0.1f, 1.38f, 1.39f, NAN, Float.POSITIVE_INFINITY};
        try (Run r = new Run(logits, 1, 1, 2, 4)) {
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 0, 1}, new BinaryDecoder(null, false, 0.5, "t").decode(r.result).labels().labels());
            assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 0, 1}, new BinaryDecoder(null, false, 0.8, "t").decode(r.result).labels().labels());
            assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1, 0, 1}, new BinaryDecoder(null, false, 0.2, "t").decode(r.result).labels().labels());
            // the same decisions as the probabilities would give
            for (double t : new double[] {0.2, 0.5, 0.8}) {
                int[] viaSigmoid = new int[logits.length];
                for (int i = 0; i < logits.length; i++) {
                    viaSigmoid[i] = 1 / (1 + Math.exp(-logits[i])) > t ? 1 : 0;
                }
                assertArrayEquals(viaSigmoid, new BinaryDecoder(null, false, t, "t").decodeBatch(r.result), "T " + t);
            }
        }
        assertTrue(new BinaryDecoder(null, false, 0.8, "t").description().contains("logit > 1.386"));
    }

    @Test
    void binaryReadsABatchAndRefusesSeveralChannels() throws OrtException {
        float[] v = {0.9f, 0.1f, 0.2f, 0.8f};
        BinaryDecoder d = new BinaryDecoder(null, true, 0.5, "t");
        try (Run r = new Run(v, 2, 1, 1, 2)) {
            assertArrayEquals(new int[] {1, 0, 0, 1}, d.decodeBatch(r.result));
            assertThrows(IllegalArgumentException.class, () -> d.decode(r.result), "decode takes one image");
        }
        try (Run r = new Run(v, 1, 2, 1, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.decode(r.result));
            assertTrue(e.getMessage().contains("one channel") && e.getMessage().contains("multilabel"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new BinaryDecoder(null, true, 1, "t"));
    }

    @Test
    void multiLabelThresholdsEachChannelAndShowsTheHighestLabel() throws OrtException {
        // 3 labels x 4 pixels, NCHW: pixel 0 none, 1 label 0 and 2 (2 higher), 2 a tie of labels 1 and 2 (1 first),
        // 3 NaN in label 0, label 1 above
        float[] nchw = {
            0.1f, 0.6f, 0.2f, NAN,
            0.2f, 0.4f, 0.7f, 0.9f,
            0.3f, 0.8f, 0.7f, 0.1f};
        int[][] channels = {{0, 1, 0, 0}, {0, 0, 1, 1}, {0, 1, 1, 0}};
        int[] display = {0, 3, 2, 2};
        Preprocessing square = Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW);
        MultiLabelDecoder d = new MultiLabelDecoder(null, square, new long[] {1, 3, 2, 2}, List.of("skin", "clothes", "hair"), true, 0.5,
                "test");
        assertEquals(new ModelOutput(null, OutputKind.MULTILABEL, 3, List.of("skin", "clothes", "hair"), true, 0.5, "test"), d.output());
        try (Run r = new Run(nchw, 1, 3, 2, 2)) {
            Prediction p = d.decode(r.result);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(channels[k], p.channels().get(k).labels(), "label " + k);
            }
            assertArrayEquals(display, p.labels().labels());
            assertArrayEquals(display, d.decodeBatch(r.result));
            assertNull(p.values());
        }
        // the same values NHWC, layout from the declared shape and from the result's
        float[] nhwc = new float[12];
        for (int k = 0; k < 3; k++) {
            for (int px = 0; px < 4; px++) {
                nhwc[px * 3 + k] = nchw[k * 4 + px];
            }
        }
        for (MultiLabelDecoder n : List.of(
                new MultiLabelDecoder(null, square.withLayout(Preprocessing.Layout.NHWC), new long[] {1, 2, 2, 3}, List.of(), true, 0.5, "t"),
                new MultiLabelDecoder(null, square.withLayout(Preprocessing.Layout.NHWC), null, List.of(), true, 0.5, "t"))) {
            try (Run r = new Run(nhwc, 1, 2, 2, 3)) {
                Prediction p = n.decode(r.result);
                assertEquals(ScoreLayout.NHWC, n.layout(new long[] {1, 2, 2, 3}));
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(channels[k], p.channels().get(k).labels(), "NHWC label " + k);
                }
                assertArrayEquals(display, p.labels().labels());
                assertArrayEquals(display, n.decodeBatch(r.result));
            }
        }
    }

    @Test
    void regressionKeepsTheValuesAndRefusesSeveralChannels() throws OrtException {
        float[] v = {-4f, 0.5f, NAN, 7f, 1e-3f, -0f};
        RegressionDecoder d = new RegressionDecoder("depth", "test");
        try (Run r = new Run(v, 1, 2, 3, 1)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> d.decode(r.result));
            assertTrue(missing.getMessage().contains("no output 'depth'"), missing.getMessage());
            RegressionDecoder first = new RegressionDecoder(null, "test");
            Prediction p = first.decode(r.result);
            assertNull(p.labels());
            assertArrayEquals(v, p.values().values());
            assertEquals(3, p.values().width());
            assertEquals(2, p.values().height());
            assertEquals(7f, p.values().at(0, 1));
            assertTrue(p.channels().isEmpty());
        }
        try (Run r = new Run(new float[8], 1, 2, 2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RegressionDecoder(null, "t").decode(r.result));
            assertTrue(e.getMessage().contains("one channel"), e.getMessage());
        }
    }

    @Test
    void oneDecoderServesSeveralThreadsAtOnce() throws Exception {
        float[] v = new float[3 * 64 * 64];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble();
        }
        MultiLabelDecoder d = new MultiLabelDecoder(null, Preprocessing.defaults(64, 64, Preprocessing.Layout.NCHW),
                new long[] {1, 3, 64, 64}, List.of(), true, 0.5, "t");
        try (Run r = new Run(v, 1, 3, 64, 64)) {
            int[] once = d.decodeBatch(r.result);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<int[]>> jobs = java.util.Collections.nCopies(16, () -> d.decodeBatch(r.result));
                for (Future<int[]> f : pool.invokeAll(jobs)) {
                    assertArrayEquals(once, f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** An {@code Identity} model's run on the given values and shape. */
    private static final class Run implements AutoCloseable {
        final OrtSession session;
        final OnnxTensor input;
        final OrtSession.Result result;

        Run(float[] values, long... shape) throws OrtException {
            Object[] dims = new Object[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[i];
            }
            GraphBuilder b = new GraphBuilder("identity").opset(13);
            b.input("x", DataType.FLOAT, dims);
            b.node("Identity", "x").outputs("y");
            b.output("y", DataType.FLOAT, dims);
            session = Ort.env().createSession(b.toBytes(), new OrtSession.SessionOptions());
            input = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(values), shape);
            result = session.run(Map.of("x", input));
        }

        @Override
        public void close() throws OrtException {
            result.close();
            input.close();
            session.close();
        }
    }
}
