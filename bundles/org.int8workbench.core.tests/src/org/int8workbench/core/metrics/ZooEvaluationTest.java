package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The real models of {@code ../shared/data/zoo} evaluated against themselves on real photos (no INT8 model needed): the
 * output kind found from the graph decides the report, and a model agrees exactly with itself in every figure.
 */
class ZooEvaluationTest {

    private static final int IMAGES = 3;

    private static AccuracyReport selfEvaluation(String file, Preprocessing pre, ClassInfo classes, String reportName) throws Exception {
        return selfEvaluation(file, pre, classes, reportName, OutputSelection.AUTO);
    }

    private static AccuracyReport selfEvaluation(String file, Preprocessing pre, ClassInfo classes, String reportName,
            OutputSelection selection) throws Exception {
        Path model = TestData.zooModel(file);
        Path dir = TestData.scratch("zoo-evaluation").resolve(reportName);
        EvaluateOperation op = new EvaluateOperation().model(model).parent(model).dataset(Datasets.open(TestData.calibrationPhotos()))
                .preprocessing(pre).limit(IMAGES).reportDir(dir).overwrite(true).outputs(selection);
        if (classes != null) {
            op.classes(classes);
        }
        AccuracyReport r = op.run(new NullProgressMonitor());
        assertTrue(Files.isRegularFile(dir.resolve(AccuracyReportWriter.HTML)));
        return r;
    }

    /** Every figure of a report of a model against itself: full agreement. */
    private static void agreesWithItself(AccuracyReport r) {
        assertEquals(IMAGES, r.images().size());
        AccuracyReport.Agreement a = r.agreement();
        assertEquals(1.0, a.pixelAgreement());
        assertEquals(0, a.changedPixels());
        assertEquals(0.0, a.meanMse());
        assertEquals(1.0, a.meanCosine(), 1e-9);
        for (AccuracyReport.ImageRow i : r.images()) {
            assertEquals(1.0, i.pixelAgreement());
            if (!r.outputKind().equals("regression")) {
                assertEquals(1.0, i.agreementMeanIoU());
            }
        }
        if (!r.outputKind().equals("regression")) {
            assertEquals(1.0, a.meanIoU());
            assertEquals(1.0, a.perImageMeanIoU());
        }
    }

    @Test
    void mediaPipeSelfieIsEvaluatedAsBinary() throws Exception {
        AccuracyReport r = selfEvaluation("mediapipe_selfie_256_nhwc.onnx",
                Preprocessing.defaults(256, 256, Layout.NHWC).withNormalization(Rgb.all(0), Rgb.all(255)), null, "mediapipe");
        assertEquals("binary", r.outputKind());
        assertEquals("activation_10", r.output().name());
        assertEquals(List.of("background", "activation_10"), r.classes().names());
        assertTrue(r.postprocessing().contains("binary"), r.postprocessing());
        ImagePrediction p = PredictOperation.forReport(r, r.images().get(0)).run(new NullProgressMonitor());
        assertEquals("binary", p.kind());
        assertEquals(r.classes().names(), p.classes().names());
        agreesWithItself(r);
    }

    @Test
    void mediaPipeSelfieReadAsValuesIsEvaluatedAsRegression() throws Exception {
        AccuracyReport r = selfEvaluation("mediapipe_selfie_256_nhwc.onnx",
                Preprocessing.defaults(256, 256, Layout.NHWC).withNormalization(Rgb.all(0), Rgb.all(255)), null, "mediapipe-values",
                OutputSelection.AUTO.withKind(OutputKind.REGRESSION));
        assertEquals("regression", r.outputKind());
        agreesWithItself(r);
        AccuracyReport.Regression g = r.agreement().regression();
        assertEquals(0.0, g.mae());
        assertEquals(0.0, g.rmse());
        assertNull(g.psnr());
        assertEquals(1.0, g.withinTolerance());
        assertTrue(g.range() > 0 && g.range() <= 1, "sigmoid probabilities: " + g.range());
        assertNull(r.agreement().meanIoU());
    }

    @Test
    void panIsEvaluatedPerLabel() throws Exception {
        AccuracyReport r = selfEvaluation("pan_mnv3s_skin_clothes_hair_512.onnx",
                Preprocessing.defaults(512, 512, Layout.NCHW).withNormalization(new Rgb(123.675, 116.28, 103.53),
                        new Rgb(58.395, 57.12, 57.375)),
                new ClassInfo(List.of("skin", "clothes", "hair"), ClassInfo.distinctColors(3), -1), "pan");
        assertEquals("multilabel", r.outputKind());
        assertEquals(List.of("none", "skin", "clothes", "hair"), r.classes().names());
        agreesWithItself(r);
        assertEquals(4, r.agreement().classes().size());
        assertTrue(r.classRows().stream().allMatch(c -> c.iou() == 1.0));
        // Visualize of a row: the report's output read again, with its label names
        ImagePrediction p = PredictOperation.forReport(r, r.images().get(0)).run(new NullProgressMonitor());
        assertEquals("multilabel", p.kind());
        assertEquals(r.classes().names(), p.classes().names());
        assertEquals(3, p.modelPrediction().channels().size());
        assertArrayEquals(p.parent().labels(), p.model().labels());
    }

    @Test
    void twinLiteNetGivesOneReportPerOutput() throws Exception {
        AccuracyReport r = selfEvaluation("twinlitenet_320.onnx",
                Preprocessing.defaults(320, 320, Layout.NCHW).withNormalization(Rgb.all(0), Rgb.all(255)), null, "twinlitenet");
        assertEquals("classes", r.outputKind());
        assertEquals("drivable_area", r.output().name());
        agreesWithItself(r);
        assertEquals(1, r.outputs().size());
        AccuracyReport lanes = r.outputs().get(0);
        assertEquals("lanes", lanes.output().name());
        agreesWithItself(lanes);
        Path dir = TestData.scratch("zoo-evaluation").resolve("twinlitenet");
        assertTrue(Files.isRegularFile(dir.resolve("report-lanes.html")));
        assertTrue(Files.isRegularFile(dir.resolve("images-lanes.csv")));
        // Visualize of a row of the second output reads that output
        ImagePrediction p = PredictOperation.forReport(lanes, lanes.images().get(0)).run(new NullProgressMonitor());
        assertEquals("classes", p.kind());
        assertEquals(320 * 320, p.modelPrediction().labels().labels().length);
        assertArrayEquals(p.parent().labels(), p.model().labels());
    }
}
