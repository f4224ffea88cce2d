package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.Argmax;
import org.junit.jupiter.api.Test;

/**
 * Confusion matrix, IoU figures, the fused pair argmax and the mapping back to the image, on hand-built masks with known
 * answers. The argmax of one model is tested in {@code org.int8workbench.core.labels}.
 */
class MetricsTest {
    private static final double EPS = 1e-12;

    // truth 0 0 1 1 / 1 2 2 255, prediction 0 1 1 1 / 2 2 2 0 (the 255 pixel is ignored)
    private static final LabelMask TRUTH = new LabelMask(4, 2, new int[] {0, 0, 1, 1, 1, 2, 2, 255});
    private static final LabelMask PRED = new LabelMask(4, 2, new int[] {0, 1, 1, 1, 2, 2, 2, 0});

    @Test
    void handBuiltMasksGiveTheKnownFigures() {
        ConfusionMatrix m = new ConfusionMatrix(3).add(TRUTH, PRED, 255);
        assertEquals(7, m.total());
        assertEquals(1, m.get(0, 0));
        assertEquals(1, m.get(0, 1));
        assertEquals(2, m.get(1, 1));
        assertEquals(1, m.get(1, 2));
        assertEquals(2, m.get(2, 2));
        assertEquals(0.5, m.iou(0), EPS);       // I 1, U 2
        assertEquals(0.5, m.iou(1), EPS);       // I 2, U 4
        assertEquals(2.0 / 3, m.iou(2), EPS);   // I 2, U 3
        assertEquals((0.5 + 0.5 + 2.0 / 3) / 3, m.meanIoU(), EPS);
        assertEquals(5.0 / 7, m.pixelAccuracy(), EPS);
        assertEquals((0.5 + 2.0 / 3 + 1.0) / 3, m.meanClassAccuracy(), EPS);
        assertEquals(2.0 / 7 * 0.5 + 3.0 / 7 * 0.5 + 2.0 / 7 * (2.0 / 3), m.frequencyWeightedIoU(), EPS);
        assertEquals(List.of(List.of(1L, 1L, 0L), List.of(0L, 2L, 1L), List.of(0L, 0L, 2L)), m.rows());
    }

    @Test
    void classesWithEmptyUnionAreLeftOutOfTheMean() {
        ConfusionMatrix m = new ConfusionMatrix(6).add(TRUTH, PRED, 255);
        assertTrue(Double.isNaN(m.iou(4)));
        assertEquals(List.of(0, 1, 2), m.presentClasses());
        assertEquals((0.5 + 0.5 + 2.0 / 3) / 3, m.meanIoU(), EPS);
    }

    @Test
    void datasetMeanIoUIsTotalIntersectionOverTotalUnionNotAMeanOfImages() {
        // image A: class 1 perfectly found on 1 pixel; image B: class 1 on 99 pixels, all missed
        LabelMask ta = new LabelMask(2, 1, new int[] {0, 1});
        LabelMask pa = new LabelMask(2, 1, new int[] {0, 1});
        int[] tb = new int[100];
        java.util.Arrays.fill(tb, 1, 100, 1);
        LabelMask tB = new LabelMask(100, 1, tb);
        LabelMask pB = new LabelMask(100, 1, new int[100]);
        ConfusionMatrix a = new ConfusionMatrix(2).add(ta, pa, -1);
        ConfusionMatrix b = new ConfusionMatrix(2).add(tB, pB, -1);
        ConfusionMatrix total = new ConfusionMatrix(2).add(a).add(b);
        assertEquals(1.0, a.iou(1), EPS);
        assertEquals(0.0, b.iou(1), EPS);
        assertEquals(1.0 / 100, total.iou(1), EPS);                // not (1 + 0) / 2
        assertEquals(2.0 / 101, total.iou(0), EPS);               // I 2, U 2 + 99
        assertEquals((1.0 / 100 + 2.0 / 101) / 2, total.meanIoU(), EPS);
    }

    @Test
    void agreementRowScoresAClassOnlyOneModelPredictsAsZero() {
        // parent: 0 0 1 1, optimized: 0 0 1 2 -> classes in either: 0 (IoU 1), 1 (1/2), 2 (0)
        LabelMask parent = new LabelMask(4, 1, new int[] {0, 0, 1, 1});
        LabelMask optimized = new LabelMask(4, 1, new int[] {0, 0, 1, 2});
        ConfusionMatrix m = new ConfusionMatrix(21).add(parent, optimized, -1);
        assertEquals(List.of(0, 1, 2), m.presentClasses());
        assertEquals((1.0 + 0.5 + 0.0) / 3, m.meanIoU(), EPS);
        assertEquals(0.75, m.pixelAccuracy(), EPS); // pixel agreement
        assertEquals(1, m.get(1, 2)); // the parent's class 1 turned into class 2 once
    }

