package org.int8workbench.core.metrics;

import java.nio.FloatBuffer;
import org.int8workbench.core.labels.Argmax;
import org.int8workbench.core.labels.ArgmaxDecoder;

/**
 * The argmax of two NCHW logit tensors of the same shape (a model and its parent) and their {@link TensorDistance},
 * in one pass that reads each tensor once: class plane by class plane, both planes are copied from their buffers
 * (heap, or the direct buffers ONNX Runtime wrote its outputs into) into scratch arrays small enough to stay in the
 * cache, and one loop over them updates both running maxima and the four sums of the distance. Labels equal
 * {@link ArgmaxDecoder#fromScores} on each tensor (the rule of {@link Argmax#wins}: the first maximum wins; NaN never
 * wins over a number); the distance equals {@link TensorDistance#of} up to the order of its double-precision sums. One
 * instance per thread: it keeps its scratch arrays between calls.
 */
final class PairArgmax {
    private float[] planeA = new float[0];
    private float[] planeB = new float[0];
    private float[] bestA = new float[0];
    private float[] bestB = new float[0];
    private final double[] sums = new double[4];

    /**
     * @param a logits {@code [1,c,h,w]} from index 0 of the buffer (its position is neither used nor changed)
     * @param b logits of the same shape
     * @param plane {@code h*w}
     * @param la receives the labels of {@code a}; {@code lb} those of {@code b}
     */
    TensorDistance run(FloatBuffer a, FloatBuffer b, int c, int plane, int[] la, int[] lb) {
        if (planeA.length != plane) {
            planeA = new float[plane];
            planeB = new float[plane];
            bestA = new float[plane];
            bestB = new float[plane];
        }
        java.util.Arrays.fill(sums, 0);
        java.util.Arrays.fill(la, 0, plane, 0);
        java.util.Arrays.fill(lb, 0, plane, 0);
        for (int k = 0; k < c; k++) {
            a.get(k * plane, planeA, 0, plane);
            b.get(k * plane, planeB, 0, plane);
            if (k == 0) {
                System.arraycopy(planeA, 0, bestA, 0, plane);
                System.arraycopy(planeB, 0, bestB, 0, plane);
            }
            step(planeA, planeB, k, plane, la, lb, bestA, bestB, sums);
        }
        long length = (long) c * plane;
        double denom = Math.sqrt(sums[2]) * Math.sqrt(sums[3]);
        return new TensorDistance(length == 0 ? Double.NaN : sums[0] / length, denom == 0 ? Double.NaN : sums[1] / denom);
    }

    /** One class plane: the running maxima (a class replaces the best as {@link Argmax#wins} says) and the sums. */
    private static void step(float[] pa, float[] pb, int k, int plane, int[] la, int[] lb, float[] ba, float[] bb, double[] sums) {
        double se = 0;
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int p = 0; p < plane; p++) {
            float fa = pa[p];
            float fb = pb[p];
            float qa = ba[p];
            if (Argmax.wins(fa, qa)) {
                ba[p] = fa;
                la[p] = k;
            }
            float qb = bb[p];
            if (Argmax.wins(fb, qb)) {
                bb[p] = fb;
                lb[p] = k;
            }
            double x = fa;
            double y = fb;
            double d = x - y;
            se += d * d;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        sums[0] += se;
        sums[1] += dot;
        sums[2] += na;
        sums[3] += nb;
    }
}
