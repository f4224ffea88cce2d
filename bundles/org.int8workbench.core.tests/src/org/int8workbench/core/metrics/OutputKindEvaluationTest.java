package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each output kind evaluated end to end on tiny graphs (1x1 convolutions over a 4x4 RGB image, real ONNX Runtime
 * sessions) whose outputs differ on known pixels; every figure is worked out by hand. The parent reads the green
 * channel where the model reads the blue one (binary and the first multi-label label), so on the first image the two
 * disagree on the pixels C and D; the second image is all A.
 */
class OutputKindEvaluationTest {

    private static final Preprocessing PRE = Preprocessing.defaults(4, 4, Preprocessing.Layout.NCHW);

    // (red, green, blue) each 50 (below the mean: negative input) or 200 (positive)
    private static final int A = rgb(50, 50, 50);
    private static final int B = rgb(50, 200, 200);
    private static final int C = rgb(50, 200, 50);
    private static final int D = rgb(50, 50, 200);
    private static final int ALL = rgb(200, 200, 200);
    /** Parent (green) foreground: B, C = 8 pixels; model (blue): B, D = 8; both: B = 5; union 11; same label: A + B = 10. */
    private static final int[] FIRST = {
        A, A, A, A,
        B, B, B, B,
        A, B, C, C,
        C, D, D, D};

