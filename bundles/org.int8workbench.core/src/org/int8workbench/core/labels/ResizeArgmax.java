package org.int8workbench.core.labels;

import java.util.Arrays;
import java.util.Objects;

/**
 * The labels of a {@code Resize} of class scores followed by {@code ArgMax} over the classes, computed from the
 * low-resolution scores without the full-resolution tensor, bit for bit equal to ONNX Runtime's CPU kernels (first
 * maximum wins unless {@link Resize#lastMaximumWins}). Self-contained (the JDK only), so that generated inference code
 * ships this very file.
 *
 * <p>Linear mode: every output pixel is a combination of the 4 grid points around it with non-negative weights
 * shared by all classes. Because rounded float products and sums are monotone, a class that is the argmax at all
 * 4 corners stays at least as large as every other class; it wins outright when it beats the classes that would win
 * a tie (those before it) by a margin larger than the rounding error. Such pixels take the corner label; the others
 * ("boundary" pixels) are interpolated, for the classes that can still win there, with ONNX Runtime's arithmetic: coordinates as in its
 * {@code get_original_coordinate} functions, weights {@code dx1 = |x - x1|, dx2 = |x - x2|} (0.5/0.5 where the
 * two neighbours coincide), and {@code (dx2*dy2)*X11 + (dx1*dy2)*X21 + (dx2*dy1)*X12 + (dx1*dy1)*X22} summed left to
 * right in float, then argmax. Nearest mode copies the label of the grid point ONNX Runtime picks.
 *
 * <p>Nearest mode rounds as ONNX Runtime 1.29 does, which treats coordinates within 1e-6 of a halfway point as ties.
 * ONNX Runtime's NCHWc layout optimisation (optimisation level ALL) replaces a {@code Resize} whose {@code scales} are
 * integers and whose input comes from an NCHWc convolution (class count a multiple of the SIMD block, 8 or 16) by its
 * own kernel, with weights {@code frac}/{@code 1-frac} and the sum {@code (a + b) + (c + d)}; a resize with
 * {@link Resize#nchwcKernel} uses that arithmetic. The kernel depends on the CPU's block size and the session's
 * optimisation level: the labels are exact for the setup the resize was verified on.
 *
 * <p>NaN follows ONNX Runtime, not the label path's argmax rule (where NaN never wins): a class replaces the best
 * only when strictly larger, so a NaN best (class 0 included) is kept, as the removed {@code ArgMax} kept it.
 *
 * <p>Sigmoid maps ({@link #threshold}): each channel on its own, 1 where the resized value is at least a given lowest
 * foreground value, with the same arithmetic and the same corner shortcut (a pixel whose 4 grid points are all clearly
 * above or all clearly below takes that side).
 *
 * <p>Instances are immutable and thread-safe; each call allocates only grid-sized scratch arrays.
 */
public final class ResizeArgmax {

    /**
     * The removed {@code Resize} (or {@code Upsample}) and ArgMax, with ONNX's attribute values.
     *
     * @param mode {@code linear} or {@code nearest}
     * @param coordinateTransformation the effective {@code coordinate_transformation_mode}
     * @param nearestMode the effective rounding of nearest mode, or null ({@code round_prefer_floor})
     * @param scales the scale of every axis of the scores, or null when {@code sizes} are given
     * @param sizes the output size of every axis of the scores, or null when {@code scales} are given
     * @param channelsLast whether the scores are {@code [N,H,W,C]} (else {@code [N,C,H,W]})
     * @param lastMaximumWins whether the ArgMax had {@code select_last_index=1} (else the first maximum wins)
     * @param nchwcKernel whether the Resize ran as ONNX Runtime's NCHWc upsample kernel
     */
    public record Resize(String mode, String coordinateTransformation, String nearestMode, float[] scales, long[] sizes,
            boolean channelsLast, boolean lastMaximumWins, boolean nchwcKernel) {

        public Resize {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(coordinateTransformation, "coordinateTransformation");
            if ((scales == null) == (sizes == null)) {
                throw new IllegalArgumentException("exactly one of scales and sizes must be given");
            }
            scales = scales == null ? null : scales.clone();
            sizes = sizes == null ? null : sizes.clone();
        }
    }


