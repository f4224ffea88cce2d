package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.util.Locale;
import org.int8workbench.core.Json;

/**
 * How an image becomes the model's input tensor: resize to {@code width x height}, then per channel
 * {@code (pixel - mean) / std} with pixels in 0..255, in the stated colour order and tensor layout.
 * Recorded in an optimized model's metadata under {@link #METADATA_KEY} so later steps reuse it.
 *
 * @param width model input width
 * @param height model input height
 * @param resize how the image is fitted to the input size
 * @param mean per-channel mean in pixel units, in R,G,B order (whatever {@code color} is)
 * @param std per-channel standard deviation in pixel units, in R,G,B order
 * @param color channel order the model expects
 * @param layout tensor layout the model expects
 */
public record Preprocessing(int width, int height, ResizeMode resize, Rgb mean, Rgb std, ColorOrder color,
        Layout layout) {

    /** Metadata key of the JSON form in an ONNX model's {@code metadata_props}. */
    public static final String METADATA_KEY = "int8workbench.preprocessing";

    /** Grey value the padding of {@link ResizeMode#FIT_PAD} is filled with (before normalisation). */
    public static final int PAD_VALUE = 0;

    public enum ResizeMode {
        /** Bilinear resize of the whole image to the input size; aspect ratio not kept. */
        STRETCH,
        /** Keep the aspect ratio, scale to fit inside, pad right and bottom with {@link #PAD_VALUE}. */
        FIT_PAD,
        /** Keep the aspect ratio, scale so the short side fits, crop the centre. */
        CENTER_CROP;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static ResizeMode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public enum ColorOrder {
        RGB, BGR
    }

    public enum Layout {
        NCHW, NHWC
    }

    /** Three per-channel values in R, G, B order. */
    public record Rgb(double r, double g, double b) {
        public static Rgb all(double v) {
            return new Rgb(v, v, v);
        }

        /** Parses {@code "v"} or {@code "r,g,b"}. */
        public static Rgb parse(String s) {
            String[] p = s.split(",");
            if (p.length == 1) {
                return all(Double.parseDouble(p[0].trim()));
            }
            if (p.length != 3) {
                throw new IllegalArgumentException("expected one value or three comma-separated values (R,G,B), got '" + s + "'");
            }
            return new Rgb(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()), Double.parseDouble(p[2].trim()));
        }

        double get(int channel) {
            return channel == 0 ? r : channel == 1 ? g : b;
        }

        @Override
        public String toString() {
            return fmt(r) + "," + fmt(g) + "," + fmt(b);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    public Preprocessing {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + width + "x" + height);
        }
        if (std.r() == 0 || std.g() == 0 || std.b() == 0) {
            throw new IllegalArgumentException("std must not be zero on any channel, got " + std);
        }
        java.util.Objects.requireNonNull(resize, "resize");
        java.util.Objects.requireNonNull(mean, "mean");
        java.util.Objects.requireNonNull(color, "color");
        java.util.Objects.requireNonNull(layout, "layout");
    }

    /**
     * The defaults for a model input of the given size and layout: stretch, mean 127.5 and std 127.5 (inputs
     * in [-1, 1], as the reference DeepLabV3 expects), RGB.
     */
    public static Preprocessing defaults(int width, int height, Layout layout) {
        return new Preprocessing(width, height, ResizeMode.STRETCH, Rgb.all(127.5), Rgb.all(127.5), ColorOrder.RGB, layout);
    }

    /**
     * The preprocessing a model asks for: the one recorded in its metadata under {@link #METADATA_KEY} (an optimized
     * model carries it), else {@link #defaults} for a 4-D image input shape (the axis of size 3 next to the batch axis
     * or last is channels), else empty (dynamic sizes, or not an image input).
     */
    public static java.util.Optional<Preprocessing> forModel(java.util.Map<String, String> metadata, long[] inputShape) {
        String json = metadata.get(METADATA_KEY);
        if (json != null) {
            return java.util.Optional.of(fromJson(json));
        }
        long[] s = inputShape;
        if (s.length == 4 && s[1] == 3 && s[2] > 0 && s[3] > 0) {
            return java.util.Optional.of(defaults((int) s[3], (int) s[2], Layout.NCHW));
        }
        if (s.length == 4 && s[3] == 3 && s[1] > 0 && s[2] > 0) {
            return java.util.Optional.of(defaults((int) s[2], (int) s[1], Layout.NHWC));
        }
        return java.util.Optional.empty();
    }

    public Preprocessing withSize(int w, int h) {
        return new Preprocessing(w, h, resize, mean, std, color, layout);
    }

    public Preprocessing withResize(ResizeMode r) {
        return new Preprocessing(width, height, r, mean, std, color, layout);
    }

    public Preprocessing withNormalization(Rgb m, Rgb s) {
        return new Preprocessing(width, height, resize, m, s, color, layout);
    }

    public Preprocessing withColor(ColorOrder c) {
        return new Preprocessing(width, height, resize, mean, std, c, layout);
    }

    public Preprocessing withLayout(Layout l) {
        return new Preprocessing(width, height, resize, mean, std, color, l);
    }

    /** Shape of a batch of {@code batch} images: {@code [batch,3,H,W]} or {@code [batch,H,W,3]}. */
    public long[] shape(int batch) {
        return layout == Layout.NCHW ? new long[] {batch, 3, height, width} : new long[] {batch, height, width, 3};
    }

    /** Number of floats of one image's tensor. */
    public int tensorSize() {
        return 3 * width * height;
    }

    /** Where the image lands in the model input; see {@link Placement}. */
    public Placement place(int imageWidth, int imageHeight) {
        switch (resize) {
            case STRETCH:
                return new Placement((double) width / imageWidth, (double) height / imageHeight, 0, 0);
            case FIT_PAD: {
                double s = Math.min((double) width / imageWidth, (double) height / imageHeight);
                return new Placement(s, s, 0, 0);
            }
            case CENTER_CROP: {
                double s = Math.max((double) width / imageWidth, (double) height / imageHeight);
                return new Placement(s, s, (width - imageWidth * s) / 2, (height - imageHeight * s) / 2);
            }
            default:
                throw new IllegalStateException();
        }
    }

    /** The image as one input tensor (one image, no batch dimension in the array's size). */
    public float[] toTensor(BufferedImage image) {
        float[] out = new float[tensorSize()];
        toTensor(image, out, 0);
        return out;
    }

    /** Writes the image's tensor into {@code out} starting at {@code offset} (for batches). */
    public void toTensor(BufferedImage image, float[] out, int offset) {
        int iw = image.getWidth();
        int ih = image.getHeight();
        int[] argb = Images.rgb(image);
        Placement p = place(iw, ih);
        int plane = width * height;
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / std.get(c));
            shift[c] = (float) (-mean.get(c) / std.get(c));
        }
        boolean bgr = color == ColorOrder.BGR;
        boolean nchw = layout == Layout.NCHW;
        // half-pixel centres: source x = (dst x + 0.5 - offsetX) / scaleX - 0.5
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        boolean[] xin = new boolean[width];
        for (int x = 0; x < width; x++) {
            double sx = (x + 0.5 - p.offsetX()) / p.scaleX() - 0.5;
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
            double sy = (y + 0.5 - p.offsetY()) / p.scaleY() - 0.5;
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
                    r = g = b = PAD_VALUE;
                }
                out[oR + o] = r * sR + tR;
                out[oG + o] = g * sG + tG;
                out[oB + o] = b * sB + tB;
            }
        }
    }

    /** JSON form, as stored in model metadata. */
    public String toJson() {
        return Json.gson().toJson(this);
    }

    public static Preprocessing fromJson(String json) {
        return Json.gson().fromJson(json, Preprocessing.class);
    }

    /** A one-line description for reports, e.g. {@code 257x257 stretch, mean 127.5, std 127.5, RGB, NCHW}. */
    public String describe() {
        return width + "x" + height + " " + resize.cliName() + ", mean " + mean + ", std " + std + ", " + color + ", " + layout;
    }

    /**
     * Maps image pixel coordinates to model-input coordinates: {@code inputX = imageX * scaleX + offsetX} (in
     * continuous pixel units, edges at integers). Model-input pixels outside the image are padding
     * ({@link ResizeMode#FIT_PAD}); image pixels outside the input were cropped ({@link ResizeMode#CENTER_CROP}).
     */
    public record Placement(double scaleX, double scaleY, double offsetX, double offsetY) {
        /** Model-input column whose centre is nearest the centre of image column {@code x}, unclamped. */
        public int inputX(int x) {
            return (int) Math.floor((x + 0.5) * scaleX + offsetX);
        }

        public int inputY(int y) {
            return (int) Math.floor((y + 0.5) * scaleY + offsetY);
        }
    }
}
