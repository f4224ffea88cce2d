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
     * or last is channels; for a rank-3 input [3,H,W] or [H,W,3] the first or last axis), else empty (dynamic sizes, or not an image input).
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
        if (s.length == 3 && s[0] == 3 && s[1] > 0 && s[2] > 0) {
            return java.util.Optional.of(defaults((int) s[2], (int) s[1], Layout.NCHW));
        }
        if (s.length == 3 && s[2] == 3 && s[0] > 0 && s[1] > 0) {
            return java.util.Optional.of(defaults((int) s[1], (int) s[0], Layout.NHWC));
        }
        return java.util.Optional.empty();
    }

    /**
     * Checks a requested input size (e.g. {@code --size}, the wizard's size field) before any work: at most the image
     * pixel limit ({@link Images#maxPixels()}), and, when the model's input fixes its height and width, exactly them.
     * Shared by the command line, the pipeline and the workbench's wizard.
     *
     * @param inputShape the model's (first) input shape, a dynamic axis as 0 or negative; {@code null} when unknown
     * @param layout where the channels are when the shape does not tell (an axis of 3 next to the batch axis or last)
     * @throws IllegalArgumentException one line saying what the model takes
     */
    public static void checkRequestedSize(int width, int height, long[] inputShape, Layout layout) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("the input size must be positive; got " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > Images.maxPixels()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the input size %dx%d is too large: %,d pixels, more than the limit of %,d (Java system property %s)", width, height,
                    pixels, Images.maxPixels(), Images.MAX_PIXELS_PROPERTY));
        }
        long[] hw = fixedHeightWidth(inputShape, layout);
        if (hw != null && (hw[0] != height || hw[1] != width)) {
            throw new IllegalArgumentException("the model's input takes " + hw[1] + "x" + hw[0] + " (width x height; input shape "
                    + java.util.Arrays.toString(inputShape).replace(" ", "") + "), not " + width + "x" + height
                    + "; give " + hw[1] + "x" + hw[0] + " or leave the size to the model");
        }
    }

    /**
     * Where the channels of an image input shape are: {@link Layout#NHWC} when the last axis is 3 and the channel axis
     * of the other layout is not ({@code [N,H,W,3]}, or {@code [H,W,3]} for rank 3), else {@link Layout#NCHW}.
     */
    public static Layout layoutOf(long[] s) {
        if (s != null && s.length == 4 && s[3] == 3 && s[1] != 3 || s != null && s.length == 3 && s[2] == 3 && s[0] != 3) {
            return Layout.NHWC;
        }
        return Layout.NCHW;
    }

    /** {height, width} of an image input shape of rank 3 or 4 when both are fixed, else {@code null}. */
    static long[] fixedHeightWidth(long[] s, Layout layout) {
        if (s == null) {
            return null;
        }
        int h;
        int w;
        if (s.length == 4) {
            boolean nhwc = s[3] == 3 && s[1] != 3 || s[1] != 3 && s[3] != 3 && layout == Layout.NHWC;
            h = nhwc ? 1 : 2;
            w = nhwc ? 2 : 3;
        } else if (s.length == 3) {
            boolean hwc = s[2] == 3 && s[0] != 3 || s[0] != 3 && s[2] != 3 && layout == Layout.NHWC;
            h = hwc ? 0 : 1;
            w = hwc ? 1 : 2;
        } else {
            return null;
        }
        return s[h] > 0 && s[w] > 0 ? new long[] {s[h], s[w]} : null;
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

    /**
     * The shape of one image's tensor for a model input declared as {@code declared}: {@link #shape shape(1)} for a
     * 4-D input ({@code [1,3,H,W]} or {@code [1,H,W,3]}), the same without the batch axis for a 3-D input
     * ({@code [3,H,W]} for {@link Layout#NCHW}, {@code [H,W,3]} for {@link Layout#NHWC}). Every step that turns an image
     * into a model input (calibration, evaluation, benchmark, sensitivity, code generation) takes its shape from here.
     *
     * @param declared the model's (first) input shape as declared, dynamic axes 0 or negative; {@code null} when unknown
     *        (read as 4-D)
     * @throws IllegalArgumentException one line when the input has a rank other than 3 or 4
     */
    public long[] inputShape(long[] declared) {
        long[] s = shape(1);
        if (declared == null || declared.length == 4) {
            return s;
        }
        if (declared.length == 3) {
            return java.util.Arrays.copyOfRange(s, 1, 4);
        }
        throw new IllegalArgumentException(rankProblem(declared.length));
    }

    /**
     * The one-line refusal of an image input with {@code rank} dimensions, or {@code null} for 3 and 4 (the ranks images
     * are fed as).
     */
    public static String rankProblem(int rank) {
        return rank == 3 || rank == 4 ? null
                : "the model's input has " + rank + " dimensions; INT8 Workbench feeds an image as a 4-D tensor ([1,3,H,W] or"
                        + " [1,H,W,3]) or a 3-D one ([3,H,W] or [H,W,3])";
    }

    /** Number of floats of one image's tensor. */
    public int tensorSize() {
        return 3 * width * height;
    }

    /** Where the image lands in the model input; see {@link Placement}. */
    public Placement place(int imageWidth, int imageHeight) {
        double[] p = arithmetic().placement(imageWidth, imageHeight);
        return new Placement(p[0], p[1], p[2], p[3]);
    }

    /** This preprocessing's arithmetic, a self-contained class that generated inference code ships as it is. */
    public ImageTensor arithmetic() {
        return new ImageTensor(width, height, ImageTensor.Fit.valueOf(resize.name()), new double[] {mean.r(), mean.g(), mean.b()},
                new double[] {std.r(), std.g(), std.b()}, color == ColorOrder.BGR, layout == Layout.NCHW, PAD_VALUE);
    }

    /** The image as one input tensor (one image, no batch dimension in the array's size). */
    public float[] toTensor(BufferedImage image) {
        float[] out = new float[tensorSize()];
        toTensor(image, out, 0);
        return out;
    }

    /** Writes the image's tensor into {@code out} starting at {@code offset} (for batches). */
    public void toTensor(BufferedImage image, float[] out, int offset) {
        arithmetic().fill(Images.rgb(image), image.getWidth(), image.getHeight(), out, offset);
    }

    /** JSON form, as stored in model metadata. */
    public String toJson() {
        return Json.gson().toJson(this);
    }

    /**
     * The preprocessing {@code model} records in its metadata (an INT8 model written by the tool: the one its
     * calibration used), read through ONNX Runtime; {@code null} when it records none or cannot be read.
     */
    public static Preprocessing recordedIn(java.nio.file.Path model) {
        return org.int8workbench.core.Ort.readPlain(model, s -> {
            String json = s.getMetadata().getCustomMetadata().get(METADATA_KEY);
            return json == null ? null : fromJson(json);
        });
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
