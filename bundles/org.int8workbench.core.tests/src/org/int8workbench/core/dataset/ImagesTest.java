package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.int8workbench.core.TestData;
import org.junit.jupiter.api.Test;

/** The fast pixel access of {@link Images} gives exactly what {@code getRGB}/{@code setRGB} give. */
class ImagesTest {

    @Test
    void rgbEqualsGetRgbForEveryKindOfImage() {
        SplittableRandom r = new SplittableRandom(7);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB_PRE}) {
            BufferedImage img = new BufferedImage(37, 23, type);
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    img.setRGB(x, y, r.nextInt());
                }
            }
            assertArrayEquals(img.getRGB(0, 0, 37, 23, null, 0, 37), Images.rgb(img), "type " + type);
            // a sub-image shares the raster at an offset: must not be read as if it started at 0
            BufferedImage sub = img.getSubimage(5, 3, 20, 11);
            assertArrayEquals(sub.getRGB(0, 0, 20, 11, null, 0, 20), Images.rgb(sub), "sub-image of type " + type);
        }
    }

    @Test
    void wrapRgbIsAnIntRgbImageSharingItsPixels() {
        int[] px = new int[6 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 0x0A0B0C) & 0xFFFFFF;
        }
        BufferedImage img = Images.wrapRgb(6, 4, px);
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] | 0xFF000000, img.getRGB(i % 6, i / 6));
        }
        px[5] = 0x123456;
        assertEquals(0xFF123456, img.getRGB(5, 0), "no copy: the image shows the array");
        assertArrayEquals(img.getRGB(0, 0, 6, 4, null, 0, 6), Images.rgb(img));
    }

    @Test
    void decodedPhotosReadTheSameEitherWay() throws Exception {
        try (Stream<Path> s = Files.list(TestData.vocVal().resolve("JPEGImages"))) {
            List<Path> files = s.sorted().limit(5).toList();
            for (Path f : files) {
                BufferedImage img = Images.readRgb(f);
                assertArrayEquals(img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()), Images.rgb(img), f.toString());
            }
        }
    }
}
