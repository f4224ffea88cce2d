package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/** The fast pixel access of {@link Images} gives exactly what {@code getRGB}/{@code setRGB} give. */
class ImagesTest {

    /** A PNG whose header claims {@code w x h} pixels, with no pixel data (a few dozen bytes). */
    static byte[] pngHeaderOnly(int w, int h) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        d.writeInt(13);
        d.write(ihdr.array());
        d.writeInt((int) crc.getValue());
        d.writeInt(0);
        d.write("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.reset();
        crc.update("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        d.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeAnyPixelIsDecoded() throws Exception {
        Path dir = Files.createTempDirectory("images-test");
        Path huge = dir.resolve("huge.png");
        Files.write(huge, pngHeaderOnly(45000, 45000));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Images.readRgb(huge));
        assertTrue(e.getMessage().contains("45000x45000 pixels (2025 megapixels), above the limit of 100 megapixels"), e.getMessage());
        // and as a dataset item it is skipped with that reason, the others are read
        Path images = Files.createDirectories(dir.resolve("photos"));
        Files.write(images.resolve("huge.png"), pngHeaderOnly(45000, 45000));
        ImageIO.write(new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB), "png", images.resolve("ok.png").toFile());
        SegmentationDataset ds = Datasets.open(images, null);
        int read = 0;
        List<String> reasons = new java.util.ArrayList<>();
        for (Sample sample : ds.samples()) {
            try {
                ds.readImage(sample);
                read++;
            } catch (java.io.IOException skipped) {
                reasons.add(skipped.getMessage());
            }
        }
        assertEquals(1, read);
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains("megapixels"), reasons.get(0));
    }

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

    @Test
    void embeddedColourProfilesAreIgnoredAsPilIgnoresThem() throws Exception {
        // 2008_001404 embeds an ICC profile, and ImageIO's colour management of it changes the image's pixels
        Path withProfile = TestData.vocVal().resolve("JPEGImages/2008_001404.jpg");
        byte[] bytes = Files.readAllBytes(withProfile);
        byte[] stripped = Images.withoutIccProfile(bytes);
        assertTrue(contains(bytes, "ICC_PROFILE"));
        assertFalse(contains(stripped, "ICC_PROFILE"));
        assertTrue(stripped.length < bytes.length);
        assertSame(stripped, Images.withoutIccProfile(stripped), "nothing left to remove");
        // the image data itself is untouched: the same pixels as ImageIO gives for the stripped file
        BufferedImage decoded = Images.readRgb(withProfile);
        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(stripped));
        assertEquals(plain.getWidth(), decoded.getWidth());
        for (int y = 0; y < plain.getHeight(); y += 7) {
            for (int x = 0; x < plain.getWidth(); x += 7) {
                assertEquals(plain.getRGB(x, y), decoded.getRGB(x, y));
            }
        }
        // not a JPEG, or segments that do not parse: left as they are for the decoder to judge
        byte[] png = Files.readAllBytes(TestData.vocVal().resolve("SegmentationClass/2008_001404.png"));
        assertSame(png, Images.withoutIccProfile(png));
        byte[] broken = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, 0x7F, 0x7F, 1, 2};
        assertSame(broken, Images.withoutIccProfile(broken));
    }

    private static boolean contains(byte[] data, String ascii) {
        byte[] needle = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
