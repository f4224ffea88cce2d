package org.int8workbench.core.labels;

import java.nio.FloatBuffer;

/**
 * The argmax kernels over class scores and the one rule they follow: the first maximum wins (a later class replaces
 * the best only when strictly larger, as ONNX {@code ArgMax} without {@code select_last_index}), and NaN never wins
 * over a number (a NaN best is replaced by the next number; a pixel whose scores are all NaN gets class 0). Every
 * Java argmax of the core over a model's scores uses {@link #wins} or these kernels, so they all give the same labels.
 * The one exception is deliberate: the exact fast label head reproduces the cut-off ONNX Runtime Resize and ArgMax
 * bit for bit, NaN included (there a NaN best is kept, as ONNX Runtime keeps it); models whose logits hold NaN are
 * broken either way.
 *
 * <p>The kernels write labels for {@code batch} images of {@code pixels} pixels each, image after image; scores are
 * read from index 0 of the array or buffer (a buffer's position is neither used nor changed).
 */
public final class Argmax {

    private Argmax() {
    }

    /**
     * Whether a class with score {@code candidate} replaces the running best with score {@code best}: when strictly
     * larger, or when the best is NaN and the candidate is not.
     */
    public static boolean wins(float candidate, float best) {
        return candidate > best || (best != best && candidate == candidate);
    }

    /** Argmax over {@code classes} planes of {@code pixels} scores per image ({@code [N,C,H,W]}); plane by plane, so memory is read in order. */
    public static int[] nchw(float[] scores, int batch, int classes, int pixels) {
        check(scores.length, batch, classes, pixels);
        int[] labels = new int[batch * pixels];
        float[] best = new float[pixels];
        for (int n = 0; n < batch; n++) {
            int base = n * classes * pixels;
            int lo = n * pixels;
            System.arraycopy(scores, base, best, 0, pixels);
            for (int k = 1; k < classes; k++) {
                int plane = base + k * pixels;
                for (int p = 0; p < pixels; p++) {
                    float x = scores[plane + p];
                    if (wins(x, best[p])) {
                        best[p] = x;
                        labels[lo + p] = k;
                    }
                }
            }
        }
        return labels;
    }

    /** {@link #nchw(float[], int, int, int)} reading a buffer (heap or direct) a class plane at a time. */
    public static int[] nchw(FloatBuffer scores, int batch, int classes, int pixels) {
        check(scores.limit(), batch, classes, pixels);
        int[] labels = new int[batch * pixels];
        float[] best = new float[pixels];
        float[] plane = new float[pixels];
        for (int n = 0; n < batch; n++) {
            int base = n * classes * pixels;
            int lo = n * pixels;
            scores.get(base, best, 0, pixels);
            for (int k = 1; k < classes; k++) {
                scores.get(base + k * pixels, plane, 0, pixels);
                for (int p = 0; p < pixels; p++) {
                    float x = plane[p];
                    if (wins(x, best[p])) {
                        best[p] = x;
                        labels[lo + p] = k;
                    }
                }
            }
        }
        return labels;
    }

    /** Argmax over the last axis of {@code batch * pixels} vectors of {@code classes} scores ({@code [N,H,W,C]}). */
    public static int[] nhwc(float[] scores, int batch, int classes, int pixels) {
        check(scores.length, batch, classes, pixels);
        int total = batch * pixels;
        int[] labels = new int[total];
        for (int p = 0, i = 0; p < total; p++, i += classes) {
            float best = scores[i];
            int arg = 0;
            for (int k = 1; k < classes; k++) {
                float x = scores[i + k];
                if (wins(x, best)) {
                    best = x;
                    arg = k;
                }
            }
            labels[p] = arg;
        }
        return labels;
    }

    /** {@link #nhwc(float[], int, int, int)} reading a buffer (heap or direct) one pixel's scores at a time. */
    public static int[] nhwc(FloatBuffer scores, int batch, int classes, int pixels) {
        check(scores.limit(), batch, classes, pixels);
        int total = batch * pixels;
        int[] labels = new int[total];
        float[] v = new float[classes];
        for (int p = 0, i = 0; p < total; p++, i += classes) {
            scores.get(i, v, 0, classes);
            float best = v[0];
            int arg = 0;
            for (int k = 1; k < classes; k++) {
                if (wins(v[k], best)) {
                    best = v[k];
                    arg = k;
                }
            }
            labels[p] = arg;
        }
        return labels;
    }

    private static void check(int length, int batch, int classes, int pixels) {
        if (batch < 0 || classes < 1 || pixels < 0 || (long) batch * classes * pixels != length) {
            throw new IllegalArgumentException(length + " scores do not hold " + batch + " image(s) of " + classes + " classes x "
                    + pixels + " pixels");
        }
    }
}
