package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset readers on the real data and on small hand-made datasets with every kind of bad item. */
class DatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheRealVocValSplitWithPaletteIndices() throws IOException {
        SegmentationDataset ds = Datasets.open(TestData.vocVal(), "val");
        assertEquals(102, ds.samples().size());
        assertTrue(ds.hasMasks());
        assertFalse(ds.synthetic());
        assertTrue(ds.skipped().isEmpty(), () -> ds.skipped().toString());
        assertEquals(21, ds.classes().count());
        assertEquals(255, ds.classes().ignoreLabel());
        assertTrue(ds.description().startsWith("Pascal VOC (val, 102 images"), ds.description());
        Set<Integer> seen = new HashSet<>();
        for (Sample s : ds.samples().subList(0, 5)) {
            BufferedImage img = ds.readImage(s);
            LabelMask m = ds.readMask(s);
            Datasets.checkPair(s, img, m);
            for (int l : m.labels()) {
                assertTrue(l <= 20 || l == 255, "label " + l);
                seen.add(l);
            }
        }
        assertTrue(seen.contains(0) && seen.contains(255) && seen.stream().anyMatch(l -> l > 0 && l < 255),
                "palette indices (not colours) were read: " + seen);
    }

    @Test
    void readsTheCalibrationFolderAsUnannotatedImages() throws IOException {
        SegmentationDataset ds = Datasets.open(TestData.calibrationPhotos());
        assertEquals(147, ds.samples().size());
        assertFalse(ds.hasMasks());
        assertTrue(ds.skipped().isEmpty(), "SOURCES.txt is a note, not an item: " + ds.skipped());
        assertEquals(FileDataset.Layout.IMAGE_FOLDER, ((FileDataset) ds).layout());
        BufferedImage img = ds.readImage(ds.samples().get(0));
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
    }

    @Test
    void readsTheVainfSamplesAsVocImagesAndMasks() throws IOException {
        SegmentationDataset ds = Datasets.open(TestData.sharedData().resolve("voc2012-val-vainf-samples"));
        assertEquals(14, ds.samples().size());
        assertTrue(ds.hasMasks());
        assertEquals(ClassInfo.pascalVoc(), ds.classes());
        LabelMask m = ds.readMask(ds.samples().get(0));
        assertEquals(513, m.width());
    }

    @Test
    void findsVocInsideVocdevkitAndItsParent() throws IOException {
        Path voc = tinyVoc(tmp.resolve("VOCdevkit/VOC2012"), List.of("a", "b"));
        for (Path p : List.of(tmp, tmp.resolve("VOCdevkit"), voc)) {
            SegmentationDataset ds = Datasets.open(p, "val");
            assertEquals(2, ds.samples().size(), p.toString());
            assertEquals(voc.toAbsolutePath(), ((FileDataset) ds).root());
        }
        IOException e = assertThrows(IOException.class, () -> Datasets.open(voc, "test"));
        assertTrue(e.getMessage().contains("available: val"), e.getMessage());
    }

    @Test
    void paletteMasksAreReadAsIndicesNotColours() throws IOException {
        // palette where index 1 is pure red and index 2 is green: the mask must hold 1 and 2, not colours
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        r[1] = (byte) 255;
        g[2] = (byte) 255;
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        img.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {0, 1, 2, 1, 2, 2, 0, 0});
        Path f = tmp.resolve("m.png");
        ImageIO.write(img, "png", f.toFile());
        LabelMask m = Images.readMask(f, ClassInfo.generic(3), MaskEncoding.AUTO);
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 2, 0, 0}, m.labels());
    }

    @Test
    void colourEncodedMasksAreMappedThroughTheMetadata() throws IOException {
        Path root = tmp.resolve("street");
        writeRgb(root.resolve("images/x.png"), 3, 1, 0x101010);
        BufferedImage mask = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        mask.setRGB(0, 0, 3, 1, new int[] {0x804080, 0x00008E, 0xFFFFFF}, 0, 3);
        Files.createDirectories(root.resolve("masks"));
        ImageIO.write(mask, "png", root.resolve("masks/x.png").toFile());
        Files.writeString(root.resolve(Datasets.METADATA_FILE), """
                {"name": "Street", "classes": ["road", "car"], "colors": ["#804080", "#00008E"], "ignoreLabel": 255,
                 "maskEncoding": "color"}
                """);
        // white is not a class colour: a clear error naming the file and the colour
        SegmentationDataset ds = Datasets.open(root);
        IOException e = assertThrows(IOException.class, () -> ds.readMask(ds.samples().get(0)));
        assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("#FFFFFF"), e.getMessage());
        mask.setRGB(2, 0, 0xE0E0C0); // the ignore colour
        ImageIO.write(mask, "png", root.resolve("masks/x.png").toFile());
        assertArrayEquals(new int[] {0, 1, 255}, Datasets.open(root).readMask(ds.samples().get(0)).labels());
        assertTrue(ds.description().startsWith("Street: image folder with masks"), ds.description());
    }

    @Test
    void masksWithoutKnownClassesNeedTheMetadataFile() throws IOException {
        Path root = tmp.resolve("plain");
        writeRgb(root.resolve("images/x.png"), 2, 2, 0);
        writeGrey(root.resolve("masks/x.png"), 2, 2, new int[] {0, 1, 1, 0});
        IOException e = assertThrows(IOException.class, () -> Datasets.open(root));
        assertTrue(e.getMessage().contains(Datasets.METADATA_FILE), e.getMessage());
        Files.writeString(root.resolve(Datasets.METADATA_FILE), "{\"classes\": [\"bg\", \"thing\"]}");
        SegmentationDataset ds = Datasets.open(root);
        assertArrayEquals(new int[] {0, 1, 1, 0}, ds.readMask(ds.samples().get(0)).labels());
    }

    @Test
    void generatedDatasetIsDeterministicAndSaysItIsSynthetic() throws IOException {
        for (GeneratedDataset.Kind kind : GeneratedDataset.Kind.values()) {
            SegmentationDataset a = Datasets.generated(3, 40, 30, 7, kind);
            SegmentationDataset b = Datasets.generated(3, 40, 30, 7, kind);
            SegmentationDataset c = Datasets.generated(3, 40, 30, 8, kind);
            assertTrue(a.synthetic());
            assertFalse(a.hasMasks());
            assertTrue(a.description().contains("synthetic") && a.description().contains("not meaningful"));
            int[] pa = pixels(a.readImage(a.samples().get(2)));
            assertArrayEquals(pa, pixels(b.readImage(b.samples().get(2))), kind.name());
            assertFalse(Arrays.equals(pa, pixels(c.readImage(c.samples().get(2)))), kind.name());
            assertFalse(Arrays.equals(pa, pixels(a.readImage(a.samples().get(1)))), kind.name());
            assertEquals(40, a.readImage(a.samples().get(0)).getWidth());
        }
    }

    // ---- bad data: one test per case

    @Test
    void missingImageForAListEntryIsSkippedAndNamed() throws IOException {
        Path voc = tinyVoc(tmp.resolve("VOC2012"), List.of("a", "b", "c"));
        Files.delete(voc.resolve("JPEGImages/b.jpg"));
        SegmentationDataset ds = Datasets.open(voc);
        assertEquals(List.of("a", "c"), ds.samples().stream().map(Sample::id).toList());
        assertEquals(1, ds.skipped().size());
        SkippedItem s = ds.skipped().get(0);
        assertEquals("b", s.id());
        assertTrue(s.file().endsWith("b.jpg") && s.reason().contains("no image JPEGImages/b.jpg")
                && s.reason().contains("add the image or remove the entry"), s.toString());
    }

    @Test
    void listEntriesEscapingTheRootAreSkipped() throws IOException {
        Path voc = tinyVoc(tmp.resolve("VOC2012"), List.of("a"));
        writeRgb(tmp.resolve("secret.jpg"), 4, 4, 0);
        Files.writeString(voc.resolve("ImageSets/Segmentation/val.txt"), "a\n../../secret\n/etc/passwd\n");
        SegmentationDataset ds = Datasets.open(voc);
        assertEquals(1, ds.samples().size());
        assertEquals(2, ds.skipped().size());
        assertTrue(ds.skipped().stream().allMatch(s -> s.reason().contains("outside the dataset folder")), ds.skipped().toString());
    }

    @Test
    void maskSizeUnlikeImageIsAnError() throws IOException {
        Path voc = tinyVoc(tmp.resolve("VOC2012"), List.of("a"));
        writeGrey(voc.resolve("SegmentationClass/a.png"), 3, 3, new int[9]);
        SegmentationDataset ds = Datasets.open(voc);
        Sample s = ds.samples().get(0);
        IOException e = assertThrows(IOException.class, () -> Datasets.checkPair(s, ds.readImage(s), ds.readMask(s)));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("3x3") && e.getMessage().contains("8x6"), e.getMessage());
    }

    @Test
    void maskValuesOutsideTheLabelSetAreAnError() throws IOException {
        Path voc = tinyVoc(tmp.resolve("VOC2012"), List.of("a"));
        int[] labels = new int[48];
        labels[13] = 37;
        writeGrey(voc.resolve("SegmentationClass/a.png"), 8, 6, labels);
        SegmentationDataset ds = Datasets.open(voc);
        IOException e = assertThrows(IOException.class, () -> ds.readMask(ds.samples().get(0)));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("label 37 at (5,1)")
                && e.getMessage().contains("outside the label set 0..20 (ignore 255)"), e.getMessage());
    }

    @Test
    void corruptAndNonImageFilesAreNamed() throws IOException {
        Path dir = tmp.resolve("photos");
        writeRgb(dir.resolve("good.jpg"), 16, 16, 0x336699);
        Files.write(dir.resolve("garbage.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] jpeg = Files.readAllBytes(dir.resolve("good.jpg"));
        Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.writeString(dir.resolve("model.bin"), "not an image");
        Files.writeString(dir.resolve("README.txt"), "notes are ignored");
        SegmentationDataset ds = Datasets.open(dir);
        assertEquals(List.of("garbage", "good", "truncated"), ds.samples().stream().map(Sample::id).toList());
        assertEquals(1, ds.skipped().size());
        assertTrue(ds.skipped().get(0).file().endsWith("model.bin") && ds.skipped().get(0).reason().contains("not an image file type"));
        IOException garbage = assertThrows(IOException.class, () -> ds.readImage(ds.samples().get(0)));
        assertTrue(garbage.getMessage().contains("garbage.jpg") && garbage.getMessage().contains("remove it"), garbage.getMessage());
        IOException truncated = assertThrows(IOException.class, () -> ds.readImage(ds.samples().get(2)));
        assertTrue(truncated.getMessage().contains("truncated.jpg") && truncated.getMessage().contains("replace or remove"),
                truncated.getMessage());
        assertEquals(16, ds.readImage(ds.samples().get(1)).getWidth());
    }

    @Test
    void emptyDatasetsAreAnError() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> Datasets.open(empty));
        assertTrue(e.getMessage().contains("no images in " + empty.toAbsolutePath()), e.getMessage());
        Path voc = tinyVoc(tmp.resolve("VOC2012"), List.of());
        IOException e2 = assertThrows(IOException.class, () -> Datasets.open(voc));
        assertTrue(e2.getMessage().contains("no usable images"), e2.getMessage());
        assertThrows(IOException.class, () -> Datasets.open(tmp.resolve("does-not-exist")));
        assertThrows(IllegalArgumentException.class, () -> Datasets.generated(0, 10, 10, 1, GeneratedDataset.Kind.NOISE));
    }

    @Test
    void imagesWithoutMasksAndMasksWithoutImagesAreRecorded() throws IOException {
        Path root = tmp.resolve("pairs");
        Files.writeString(Files.createDirectories(root).resolve(Datasets.METADATA_FILE), "{\"preset\": \"pascal-voc\"}");
        writeRgb(root.resolve("images/a.png"), 2, 2, 0);
        writeRgb(root.resolve("images/b.png"), 2, 2, 0);
        writeGrey(root.resolve("masks/a.png"), 2, 2, new int[4]);
        writeGrey(root.resolve("masks/z.png"), 2, 2, new int[4]);
        SegmentationDataset ds = Datasets.open(root);
        assertEquals(1, ds.samples().size());
        assertEquals(List.of("b", "z"), ds.skipped().stream().map(SkippedItem::id).toList());
        assertTrue(ds.skipped().get(0).reason().contains("no mask"));
        assertTrue(ds.skipped().get(1).reason().contains("mask without an image"));
    }

    /** A VOC folder with 8x6 images and all-zero masks for the ids. */
    static Path tinyVoc(Path root, List<String> ids) throws IOException {
        Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("SegmentationClass"));
        Files.write(root.resolve("ImageSets/Segmentation/val.txt"), ids);
        for (String id : ids) {
            writeRgb(root.resolve("JPEGImages/" + id + ".jpg"), 8, 6, 0x808080);
            writeGrey(root.resolve("SegmentationClass/" + id + ".png"), 8, 6, new int[48]);
        }
        return root;
    }

    static void writeRgb(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb + x * 8);
            }
        }
        String fn = file.getFileName().toString();
        ImageIO.write(img, fn.endsWith(".png") ? "png" : "jpg", file.toFile());
    }

    static void writeGrey(Path file, int w, int h, int[] labels) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, labels);
        ImageIO.write(img, "png", file.toFile());
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
