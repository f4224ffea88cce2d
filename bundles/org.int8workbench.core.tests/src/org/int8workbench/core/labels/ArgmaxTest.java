package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.int8workbench.core.dataset.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The argmax kernels, the NaN and tie rule and the layout rule, on hand-built scores with known answers. Every kernel
 * (array and buffer, NCHW and NHWC) is checked against the same expectations.
 */
class ArgmaxTest {
    private static final float NAN = Float.NaN;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void nchwFirstMaximumWinsOverABatch() {
        // batch 2, 3 classes, 2 pixels; layout [n][c][p]
        float[] s = {
            1, 5, /* c0 */ 3, 5, /* c1 */ 2, 9, /* c2 */
            0, 0, /* c0 */ 0, -1, /* c1 */ 0, -2 /* c2 */};
        assertAllNchw(new int[] {1, 2, 0, 0}, s, 2, 3, 2);
    }

    @Test
    void nhwcFirstMaximumWins() {
        // batch 1, 3 pixels of 3 classes; layout [p][c]
        float[] s = {1, 3, 2, /* */ 7, 7, 7, /* */ -1, -3, 0};
        assertAllNhwc(new int[] {1, 0, 2}, s, 1, 3, 3);
    }

    @Test
    void nanNeverWinsOverANumber() {
        // one pixel per case, 3 classes: NaN in class 0, in the middle, all NaN, NaN against -Infinity, NaN last
        float[][] byPixel = {
            {NAN, 1, 2},         // NaN at class 0: the best number wins (class 2)
            {NAN, 5, 5},         // NaN at class 0, then a tie: the first number wins (class 1)
            {3, NAN, 2},         // NaN in the middle is passed over (class 0)
            {1, NAN, 4},         // ... and does not hide a later maximum (class 2)
            {NAN, NAN, NAN},     // all NaN: class 0
            {NAN, NEG_INF, NAN}, // NaN against -Infinity: -Infinity wins
            {NEG_INF, NAN, NEG_INF}, // -Infinity at class 0 stays: NaN never replaces it, the equal later one does not either
            {2, 2, NAN},         // NaN last: the first maximum (class 0)
        };
        int[] expected = {2, 1, 0, 2, 0, 1, 0, 0};
        int classes = 3;
        int pixels = byPixel.length;
        float[] nchw = new float[classes * pixels];
        float[] nhwc = new float[classes * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < classes; c++) {
                nchw[c * pixels + p] = byPixel[p][c];
                nhwc[p * classes + c] = byPixel[p][c];
            }
        }
        assertAllNchw(expected, nchw, 1, classes, pixels);
        assertAllNhwc(expected, nhwc, 1, classes, pixels);
        assertTrue(Argmax.wins(1, NAN));
        assertTrue(Argmax.wins(NEG_INF, NAN));
        assertFalse(Argmax.wins(NAN, 1));
        assertFalse(Argmax.wins(NAN, NAN));
        assertFalse(Argmax.wins(1, 1), "a tie keeps the first maximum");
    }

    @Test
    void oneAndTwoClassEdgeCases() {
        assertAllNchw(new int[] {0, 0, 0}, new float[] {5, NAN, -1}, 1, 1, 3);
        assertAllNhwc(new int[] {0, 0, 0}, new float[] {5, NAN, -1}, 1, 1, 3);
        // 2 classes, 3 pixels: class 1 larger, tie, NaN in class 0
        assertAllNchw(new int[] {1, 0, 1}, new float[] {0, 4, NAN, /* c1 */ 1, 4, -7}, 1, 2, 3);
        assertAllNhwc(new int[] {1, 0, 1}, new float[] {0, 1, /* */ 4, 4, /* */ NAN, -7}, 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> Argmax.nchw(new float[5], 1, 2, 3), "5 scores are not 2 x 3");
        assertThrows(IllegalArgumentException.class, () -> Argmax.nhwc(new float[0], 1, 0, 0), "no classes");
    }

    @Test
    void decoderTakesTheArgmaxInBothLayouts() {
        // 3 classes, 2x2 pixels. pixel 0: class 1; pixel 1: tie 0/2 -> 0; pixel 2: class 2; pixel 3: NaN in class 0 -> class 1
        float[][] byClass = {{0, 5, 0, NAN}, {3, 1, 0, 2}, {1, 5, 9, 1}};
        float[] nchw = new float[12];
        float[] nhwc = new float[12];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 4; p++) {
                nchw[c * 4 + p] = byClass[c][p];
                nhwc[p * 3 + c] = byClass[c][p];
            }
        }
        Preprocessing pre = Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW);
        ArgmaxDecoder a = new ArgmaxDecoder(null, pre, null);
        Prediction pa = a.fromScores(nchw, new long[] {1, 3, 2, 2});
        assertArrayEquals(new int[] {1, 0, 2, 1}, pa.labels().labels());
        assertSame(nchw, pa.raw(), "the scores are kept for the tensor distance");
        ArgmaxDecoder b = new ArgmaxDecoder(null, pre.withLayout(Preprocessing.Layout.NHWC), null);
        assertArrayEquals(new int[] {1, 0, 2, 1}, b.fromScores(nhwc, new long[] {1, 2, 2, 3}).labels().labels());
        // a single float channel holds labels as numbers
        assertArrayEquals(new int[] {4, 0, 2, 7}, a.fromScores(new float[] {4, 0, 2, 7}, new long[] {1, 2, 2}).labels().labels());
        assertArrayEquals(new int[] {4, 0, 2, 7}, a.fromScores(new float[] {4, 0, 2, 7}, new long[] {1, 1, 2, 2}).labels().labels());
        assertArrayEquals(new int[] {4, 0, 2, 7}, a.fromScores(new float[] {4, 0, 2, 7}, new long[] {1, 2, 2, 1}).labels().labels());
        assertThrows(IllegalArgumentException.class, () -> a.fromScores(new float[24], new long[] {2, 3, 2, 2}), "one image only");
    }

    @Test
    void nonSquareScoresTakeTheLayoutWhoseAspectFitsTheInput() {
        // input 6 wide, 4 high; scores at half resolution: [1,C,2,3] (NCHW) or [1,2,3,C] (NHWC)
        Preprocessing nchwInput = Preprocessing.defaults(6, 4, Preprocessing.Layout.NCHW);
        Preprocessing nhwcInput = nchwInput.withLayout(Preprocessing.Layout.NHWC);
        // the aspect decides, whatever the input layout
        assertEquals(ScoreLayout.NCHW, ScoreLayout.decide(new long[] {1, 5, 2, 3}, nhwcInput));
        assertEquals(ScoreLayout.NHWC, ScoreLayout.decide(new long[] {1, 2, 3, 5}, nchwInput));
        // 2 classes at full size: [1,2,4,6] fits only NCHW, [1,4,6,2] only NHWC
        assertEquals(ScoreLayout.NCHW, ScoreLayout.decide(new long[] {1, 2, 4, 6}, nhwcInput));
        assertEquals(ScoreLayout.NHWC, ScoreLayout.decide(new long[] {1, 4, 6, 2}, nchwInput));
        // square input: both fit, the input layout decides
        Preprocessing square = Preprocessing.defaults(4, 4, Preprocessing.Layout.NHWC);
        assertEquals(ScoreLayout.NHWC, ScoreLayout.decide(new long[] {1, 4, 4, 4}, square));
        assertEquals(ScoreLayout.NCHW, ScoreLayout.decide(new long[] {1, 4, 4, 4}, square.withLayout(Preprocessing.Layout.NCHW)));
        // unknown input: NCHW
        assertEquals(ScoreLayout.NCHW, ScoreLayout.decide(new long[] {1, 257, 257, 21}, null));
        assertThrows(IllegalArgumentException.class, () -> ScoreLayout.decide(new long[] {1, 21, 257}, square));
        // declared shapes decide only when axes 1 to 3 are fixed
        assertEquals(Optional.of(ScoreLayout.NHWC), ScoreLayout.decideDeclared(new long[] {-1, 2, 3, 5}, nchwInput));
        assertEquals(Optional.empty(), ScoreLayout.decideDeclared(new long[] {1, 21, -1, -1}, nchwInput));
        assertEquals(3, ScoreLayout.classCount(new long[] {1, 3, 2, 2}, Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW)));
        assertEquals(21, ScoreLayout.classCount(new long[] {1, 257, 257, 21}, Preprocessing.defaults(257, 257, Preprocessing.Layout.NHWC)));
        assertEquals(-1, ScoreLayout.classCount(new long[] {1, 1, 257, 257}, Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW)));
        assertEquals(-1, ScoreLayout.classCount(new long[] {1, 21, -1, -1}, null));

        // the decoder applies the rule: the same labels from both layouts of non-square scores
        float[] nchw = new float[5 * 6];
        float[] nhwc = new float[5 * 6];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int c = 0; c < 5; c++) {
            for (int p = 0; p < 6; p++) {
                float v = r.nextInt(4);
                nchw[c * 6 + p] = v;
                nhwc[p * 5 + c] = v;
            }
        }
        Prediction a = new ArgmaxDecoder(null, nhwcInput, null).fromScores(nchw, new long[] {1, 5, 2, 3});
        Prediction b = new ArgmaxDecoder(null, nchwInput, null).fromScores(nhwc, new long[] {1, 2, 3, 5});
        assertEquals(3, a.labels().width());
        assertEquals(2, a.labels().height());
        assertArrayEquals(a.labels().labels(), b.labels().labels());
        assertArrayEquals(Argmax.nchw(nchw, 1, 5, 6), a.labels().labels());
    }

    @Test
    void theDeclaredShapeDecidesOnce() {
        Preprocessing square = Preprocessing.defaults(4, 4, Preprocessing.Layout.NCHW);
        ArgmaxDecoder declaredNhwc = new ArgmaxDecoder(null, square.withLayout(Preprocessing.Layout.NHWC), new long[] {1, 4, 4, 4});
        assertEquals(ScoreLayout.NHWC, declaredNhwc.layout(new long[] {1, 4, 4, 4}));
        assertTrue(declaredNhwc.description().contains("NHWC"), declaredNhwc.description());
        ArgmaxDecoder dynamic = new ArgmaxDecoder(null, square, new long[] {1, 3, -1, -1});
        assertEquals(ScoreLayout.NCHW, dynamic.layout(new long[] {1, 3, 4, 4}));
        assertEquals(OutputKind.CLASS_SCORES, dynamic.kind());
        assertNull(dynamic.outputName());
    }

    @Test
    void integerLabelMapsOfEveryShape() {
        int[] labels = {0, 1, 2, 3, 4, 5};
        for (long[] shape : new long[][] {{1, 2, 3}, {1, 1, 2, 3}, {1, 2, 3, 1}, {2, 3}}) {
            var m = LabelMapDecoder.labelMap(labels, shape);
            assertEquals(3, m.width(), java.util.Arrays.toString(shape));
            assertEquals(2, m.height(), java.util.Arrays.toString(shape));
            assertSame(labels, m.labels());
        }
        assertThrows(IllegalArgumentException.class, () -> LabelMapDecoder.labelMap(labels, new long[] {2, 1, 3}), "batch of two");
        assertThrows(IllegalArgumentException.class, () -> LabelMapDecoder.labelMap(new int[] {0, -1}, new long[] {1, 1, 2}));
    }

    private static void assertAllNchw(int[] expected, float[] s, int batch, int classes, int pixels) {
        assertArrayEquals(expected, Argmax.nchw(s, batch, classes, pixels), "array");
        assertArrayEquals(expected, Argmax.nchw(FloatBuffer.wrap(s), batch, classes, pixels), "heap buffer");
        assertArrayEquals(expected, Argmax.nchw(direct(s), batch, classes, pixels), "direct buffer");
    }

    private static void assertAllNhwc(int[] expected, float[] s, int batch, int classes, int pixels) {
        assertArrayEquals(expected, Argmax.nhwc(s, batch, classes, pixels), "array");
        assertArrayEquals(expected, Argmax.nhwc(FloatBuffer.wrap(s), batch, classes, pixels), "heap buffer");
        assertArrayEquals(expected, Argmax.nhwc(direct(s), batch, classes, pixels), "direct buffer");
    }

    /** A direct buffer holding {@code s}, with its position moved (the kernels read from index 0). */
    private static FloatBuffer direct(float[] s) {
        FloatBuffer b = ByteBuffer.allocateDirect(Math.max(1, s.length) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(s);
        b.limit(s.length);
        b.position(s.length / 2);
        return b;
    }
}
