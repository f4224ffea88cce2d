package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --spark ... --report DIR} on a real local Spark ({@code local[2]}) writes the report folder the local
 * run writes, file by file: the same file names, the same pictures and label maps pixel for pixel (drawn on the
 * executors, written by the driver), the same CSV files and the same report; for label outputs (the real DeepLabV3 on
 * real VOC val images, with an unreadable item and an id whose file names carry the row number) and for multi-label
 * and regression outputs (tiny 1x1-convolution graphs on real VOC val images).
 */
class SparkReportFilesTest {

    static JavaSparkContext sc;
    static Path dir;

    @BeforeAll
    static void start() {
        dir = TestData.scratch("spark-report-files");
        sc = LocalSpark.start("SparkReportFilesTest");
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(sc);
    }

    @Test
    void picturesAndLabelMapsAreTheLocalRunsFileByFile() throws Exception {
        // ten real val pairs, an unreadable image second, and an id with a character unsafe in file names third: its
        // files are named after its report row (1: the unreadable item has none), which only the driver knows
        Path voc = dir.resolve("voc");
        Path real = TestData.vocVal();
        List<String> ids = Files.readAllLines(real.resolve("ImageSets/Segmentation/val.txt")).subList(0, 10);
        for (String d : List.of("ImageSets/Segmentation", "JPEGImages", "SegmentationClass")) {
            Files.createDirectories(voc.resolve(d));
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = i == 1 ? "x+" + ids.get(i) : ids.get(i);
            Files.copy(real.resolve("JPEGImages/" + ids.get(i) + ".jpg"), voc.resolve("JPEGImages/" + id + ".jpg"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(real.resolve("SegmentationClass/" + ids.get(i) + ".png"), voc.resolve("SegmentationClass/" + id + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
            list.add(id);
        }
        Files.write(voc.resolve("JPEGImages/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.copy(real.resolve("SegmentationClass/" + ids.get(0) + ".png"), voc.resolve("SegmentationClass/broken.png"),
                StandardCopyOption.REPLACE_EXISTING);
        list.add(1, "broken");
        Files.write(voc.resolve("ImageSets/Segmentation/val.txt"), list);

        EvaluationRecipe recipe = EvaluationRecipe.of(TestData.deeplabModel(), null, voc, null, SparkEvaluationTest.DEEPLAB, null,
                null, 0, false).withImages(true, true);
        long t0 = System.nanoTime();
        AccuracyReport local = recipe.operation().reportDir(dir.resolve("label-local")).overwrite(true).run(new NullProgressMonitor());
        long t1 = System.nanoTime();
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 4, dir.resolve("label-spark"), true, new NullProgressMonitor());
        System.out.printf("SparkReportFilesTest: 11 items with pictures and label maps, local %.1f s, local[2] %.1f s%n",
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);

        assertEquals(10, spark.images().size());
        assertEquals(List.of("broken"), spark.skipped().stream().map(s -> s.id()).toList());
        assertEquals("images/1_x_" + ids.get(1) + ".png", spark.images().get(1).composite());
        assertTrue(Files.isRegularFile(dir.resolve("label-spark/labels/1_x_" + ids.get(1) + ".png")));
        SparkEvaluationTest.assertSameReport(local, spark);
        assertSameFolder(dir.resolve("label-local"), dir.resolve("label-spark"), 10, 10);
    }

    @Test
    void multilabelOutputsGiveTheLocalReportAndPictures() throws Exception {
        Path parent = model("multilabel-parent", b -> conv(b, "labels", new float[][] {GREEN, RED}, true));
        Path model = model("multilabel-model", b -> conv(b, "labels", new float[][] {BLUE, RED}, true));
        EvaluationRecipe recipe = EvaluationRecipe.of(model, parent, TestData.vocVal(), "val", PRE,
                new ClassInfo(List.of("skin", "hair"), List.of(0xFF8080, 0x804000), -1),
                OutputSelection.AUTO.withKind(OutputKind.MULTILABEL), 12, false).withImages(true, false);
        AccuracyReport local = recipe.operation().reportDir(dir.resolve("multilabel-local")).overwrite(true)
                .run(new NullProgressMonitor());
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 5, dir.resolve("multilabel-spark"), true, new NullProgressMonitor());

        assertEquals("multilabel", spark.outputKind());
        assertEquals(12, spark.images().size());
        assertNotNull(spark.agreement());
        assertTrue(spark.agreement().pixelAgreement() < 1.0, "blue and green differ on real photos: " + spark.agreement().pixelAgreement());
        assertTrue(!spark.classRows().isEmpty());
        SparkEvaluationTest.assertSameReport(local, spark);
        assertSameFolder(dir.resolve("multilabel-local"), dir.resolve("multilabel-spark"), 12, 0);
    }

    @Test
    void regressionOutputsGiveTheLocalReportAndPictures() throws Exception {
        Path parent = model("regression-parent", b -> conv(b, "depth", new float[][] {GREEN}, false));
        Path model = model("regression-model", b -> conv(b, "depth", new float[][] {{0, 1, 0.1f}}, false));
        EvaluationRecipe recipe = EvaluationRecipe.of(model, parent, TestData.vocVal(), "val", PRE, null,
                OutputSelection.AUTO.withKind(OutputKind.REGRESSION), 12, false).withImages(true, false);
        AccuracyReport local = recipe.operation().reportDir(dir.resolve("regression-local")).overwrite(true)
                .run(new NullProgressMonitor());
        AccuracyReport spark = SparkEvaluator.evaluate(sc, recipe, 5, dir.resolve("regression-spark"), true, new NullProgressMonitor());

        assertEquals("regression", spark.outputKind());
        assertEquals(12, spark.images().size());
        AccuracyReport.Regression all = spark.agreement().regression();
        assertTrue(all.mae() > 0 && all.rmse() >= all.mae(), all.toString());
        assertTrue(all.withinTolerance() > 0 && all.withinTolerance() < 1, all.toString());
        SparkEvaluationTest.assertSameReport(local, spark);
        assertSameFolder(dir.resolve("regression-local"), dir.resolve("regression-spark"), 12, 0);

        // --no-images: no pictures, as locally
        AccuracyReport bare = SparkEvaluator.evaluate(sc, recipe.withImages(false, false), 5, dir.resolve("regression-bare"), true,
                new NullProgressMonitor());
        assertEquals(null, bare.images().get(0).composite());
        try (Stream<Path> s = Files.list(dir.resolve("regression-bare/images"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void slicesWithPicturesHoldAtMost64Items() {
        assertEquals(32, EvaluateSlices.slices(2040, 8, true));
        assertEquals(8, EvaluateSlices.slices(2040, 8, false));
        assertEquals(8, EvaluateSlices.slices(102, 8, true));
        assertEquals(3, EvaluateSlices.slices(3, 3, true));
    }

    /**
     * The two report folders hold the same files; pictures and label maps are equal pixel for pixel, CSV files byte for
     * byte, the reports field by field but for timing and provenance.
     */
    static void assertSameFolder(Path expected, Path actual, int pictures, int labelMaps) throws Exception {
        List<String> names = files(expected);
        assertEquals(names, files(actual));
        assertEquals(pictures, names.stream().filter(n -> n.startsWith("images/") && n.endsWith(".png")).count(), names.toString());
        assertEquals(labelMaps, names.stream().filter(n -> n.startsWith("labels/") && n.endsWith(".png")).count(), names.toString());
        for (String n : names) {
            Path e = expected.resolve(n);
            Path a = actual.resolve(n);
            if (n.endsWith(".png")) {
                BufferedImage ei = ImageIO.read(e.toFile());
                BufferedImage ai = ImageIO.read(a.toFile());
                assertEquals(ei.getWidth(), ai.getWidth(), n);
                assertEquals(ei.getHeight(), ai.getHeight(), n);
                assertArrayEquals(ei.getRaster().getPixels(0, 0, ei.getWidth(), ei.getHeight(), (int[]) null),
                        ai.getRaster().getPixels(0, 0, ai.getWidth(), ai.getHeight(), (int[]) null), n);
            } else if (n.endsWith(".csv")) {
                assertEquals(Files.readString(e), Files.readString(a), n);
            } else if (n.endsWith(".json")) {
                SparkEvaluationTest.assertSameReport(Json.read(e, AccuracyReport.class), Json.read(a, AccuracyReport.class));
            }
        }
    }

    /** The files under {@code root}, relative, sorted (folders end with a slash). */
    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                    .sorted().toList();
        }
    }

    // ---------------------------------------------------------------- tiny graphs on 64x64 images

    private static final Preprocessing PRE = Preprocessing.defaults(64, 64, Preprocessing.Layout.NCHW);
    private static final float[] RED = {1, 0, 0};
    private static final float[] GREEN = {0, 1, 0};
    private static final float[] BLUE = {0, 0, 1};

    /** A 1x1 convolution of the image with the given rows of weights (one per output channel), optionally Sigmoid. */
    private static void conv(GraphBuilder b, String name, float[][] rows, boolean sigmoid) {
        float[] w = new float[rows.length * 3];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, w, 3 * i, 3);
        }
        String c = b.conv("image", w, new long[] {rows.length, 3, 1, 1}, null, 1, 1, 0, 1);
        String out = sigmoid ? b.node("Sigmoid", c).outputs(name).output() : b.node("Identity", c).outputs(name).output();
        b.output(out, DataType.FLOAT);
    }

    private static Path model(String file, java.util.function.Consumer<GraphBuilder> outputs) throws Exception {
        GraphBuilder b = new GraphBuilder(file).opset(13);
        b.input("image", DataType.FLOAT, 1, 3, 64, 64);
        outputs.accept(b);
        Path p = dir.resolve(file + ".onnx");
        Files.write(p, b.build().toByteArray());
        return p;
    }
}