    /** A corner margin below {@code MARGIN_FACTOR * max|logit|} sends the pixel to the exact path. */
    private static final float MARGIN_FACTOR = 0x1p-19f;

    /**
     * A class whose largest corner value is more than {@code PRUNE_FACTOR * max|logit|} below another class's smallest
     * corner value cannot win a pixel of that cell (the interpolation error is below a quarter of that).
     */
    private static final float PRUNE_FACTOR = 0x1p-18f;

    private final Resize resize;
    private final boolean linear;
    private final boolean nhwc;
    private final boolean lastWins;
    /** ONNX Runtime's NCHWc upsample arithmetic: weights frac / 1-frac, sum (a + b) + (c + d) */
    private final boolean nchwc;
    private final int batch;
    private final int classes;
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    // linear: neighbour indices and weights per output row / column; nearest: y1/x1 only
    private final int[] y1;
    private final int[] y2;
    private final int[] x1;
    private final int[] x2;
    private final float[] dy1;
    private final float[] dy2;
    private final float[] dx1;
    private final float[] dx2;
    /** linear: first output column of each run of columns sharing the same input columns */
    private final int[] segStart;

    private ResizeArgmax(Resize resize, long[] shape) {
        this.resize = resize;
        if (shape.length != 4) {
            throw new IllegalArgumentException("logits must have rank 4, got " + Arrays.toString(shape));
        }
        for (long d : shape) {
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("logits shape must be concrete and positive, got " + Arrays.toString(shape));
            }
        }
        this.nhwc = resize.channelsLast();
        this.linear = "linear".equals(resize.mode());
        if (!linear && !"nearest".equals(resize.mode())) {
            throw new IllegalArgumentException("unsupported resize mode '" + resize.mode() + "' (linear or nearest only)");
        }
        this.lastWins = resize.lastMaximumWins();
        this.nchwc = linear && resize.nchwcKernel();
        int hAxis = nhwc ? 1 : 2;
        int wAxis = nhwc ? 2 : 3;
        int cAxis = nhwc ? 3 : 1;
        this.batch = (int) shape[0];
        this.classes = (int) shape[cAxis];
        this.inH = (int) shape[hAxis];
        this.inW = (int) shape[wAxis];
        float[] scale = new float[4];
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) {
            if (resize.scales() != null) {
                scale[i] = resize.scales()[i];
                out[i] = (long) (scale[i] * (float) shape[i]);
            } else {
                out[i] = resize.sizes()[i];
                scale[i] = (float) out[i] / (float) shape[i];
            }
        }
        if (out[0] != shape[0] || out[cAxis] != shape[cAxis]) {
            throw new IllegalArgumentException("the recorded resize changes the batch or class axis: " + Arrays.toString(shape) + " -> "
                    + Arrays.toString(out));
        }
        if (out[hAxis] <= 0 || out[wAxis] <= 0 || out[hAxis] > Integer.MAX_VALUE / 2 || out[wAxis] > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("resize output size " + Arrays.toString(out) + " is not usable");
        }
        this.outH = (int) out[hAxis];
        this.outW = (int) out[wAxis];
        Coordinates ch = new Coordinates(resize, scale[hAxis], inH, outH);
        Coordinates cw = new Coordinates(resize, scale[wAxis], inW, outW);
        if (linear) {
            y1 = new int[outH];
            y2 = new int[outH];
            dy1 = new float[outH];
            dy2 = new float[outH];
            if (nchwc) {
                ch.linearNchwc(y1, y2, dy1, dy2);
            } else {
                ch.linear(y1, y2, dy1, dy2);
            }
            x1 = new int[outW];
            x2 = new int[outW];
            dx1 = new float[outW];
            dx2 = new float[outW];
            if (nchwc) {
                cw.linearNchwc(x1, x2, dx1, dx2);
            } else {
                cw.linear(x1, x2, dx1, dx2);
            }
            int n = 0;
            int[] starts = new int[outW];
            for (int ox = 0; ox < outW; ox++) {
                if (ox == 0 || x1[ox] != x1[ox - 1] || x2[ox] != x2[ox - 1]) {
                    starts[n++] = ox;
                }
            }
            segStart = Arrays.copyOf(starts, n);
        } else {
            y1 = ch.nearest();
            x1 = cw.nearest();
            y2 = x2 = null;
            dy1 = dy2 = dx1 = dx2 = null;
            segStart = null;
        }
    }

    /**
     * The kernel for scores of the given concrete shape ({@code [N,C,H,W]} or {@code [N,H,W,C]} as
     * {@link Resize#channelsLast} says).
     *
     * @throws IllegalArgumentException when the shape is not concrete or rank 4, the mode is not supported, or the
     *         resize changes the batch or class axis
     */
    public static ResizeArgmax of(Resize resize, long[] logitsShape) {
        return new ResizeArgmax(resize, logitsShape.clone());
    }

    /** The resize this kernel reproduces. */
    public Resize settings() {
        return resize;
    }

    public int batch() {
        return batch;
    }

    public int classes() {
        return classes;
    }

    public int inputHeight() {
        return inH;
    }

    public int inputWidth() {
        return inW;
    }

    /** Label map height. */
    public int outputHeight() {
        return outH;
    }

    /** Label map width. */
    public int outputWidth() {
        return outW;
    }

    /** Number of floats of one image's logits. */
    public int logitsPerImage() {
        return classes * inH * inW;
    }

    /** Number of labels of one image. */
    public int labelsPerImage() {
        return outH * outW;
    }

    /** The labels of all images in the batch, {@code [N, outH, outW]} row-major. */
    public int[] labels(float[] logits) {
        checkLength(logits.length, (long) batch * logitsPerImage(), "logits");
        int[] labels = new int[batch * labelsPerImage()];
        for (int n = 0; n < batch; n++) {
            decode(logits, n * logitsPerImage(), labels, n * labelsPerImage(), null);
        }
        return labels;
    }

    /**
     * Decodes one image.
     *
     * @param logits the logits buffer; the image starts at {@code logitsOffset}
     * @param labels receives {@code outH*outW} labels from {@code labelsOffset}
     * @param scores if not null, receives at the same positions the winning class's interpolated logit (the value
     *        the full graph's Resize produces for that class at that pixel)
     * @return the number of pixels that needed the per-class interpolation (boundary pixels)
     */
    public int decode(float[] logits, int logitsOffset, int[] labels, int labelsOffset, float[] scores) {
        checkLength(logits.length - (long) logitsOffset, logitsPerImage(), "logits from offset " + logitsOffset);
        checkLength(labels.length - (long) labelsOffset, labelsPerImage(), "labels from offset " + labelsOffset);
        if (scores != null) {
            checkLength(scores.length - (long) labelsOffset, labelsPerImage(), "scores from offset " + labelsOffset);
        }
        int plane = inH * inW;
        int[] grid = new int[plane];
        float maxAbs = gridLabels(logits, logitsOffset, grid);
        if (!linear) {
            for (int oy = 0; oy < outH; oy++) {
                int row = y1[oy] * inW;
                int o = labelsOffset + oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int g = row + x1[ox];
                    int k = grid[g];
                    k = k < 0 ? ~k : k;
                    labels[o + ox] = k;
                    if (scores != null) {
                        scores[o + ox] = nhwc ? logits[logitsOffset + g * classes + k] : logits[logitsOffset + k * plane + g];
                    }
                }
            }
            return 0;
        }
        float margin = maxAbs * PRUNE_FACTOR;
        // Output columns come in runs ("segments") that share the same pair of input columns; for each pair of input
        // rows, a segment either has one safe label at all 4 corners or a short list of candidate classes.
        int segments = segStart.length;
        int[] segLabel = new int[segments];
        int[] candidates = new int[segments * classes];
        int[] candidateCount = new int[segments];
        int exact = 0;
        int lastR1 = -1;
        int lastR2 = -1;
        for (int oy = 0; oy < outH; oy++) {
            int r1 = y1[oy] * inW;
            int r2 = y2[oy] * inW;
            if (r1 != lastR1 || r2 != lastR2) {
                classifySegments(logits, logitsOffset, plane, grid, r1, r2, margin, segLabel, candidates, candidateCount);
                lastR1 = r1;
                lastR2 = r2;
            }
            float wy1 = dy1[oy];
            float wy2 = dy2[oy];
            int o = labelsOffset + oy * outW;
            for (int s = 0; s < segments; s++) {
                int from = segStart[s];
                int to = s + 1 < segments ? segStart[s + 1] : outW;
                int g11 = r1 + x1[from];
                int g21 = r1 + x2[from];
                int g12 = r2 + x1[from];
                int g22 = r2 + x2[from];
                int k = segLabel[s];
                if (k >= 0) {
                    Arrays.fill(labels, o + from, o + to, k);
                    if (scores != null) {
                        for (int ox = from; ox < to; ox++) {
                            scores[o + ox] = interpolate(logits, logitsOffset, plane, k, g11, g21, g12, g22, dx2[ox] * wy2,
                                    dx1[ox] * wy2, dx2[ox] * wy1, dx1[ox] * wy1);
                        }
                    }
                    continue;
                }
                int cBase = s * classes;
                int count = candidateCount[s];
                exact += to - from;
                for (int ox = from; ox < to; ox++) {
                    float c11 = dx2[ox] * wy2;
                    float c21 = dx1[ox] * wy2;
                    float c12 = dx2[ox] * wy1;
                    float c22 = dx1[ox] * wy1;
                    int best = candidates[cBase];
                    float bestV = interpolate(logits, logitsOffset, plane, best, g11, g21, g12, g22, c11, c21, c12, c22);
                    for (int i = 1; i < count; i++) {
                        int c = candidates[cBase + i];
                        float v = interpolate(logits, logitsOffset, plane, c, g11, g21, g12, g22, c11, c21, c12, c22);
                        if (lastWins ? v >= bestV : v > bestV) {
                            bestV = v;
                            best = c;
                        }
                    }
                    labels[o + ox] = best;
                    if (scores != null) {
                        scores[o + ox] = bestV;
                    }
                }
            }
        }
        return exact;
    }

    /**
     * The full-resolution resized logits of one image, as the removed Resize computes them ({@code [C, outH, outW]}
     * or {@code [outH, outW, C]} as the layout says). Used to verify the recorded arithmetic against ONNX Runtime; the
     * label path never builds this tensor.
     */
    public float[] resize(float[] logits, int logitsOffset) {
        checkLength(logits.length - (long) logitsOffset, logitsPerImage(), "logits from offset " + logitsOffset);
        int plane = inH * inW;
        int pixels = outH * outW;
        float[] out = new float[classes * pixels];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int p = oy * outW + ox;
                for (int c = 0; c < classes; c++) {
                    float v;
                    if (linear) {
                        int r1 = y1[oy] * inW;
                        int r2 = y2[oy] * inW;
                        v = interpolate(logits, logitsOffset, plane, c, r1 + x1[ox], r1 + x2[ox], r2 + x1[ox], r2 + x2[ox],
                                dx2[ox] * dy2[oy], dx1[ox] * dy2[oy], dx2[ox] * dy1[oy], dx1[ox] * dy1[oy]);
                    } else {
                        int g = y1[oy] * inW + x1[ox];
                        v = nhwc ? logits[logitsOffset + g * classes + c] : logits[logitsOffset + c * plane + g];
                    }
                    out[nhwc ? p * classes + c : c * pixels + p] = v;
                }
            }
        }
        return out;
    }

    /**
     * The 0/1 maps of one image's channels, each thresholded on its own (sigmoid maps: binary or multi-label): 1 where the
     * channel's resized value, as {@link #resize} computes it, is at least {@code lowest}; never for a NaN value, nor
     * anywhere when {@code lowest} is NaN. The maps follow each other, channel after channel, {@code outH*outW} values
     * each from {@code masksOffset}, whatever the layout of the scores.
     *
     * <p>Linear mode: where the 4 grid points around a pixel are all above {@code lowest + margin}, or all below
     * {@code lowest - margin}, with a margin ({@code 2^-19 * max|value|}) above the rounding error of the interpolation,
     * the pixel takes that side without interpolating; the others are interpolated with ONNX Runtime's arithmetic.
     *
     * @return the number of values that were interpolated (near the threshold)
     */
    public int threshold(float[] logits, int logitsOffset, float lowest, int[] masks, int masksOffset) {
        checkLength(logits.length - (long) logitsOffset, logitsPerImage(), "logits from offset " + logitsOffset);
        int pixels = outH * outW;
        checkLength(masks.length - (long) masksOffset, (long) classes * pixels, "masks from offset " + masksOffset);
        if (Float.isNaN(lowest)) {
            Arrays.fill(masks, masksOffset, masksOffset + classes * pixels, 0);
            return 0;
        }
        int plane = inH * inW;
        if (!linear) {
            for (int c = 0; c < classes; c++) {
                int m = masksOffset + c * pixels;
                for (int oy = 0; oy < outH; oy++) {
                    int row = y1[oy] * inW;
                    for (int ox = 0; ox < outW; ox++) {
                        int g = row + x1[ox];
                        float v = nhwc ? logits[logitsOffset + g * classes + c] : logits[logitsOffset + c * plane + g];
                        masks[m + oy * outW + ox] = v >= lowest ? 1 : 0;
                    }
                }
            }
            return 0;
        }
        float maxAbs = 0f;
        for (int i = logitsOffset, end = logitsOffset + logitsPerImage(); i < end; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(logits[i]));
        }
        float margin = maxAbs * MARGIN_FACTOR;
        // NaN bounds (an infinite margin at an infinite lowest) fail both tests and take the exact path
        float above = lowest + margin;
        float below = lowest - margin;
        int exact = 0;
        int segments = segStart.length;
        // per segment of the current pair of input rows: 1 all above, 0 all below, -1 interpolate; output rows that
        // read the same pair of input rows share it
        byte[] side = new byte[segments];
        for (int c = 0; c < classes; c++) {
            int m = masksOffset + c * pixels;
            int base = logitsOffset + c * plane;
            for (int oy = 0; oy < outH; oy++) {
                int r1 = y1[oy] * inW;
                int r2 = y2[oy] * inW;
                boolean samePair = oy > 0 && y1[oy] == y1[oy - 1] && y2[oy] == y2[oy - 1];
                if (!samePair) {
                    for (int s = 0; s < segments; s++) {
                        int from = segStart[s];
                        int g11 = r1 + x1[from];
                        int g21 = r1 + x2[from];
                        int g12 = r2 + x1[from];
                        int g22 = r2 + x2[from];
                        float a;
                        float b;
                        float d;
                        float e;
                        if (nhwc) {
                            a = logits[logitsOffset + g11 * classes + c];
                            b = logits[logitsOffset + g21 * classes + c];
                            d = logits[logitsOffset + g12 * classes + c];
                            e = logits[logitsOffset + g22 * classes + c];
                        } else {
                            a = logits[base + g11];
                            b = logits[base + g21];
                            d = logits[base + g12];
                            e = logits[base + g22];
                        }
                        float lo = Math.min(Math.min(a, b), Math.min(d, e));
                        float hi = Math.max(Math.max(a, b), Math.max(d, e));
                        side[s] = lo > above ? (byte) 1 : hi < below ? (byte) 0 : (byte) -1;
                    }
                }
                float wy1 = dy1[oy];
                float wy2 = dy2[oy];
                int o = m + oy * outW;
                if (samePair) {
                    // the decided segments are those of the row above; only the interpolated ones change
                    System.arraycopy(masks, o - outW, masks, o, outW);
                }
                for (int s = 0; s < segments; s++) {
                    int from = segStart[s];
                    int to = s + 1 < segments ? segStart[s + 1] : outW;
                    byte k = side[s];
                    if (k >= 0) {
                        if (!samePair) {
                            for (int ox = from; ox < to; ox++) {
                                masks[o + ox] = k;
                            }
                        }
                    } else {
                        int g11 = r1 + x1[from];
                        int g21 = r1 + x2[from];
                        int g12 = r2 + x1[from];
                        int g22 = r2 + x2[from];
                        exact += to - from;
                        for (int ox = from; ox < to; ox++) {
                            float v = interpolate(logits, logitsOffset, plane, c, g11, g21, g12, g22, dx2[ox] * wy2, dx1[ox] * wy2,
                                    dx2[ox] * wy1, dx1[ox] * wy1);
                            masks[o + ox] = v >= lowest ? 1 : 0;
                        }
                    }
                }
            }
        }
        return exact;
    }

    /**
     * The resized value of one channel at one output pixel, as {@link #resize} computes it.
     *
     * @param channel the channel (class) index
     * @param oy the output row
     * @param ox the output column
     */
    public float value(float[] logits, int logitsOffset, int channel, int oy, int ox) {
        int plane = inH * inW;
        if (linear) {
            int r1 = y1[oy] * inW;
            int r2 = y2[oy] * inW;
            return interpolate(logits, logitsOffset, plane, channel, r1 + x1[ox], r1 + x2[ox], r2 + x1[ox], r2 + x2[ox],
                    dx2[ox] * dy2[oy], dx1[ox] * dy2[oy], dx2[ox] * dy1[oy], dx1[ox] * dy1[oy]);
        }
        int g = y1[oy] * inW + x1[ox];
        return nhwc ? logits[logitsOffset + g * classes + channel] : logits[logitsOffset + channel * plane + g];
    }

    /**
     * For input rows {@code r1}/{@code r2} (offsets), per column segment: the label when all 4 corners carry the same
     * safe label, otherwise -1 and the classes that can still win, in ascending order. A class is dropped only when its
     * largest corner value is below the largest smallest-corner value of another class by more than {@code margin},
     * which exceeds twice the rounding error of an interpolated value, so it can neither win nor tie.
     */
    private void classifySegments(float[] x, int off, int plane, int[] grid, int r1, int r2, float margin, int[] segLabel,
            int[] candidates, int[] candidateCount) {
        boolean prune = margin < Float.POSITIVE_INFINITY;
        float[] lo = new float[classes];
        float[] hi = new float[classes];
        for (int s = 0; s < segStart.length; s++) {
            int from = segStart[s];
            int g11 = r1 + x1[from];
            int g21 = r1 + x2[from];
            int g12 = r2 + x1[from];
            int g22 = r2 + x2[from];
            int k = grid[g11];
            if (k >= 0 && k == grid[g21] && k == grid[g12] && k == grid[g22]) {
                segLabel[s] = k;
                continue;
            }
            segLabel[s] = -1;
            float floor = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float a;
                float b;
                float d;
                float e;
                if (nhwc) {
                    a = x[off + g11 * classes + c];
                    b = x[off + g21 * classes + c];
                    d = x[off + g12 * classes + c];
                    e = x[off + g22 * classes + c];
                } else {
                    int base = off + c * plane;
                    a = x[base + g11];
                    b = x[base + g21];
                    d = x[base + g12];
                    e = x[base + g22];
                }
                lo[c] = Math.min(Math.min(a, b), Math.min(d, e));
                hi[c] = Math.max(Math.max(a, b), Math.max(d, e));
                floor = Math.max(floor, lo[c]);
            }
            int n = 0;
            int base = s * classes;
            for (int c = 0; c < classes; c++) {
                // NaN anywhere keeps the class (the comparison is false)
                if (!(prune && hi[c] + margin < floor)) {
                    candidates[base + n++] = c;
                }
            }
            candidateCount[s] = n;
        }
    }

    /**
     * Per grid point the argmax class, stored as {@code k} when it wins by a safe margin over every class that would
     * win a tie against it, and as {@code ~k} (negative) otherwise.
     */
    private float gridLabels(float[] x, int off, int[] grid) {
        int plane = inH * inW;
        float[] best = new float[plane];
        int[] arg = new int[plane];
        float maxAbs = 0f;
        if (nhwc) {
            for (int g = 0; g < plane; g++) {
                int base = off + g * classes;
                float b = x[base];
                int k = 0;
                float a = Math.abs(b);
                for (int c = 1; c < classes; c++) {
                    float v = x[base + c];
                    if (lastWins ? v >= b : v > b) {
                        b = v;
                        k = c;
                    }
                    a = Math.max(a, Math.abs(v));
                }
                best[g] = b;
                arg[g] = k;
                maxAbs = Math.max(maxAbs, a);
            }
        } else {
            System.arraycopy(x, off, best, 0, plane);
            for (int g = 0; g < plane; g++) {
                maxAbs = Math.max(maxAbs, Math.abs(best[g]));
            }
            for (int c = 1; c < classes; c++) {
                int base = off + c * plane;
                for (int g = 0; g < plane; g++) {
                    float v = x[base + g];
                    if (lastWins ? v >= best[g] : v > best[g]) {
                        best[g] = v;
                        arg[g] = c;
                    }
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
            }
        }
        if (!linear) {
            System.arraycopy(arg, 0, grid, 0, plane);
            return maxAbs;
        }
        // the largest value among the classes that would win a tie against the argmax
        float[] rival = new float[plane];
        Arrays.fill(rival, Float.NEGATIVE_INFINITY);
        if (nhwc) {
            for (int g = 0; g < plane; g++) {
                int base = off + g * classes;
                int k = arg[g];
                float r = Float.NEGATIVE_INFINITY;
                int from = lastWins ? k + 1 : 0;
                int to = lastWins ? classes : k;
                for (int c = from; c < to; c++) {
                    r = Math.max(r, x[base + c]);
                }
                rival[g] = r;
            }
        } else {
            for (int c = 0; c < classes; c++) {
                int base = off + c * plane;
                for (int g = 0; g < plane; g++) {
                    int k = arg[g];
                    if (lastWins ? c > k : c < k) {
                        rival[g] = Math.max(rival[g], x[base + g]);
                    }
                }
            }
        }
        float threshold = maxAbs * MARGIN_FACTOR;
        for (int g = 0; g < plane; g++) {
            // NaN or infinite values fail the comparison and take the exact path
            boolean safe = best[g] - rival[g] > threshold && threshold < Float.POSITIVE_INFINITY;
            grid[g] = safe ? arg[g] : ~arg[g];
        }
        return maxAbs;
    }

    private float interpolate(float[] x, int off, int plane, int c, int g11, int g21, int g12, int g22, float c11, float c21,
            float c12, float c22) {
        float a;
        float b;
        float d;
        float e;
        if (nhwc) {
            a = x[off + g11 * classes + c];
            b = x[off + g21 * classes + c];
            d = x[off + g12 * classes + c];
            e = x[off + g22 * classes + c];
        } else {
            int base = off + c * plane;
            a = x[base + g11];
            b = x[base + g21];
            d = x[base + g12];
            e = x[base + g22];
        }
        if (nchwc) {
            return (c11 * a + c21 * b) + (c12 * d + c22 * e);
        }
        return c11 * a + c21 * b + c12 * d + c22 * e;
    }

    private static void checkLength(long have, long need, String what) {
        if (have < need) {
            throw new IllegalArgumentException(what + " holds " + have + " values, need " + need);
        }
    }

    /** ONNX Runtime's mapping of one axis from output to input coordinates. */
    private static final class Coordinates {
        private final String transform;
        private final String nearestMode;
        private final float scale;
        private final int inLen;
        private final int outLen;

        Coordinates(Resize resize, float scale, int inLen, int outLen) {
            this.transform = resize.coordinateTransformation();
            this.nearestMode = resize.nearestMode();
            this.scale = scale;
            this.inLen = inLen;
            this.outLen = outLen;
        }

        /** The original (input) coordinate of output index {@code o}, in ONNX Runtime's float/double arithmetic. */
        float original(int o) {
            float x = o;
            float lenR = outLen;
            float lenO = inLen;
            switch (transform) {
                case "asymmetric":
                    return x / scale;
                case "pytorch_half_pixel":
                    return lenR > 1 ? (x + 0.5f) / scale - 0.5f : 0f;
                case "tf_half_pixel_for_nn":
                    return (x + 0.5f) / scale;
                case "align_corners":
                    return lenR == 1 ? 0f : x * (lenO - 1) / (lenR - 1);
                case "half_pixel_symmetric": {
                    float outputWidth = scale * lenO;
                    float adjustment = lenR / outputWidth;
                    float center = lenO / 2;
                    float offset = center * (1 - adjustment);
                    return (float) (offset + (x + 0.5) / scale - 0.5);
                }
                case "half_pixel":
                    return ((x + 0.5f) / scale) - 0.5f;
                default:
                    throw new IllegalArgumentException("unsupported coordinate_transformation_mode '" + transform + "'");
            }
        }

        void linear(int[] i1, int[] i2, float[] d1, float[] d2) {
            for (int o = 0; o < outLen; o++) {
                float in = scale == 1f ? o : original(o);
                in = Math.max(0f, Math.min(in, (float) (inLen - 1)));
                int a = Math.min((int) in, inLen - 1);
                int b = Math.min(a + 1, inLen - 1);
                i1[o] = a;
                i2[o] = b;
                if (a == b) {
                    d1[o] = 0.5f;
                    d2[o] = 0.5f;
                } else {
                    d1[o] = Math.abs(in - a);
                    d2[o] = Math.abs(in - b);
                }
            }
        }

        /**
         * ONNX Runtime's NCHWc upsample (integer scales only): coordinate per its own table (half_pixel clamped at 0 only,
         * align_corners, otherwise asymmetric), lower index truncated, upper index clamped, weights {@code frac} and
         * {@code 1 - frac}.
         */
        void linearNchwc(int[] i1, int[] i2, float[] d1, float[] d2) {
            float s = scale;
            for (int o = 0; o < outLen; o++) {
                float v;
                if (s == 1f) {
                    v = o;
                } else if (transform.equals("align_corners")) {
                    v = (float) o * (float) (inLen - 1) / (float) (outLen - 1);
                } else if (transform.equals("half_pixel")) {
                    v = Math.max(0f, ((float) o + 0.5f) / s - 0.5f);
                } else {
                    v = (float) o / s;
                }
                int a = (int) v;
                int b = Math.min(a + 1, inLen - 1);
                float frac = v - (float) a;
                i1[o] = Math.min(a, inLen - 1);
                i2[o] = b;
                d1[o] = frac;
                d2[o] = 1.0f - frac;
            }
        }

        int[] nearest() {
            int[] idx = new int[outLen];
            for (int o = 0; o < outLen; o++) {
                long i;
                if (scale == 1f) {
                    i = o;
                } else {
                    i = nearestPixel(original(o), scale < 1f);
                }
                idx[o] = (int) Math.max(0, Math.min(i, inLen - 1));
            }
            return idx;
        }

        private long nearestPixel(float x, boolean downsample) {
            String m = nearestMode == null ? "round_prefer_floor" : nearestMode;
            switch (m) {
                case "simple":
                    return downsample ? (long) Math.ceil(x) : (long) x;
                case "round_prefer_ceil":
                    return isTie(x) ? (long) Math.floor(x) + 1 : roundHalfAway(x);
                case "floor":
                    return (long) Math.floor(x);
                case "ceil":
                    return (long) Math.ceil(x);
                case "round_prefer_floor":
                    return isTie(x) ? (long) Math.floor(x) : roundHalfAway(x);
                default:
                    throw new IllegalArgumentException("unsupported nearest_mode '" + m + "'");
            }
        }

        /**
         * Whether {@code x} counts as halfway between two indices. ONNX Runtime 1.29 accepts a fractional part within
         * {@code 1e-6} of 0.5 as a tie (measured against it; older versions compared exactly).
         */
        private static boolean isTie(float x) {
            double frac = (double) x - Math.floor(x);
            return Math.abs(frac - 0.5) <= 1e-6;
        }

        /** C's {@code round}: halfway cases away from zero (exact in double for float inputs). */
        private static long roundHalfAway(float x) {
            double d = x;
            return d < 0 ? -(long) Math.floor(-d + 0.5) : (long) Math.floor(d + 0.5);
        }
    }
}