    @Test
    void pixelsWithoutPredictionAreCountedApart() {
        LabelMask pred = new LabelMask(4, 2, new int[] {0, 1, 1, 1, -1, 2, 2, 0});
        ConfusionMatrix m = new ConfusionMatrix(3).add(TRUTH, pred, 255);
        assertEquals(6, m.total());
        assertEquals(1, m.unpredicted());
    }

    @Test
    void labelsOutsideTheMatrixAndSizeMismatchAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(2).add(TRUTH, PRED, 255));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(3).add(TRUTH, new LabelMask(2, 1, new int[2]), 255));
    }

    @Test
    void stretchMapsLabelsBackByNearestNeighbour() {
        // 2x2 prediction at model size 2x2, image 4x2: each prediction column covers two image columns
        LabelMask p = new LabelMask(2, 2, new int[] {1, 2, 3, 4});
        LabelMask img = Postprocessing.toImage(p, Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW), 4, 2);
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4}, img.labels());
        // an output at half the input resolution is scaled too
        LabelMask half = Postprocessing.toImage(new LabelMask(1, 1, new int[] {7}), Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW), 3, 3);
        assertArrayEquals(new int[] {7, 7, 7, 7, 7, 7, 7, 7, 7}, half.labels());
    }

    @Test
    void centerCropLeavesCroppedPixelsWithoutPrediction() {
        // image 4x2 into 2x2 with centre crop: scale 1, offset -1 -> image columns 0 and 3 are cropped
        Preprocessing pre = Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW).withResize(Preprocessing.ResizeMode.CENTER_CROP);
        LabelMask img = Postprocessing.toImage(new LabelMask(2, 2, new int[] {1, 2, 3, 4}), pre, 4, 2);
        int n = Postprocessing.NO_PREDICTION;
        assertArrayEquals(new int[] {n, 1, 2, n, n, 3, 4, n}, img.labels());
    }

    @Test
    void fitPadNeverSamplesThePadding() {
        // image 2x1 into 2x2 with fit-pad: the image fills row 0, row 1 is padding (label 9 there must not appear)
        Preprocessing pre = Preprocessing.defaults(2, 2, Preprocessing.Layout.NCHW).withResize(Preprocessing.ResizeMode.FIT_PAD);
        LabelMask img = Postprocessing.toImage(new LabelMask(2, 2, new int[] {1, 2, 9, 9}), pre, 2, 1);
        assertArrayEquals(new int[] {1, 2}, img.labels());
    }

    @Test
    void tensorDistanceHasTheKnownValues() {
        TensorDistance d = TensorDistance.of(new float[] {1, 0, 2}, new float[] {1, 1, 0});
        assertEquals((0 + 1 + 4) / 3.0, d.mse(), EPS);
        assertEquals(1 / (Math.sqrt(5) * Math.sqrt(2)), d.cosine(), 1e-9);
        assertEquals(1.0, TensorDistance.of(new float[] {1, 2}, new float[] {2, 4}).cosine(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TensorDistance.of(new float[1], new float[2]));
    }

    @Test
    void pairArgmaxEqualsTwoArgmaxesAndTheTensorDistance() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int c = 5;
        int plane = 7 * 9;
        float[] a = new float[c * plane];
        float[] b = new float[c * plane];
        for (int i = 0; i < a.length; i++) {
            // few distinct values, so that ties are frequent; some NaN
            a[i] = r.nextInt(20) == 0 ? Float.NaN : r.nextInt(4);
            b[i] = r.nextInt(3) == 0 ? a[i] : r.nextInt(4) - 0.5f;
        }
        a[3] = Float.NaN; // a NaN in class 0: the first number after it wins
        java.nio.FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(b.length * 4).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer().put(b);
        direct.position(17); // the position is not used
        int[] la = new int[plane];
        int[] lb = new int[plane];
        PairArgmax pair = new PairArgmax();
        TensorDistance d = pair.run(java.nio.FloatBuffer.wrap(a), direct, c, plane, la, lb);
        assertArrayEquals(Argmax.nchw(a, 1, c, plane), la);
        assertArrayEquals(Argmax.nchw(b, 1, c, plane), lb);
        assertTrue(la[3] > 0, "a NaN never wins over a number");
        TensorDistance expected = TensorDistance.of(a, b);
        assertEquals(expected.mse(), d.mse()); // NaN: a holds NaN
        // without NaN the sums agree up to their order
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i])) {
                a[i] = -1;
            }
            if (Float.isNaN(b[i])) {
                b[i] = -2;
            }
        }
        direct.put(0, b);
        d = pair.run(java.nio.FloatBuffer.wrap(a), direct, c, plane, la, lb);
        expected = TensorDistance.of(a, b);
        assertEquals(expected.mse(), d.mse(), 1e-12 * expected.mse());
        assertEquals(expected.cosine(), d.cosine(), 1e-12);
        assertArrayEquals(Argmax.nchw(a, 1, c, plane), la, "scratch arrays are reset between calls");
        assertEquals(17, direct.position());
    }
}