    @TempDir
    Path tmp;

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private static BufferedImage image(int[] px) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 4, 4, px, 0, 4);
        return img;
    }

    private static int[] fill(int colour) {
        int[] px = new int[16];
        java.util.Arrays.fill(px, colour);
        return px;
    }

    /** A 1x1 convolution of the image with the given rows of weights (one per output channel), optionally Sigmoid. */
    private static String conv(GraphBuilder b, String name, float[][] rows, boolean sigmoid) {
        float[] w = new float[rows.length * 3];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, w, 3 * i, 3);
        }
        String c = b.conv("image", w, new long[] {rows.length, 3, 1, 1}, null, 1, 1, 0, 1);
        String out = sigmoid ? b.node("Sigmoid", c).outputs(name).output() : b.node("Identity", c).outputs(name).output();
        b.output(out, DataType.FLOAT);
        return out;
    }

    private Path model(String file, java.util.function.Consumer<GraphBuilder> outputs) throws Exception {
        GraphBuilder b = new GraphBuilder(file).opset(13);
        b.input("image", DataType.FLOAT, 1, 3, 4, 4);
        outputs.accept(b);
        Path p = tmp.resolve(file + ".onnx");
        Files.write(p, b.build().toByteArray());
        return p;
    }

    private static final float[] RED = {1, 0, 0};
    private static final float[] GREEN = {0, 1, 0};
    private static final float[] BLUE = {0, 0, 1};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    // ---------------------------------------------------------------- binary

    @Test
    void binaryForegroundIoUAndAgreementAreTheHandCountedOnes() throws Exception {
        Path parent = model("parent", b -> conv(b, "mask", new float[][] {GREEN}, true));
        Path model = model("model", b -> conv(b, "mask", new float[][] {BLUE}, true));
        InMemory data = new InMemory(List.of(image(FIRST), image(fill(A))), List.of(truth(FIRST, 255), truth(fill(A), 255)));
        Path dir = tmp.resolve("binary-report");
        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .reportDir(dir).run(new NullProgressMonitor());

        assertEquals("binary", r.outputKind());
        assertEquals("mask", r.output().name());
        assertEquals(0.5, r.output().threshold());
        assertEquals(List.of("background", "mask"), r.classes().names());
        AccuracyReport.ImageRow first = r.images().get(0);
        assertEquals(5 / 11.0, first.agreementMeanIoU(), 1e-15);
        assertEquals(10 / 16.0, first.pixelAgreement(), 1e-15);
        assertEquals(6, first.changedPixels());
        // neither model predicts foreground on the second image: they agree there is none
        AccuracyReport.ImageRow second = r.images().get(1);
        assertEquals(1.0, second.agreementMeanIoU());
        assertEquals(1.0, second.pixelAgreement());
        AccuracyReport.Agreement a = r.agreement();
        assertEquals(5 / 11.0, a.meanIoU(), 1e-15);
        assertEquals((5 / 11.0 + 1) / 2, a.perImageMeanIoU(), 1e-15);
        assertEquals(26 / 32.0, a.pixelAgreement(), 1e-15);
        assertEquals(5 / 11.0, a.classes().get(1).iou(), 1e-15);
        // background: parent A + D (8) + 16, model A + C (8) + 16, both A (5) + 16
        assertEquals(21 / 27.0, a.classes().get(0).iou(), 1e-15);

        // ground truth 0/255 = the parent's foreground: a value above 0 is foreground, 255 is not ignored
        assertEquals(32, r.groundTruth().pixels());
        assertEquals((5 / 11.0 + 21 / 27.0) / 2, r.groundTruth().meanIoU(), 1e-15);
        assertEquals(26 / 32.0, r.groundTruth().pixelAccuracy(), 1e-15);
        assertEquals(1.0, r.reference().meanIoU(), 1e-15);
        assertEquals(5 / 11.0, r.groundTruth().classes().get(1).iou(), 1e-15);

        // raw outputs: the two sigmoid maps
        float[] x = PRE.toTensor(image(FIRST));
        double se = 0;
        double dot = 0;
        double np = 0;
        double nm = 0;
        for (int i = 0; i < 16; i++) {
            double p = sigmoid(x[16 + i]);
            double m = sigmoid(x[32 + i]);
            se += (p - m) * (p - m);
            dot += p * m;
            np += p * p;
            nm += m * m;
        }
        assertEquals(se / 16, first.mse(), 1e-7);
        assertEquals(dot / Math.sqrt(np * nm), first.cosine(), 1e-7);

        assertTrue(r.aggregation().contains("foreground IoU"), r.aggregation());
        assertTrue(r.postprocessing().startsWith("probability > 0.5 (binary"), r.postprocessing());
        assertTrue(r.output().reason() != null && !r.output().reason().isBlank());
        String csv = Files.readString(dir.resolve(AccuracyReportWriter.IMAGES_CSV));
        assertTrue(csv.startsWith("image,width,height,meanIoU,pixelAccuracy,parentMeanIoU,parentPixelAccuracy,foregroundIoU,"), csv);
        String html = Files.readString(dir.resolve(AccuracyReportWriter.HTML));
        assertTrue(html.contains("foreground IoU vs parent"));
        assertTrue(Files.isRegularFile(dir.resolve(first.composite())));
    }

    @Test
    void binaryGroundTruthIsReadFrom0255And01Masks() throws Exception {
        Path parent = model("parent", b -> conv(b, "mask", new float[][] {GREEN}, true));
        Path model = model("model", b -> conv(b, "mask", new float[][] {BLUE}, true));
        for (int fg : new int[] {255, 1}) {
            Path root = tmp.resolve("binary-" + fg);
            Files.createDirectories(root.resolve("images"));
            Files.createDirectories(root.resolve("masks"));
            ImageIO.write(image(FIRST), "png", root.resolve("images/first.png").toFile());
            ImageIO.write(image(fill(A)), "png", root.resolve("images/second.png").toFile());
            writeGrey(truth(FIRST, fg), root.resolve("masks/first.png"));
            writeGrey(truth(fill(A), fg), root.resolve("masks/second.png"));
            if (fg == 1) {
                // 0/1 masks are also two-class index masks: the metadata file says they are binary (0/255 is found alone)
                Files.writeString(root.resolve(Datasets.METADATA_FILE), "{\"preset\": \"binary\"}");
            }
            SegmentationDataset data = Datasets.open(root);
            assertTrue(data.hasMasks());
            assertEquals(ClassInfo.binary(), data.classes());
            AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                    .run(new NullProgressMonitor());
            assertEquals(32, r.groundTruth().pixels(), "mask 0/" + fg);
            assertEquals((5 / 11.0 + 21 / 27.0) / 2, r.groundTruth().meanIoU(), 1e-15, "mask 0/" + fg);
            assertEquals(1.0, r.reference().meanIoU(), 1e-15, "mask 0/" + fg);
            assertTrue(r.skipped().isEmpty());
        }
    }

    private static LabelMask truth(int[] px, int fg) {
        int[] t = new int[16];
        for (int i = 0; i < 16; i++) {
            t[i] = px[i] == B || px[i] == C ? fg : 0;
        }
        return new LabelMask(4, 4, t);
    }

    private static void writeGrey(LabelMask m, Path file) throws Exception {
        BufferedImage img = new BufferedImage(m.width(), m.height(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, m.width(), m.height(), 0, m.labels());
        ImageIO.write(img, "png", file.toFile());
    }

    // ---------------------------------------------------------------- multi-label

    @Test
    void multilabelFiguresArePerLabel() throws Exception {
        Path parent = model("parent", b -> conv(b, "labels", new float[][] {GREEN, RED}, true));
        Path model = model("model", b -> conv(b, "labels", new float[][] {BLUE, RED}, true));
        InMemory data = new InMemory(List.of(image(FIRST), image(fill(ALL))), null);
        Path dir = tmp.resolve("multilabel-report");
        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .classes(new ClassInfo(List.of("skin", "hair"), List.of(0xFF8080, 0x804000), -1)).reportDir(dir)
                .run(new NullProgressMonitor());

        assertEquals("multilabel", r.outputKind());
        assertEquals(List.of("none", "skin", "hair"), r.classes().names());
        assertNull(r.groundTruth());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("no ground truth")), r.notes().toString());
        // first image: skin as the binary case (IoU 5/11, agreement 10/16); hair (red) predicted by neither: left out
        // of the Basic mean, agreement 1
        AccuracyReport.ImageRow first = r.images().get(0);
        assertEquals(5 / 11.0, first.agreementMeanIoU(), 1e-15);
        assertEquals((10 / 16.0 + 1) / 2, first.pixelAgreement(), 1e-15);
        assertEquals(6, first.changedPixels());
        assertEquals(List.of(1), first.classes());
        // second image: both labels on every pixel for both models
        AccuracyReport.ImageRow second = r.images().get(1);
        assertEquals(1.0, second.agreementMeanIoU());
        assertEquals(1.0, second.pixelAgreement());
        assertEquals(List.of(1, 2), second.classes());

        AccuracyReport.Agreement a = r.agreement();
        // skin: both 5 + 16, either 11 + 16; hair: 16 of 16
        assertEquals((21 / 27.0 + 1) / 2, a.meanIoU(), 1e-15);
        assertEquals((26 / 32.0 + 1) / 2, a.pixelAgreement(), 1e-15);
        assertEquals((5 / 11.0 + 1) / 2, a.perImageMeanIoU(), 1e-15);
        assertEquals(21 / 27.0, a.classes().get(1).iou(), 1e-15);
        assertEquals(1.0, a.classes().get(2).iou(), 1e-15);
        assertEquals(24, a.classes().get(1).referencePixels());
        assertEquals(6, a.changedPixels());
        assertEquals(32, a.pixels());
        // Advanced rows: per image and label either model predicts
        assertEquals(3, r.classRows().size());
        assertEquals(5 / 11.0, r.classRows().get(0).iou(), 1e-15);
        assertEquals("skin", r.classRows().get(0).name());

        String labelsCsv = Files.readString(dir.resolve(AccuracyReportWriter.CLASSES_CSV));
        assertTrue(labelsCsv.startsWith("label,name,agreementIoU"), labelsCsv);
        assertTrue(labelsCsv.contains("\n0,skin,"), labelsCsv);
        String html = Files.readString(dir.resolve(AccuracyReportWriter.HTML));
        assertTrue(html.contains("mean label IoU vs parent"));
        assertTrue(Files.isRegularFile(dir.resolve(first.composite())));
    }

    // ---------------------------------------------------------------- regression

    @Test
    void regressionErrorsAreTheHandComputedOnes() throws Exception {
        Path parent = model("parent", b -> conv(b, "depth", new float[][] {GREEN}, false));
        Path model = model("model", b -> conv(b, "depth", new float[][] {{0, 1, 0.1f}}, false));
        InMemory data = new InMemory(List.of(image(FIRST), image(fill(A))), null);
        Path dir = tmp.resolve("regression-report");
        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .outputs(REGRESSION.withTolerance(0.06))
                .reportDir(dir).run(new NullProgressMonitor());

        float[] x = PRE.toTensor(image(FIRST));
        double hi = x[32 + 4]; // blue 200 (pixel B)
        double lo = x[32]; // blue 50 (pixel A)
        double range = x[16 + 4] - x[16]; // the parent's (green) values: 200 and 50
        // the model's value differs by 0.1 * blue: 8 pixels with blue 200, 8 with blue 50 on the first image
        double mae = (8 * 0.1 * hi + 8 * 0.1 * -lo) / 16;
        double rmse = Math.sqrt((8 * 0.01 * hi * hi + 8 * 0.01 * lo * lo) / 16);
        AccuracyReport.Regression g = r.images().get(0).regression();
        assertEquals(mae, g.mae(), 1e-6);
        assertEquals(rmse, g.rmse(), 1e-6);
        assertEquals(range, g.range(), 1e-6);
        assertEquals(20 * Math.log10(range / rmse), g.psnr(), 1e-4);
        // tolerance 0.06: 0.1 * 0.569 is within, 0.1 * 0.608 is not
        assertEquals(0.06, g.tolerance());
        assertEquals(0.5, g.withinTolerance());
        assertEquals(0.5, r.images().get(0).pixelAgreement());
        assertEquals(8, r.images().get(0).changedPixels());
        assertNull(r.images().get(0).agreementMeanIoU());
        // the second image: flat parent, PSNR undefined
        AccuracyReport.Regression g2 = r.images().get(1).regression();
        assertNull(g2.psnr());
        assertEquals(0.0, g2.range());
        assertEquals(0.0, g2.withinTolerance());

        AccuracyReport.Agreement a = r.agreement();
        assertNull(a.meanIoU());
        AccuracyReport.Regression all = a.regression();
        assertEquals((8 * 0.1 * hi + 24 * 0.1 * -lo) / 32, all.mae(), 1e-6);
        assertEquals(Math.sqrt((8 * 0.01 * hi * hi + 24 * 0.01 * lo * lo) / 32), all.rmse(), 1e-6);
        assertEquals(range, all.range(), 1e-6);
        assertEquals(20 * Math.log10(range / all.rmse()), all.psnr(), 1e-4);
        assertEquals(8 / 32.0, all.withinTolerance());
        assertEquals(8 / 32.0, a.pixelAgreement());
        assertTrue(r.classRows().isEmpty());
        assertNotNull(a.meanMse());

        String csv = Files.readString(dir.resolve(AccuracyReportWriter.IMAGES_CSV));
        assertTrue(csv.startsWith("image,width,height,mae,rmse,psnr,withinTolerance,tolerance,"), csv);
        assertFalse(Files.exists(dir.resolve(AccuracyReportWriter.CLASSES_CSV)));
        String html = Files.readString(dir.resolve(AccuracyReportWriter.HTML));
        assertTrue(html.contains("PSNR (dB)") && html.contains("within tolerance"));
        BufferedImage pic = ImageIO.read(dir.resolve(r.images().get(0).composite()).toFile());
        assertTrue(pic.getWidth() > 4 * 4, "four panels: image, parent, optimized, error heat map");

        // the default tolerance: 1% of the parent's range on each image (0 on the flat second image)
        AccuracyReport d = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .outputs(REGRESSION).run(new NullProgressMonitor());
        assertEquals(0.01 * range, d.images().get(0).regression().tolerance(), 1e-9);
        assertEquals(0.0, d.images().get(0).regression().withinTolerance());
        assertEquals(0.0, d.images().get(1).regression().tolerance());
        assertEquals(0.01 * range / 2, d.agreement().regression().tolerance(), 1e-9);
    }

    // ---------------------------------------------------------------- Visualize

    @Test
    void visualizeReturnsThePredictionsOfTheKind() throws Exception {
        Path parent = model("parent", b -> conv(b, "mask", new float[][] {GREEN}, true));
        Path model = model("model", b -> conv(b, "mask", new float[][] {BLUE}, true));
        ImagePrediction p = new PredictOperation().model(model).parent(parent).preprocessing(PRE).image("first", image(FIRST)).groundTruth(truth(FIRST, 255))
                .run(new NullProgressMonitor());
        assertEquals("binary", p.kind());
        assertEquals(List.of("background", "mask"), p.classes().names());
        int[] parentFg = new int[16];
        int[] modelFg = new int[16];
        for (int i = 0; i < 16; i++) {
            parentFg[i] = FIRST[i] == B || FIRST[i] == C ? 1 : 0;
            modelFg[i] = FIRST[i] == B || FIRST[i] == D ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(parentFg, p.parent().labels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(modelFg, p.model().labels());
        // the 0/255 ground truth as background and foreground
        org.junit.jupiter.api.Assertions.assertArrayEquals(parentFg, p.groundTruth().labels());

        Path rp = model("rparent", b -> conv(b, "depth", new float[][] {GREEN}, false));
        Path rm = model("rmodel", b -> conv(b, "depth", new float[][] {{0, 1, 0.1f}}, false));
        ImagePrediction v = new PredictOperation().model(rm).parent(rp).preprocessing(PRE).outputs(REGRESSION)
                .image("first", image(FIRST)).run(new NullProgressMonitor());
        assertEquals("regression", v.kind());
        assertNull(v.model());
        assertEquals(16, v.modelPrediction().values().values().length);
        float[] x = PRE.toTensor(image(FIRST));
        assertEquals(x[16] + 0.1 * x[32], v.modelPrediction().values().at(0, 0), 1e-6);
        assertEquals(x[16], v.parentPrediction().values().at(0, 0), 1e-6);
        assertNotNull(v.heatMap());
        assertEquals(4, v.heatMap().getWidth());
        // the largest error takes the scale's end colour, the smallest (0.1 * 0.569) a darker one
        assertEquals(org.int8workbench.core.render.ErrorHeatMap.color(1.0), v.heatMap().getRGB(0, 0) & 0xFFFFFF);
    }

    // ---------------------------------------------------------------- several outputs

    @Test
    void twoOutputsGiveTwoReports() throws Exception {
        // two binary outputs: the first as in the binary test, the second (red) foreground on neither image for either model
        Path parent = model("parent", b -> {
            conv(b, "mask", new float[][] {GREEN}, true);
            conv(b, "red", new float[][] {RED}, true);
        });
        Path model = model("model", b -> {
            conv(b, "mask", new float[][] {BLUE}, true);
            conv(b, "red", new float[][] {RED}, true);
        });
        InMemory data = new InMemory(List.of(image(FIRST), image(fill(A))), null);
        Path dir = tmp.resolve("two-report");
        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .reportDir(dir).run(new NullProgressMonitor());
        assertEquals("mask", r.output().name());
        assertEquals(5 / 11.0, r.agreement().meanIoU(), 1e-15);
        assertEquals(26 / 32.0, r.agreement().pixelAgreement(), 1e-15);
        assertEquals(1, r.outputs().size());
        AccuracyReport red = r.outputs().get(0);
        assertEquals("red", red.output().name());
        assertEquals("binary", red.outputKind());
        assertEquals(List.of("background", "red"), red.classes().names());
        assertTrue(red.outputs().isEmpty());
        assertEquals(2, red.images().size());
        assertEquals(r.images().get(0).id(), red.images().get(0).id());
        assertEquals(1.0, red.agreement().meanIoU());
        assertEquals(1.0, red.agreement().pixelAgreement());
        assertEquals(1.0, red.images().get(0).agreementMeanIoU());
        assertTrue(Files.isRegularFile(dir.resolve("report-red.html")));
        assertTrue(Files.isRegularFile(dir.resolve("images-red.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("classes-red.csv")));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("href=\"report-red.html\""));
        assertTrue(Files.readString(dir.resolve("report-red.html")).contains("href=\"report.html\""));
        assertTrue(Files.isRegularFile(dir.resolve(red.images().get(0).composite())));
        assertFalse(red.images().get(0).composite().equals(r.images().get(0).composite()));
        AccuracyReport back = AccuracyReportWriter.read(dir.resolve(AccuracyReportWriter.JSON));
        assertEquals(red.agreement(), back.outputs().get(0).agreement());

        // one output chosen by name: one report
        AccuracyReport one = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .outputs(OutputSelection.AUTO.withOutputName("red")).run(new NullProgressMonitor());
        assertEquals("red", one.output().name());
        assertTrue(one.outputs().isEmpty());

        // a parent without the model's outputs: a clear error
        Path other = model("other", b -> {
            conv(b, "mask", new float[][] {GREEN}, true);
            conv(b, "green", new float[][] {GREEN}, true);
        });
        CoreException e = assertThrows(CoreException.class, () -> new EvaluateOperation().model(model).parent(other).dataset(data)
                .preprocessing(PRE).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("different outputs"), e.getMessage());
    }

    private static final OutputSelection REGRESSION = OutputSelection.AUTO.withKind(OutputKind.REGRESSION);

    /** Images with masks (or none), in memory. */
    private record InMemory(List<BufferedImage> images, List<LabelMask> masks) implements SegmentationDataset {
        @Override
        public String description() {
            return "tiles";
        }

        @Override
        public boolean synthetic() {
            return false;
        }

        @Override
        public boolean hasMasks() {
            return masks != null;
        }

        @Override
        public List<Sample> samples() {
            List<Sample> s = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                s.add(new Sample("tile" + i, null, masks == null ? null : Path.of("tile" + i + ".png"), i));
            }
            return s;
        }

        @Override
        public BufferedImage readImage(Sample s) {
            return images.get(s.index());
        }

        @Override
        public LabelMask readMask(Sample s) {
            return masks.get(s.index());
        }

        @Override
        public ClassInfo classes() {
            return ClassInfo.binary();
        }
    }
}
