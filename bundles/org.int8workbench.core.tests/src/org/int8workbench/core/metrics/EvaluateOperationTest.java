package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Sha256;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation on the real DeepLabV3 and real VOC images, checked against a second, independent computation. */
class EvaluateOperationTest {

    static final Preprocessing DEEPLAB = Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW);

    @TempDir
    Path tmp;

    @Test
    void groundTruthMetricsMatchAnIndependentComputation() throws Exception {
        Path model = TestData.deeplabModel();
        SegmentationDataset voc = Datasets.open(TestData.vocVal(), "val");
        int n = 4;
        AccuracyReport r = new EvaluateOperation().model(model).dataset(voc).preprocessing(DEEPLAB).limit(n)
                .run(new NullProgressMonitor());

        // second computation: nested-array output, per-pixel argmax, own nearest mapping, per-class sums in maps
        Map<Integer, long[]> iu = new HashMap<>(); // class -> {intersection, union}
        long correct = 0;
        long counted = 0;
        try (OrtSession s = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions())) {
            for (Sample sample : voc.samples().subList(0, n)) {
                BufferedImage img = ImageIO.read(sample.image().toFile());
                BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(img, 0, 0, null);
                LabelMask truth = voc.readMask(sample);
                float[][][][] logits;
                try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), java.nio.FloatBuffer.wrap(DEEPLAB.toTensor(rgb)), DEEPLAB.shape(1));
                        OrtSession.Result out = s.run(Map.of("input", in))) {
                    logits = (float[][][][]) out.get(0).getValue();
                }
                int w = rgb.getWidth();
                int h = rgb.getHeight();
                for (int y = 0; y < h; y++) {
                    int my = (int) ((y + 0.5) * 257 / h);
                    for (int x = 0; x < w; x++) {
                        int mx = (int) ((x + 0.5) * 257 / w);
                        int best = 0;
                        for (int c = 1; c < 21; c++) {
                            if (logits[0][c][my][mx] > logits[0][best][my][mx]) {
                                best = c;
                            }
                        }
                        int t = truth.at(x, y);
                        if (t == 255) {
                            continue;
                        }
                        counted++;
                        if (t == best) {
                            correct++;
                            iu.computeIfAbsent(t, k -> new long[2])[0]++;
                            iu.computeIfAbsent(t, k -> new long[2])[1]++;
                        } else {
                            iu.computeIfAbsent(t, k -> new long[2])[1]++;
                            iu.computeIfAbsent(best, k -> new long[2])[1]++;
                        }
                    }
                }
            }
        }
        double sum = 0;
        for (long[] v : iu.values()) {
            sum += (double) v[0] / v[1];
        }
        double miou = sum / iu.size();
        assertEquals(counted, r.groundTruth().pixels());
        assertEquals((double) correct / counted, r.groundTruth().pixelAccuracy(), 1e-12);
        assertEquals(miou, r.groundTruth().meanIoU(), 1e-12);
        assertEquals(n, r.images().size());
        assertNull(r.agreement());
        assertTrue(r.aggregation().contains("total intersection / total union"));
    }

    @Test
    void vainfSamplesGiveThePublishedAccuracyAndFullAgreementWithItself() throws Exception {
        Path model = TestData.deeplabModel();
        Path report = tmp.resolve("report");
        AccuracyReport r = new EvaluateOperation().model(model).parent(model)
                .dataset(Datasets.open(TestData.sharedData().resolve("voc2012-val-vainf-samples")))
                .preprocessing(DEEPLAB).reportDir(report).run(new NullProgressMonitor());
        // PROVENANCE.md: pixel accuracy 0.955, mIoU 0.673 over the 12 classes present
        assertEquals(0.955, r.groundTruth().pixelAccuracy(), 0.0015);
        assertEquals(0.673, r.groundTruth().meanIoU(), 0.0015);
        assertEquals(12, r.groundTruth().classes().stream().filter(c -> c.iou() != null).count());
        assertEquals(r.groundTruth().meanIoU(), r.reference().meanIoU());
        assertEquals(1.0, r.agreement().pixelAgreement());
        assertEquals(1.0, r.agreement().meanIoU());
        assertEquals(0.0, r.agreement().meanMse());
        assertEquals(1.0, r.agreement().meanCosine(), 1e-6);
        assertEquals(Sha256.of(model), r.model().sha256());
        assertEquals(14, r.images().size());
        assertTrue(r.classRows().size() >= 14);
        for (AccuracyReport.ImageRow row : r.images()) {
            assertEquals(1.0, row.agreementMeanIoU());
            assertTrue(Files.isRegularFile(report.resolve(row.composite())), row.composite());
        }
        for (String f : List.of("report.json", "report.html", "images.csv", "image-classes.csv", "classes.csv")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        AccuracyReport back = AccuracyReportWriter.read(report.resolve("report.json"));
        assertEquals(r.groundTruth().meanIoU(), back.groundTruth().meanIoU());
        assertEquals(r.images().get(3), back.images().get(3));
        assertEquals(r.preprocessing(), back.preprocessing());
        assertEquals(15, Files.readAllLines(report.resolve("images.csv")).size());
        assertTrue(r.timing().modelInferenceSeconds() > 0 && r.timing().parentInferenceSeconds() > 0);
        // an existing report folder is refused unless overwriting
        CoreException e = assertThrows(CoreException.class, () -> new EvaluateOperation().model(model)
                .dataset(Datasets.open(TestData.vocVal())).preprocessing(DEEPLAB).reportDir(report).limit(1).run(null));
        assertTrue(e.getStatus().getMessage().contains("exists"), e.getStatus().getMessage());
    }

    @Test
    void cancellingLeavesNoReportBehind() throws Exception {
        Path model = TestData.deeplabModel();
        Path report = tmp.resolve("cancelled");
        NullProgressMonitor monitor = new NullProgressMonitor() {
            int steps;

            @Override
            public void subTask(String name) {
                if (++steps == 2) {
                    setCanceled(true);
                }
            }
        };
        assertThrows(OperationCanceledException.class, () -> new EvaluateOperation().model(model).parent(model)
                .dataset(Datasets.open(TestData.vocVal())).preprocessing(DEEPLAB).reportDir(report).run(monitor));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no report folder and no temporary folder");
        }
        assertEquals(List.of(), evaluatorThreads(), "the decoder and inference threads have ended");
    }

    @Test
    void aPredictorFailingOnAnInferenceThreadFailsTheEvaluationCleanly() throws Exception {
        Path model = TestData.deeplabModel();
        Path report = tmp.resolve("failed");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        LabelDecoder failing = TestDecoders.argmaxAfter(DEEPLAB, result -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("predictor broke on purpose");
            }
        });
        CoreException e = assertThrows(CoreException.class, () -> new EvaluateOperation().model(model).parent(model)
                .parentPredictor(failing).dataset(Datasets.open(TestData.vocVal())).preprocessing(DEEPLAB).reportDir(report)
                .run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("predictor broke on purpose"), e.getStatus().getMessage());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no report folder and no temporary folder");
        }
        assertEquals(List.of(), evaluatorThreads());
    }

    @Test
    void rowsFollowTheDataOrderWhileRunsOverlap() throws Exception {
        Path model = TestData.deeplabModel();
        SegmentationDataset ds = Datasets.open(TestData.vocVal());
        int[] layout = EvaluateOperation.inferenceLayout(Runtime.getRuntime().availableProcessors());
        // a handshake that makes runs finish out of order: the first model prediction waits until a later one is done
        // (with two workers the other worker runs the first image's parent, then the second image's model)
        CountDownLatch laterDone = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean overtaken = new AtomicBoolean();
        LabelDecoder outOfOrder = TestDecoders.argmaxAfter(DEEPLAB, result -> {
            int call = calls.incrementAndGet();
            if (call == 1 && layout[0] > 1) {
                try {
                    overtaken.set(laterDone.await(60, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (call > 1) {
                laterDone.countDown();
            }
        });
        AccuracyReport r = new EvaluateOperation().model(model).parent(model).predictor(outOfOrder).dataset(ds).preprocessing(DEEPLAB)
                .limit(8).run(new NullProgressMonitor());
        if (layout[0] > 1) {
            assertTrue(overtaken.get(), "a later image's prediction finished before the first image's");
        }
        assertEquals(ds.samples().subList(0, 8).stream().map(Sample::id).toList(), r.images().stream().map(AccuracyReport.ImageRow::id).toList());
        for (AccuracyReport.ImageRow row : r.images()) {
            assertEquals(1.0, row.pixelAgreement(), row.id() + ": the same model agrees with itself on every pixel");
        }
        assertEquals(layout[0], r.timing().concurrentRuns());
        assertEquals(layout[1], r.timing().threadsPerRun());
    }

    @Test
    void inferenceLayoutKeepsTwoRunsGoingOnHalfTheCoresEach() {
        assertEquals(List.of(1, 1), List.of(EvaluateOperation.inferenceLayout(1)[0], EvaluateOperation.inferenceLayout(1)[1]));
        assertEquals(List.of(2, 1), List.of(EvaluateOperation.inferenceLayout(2)[0], EvaluateOperation.inferenceLayout(2)[1]));
        assertEquals(List.of(2, 1), List.of(EvaluateOperation.inferenceLayout(3)[0], EvaluateOperation.inferenceLayout(3)[1]));
        assertEquals(List.of(2, 8), List.of(EvaluateOperation.inferenceLayout(16)[0], EvaluateOperation.inferenceLayout(16)[1]));
    }

    /** Threads of the evaluator still alive (they are joined before {@code run} returns or throws). */
    private static List<String> evaluatorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("int8wb-evaluate-")).toList();
    }

    @Test
    void unreadableItemsAreSkippedAndReportedOrFailInStrictMode() throws Exception {
        Path model = TestData.deeplabModel();
        Path voc = tmp.resolve("VOC2012");
        Path real = TestData.vocVal();
        List<String> ids = Files.readAllLines(real.resolve("ImageSets/Segmentation/val.txt")).subList(0, 2);
        Files.createDirectories(voc.resolve("ImageSets/Segmentation"));
        Files.createDirectories(voc.resolve("JPEGImages"));
        Files.createDirectories(voc.resolve("SegmentationClass"));
        for (String id : ids) {
            Files.copy(real.resolve("JPEGImages/" + id + ".jpg"), voc.resolve("JPEGImages/" + id + ".jpg"));
            Files.copy(real.resolve("SegmentationClass/" + id + ".png"), voc.resolve("SegmentationClass/" + id + ".png"));
        }
        Files.write(voc.resolve("JPEGImages/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.copy(real.resolve("SegmentationClass/" + ids.get(0) + ".png"), voc.resolve("SegmentationClass/broken.png"));
        // a mask of another image's size
        Files.copy(real.resolve("JPEGImages/" + ids.get(0) + ".jpg"), voc.resolve("JPEGImages/resized.jpg"));
        BufferedImage small = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(small, "png", voc.resolve("SegmentationClass/resized.png").toFile());
        Files.write(voc.resolve("ImageSets/Segmentation/val.txt"), List.of(ids.get(0), "broken", "missing", "resized", ids.get(1)));

        AccuracyReport r = new EvaluateOperation().model(model).dataset(Datasets.open(voc)).preprocessing(DEEPLAB)
                .run(new NullProgressMonitor());
        assertEquals(2, r.images().size());
        assertEquals(List.of("missing", "broken", "resized"), r.skipped().stream().map(s -> s.id()).toList());
        assertTrue(r.skipped().get(1).reason().contains("broken.jpg"), r.skipped().get(1).reason());
        assertTrue(r.skipped().get(2).reason().contains("resized.png") && r.skipped().get(2).reason().contains("10x10"));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("3 items were skipped")));

        CoreException e = assertThrows(CoreException.class, () -> new EvaluateOperation().model(model).dataset(Datasets.open(voc))
                .preprocessing(DEEPLAB).strict(true).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("broken.jpg"), e.getStatus().getMessage());
    }

    @Test
    void generatedDataIsLabelledSyntheticEverywhere() throws Exception {
        Path model = TestData.deeplabModel();
        Path report = tmp.resolve("synthetic");
        AccuracyReport r = new EvaluateOperation().model(model).parent(model)
                .dataset(Datasets.generated(2, 300, 200, 5, GeneratedDataset.Kind.PATTERN)).reportDir(report)
                .run(new NullProgressMonitor());
        assertTrue(r.synthetic());
        assertNull(r.groundTruth());
        assertNotNull(r.agreement());
        assertEquals(DEEPLAB, r.preprocessing(), "taken from the model's input shape");
        assertTrue(r.notes().get(0).contains("not meaningful"));
        assertTrue(Files.readString(report.resolve("report.html")).contains("id=\"synthetic\""));
        assertFalse(r.images().get(0).classes().isEmpty());
    }

    @Test
    void aModelWithoutItsImageSizeAsksForThePreprocessing() throws Exception {
        GraphBuilder b = new GraphBuilder("dynamic_size").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, "H", "W");
        b.node("Relu", "X").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 3, "H", "W");
        Path model = tmp.resolve("dynamic.onnx");
        Files.write(model, b.build().toByteArray());
        CoreException e = assertThrows(CoreException.class, () -> new EvaluateOperation().model(model)
                .dataset(Datasets.generated(1, 8, 8, 1, GeneratedDataset.Kind.PATTERN)).run(new NullProgressMonitor()));
        assertEquals(CoreStatus.NEEDS_PREPROCESSING, e.getStatus().getCode(), e.getStatus().getMessage());
        assertEquals(CoreStatus.PLUGIN_ID, e.getStatus().getPlugin());
        assertTrue(e.getStatus().getMessage().startsWith("dynamic.onnx: the input shape [1, 3, -1, -1] does not tell the image size"),
                e.getStatus().getMessage());
    }
}
