package org.int8workbench.core.dataset;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decoding of dataset images and masks with {@code javax.imageio}, headless. Every failure is an
 * {@link IOException} whose message names the file, what is wrong and what to do; truncated files (which
 * ImageIO would otherwise return half-decoded with only a warning) are reported as corrupt.
 */
public final class Images {

    /** File name extensions read as images (lower case, without dot). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private Images() {
    }

    /** True when the file name ends with one of {@link #IMAGE_EXTENSIONS}. */
    public static boolean isImageFile(Path file) {
        return IMAGE_EXTENSIONS.contains(extension(file));
    }

    static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }

    /**
     * The image's pixels as packed {@code 0xAARRGGBB} values in rows, exactly what
     * {@code getRGB(0, 0, w, h, null, 0, w)} returns, in a new array. For {@code TYPE_INT_RGB} and
     * {@code TYPE_INT_ARGB} images (what this package decodes and draws) the pixels are copied straight from the
     * raster instead of going through the colour model pixel by pixel, which is many times faster.
     */
    public static int[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int type = img.getType();
        if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1 && db.getOffset() == 0
                && img.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel sm && sm.getScanlineStride() == w
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && db.getSize() >= w * h) {
            int[] data = db.getData();
            int[] out = new int[w * h];
            if (type == BufferedImage.TYPE_INT_ARGB) {
                System.arraycopy(data, 0, out, 0, out.length);
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = data[i] | 0xFF000000;
                }
            }
            return out;
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
    }

    /**
     * A {@link BufferedImage#TYPE_INT_RGB} image whose pixels are {@code px} ({@code w*h} packed RGB values in rows; the
     * top byte is ignored), without a copy: the image and the array share their pixels.
     */
    public static BufferedImage wrapRgb(int w, int h, int[] px) {
        if (px.length < w * h) {
            throw new IllegalArgumentException(px.length + " pixels for a " + w + "x" + h + " image");
        }
        DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(px, w * h), w, h, w,
                new int[] {0xFF0000, 0xFF00, 0xFF}, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** Decodes an image file as {@link BufferedImage#TYPE_INT_RGB} (greyscale is expanded, alpha dropped onto black). */
    public static BufferedImage readRgb(Path file) throws IOException {
        return asRgb(decode(file));
    }

    /**
     * Decodes an image file's bytes as {@link #readRgb(Path)} decodes the file: the same pixels, the same messages.
     *
     * @param file the file the bytes are of, for messages
     */
    public static BufferedImage readRgb(byte[] bytes, String file) throws IOException {
        return asRgb(decode(bytes, file));
    }

    private static BufferedImage asRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /**
     * Decodes a mask file into class indices and checks every label is a class of {@code classes} or its ignore
     * label.
     *
     * @param encoding how labels are stored; palette PNGs are read as palette indices under {@link MaskEncoding#INDEX}
     *        and {@link MaskEncoding#AUTO}, never by colour
     */
    public static LabelMask readMask(Path file, ClassInfo classes, MaskEncoding encoding) throws IOException {
        return mask(decode(file), file.toString(), classes, encoding);
    }

    /**
     * Decodes a mask file's bytes as {@link #readMask(Path, ClassInfo, MaskEncoding)} decodes the file: the same labels,
     * the same messages.
     *
     * @param file the file the bytes are of, for messages
     */
    public static LabelMask readMask(byte[] bytes, String file, ClassInfo classes, MaskEncoding encoding) throws IOException {
        return mask(decode(bytes, file), file, classes, encoding);
    }

    private static LabelMask mask(BufferedImage img, String file, ClassInfo classes, MaskEncoding encoding) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean indexed = cm instanceof IndexColorModel || r.getNumBands() == 1;
        int[] labels;
        if (encoding == MaskEncoding.BINARY) {
            labels = binary(img);
        } else if (indexed && encoding != MaskEncoding.COLOR) {
            labels = r.getSamples(0, 0, w, h, 0, new int[w * h]);
        } else if (!indexed && encoding == MaskEncoding.INDEX) {
            throw new IOException(file + ": the mask is a colour image (" + r.getNumBands()
                    + " channels) but the dataset says masks are index-encoded; save masks as palette or greyscale PNGs "
                    + "holding class indices, or set \"maskEncoding\": \"color\" in " + Datasets.METADATA_FILE);
        } else {
            labels = byColour(file, img, classes);
        }
        checkLabels(file, w, labels, classes);
        return new LabelMask(w, h, labels);
    }

    /** Background (0) and foreground (1): a pixel is foreground when any band's sample is above 0. */
    private static int[] binary(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster r = img.getRaster();
        int[] labels = new int[w * h];
        int[] band = new int[w * h];
        int bands = img.getColorModel() instanceof IndexColorModel ? 1 : Math.min(3, r.getNumBands());
        for (int b = 0; b < bands; b++) {
            r.getSamples(0, 0, w, h, b, band);
            for (int i = 0; i < band.length; i++) {
                if (band[i] > 0) {
                    labels[i] = 1;
                }
            }
        }
        return labels;
    }

    /**
     * True when the mask file is a greyscale image (not a palette) whose values are 0 and 255, and only those: a binary
     * mask. (A 0/1 mask is also an index mask of two classes; it needs the metadata file, e.g. {@code "preset": "binary"}.)
     */
    static boolean binaryMask(Path file) {
        try {
            return binaryMask(decode(file));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@link #binaryMask(Path)} of a mask file's bytes. */
    static boolean binaryMask(byte[] bytes, String file) {
        try {
            return binaryMask(decode(bytes, file));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean binaryMask(BufferedImage img) {
        if (img.getColorModel() instanceof IndexColorModel || img.getRaster().getNumBands() != 1) {
            return false;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        boolean has255 = false;
        for (int v : img.getRaster().getSamples(0, 0, w, h, 0, new int[w * h])) {
            if (v == 255) {
                has255 = true;
            } else if (v != 0) {
                return false;
            }
        }
        return has255;
    }

    private static int[] byColour(String file, BufferedImage img, ClassInfo classes) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        Map<Integer, Integer> byColor = new HashMap<>();
        for (int i = 0; i < classes.count(); i++) {
            byColor.putIfAbsent(classes.colors().get(i) & 0xFFFFFF, i);
        }
        if (classes.ignoreLabel() >= 0) {
            byColor.putIfAbsent(ignoreColor(classes), classes.ignoreLabel());
        }
        int[] argb = rgb(img);
        int[] labels = new int[w * h];
        int lastColor = -1;
        int lastLabel = -1;
        for (int i = 0; i < argb.length; i++) {
            int c = argb[i] & 0xFFFFFF;
            if (c != lastColor) {
                Integer l = byColor.get(c);
                if (l == null) {
                    throw new IOException(String.format(Locale.ROOT,
                            "%s: colour #%06X at (%d,%d) is not the colour of any class; fix the mask or add the colour to %s",
                            file, c, i % w, i / w, Datasets.METADATA_FILE));
                }
                lastColor = c;
                lastLabel = l;
            }
            labels[i] = lastLabel;
        }
        return labels;
    }

    /** The colour of the ignore label in colour-encoded masks: the VOC palette colour of that index (224,224,192 for 255). */
    static int ignoreColor(ClassInfo classes) {
        return ClassInfo.vocColor(classes.ignoreLabel());
    }

    private static void checkLabels(String file, int w, int[] labels, ClassInfo classes) throws IOException {
        int n = classes.count();
        int ignore = classes.ignoreLabel();
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if ((l < 0 || l >= n) && l != ignore) {
                throw new IOException(file + ": label " + l + " at (" + (i % w) + "," + (i / w) + ") is outside the label set 0.."
                        + (n - 1) + (ignore >= 0 ? " (ignore " + ignore + ")" : "")
                        + "; fix the mask, or list every class (and the ignore label) in " + Datasets.METADATA_FILE);
            }
        }
    }

    /** Java system property with the largest image (in pixels) that is decoded; larger ones are skipped with a reason. */
    public static final String MAX_PIXELS_PROPERTY = "int8workbench.maxImagePixels";
    /** The default limit: 100 megapixels (400 MB as RGB integers). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Files larger than this are no image of the allowed size (an uncompressed 100 megapixel BMP is 300 MB). */
    static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    /** The pixel limit in force ({@link #MAX_PIXELS_PROPERTY}, else {@link #DEFAULT_MAX_PIXELS}). */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v != null) {
            try {
                long n = Long.parseLong(v.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall back to the default
            }
        }
        return DEFAULT_MAX_PIXELS;
    }

    /**
     * Decodes with the first ImageIO reader for the content; warnings (truncated data) count as errors. A colour
     * profile embedded in a JPEG file is ignored: the pixels are the file's YCbCr values converted to RGB, which is
     * how PIL, OpenCV and TensorFlow decode the images segmentation models are trained and evaluated with (ImageIO
     * would otherwise convert from the profile, and spend a third of the decoding time checking it).
     */
    static BufferedImage decode(Path file) throws IOException {
        return decode(readBytes(file), file.toString());
    }

    /**
     * The bytes of an image file, after checking that it is there and not larger than an image of the allowed size can
     * be ({@link #checkSize}).
     */
    public static byte[] readBytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "the file is missing; restore it or remove its entry");
        }
        checkSize(file.toString(), Files.size(file));
        return Files.readAllBytes(file);
    }

    /**
     * Refuses a file larger than an image of {@link #maxPixels()} can be, before it is read.
     *
     * @param file the file, for the message
     * @param size its size in bytes
     */
    public static void checkSize(String file, long size) throws IOException {
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": the file is " + size / (1024 * 1024) + " MB, more than an image of "
                    + maxPixels() / 1_000_000 + " megapixels needs; remove it or shrink it");
        }
    }

    /** {@link #decode(Path)} of a file's bytes; {@code file} names it in messages. */
    static BufferedImage decode(byte[] bytes, String file) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(withoutIccProfile(bytes)))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image file that can be read (JPEG, PNG, BMP, GIF); remove it or convert it");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // the size from the header, before any pixel is decoded: a small file can claim gigapixels
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels()) {
                    throw new IOException(file + ": the image is " + w + "x" + h + " pixels (" + (w * h / 1_000_000)
                            + " megapixels), above the limit of " + maxPixels() / 1_000_000 + " megapixels; shrink it or raise"
                            + " the limit (Java system property " + MAX_PIXELS_PROPERTY + ")");
                }
                BufferedImage img;
                try {
                    img = reader.read(0);
                } catch (OutOfMemoryError oom) {
                    throw new IOException(file + ": not enough memory to decode the image (" + w + "x" + h
                            + " pixels); give Java more memory (-Xmx) or shrink the image");
                }
                if (!warnings.isEmpty()) {
                    throw new IOException(file + ": the image is damaged (" + warnings.get(0) + "); replace or remove the file");
                }
                return img;
            } catch (IOException | RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(file)) {
                    throw e;
                }
                throw new IOException(file + ": the image cannot be decoded (" + e.getMessage() + "); replace or remove the file", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * A JPEG file's bytes without its embedded ICC colour profile (the {@code APP2 "ICC_PROFILE"} segments before the
     * first scan), or the bytes as they are when they are not a JPEG file, have no profile, or their segments do not
     * parse (the decoder then reports what is wrong).
     */
    static byte[] withoutIccProfile(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return b;
        }
        ByteArrayOutputStream out = null;
        int copied = 0;
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return b;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break; // start of scan (entropy-coded data follows) or end of image
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2 || i + 2 + length > b.length) {
                return b;
            }
            boolean icc = marker == 0xE2 && length >= 2 + ICC_ID.length && java.util.Arrays.equals(b, i + 4, i + 4 + ICC_ID.length, ICC_ID, 0,
                    ICC_ID.length);
            if (icc) {
                if (out == null) {
                    out = new ByteArrayOutputStream(b.length);
                }
                out.write(b, copied, i - copied);
                copied = i + 2 + length;
            }
            i += 2 + length;
        }
        if (out == null) {
            return b;
        }
        out.write(b, copied, b.length - copied);
        return out.toByteArray();
    }

    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
}
