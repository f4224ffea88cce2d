package org.int8workbench.core.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.labels.ValueMap;

/**
 * Pictures of per-pixel values (regression outputs): value maps and the error heat map {@code |optimized - parent|},
 * both on a perceptual colour scale (viridis: dark blue for low, through teal and green, to yellow for high; its
 * lightness grows evenly, so equal steps of the value look like equal steps of colour, also in grey print), with a
 * legend bar that gives the scale's values. Headless.
 */
public final class ErrorHeatMap {

    /** Viridis at 0, 1/8, ..., 1 (sRGB), interpolated linearly between. */
    private static final int[] SCALE = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725};

    private ErrorHeatMap() {
    }

    /** The colour (0xRRGGBB) of {@code t} in [0, 1] on the scale; values outside are clamped, NaN is grey. */
    public static int color(double t) {
        if (Double.isNaN(t)) {
            return 0x808080;
        }
        double x = Math.max(0, Math.min(1, t)) * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) x);
        double f = x - i;
        int a = SCALE[i];
        int b = SCALE[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (g << 8) | bl;
    }

    /** The values coloured from {@code min} (scale start) to {@code max} (scale end). */
    public static BufferedImage values(ValueMap v, double min, double max) {
        double span = max > min ? max - min : 1;
        float[] src = v.values();
        int[] px = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            px[i] = color((src[i] - min) / span);
        }
        return rgb(v.width(), v.height(), px);
    }

    /**
     * The heat map of {@code |model - parent|} per pixel, coloured from 0 (scale start) to {@code max} (scale end; larger
     * errors take the end colour).
     *
     * @throws IllegalArgumentException when the maps differ in size
     */
    public static BufferedImage errors(ValueMap model, ValueMap parent, double max) {
        if (model.width() != parent.width() || model.height() != parent.height()) {
            throw new IllegalArgumentException("value maps differ in size: " + model.width() + "x" + model.height() + " and "
                    + parent.width() + "x" + parent.height());
        }
        float[] a = model.values();
        float[] b = parent.values();
        double m = max > 0 ? max : 1;
        int[] px = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            px[i] = color(Math.abs(a[i] - b[i]) / m);
        }
        return rgb(model.width(), model.height(), px);
    }

    /** The largest {@code |model - parent|} of two maps of one size. */
    public static double maxError(ValueMap model, ValueMap parent) {
        float[] a = model.values();
        float[] b = parent.values();
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * Panels side by side (as {@link SegmentationRenderer#composite}, without a class legend) with a legend bar below:
     * the scale from {@code min} to {@code max} and its {@code title}; {@code mark}, when within the scale, is ticked
     * on it (e.g. the tolerance).
     */
    public static BufferedImage composite(List<SegmentationRenderer.Panel> panels, int maxPanelWidth, String title, double min,
            double max, Double mark) {
        BufferedImage top = new SegmentationRenderer(new ClassInfo(List.of(), List.of(), -1)).composite(panels, List.of(), maxPanelWidth);
        int w = top.getWidth();
        int h = top.getHeight() + 44;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(top, 0, 0, null);
            int x0 = 6;
            int bw = Math.max(60, Math.min(w - 12, 360));
            int y0 = top.getHeight();
            for (int x = 0; x < bw; x++) {
                g.setColor(new Color(color((double) x / (bw - 1))));
                g.drawLine(x0 + x, y0, x0 + x, y0 + 12);
            }
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, bw, 12);
            if (mark != null && max > min && mark >= min && mark <= max) {
                int mx = x0 + (int) Math.round((mark - min) / (max - min) * (bw - 1));
                g.setColor(Color.RED);
                g.drawLine(mx, y0 - 3, mx, y0 + 15);
            }
            text(g, fmt(min), x0, y0 + 28);
            String hi = fmt(max);
            text(g, hi, x0 + bw - 7 * hi.length(), y0 + 28);
            text(g, title, x0 + bw + 12, y0 + 12);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static void text(Graphics2D g, String s, int x, int y) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawString(s, x, y);
        } catch (RuntimeException | InternalError e) {
            // a JVM without fonts draws no text; the picture is still useful
        }
    }

    private static BufferedImage rgb(int w, int h, int[] px) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }
}
