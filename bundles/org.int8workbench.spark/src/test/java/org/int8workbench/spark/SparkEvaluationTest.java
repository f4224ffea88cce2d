package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluation on a real local Spark ({@code local[2]}: a driver and two task slots in this JVM) of an INT8
 * DeepLabV3 against its FP32 parent on the 102 real VOC val images gives the local evaluation's report, field by
 * field, whatever the partitioning.
 */
class SparkEvaluationTest {

    static final Preprocessing DEEPLAB = Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW);
    /** What may differ between two runs of one evaluation: when and how fast it ran. */
    static final Set<String> RUN_FIELDS = Set.of("timing", "provenance");

    static JavaSparkContext sc;
    static Path int8;

    @BeforeAll
    static void start() throws Exception {
        Path fp32 = TestData.deeplabModel();
        Path dir = TestData.scratch("spark-evaluation");
        int8 = dir.resolve("deeplab.int8.onnx");
        new QuantizeOperation(fp32).calibration(TestData.calibrationPhotos()).subset(16).preprocessing(DEEPLAB).output(int8)
                .overwrite(true).verify(false).run(new NullProgressMonitor());
        sc = LocalSpark.start("SparkEvaluationTest");
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(sc);
    }

    @Test
    void reportEqualsTheLocalEvaluationFieldByFieldWhateverThePartitioning() throws Exception {
        EvaluationRecipe recipe = EvaluationRecipe.of(int8, TestData.deeplabModel(), TestData.vocVal(), "val", DEEPLAB, null, null, 0,
                false);
        AccuracyReport local = recipe.operation().run(new NullProgressMonitor());
        assertEquals(102, local.images().size());
        assertNotNull(local.agreement());
        assertTrue(local.agreement().pixelAgreement() < 1.0, "INT8 and FP32 differ somewhere: " + local.agreement().pixelAgreement());

        int opened = ExecutorEvaluations.OPENED.get();
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 0, null, false, new NullProgressMonitor());
        assertSameReport(local, spark);
        assertEquals(2, spark.timing().concurrentRuns(), "local[2]: two task slots");

        Path reportDir = TestData.scratch("spark-evaluation").resolve("report-7");
        AccuracyReport seven = SparkEvaluator.evaluate(sc, recipe, 7, reportDir, true, new NullProgressMonitor());
        assertSameReport(local, seven);
        AccuracyReport written = Json.read(reportDir.resolve("report.json"), AccuracyReport.class);
        assertEquals(local.groundTruth().meanIoU(), written.groundTruth().meanIoU());
        assertTrue(Files.isRegularFile(reportDir.resolve("report.html")));

        // the executors (this JVM, in local mode) opened the models once for both jobs and all their tasks
        assertEquals(opened + 1, ExecutorEvaluations.OPENED.get());
    }

    @Test
    void aLimitAndOneTaskPerItemGiveTheLocalReportToo() throws Exception {
        EvaluationRecipe recipe = EvaluationRecipe.of(int8, TestData.deeplabModel(), TestData.vocVal(), "val", DEEPLAB, null, null, 9,
                false);
        AccuracyReport local = recipe.operation().run(new NullProgressMonitor());
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 9, null, false, new NullProgressMonitor());
        assertEquals(9, spark.images().size());
        assertSameReport(local, spark);
    }

    @Test
    void unreadableItemsAreSkippedAndListedAsInTheLocalReport() throws Exception {
        Path voc = TestData.scratch("spark-evaluation").resolve("broken-voc");
        Path real = TestData.vocVal();
        List<String> ids = Files.readAllLines(real.resolve("ImageSets/Segmentation/val.txt")).subList(0, 3);
        for (String d : List.of("ImageSets/Segmentation", "JPEGImages", "SegmentationClass")) {
            Files.createDirectories(voc.resolve(d));
        }
        for (String id : ids) {
            Files.copy(real.resolve("JPEGImages/" + id + ".jpg"), voc.resolve("JPEGImages/" + id + ".jpg"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(real.resolve("SegmentationClass/" + id + ".png"), voc.resolve("SegmentationClass/" + id + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(voc.resolve("JPEGImages/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.copy(real.resolve("SegmentationClass/" + ids.get(0) + ".png"), voc.resolve("SegmentationClass/broken.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(voc.resolve("ImageSets/Segmentation/val.txt"), List.of(ids.get(0), "broken", "missing", ids.get(1), ids.get(2)));

        EvaluationRecipe recipe = EvaluationRecipe.of(int8, TestData.deeplabModel(), voc, null, DEEPLAB, null, null, 0, false);
        AccuracyReport local = recipe.operation().run(new NullProgressMonitor());
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 3, null, false, new NullProgressMonitor());
        assertEquals(3, spark.images().size());
        assertEquals(List.of("missing", "broken"), spark.skipped().stream().map(s -> s.id()).toList());
        assertTrue(spark.skipped().get(1).reason().contains("broken.jpg"), spark.skipped().get(1).reason());
        assertSameReport(local, spark);
    }

    /** Every field of the two reports is equal, apart from the {@link #RUN_FIELDS}; the images counted are too. */
    static void assertSameReport(AccuracyReport expected, AccuracyReport actual) throws Exception {
        for (RecordComponent c : AccuracyReport.class.getRecordComponents()) {
            if (RUN_FIELDS.contains(c.getName())) {
                continue;
            }
            Object e = c.getAccessor().invoke(expected);
            Object a = c.getAccessor().invoke(actual);
            if (c.getName().equals("outputs")) {
                List<?> eo = (List<?>) e;
                List<?> ao = (List<?>) a;
                assertEquals(eo.size(), ao.size(), "outputs");
                for (int i = 0; i < eo.size(); i++) {
                    assertSameReport((AccuracyReport) eo.get(i), (AccuracyReport) ao.get(i));
                }
                continue;
            }
            assertEquals(e, a, c.getName());
        }
        assertEquals(expected.timing().images(), actual.timing().images());
    }
}
