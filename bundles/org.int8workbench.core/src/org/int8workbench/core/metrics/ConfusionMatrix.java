package org.int8workbench.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.dataset.LabelMask;

/**
 * A class confusion matrix over pixels: rows are the reference labels (ground truth, or the parent model's
 * prediction), columns the predicted labels. Pixels whose reference is the ignore label, and pixels without a
 * prediction on either side ({@link Postprocessing#NO_PREDICTION}), are not counted. Mutable while accumulating; not thread-safe.
 */
public final class ConfusionMatrix implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final int n;
    private final long[] m;
    private long unpredicted;

    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        this.n = classes;
        this.m = new long[classes * classes];
    }

    public int classes() {
        return n;
    }

    /**
     * Counts every pixel of {@code predicted} against {@code reference} (same size).
     *
     * @param ignore reference label that is not counted, or -1
     * @throws IllegalArgumentException when the sizes differ or a label is outside {@code 0..classes-1}
     */
    public ConfusionMatrix add(LabelMask reference, LabelMask predicted, int ignore) {
        if (reference.width() != predicted.width() || reference.height() != predicted.height()) {
            throw new IllegalArgumentException("reference is " + reference.width() + "x" + reference.height() + " but prediction is "
                    + predicted.width() + "x" + predicted.height());
        }
        int[] r = reference.labels();
        int[] p = predicted.labels();
        for (int i = 0; i < r.length; i++) {
            int t = r[i];
            int q = p[i];
            if (t == ignore) {
                continue;
            }
            if (q < 0 || t < 0) {
                unpredicted++;
                continue;
            }
            if (t >= n || q >= n) {
                throw new IllegalArgumentException("label " + Math.max(t, q) + " at pixel " + i + " is outside 0.." + (n - 1));
            }
            m[t * n + q]++;
        }
        return this;
    }

    /** Adds another matrix of the same size (for dataset totals). */
    public ConfusionMatrix add(ConfusionMatrix other) {
        if (other.n != n) {
            throw new IllegalArgumentException(other.n + " classes, expected " + n);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] += other.m[i];
        }
        unpredicted += other.unpredicted;
        return this;
    }

    /** Pixels with reference {@code reference} predicted as {@code predicted}. */
    public long get(int reference, int predicted) {
        return m[reference * n + predicted];
    }

    /** Counted pixels. */
    public long total() {
        long t = 0;
        for (long v : m) {
            t += v;
        }
        return t;
    }

    /** Pixels that were skipped because they had no prediction (cropped away by centre-crop preprocessing). */
    public long unpredicted() {
        return unpredicted;
    }

    /** Pixels whose reference is {@code c}. */
    public long referenceCount(int c) {
        long s = 0;
        for (int j = 0; j < n; j++) {
            s += m[c * n + j];
        }
        return s;
    }

    /** Pixels predicted as {@code c}. */
    public long predictedCount(int c) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += m[i * n + c];
        }
        return s;
    }

    public long intersection(int c) {
        return m[c * n + c];
    }

    public long union(int c) {
        return referenceCount(c) + predictedCount(c) - m[c * n + c];
    }

    /** Intersection over union of class {@code c}; NaN when neither reference nor prediction has the class. */
    public double iou(int c) {
        long u = union(c);
        return u == 0 ? Double.NaN : (double) intersection(c) / u;
    }

    /** Classes with a non-zero union, in order. */
    public List<Integer> presentClasses() {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (union(c) > 0) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Mean IoU: the mean over classes with a non-zero union of (intersection / union), taken from this matrix's
     * totals (for a dataset matrix: total intersection over total union, not a mean of per-image values). NaN
     * when no pixel was counted.
     */
    public double meanIoU() {
        double s = 0;
        int k = 0;
        for (int c = 0; c < n; c++) {
            long u = union(c);
            if (u > 0) {
                s += (double) intersection(c) / u;
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /** Correct pixels / counted pixels; NaN when none counted. */
    public double pixelAccuracy() {
        long t = total();
        if (t == 0) {
            return Double.NaN;
        }
        long d = 0;
        for (int c = 0; c < n; c++) {
            d += m[c * n + c];
        }
        return (double) d / t;
    }

    /** Mean over classes present in the reference of (correct pixels of the class / reference pixels of the class). */
    public double meanClassAccuracy() {
        double s = 0;
        int k = 0;
        for (int c = 0; c < n; c++) {
            long r = referenceCount(c);
            if (r > 0) {
                s += (double) intersection(c) / r;
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /** Sum over classes with a non-zero union of (reference pixels of the class / counted pixels) x IoU. */
    public double frequencyWeightedIoU() {
        long t = total();
        if (t == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int c = 0; c < n; c++) {
            long u = union(c);
            if (u > 0) {
                s += (double) referenceCount(c) / t * intersection(c) / u;
            }
        }
        return s;
    }

    /** The matrix as rows (reference) of columns (predicted), for JSON. */
    public List<List<Long>> rows() {
        List<List<Long>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Long> row = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                row.add(m[i * n + j]);
            }
            rows.add(List.copyOf(row));
        }
        return List.copyOf(rows);
    }
}
