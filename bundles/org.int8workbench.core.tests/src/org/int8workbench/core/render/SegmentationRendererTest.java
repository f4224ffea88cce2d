package org.int8workbench.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.junit.jupiter.api.Test;

/** Colour maps, overlays, difference maps and composites, checked at known pixels, without a display. */
class SegmentationRendererTest {

    private final SegmentationRenderer r = new SegmentationRenderer(ClassInfo.pascalVoc());

    @Test
    void vocColoursAndDistinctColours() {
        ColorMap m = ColorMap.of(ClassInfo.pascalVoc());
        assertEquals(0x000000, m.color(0));
        assertEquals(0x800000, m.color(1));
        assertEquals(0xC08080, m.color(15)); // person
        assertEquals(ColorMap.IGNORE_COLOR, m.color(255));
        List<Integer> d = ClassInfo.distinctColors(40);
        assertEquals(40, Set.copyOf(d).size(), "all distinct");
        ColorMap custom = ColorMap.of(new ClassInfo(List.of("a", "b"), List.of(0x112233, 0x445566), -1));
        assertEquals(0x445566, custom.color(1));
        assertEquals(d.get(5), custom.color(5), "beyond the metadata: the generated palette");
    }

    @Test
    void overlayBlendsTheClassColour() {
        BufferedImage img = solid(2, 1, 0xFFFFFF);
        LabelMask mask = new LabelMask(2, 1, new int[] {0, 1});
        BufferedImage o = r.overlay(img, mask, 0.5);
        assertEquals(0x808080, o.getRGB(0, 0) & 0xFFFFFF); // white half-way to black (rounded)
        assertEquals(0xC08080, o.getRGB(1, 0) & 0xFFFFFF); // white half-way to 0x800000
    }

    @Test
    void differenceDimsUnchangedColoursChangedAndOutlinesThem() {
        BufferedImage img = solid(5, 1, 0xFFFFFF);
        LabelMask parent = new LabelMask(5, 1, new int[] {0, 0, 0, 0, 0});
        LabelMask optimized = new LabelMask(5, 1, new int[] {0, 0, 15, 0, 0});
        BufferedImage d = r.difference(img, parent, optimized);
        int dim = (int) Math.round(255 * SegmentationRenderer.DIM);
        assertEquals((dim << 16) | (dim << 8) | dim, d.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(SegmentationRenderer.OUTLINE, d.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xC08080, d.getRGB(2, 0) & 0xFFFFFF);
        assertEquals(SegmentationRenderer.OUTLINE, d.getRGB(3, 0) & 0xFFFFFF);
        assertEquals((dim << 16) | (dim << 8) | dim, d.getRGB(4, 0) & 0xFFFFFF);
    }

    @Test
    void compositeHasAllPanelsAndALegendAndWritesAPng() throws Exception {
        BufferedImage img = solid(100, 50, 0x336699);
        LabelMask m = new LabelMask(100, 50, new int[5000]);
        BufferedImage p = r.overlay(img, m, 0.6);
        BufferedImage c = r.composite(List.of(new SegmentationRenderer.Panel("image", img), new SegmentationRenderer.Panel("mask", p),
                new SegmentationRenderer.Panel("diff", r.difference(img, m, m))), List.of(0, 15), 80);
        // 3 panels scaled to 80x40 with 6 px gaps; a title band of 22 px; a legend of one column (170 px), two rows of 20 px
        assertEquals(3 * (80 + 6) + 6, c.getWidth());
        assertEquals(22 + 40 + 6 + 2 * 20 + 6, c.getHeight());
        assertEquals(0x336699, c.getRGB(6 + 40, 22 + 20) & 0xFFFFFF, "first panel shows the image");
        assertEquals(0xC08080, c.getRGB(6 + 7, 22 + 40 + 6 + 20 + 10) & 0xFFFFFF, "legend swatch of class 15");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentationRenderer.writePng(c, bytes);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(c.getRGB(0, 0, c.getWidth(), c.getHeight(), null, 0, c.getWidth()),
                back.getRGB(0, 0, c.getWidth(), c.getHeight(), null, 0, c.getWidth()), "lossless");
    }

    @Test
    void pngWriterIsLosslessOnNoise() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int[] px = new int[37 * 29];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextInt(1 << 24);
        }
        BufferedImage img = org.int8workbench.core.dataset.Images.wrapRgb(37, 29, px);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentationRenderer.writePng(img, bytes);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(img.getRGB(0, 0, 37, 29, null, 0, 37), back.getRGB(0, 0, 37, 29, null, 0, 37));
    }

    @Test
    void masksScaleByNearestNeighbour() {
        LabelMask m = new LabelMask(4, 2, new int[] {1, 1, 2, 2, 3, 3, 4, 4});
        assertArrayEquals(new int[] {1, 2, 3, 4}, SegmentationRenderer.scale(m, 2, 2).labels());
    }

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
