package org.int8workbench.core.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Images;
import org.int8workbench.core.dataset.LabelMask;

/**
 * Pictures of segmentations, drawn headless into {@link BufferedImage}s and written as PNG: mask overlays, the
 * difference map between two predictions, and the side-by-side composite with a class legend. Needs no display
 * ({@code java.awt.headless=true} is fine); text is skipped when the JVM has no fonts.
 */
public final class SegmentationRenderer {

    /** Grey level factor of unchanged pixels in a difference map. */
    public static final double DIM = 0.35;

    /** Colour of the outline drawn around changed regions in a difference map. */
    public static final int OUTLINE = 0xFFFF00;

    private final ClassInfo classes;
    private final ColorMap colors;

    public SegmentationRenderer(ClassInfo classes) {
        this.classes = classes;
        this.colors = ColorMap.of(classes);
    }

    public ColorMap colors() {
        return colors;
    }

    /**
     * The mask over the image: {@code out = (1-alpha)*image + alpha*classColour}. Pixels without a label (negative)
     * show the image darkened by half; the ignore label is drawn in {@link ColorMap#IGNORE_COLOR}.
     */
    public BufferedImage overlay(BufferedImage image, LabelMask mask, double alpha) {
        checkSize(image, mask);
        int w = mask.width();
        int h = mask.height();
        int[] px = Images.rgb(image);
        int[] labels = mask.labels();
        for (int i = 0; i < px.length; i++) {
            int l = labels[i];
            px[i] = l < 0 ? blend(px[i], 0, 0.5) : blend(px[i], colors.color(l), alpha);
        }
        return fromPixels(w, h, px);
    }

