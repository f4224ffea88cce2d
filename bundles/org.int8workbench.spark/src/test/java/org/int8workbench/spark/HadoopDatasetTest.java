package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.RemoteDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dataset given as a Hadoop-compatible URI ({@code file://} here, the Hadoop path taken as for {@code hdfs://} or
 * {@code s3a://}) is listed through Hadoop's file system API by the core's own rules, and evaluated on a real local
 * Spark ({@code local[2]}) with the tasks reading the images and masks as bytes through Hadoop: the report equals the
 * local evaluation of the same folder field by field, skipped items included; only the dataset's location is named by
 * its URI.
 */
class HadoopDatasetTest {

    static JavaSparkContext sc;
    static Path int8;
    /** 20 real VOC val pairs in the VOCdevkit layout, a damaged image, an image without its mask, a listed id without files. */
    static Path voc;

    @BeforeAll
    static void start() throws Exception {
        Path dir = TestData.scratch("hadoop-dataset");
        int8 = dir.resolve("deeplab.int8.onnx");
        new QuantizeOperation(TestData.deeplabModel()).calibration(TestData.calibrationPhotos()).subset(4)
                .preprocessing(SparkEvaluationTest.DEEPLAB).output(int8).overwrite(true).verify(false).run(new NullProgressMonitor());
        voc = dir.resolve("voc");
        Path root = voc.resolve("VOCdevkit/VOC2012");
        Path images = TestData.vocVal();
        for (String d : List.of("ImageSets/Segmentation", "JPEGImages", "SegmentationClass")) {
            Files.createDirectories(root.resolve(d));
        }
        List<String> ids = Files.readAllLines(images.resolve("ImageSets/Segmentation/val.txt")).subList(0, 20);
        for (String id : ids) {
            Files.copy(images.resolve("JPEGImages/" + id + ".jpg"), root.resolve("JPEGImages/" + id + ".jpg"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(images.resolve("SegmentationClass/" + id + ".png"), root.resolve("SegmentationClass/" + id + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(root.resolve("JPEGImages/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.copy(images.resolve("SegmentationClass/" + ids.get(0) + ".png"), root.resolve("SegmentationClass/broken.png"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(images.resolve("JPEGImages/" + ids.get(1) + ".jpg"), root.resolve("JPEGImages/nomask.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        List<String> list = new ArrayList<>(ids);
        list.add(3, "broken");
        list.add(7, "nomask");
        list.add(11, "missing");
        Files.write(root.resolve("ImageSets/Segmentation/val.txt"), list);

        sc = LocalSpark.start("HadoopDatasetTest");
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(sc);
    }

    @Test
    void aFileUriIsEvaluatedThroughHadoopAndGivesTheLocalReport() throws Exception {
        EvaluationRecipe local = EvaluationRecipe.of(int8, TestData.deeplabModel(), voc, null, SparkEvaluationTest.DEEPLAB, null, null, 0,
                false);
        String uri = voc.toUri().toString(); // file:///.../voc/
        assertTrue(uri.startsWith("file:///"), uri);
        EvaluationRecipe remote = EvaluationRecipe.of(int8, TestData.deeplabModel(), uri, null, SparkEvaluationTest.DEEPLAB, null, null,
                0, false);
        assertTrue(remote.remote());
        assertEquals(uri, remote.dataset());

        AccuracyReport expected = local.operation().run(new NullProgressMonitor());
        AccuracyReport actual = SparkEvaluator.evaluate(sc, remote, 3, null, false, new NullProgressMonitor());

        assertEquals(20, actual.images().size());
        assertEquals(List.of("nomask", "missing", "broken"), actual.skipped().stream().map(s -> s.id()).toList());
        assertTrue(actual.skipped().get(2).reason().contains("broken.jpg"), actual.skipped().get(2).reason());
        Path root = voc.resolve("VOCdevkit/VOC2012");
        // the dataset's location is the URI's (Hadoop writes file:/path); every file within it is named as locally
        assertEquals(root.toString(), expected.datasetRoot());
        assertEquals("file:" + root, actual.datasetRoot());
        assertEquals(expected.dataset().replace(" at " + root, " at file:" + root), actual.dataset());
        assertSameReport(expected, actual, Set.of("dataset", "datasetRoot"));
        assertEquals(expected.images().get(0).image(), actual.images().get(0).image());
    }

    @Test
    void theListingRulesThroughHadoopAreTheLocalOnes() throws Exception {
        // images/ and masks/ paired by base name, with a non-image file, a note, an image without a mask and a mask
        // without an image
        Path folder = TestData.scratch("hadoop-dataset").resolve("folder");
        Path real = TestData.vocVal();
        List<String> ids = Files.readAllLines(real.resolve("ImageSets/Segmentation/val.txt")).subList(0, 4);
        Files.createDirectories(folder.resolve("images"));
        Files.createDirectories(folder.resolve("masks"));
        for (String id : ids) {
            Files.copy(real.resolve("JPEGImages/" + id + ".jpg"), folder.resolve("images/" + id + ".jpg"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(real.resolve("SegmentationClass/" + id + ".png"), folder.resolve("masks/" + id + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.delete(folder.resolve("masks/" + ids.get(2) + ".png"));
        Files.copy(real.resolve("SegmentationClass/" + ids.get(0) + ".png"), folder.resolve("masks/orphan.png"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(folder.resolve("images/notes.txt"), "not data");
        Files.writeString(folder.resolve("images/scan.tiff"), "not read");

        for (Path dir : List.of(folder, voc, voc.resolve("VOCdevkit"))) {
            SegmentationDataset expected = Datasets.open(dir, null);
            HadoopFiles files = HadoopFiles.open(dir.toUri().toString(), new Configuration());
            SegmentationDataset actual = Datasets.open(files, files.root(), null);
            assertTrue(expected instanceof FileDataset, expected.getClass().getName());
            assertTrue(actual instanceof RemoteDataset, actual.getClass().getName());
            assertEquals(expected.samples(), actual.samples(), dir.toString());
            assertEquals(expected.skipped(), actual.skipped(), dir.toString());
            assertEquals(expected.classes(), actual.classes());
            assertEquals(expected.hasMasks(), actual.hasMasks());
            assertEquals(((FileDataset) expected).layout(), ((RemoteDataset) actual).layout());
            assertEquals(((FileDataset) expected).maskEncoding(), ((RemoteDataset) actual).maskEncoding());
            Path root = ((FileDataset) expected).root();
            assertEquals(expected.description().replace(" at " + root, " at file:" + root), actual.description());
            // an item read as bytes through Hadoop decodes to the same pixels and labels as the file
            var s = expected.samples().get(0);
            assertEquals(java.util.Arrays.toString(org.int8workbench.core.dataset.Images.rgb(expected.readImage(s))),
                    java.util.Arrays.toString(org.int8workbench.core.dataset.Images.rgb(actual.readImage(s))));
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.readMask(s).labels(), actual.readMask(s).labels());
        }
        assertEquals(3, Datasets.open(folder, null).samples().size());
        assertEquals(List.of("scan", ids.get(2), "orphan"), Datasets.open(folder, null).skipped().stream().map(s -> s.id()).toList());
    }

    @Test
    void aUriHasASchemeOfTwoOrMoreCharactersAndASlash() {
        for (String uri : List.of("hdfs://nn:8020/data/voc", "s3a://bucket/voc", "file:///data/voc", "file:/data/voc", "abfss://c@a.dfs.core.windows.net/v")) {
            assertTrue(Datasets.isUri(uri), uri);
        }
        for (String path : List.of("/data/voc", "data/voc", "voc", "C:/data/voc", "voc:2012", "")) {
            assertTrue(!Datasets.isUri(path), path);
        }
    }

    /** Every field of the two reports is equal, apart from timing, provenance and {@code also}. */
    static void assertSameReport(AccuracyReport expected, AccuracyReport actual, Set<String> also) throws Exception {
        for (RecordComponent c : AccuracyReport.class.getRecordComponents()) {
            if (SparkEvaluationTest.RUN_FIELDS.contains(c.getName()) || also.contains(c.getName())) {
                continue;
            }
            Object e = c.getAccessor().invoke(expected);
            Object a = c.getAccessor().invoke(actual);
            if (c.getName().equals("outputs")) {
                List<?> eo = (List<?>) e;
                List<?> ao = (List<?>) a;
                assertEquals(eo.size(), ao.size(), "outputs");
                for (int i = 0; i < eo.size(); i++) {
                    assertSameReport((AccuracyReport) eo.get(i), (AccuracyReport) ao.get(i), also);
                }
                continue;
            }
            assertEquals(e, a, c.getName());
        }
        assertEquals(expected.timing().images(), actual.timing().images());
    }
}
