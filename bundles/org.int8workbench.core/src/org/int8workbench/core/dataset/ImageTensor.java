package org.int8workbench.core.dataset;

import java.util.Objects;

/**
 * The arithmetic of INT8 Workbench's {@code Preprocessing}: how an image's pixels become one model input tensor.
 * The image is placed on the input ({@link Fit}), sampled bilinearly at the centres of the input pixels, and
 * normalised per channel as {@code pixel * (1 / std) + (-mean / std)} in float, with pixels in 0..255, in RGB or BGR
 * order and NCHW or NHWC layout. Self-contained (the JDK only), so that generated inference code ships this very file.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageTensor {

    /** How an image is fitted to the input size. */
    public enum Fit {
        /** Bilinear resize of the whole image to the input size; aspect ratio not kept. */
        STRETCH,
        /** Keep the aspect ratio, scale to fit inside, pad right and bottom. */
        FIT_PAD,
        /** Keep the aspect ratio, scale so the short side fits, crop the centre. */
        CENTER_CROP
    }

    private final int width;
    private final int height;
    private final Fit fit;
    private final float[] scale = new float[3];
    private final float[] shift = new float[3];
    private final boolean bgr;
    private final boolean nchw;
    private final float pad;

    /**
     * @param width input width
     * @param height input height
     * @param fit how the image is fitted
     * @param mean per-channel mean in pixel units, R, G, B
     * @param std per-channel standard deviation in pixel units, R, G, B
     * @param bgr whether the channels are in B, G, R order (else R, G, B)
     * @param nchw whether the layout is one plane per channel (else interleaved per pixel, NHWC)
     * @param padValue grey value of input pixels outside the image (before normalisation)
     */
    public ImageTensor(int width, int height, Fit fit, double[] mean, double[] std, boolean bgr, boolean nchw, int padValue) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + width + "x" + height);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need three values, R, G, B");
        }
        this.width = width;
        this.height = height;
        this.fit = Objects.requireNonNull(fit, "fit");
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / std[c]);
            shift[c] = (float) (-mean[c] / std[c]);
        }
        this.bgr = bgr;
        this.nchw = nchw;
        this.pad = padValue;
    }

    /** Number of floats of one image's tensor. */
    public int size() {
        return 3 * width * height;
    }

    /**
     * Where an image of the given size lands on the input: {@code {scaleX, scaleY, offsetX, offsetY}}, so that image
     * coordinate {@code x} lands at input coordinate {@code x * scaleX + offsetX}.
     */
    public double[] placement(int imageWidth, int imageHeight) {
        return switch (fit) {
            case STRETCH -> new double[] {(double) width / imageWidth, (double) height / imageHeight, 0, 0};
            case FIT_PAD -> {
                double s = Math.min((double) width / imageWidth, (double) height / imageHeight);
                yield new double[] {s, s, 0, 0};
            }
            case CENTER_CROP -> {
                double s = Math.max((double) width / imageWidth, (double) height / imageHeight);
                yield new double[] {s, s, (width - imageWidth * s) / 2, (height - imageHeight * s) / 2};
            }
        };
    }

    /**
     * The tensor of an image given as packed {@code 0xAARRGGBB} pixels in rows (what
     * {@code BufferedImage.getRGB(0, 0, w, h, null, 0, w)} returns; alpha is ignored).
     */
    public float[] tensor(int[] argb, int imageWidth, int imageHeight) {
        float[] out = new float[size()];
        fill(argb, imageWidth, imageHeight, out, 0);
        return out;
    }

    /** Writes the tensor of an image ({@link #tensor}) into {@code out} from {@code offset} (for batches). */
    public void fill(int[] argb, int imageWidth, int imageHeight, float[] out, int offset) {
        int iw = imageWidth;
        int ih = imageHeight;
        if (iw <= 0 || ih <= 0 || argb.length < (long) iw * ih) {
            throw new IllegalArgumentException(argb.length + " pixels for a " + iw + "x" + ih + " image");
        }
        double[] p = placement(iw, ih);
        double scaleX = p[0];
        double scaleY = p[1];
        double offsetX = p[2];
        double offsetY = p[3];
        int plane = width * height;
        // half-pixel centres: source x = (dst x + 0.5 - offsetX) / scaleX - 0.5
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        boolean[] xin = new boolean[width];
        for (int x = 0; x < width; x++) {
            double sx = (x + 0.5 - offsetX) / scaleX - 0.5;
            xin[x] = sx > -1 && sx < iw;
            sx = Math.max(0, Math.min(iw - 1, sx));
            x0[x] = (int) Math.floor(sx);
            x1[x] = Math.min(iw - 1, x0[x] + 1);
            fx[x] = (float) (sx - x0[x]);
        }
        // where red, green and blue go: channel planes (NCHW) or interleaved (NHWC), in RGB or BGR order
        int channelStride = nchw ? plane : 1;
        int pixelStride = nchw ? 1 : 3;
        int oR = offset + (bgr ? 2 : 0) * channelStride;
        int oG = offset + channelStride;
        int oB = offset + (bgr ? 0 : 2) * channelStride;
        float sR = scale[0];
        float sG = scale[1];
        float sB = scale[2];
        float tR = shift[0];
        float tG = shift[1];
        float tB = shift[2];
        for (int y = 0; y < height; y++) {
            double sy = (y + 0.5 - offsetY) / scaleY - 0.5;
            boolean yin = sy > -1 && sy < ih;
            sy = Math.max(0, Math.min(ih - 1, sy));
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(ih - 1, y0 + 1);
            float fy = (float) (sy - y0);
            float uy = 1 - fy;
            int r0 = y0 * iw;
            int r1 = y1 * iw;
            int o = y * width * pixelStride;
            for (int x = 0; x < width; x++, o += pixelStride) {
                float r;
                float g;
                float b;
                if (yin && xin[x]) {
                    int p00 = argb[r0 + x0[x]];
                    int p01 = argb[r0 + x1[x]];
                    int p10 = argb[r1 + x0[x]];
                    int p11 = argb[r1 + x1[x]];
                    float wx = fx[x];
                    float ux = 1 - wx;
                    r = (((p00 >> 16) & 255) * ux + ((p01 >> 16) & 255) * wx) * uy + (((p10 >> 16) & 255) * ux + ((p11 >> 16) & 255) * wx) * fy;
                    g = (((p00 >> 8) & 255) * ux + ((p01 >> 8) & 255) * wx) * uy + (((p10 >> 8) & 255) * ux + ((p11 >> 8) & 255) * wx) * fy;
                    b = ((p00 & 255) * ux + (p01 & 255) * wx) * uy + ((p10 & 255) * ux + (p11 & 255) * wx) * fy;
                } else {
                    r = g = b = pad;
                }
                out[oR + o] = r * sR + tR;
                out[oG + o] = g * sG + tG;
                out[oB + o] = b * sB + tB;
            }
        }
    }
}