    /**
     * The difference between two predictions of an image: pixels where {@code changed} has the label of
     * {@code reference} show the image in grey dimmed to {@link #DIM}; pixels where it differs show {@code changed}'s
     * class colour; unchanged pixels bordering a change (4-neighbourhood) are drawn in {@link #OUTLINE}. Pixels
     * without a prediction count as unchanged.
     */
    public BufferedImage difference(BufferedImage image, LabelMask reference, LabelMask changed) {
        checkSize(image, reference);
        checkSize(image, changed);
        int w = reference.width();
        int h = reference.height();
        int[] px = Images.rgb(image);
        int[] a = reference.labels();
        int[] b = changed.labels();
        boolean[] diff = new boolean[px.length];
        for (int i = 0; i < px.length; i++) {
            diff[i] = a[i] != b[i] && a[i] >= 0 && b[i] >= 0;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (diff[i]) {
                    px[i] = colors.color(b[i]);
                } else if ((x > 0 && diff[i - 1]) || (x < w - 1 && diff[i + 1]) || (y > 0 && diff[i - w]) || (y < h - 1 && diff[i + w])) {
                    px[i] = OUTLINE;
                } else {
                    int p = px[i];
                    int grey = (int) Math.round((((p >> 16) & 255) * 0.299 + ((p >> 8) & 255) * 0.587 + (p & 255) * 0.114) * DIM);
                    px[i] = (grey << 16) | (grey << 8) | grey;
                }
            }
        }
        return fromPixels(w, h, px);
    }

    /** One titled picture of a composite. */
    public record Panel(String title, BufferedImage image) {
    }

    /**
     * Panels side by side, each scaled to at most {@code maxPanelWidth} pixels wide (aspect kept), with the title
     * above each and a legend of {@code labels} below.
     */
    public BufferedImage composite(List<Panel> panels, Collection<Integer> labels, int maxPanelWidth) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panels");
        }
        int srcW = panels.get(0).image().getWidth();
        int srcH = panels.get(0).image().getHeight();
        double scale = Math.min(1.0, (double) maxPanelWidth / srcW);
        int pw = Math.max(1, (int) Math.round(srcW * scale));
        int ph = Math.max(1, (int) Math.round(srcH * scale));
        int gap = 6;
        int titleH = 22;
        List<Integer> shown = new ArrayList<>(new TreeSet<>(labels));
        int legendCols = Math.max(1, (panels.size() * (pw + gap)) / 170);
        int legendRows = (shown.size() + legendCols - 1) / legendCols;
        int width = panels.size() * (pw + gap) + gap;
        int height = titleH + ph + gap + legendRows * 20 + gap;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int i = 0; i < panels.size(); i++) {
                int x = gap + i * (pw + gap);
                g.drawImage(panels.get(i).image(), x, titleH, pw, ph, null);
                text(g, panels.get(i).title(), x, 16, Color.BLACK);
            }
            int ly = titleH + ph + gap;
            for (int k = 0; k < shown.size(); k++) {
                int label = shown.get(k);
                int x = gap + (k % legendCols) * 170;
                int y = ly + (k / legendCols) * 20;
                g.setColor(new Color(colors.color(label)));
                g.fillRect(x, y + 3, 14, 14);
                g.setColor(Color.GRAY);
                g.drawRect(x, y + 3, 14, 14);
                text(g, label + " " + (label == classes.ignoreLabel() ? "ignore" : classes.name(label)), x + 20, y + 15, Color.BLACK);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The image scaled to {@code w x h} (bilinear), for drawing pictures smaller than the image. */
    public static BufferedImage scale(BufferedImage image, int w, int h) {
        if (image.getWidth() == w && image.getHeight() == h) {
            return image;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The mask scaled to {@code w x h} by nearest-neighbour sampling of pixel centres (labels are never blended). */
    public static LabelMask scale(LabelMask mask, int w, int h) {
        if (mask.width() == w && mask.height() == h) {
            return mask;
        }
        int[] src = mask.labels();
        int[] out = new int[w * h];
        int[] col = new int[w];
        for (int x = 0; x < w; x++) {
            col[x] = Math.min(mask.width() - 1, (int) ((x + 0.5) * mask.width() / w));
        }
        for (int y = 0; y < h; y++) {
            int row = Math.min(mask.height() - 1, (int) ((y + 0.5) * mask.height() / h)) * mask.width();
            for (int x = 0; x < w; x++) {
                out[y * w + x] = src[row + col[x]];
            }
        }
        return new LabelMask(w, h, out);
    }

    /**
     * Writes an RGB PNG quickly: each row filtered with the PNG "Up" filter and deflated at the fastest level (the
     * JDK's writer tries every filter on every row, several times slower; of the single filters, "Up" deflated fastest
     * on side-by-side pictures, at about the size of "Sub" and "Paeth"). Lossless.
     */
    public static void writePng(BufferedImage image, OutputStream out) throws IOException {
        int w = image.getWidth();
        int h = image.getHeight();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream hd = new DataOutputStream(ihdr);
        hd.writeInt(w);
        hd.writeInt(h);
        hd.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, truecolour RGB, deflate, adaptive filtering, no interlace
        chunk(d, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            int[] px = Images.rgb(image);
            byte[] line = new byte[1 + 3 * w];
            line[0] = 2; // Up: each byte minus the same byte of the pixel above (0 above the first row)
            for (int y = 0; y < h; y++) {
                int o = y * w;
                for (int x = 0, i = 1; x < w; x++) {
                    int p = px[o + x];
                    int q = y == 0 ? 0 : px[o - w + x];
                    line[i++] = (byte) (((p >> 16) & 255) - ((q >> 16) & 255));
                    line[i++] = (byte) (((p >> 8) & 255) - ((q >> 8) & 255));
                    line[i++] = (byte) ((p & 255) - (q & 255));
                }
                z.write(line);
            }
        } finally {
            deflater.end();
        }
        chunk(d, "IDAT", idat.toByteArray());
        chunk(d, "IEND", new byte[0]);
        d.flush();
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static void text(Graphics2D g, String s, int x, int y, Color c) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics fm = g.getFontMetrics();
            if (fm == null) {
                return;
            }
            g.setColor(c);
            g.drawString(s, x, y);
        } catch (RuntimeException | InternalError e) {
            // a JVM without any font cannot draw text; the picture is still useful without it
        }
    }

    private static void checkSize(BufferedImage image, LabelMask mask) {
        if (image.getWidth() != mask.width() || image.getHeight() != mask.height()) {
            throw new IllegalArgumentException("image is " + image.getWidth() + "x" + image.getHeight() + " but mask is "
                    + mask.width() + "x" + mask.height());
        }
    }

    private static int blend(int p, int c, double alpha) {
        int a = (int) Math.round(alpha * 256);
        int ia = 256 - a;
        int r = (((p >> 16) & 255) * ia + ((c >> 16) & 255) * a + 128) >> 8;
        int g = (((p >> 8) & 255) * ia + ((c >> 8) & 255) * a + 128) >> 8;
        int b = ((p & 255) * ia + (c & 255) * a + 128) >> 8;
        return (r << 16) | (g << 8) | b;
    }

    private static BufferedImage fromPixels(int w, int h, int[] px) {
        return Images.wrapRgb(w, h, px);
    }
}
