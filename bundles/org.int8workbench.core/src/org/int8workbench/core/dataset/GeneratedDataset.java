package org.int8workbench.core.dataset;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code n} generated images of one size, the same for the same seed: uniform RGB noise, or patterns (a gradient
 * with rectangles, ellipses and stripes). No masks. For calibration and speed tests without data; every report
 * says its accuracy figures are not meaningful ({@link #synthetic()} is true).
 */
public final class GeneratedDataset implements SegmentationDataset {

    /** What the images look like. */
    public enum Kind {
        /** Independent uniform random RGB per pixel. */
        NOISE,
        /** A colour gradient with random filled rectangles, ellipses and stripes. */
        PATTERN;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("generated dataset kind must be noise or pattern, got '" + s + "'");
            }
        }
    }

    private final int width;
    private final int height;
    private final long seed;
    private final Kind kind;
    private final List<Sample> samples;

    GeneratedDataset(int n, int width, int height, long seed, Kind kind) {
        if (n <= 0) {
            throw new IllegalArgumentException("a generated dataset needs at least one image, got " + n);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("generated image size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.seed = seed;
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        List<Sample> s = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            s.add(new Sample(String.format(Locale.ROOT, "generated_%s_%04d", kind.name().toLowerCase(Locale.ROOT), i), null, null, i));
        }
        this.samples = List.copyOf(s);
    }

    public Kind kind() {
        return kind;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String description() {
        return "generated " + kind.name().toLowerCase(Locale.ROOT) + " images (" + samples.size() + ", " + width + "x" + height
                + ", seed " + seed + "; synthetic data, accuracy figures are not meaningful)";
    }

    @Override
    public boolean synthetic() {
        return true;
    }

    @Override
    public boolean hasMasks() {
        return false;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public BufferedImage readImage(Sample sample) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sample.index() * 0xBF58476D1CE4E5B9L + 1);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        if (kind == Kind.NOISE) {
            int[] px = new int[width * height];
            for (int i = 0; i < px.length; i++) {
                px[i] = r.nextInt(1 << 24);
            }
            img.setRGB(0, 0, width, height, px, 0, width);
            return img;
        }
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt(1 << 24)), width, height, new Color(r.nextInt(1 << 24))));
            g.fillRect(0, 0, width, height);
            int shapes = 3 + r.nextInt(6);
            for (int i = 0; i < shapes; i++) {
                g.setColor(new Color(r.nextInt(1 << 24)));
                int x = r.nextInt(width);
                int y = r.nextInt(height);
                int w = 1 + r.nextInt(Math.max(1, width / 2));
                int h = 1 + r.nextInt(Math.max(1, height / 2));
                switch (r.nextInt(3)) {
                    case 0 -> g.fillRect(x - w / 2, y - h / 2, w, h);
                    case 1 -> g.fillOval(x - w / 2, y - h / 2, w, h);
                    default -> {
                        int step = 4 + r.nextInt(12);
                        for (int sx = x - w / 2; sx < x + w / 2; sx += 2 * step) {
                            g.fillRect(sx, y - h / 2, step, h);
                        }
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    @Override
    public LabelMask readMask(Sample sample) throws IOException {
        throw new IOException("generated images have no masks (" + sample.id() + ")");
    }

    @Override
    public ClassInfo classes() {
        return new ClassInfo(List.of(), List.of(), -1);
    }
}
