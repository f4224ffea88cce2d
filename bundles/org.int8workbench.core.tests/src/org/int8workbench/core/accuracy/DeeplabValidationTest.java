package org.int8workbench.core.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validation on the real data reproduces the evaluator's figures: the VOC-trained DeepLabV3 (257x257) calibrated
 * with the Default method (Performance preset, MinMax, all 147 calibration photos), judged on the 102 VOC 2012 val
 * pairs. {@code evaluate} measured FP32 mIoU 0.5987, INT8 0.5992 and 99.07% pixel agreement (the Default method, MeanMinMax) (see
 * DeeplabAccuracyRegressionTest); the scores must give the same within 0.0005.
 */
class DeeplabValidationTest {
    // measured here (AMD EPYC, 2 cores): prepare 6 s, score of 102 images 6-9 s, analysis of 67 groups 48 s
    static final Preprocessing PRE = new Preprocessing(257, 257, Preprocessing.ResizeMode.STRETCH, Preprocessing.Rgb.all(127.5),
            Preprocessing.Rgb.all(127.5), Preprocessing.ColorOrder.RGB, Preprocessing.Layout.NCHW);

    private static Calibration calibration;
    private static Validation validation;

    @BeforeAll
    static void prepare() throws Exception {
        calibration = new QuantizeOperation(TestData.deeplabModel()).calibration(TestData.calibrationPhotos()).preprocessing(PRE)
                .calibrate(new NullProgressMonitor());
        long t0 = System.nanoTime();
        validation = Validation.prepare(TestData.deeplabModel(), Datasets.open(TestData.vocVal(), "val"), PRE, null, null,
                new NullProgressMonitor());
        System.out.printf("validation prepared in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void close() {
        if (validation != null) {
            validation.close();
        }
    }

    @Test
    void scoreOfTheDefaultInt8ModelIsTheEvaluatorsFigure() throws Exception {
        assertEquals(102, validation.size());
        assertEquals(AccuracyMetric.MIOU, validation.metric(), "masks: mIoU");
        assertEquals(0.5987, validation.parentMetric(), 0.0005, "FP32 mIoU on the 102 val pairs");

        long t0 = System.nanoTime();
        Score s = validation.score(calibration.write().bytes(), null, new NullProgressMonitor());
        System.out.printf("INT8: %s, drop %.2f points, scored in %.1f s%n", s, s.dropPoints(validation.parentMetric()),
                (System.nanoTime() - t0) / 1e9);
        assertEquals(0.5992, s.value(), 0.0005, "INT8 mIoU (the Default method, as evaluate measures it)");
        assertEquals(0.9907, s.agreement(), 0.0005, "pixel agreement with FP32");
        assertEquals(102, s.imageAgreement().length);
        assertTrue(s.outputError() > 0 && s.outputError() < 0.1, "normalised output error " + s.outputError());

        Score some = validation.score(calibration.write().bytes(), new int[] {3, 7}, new NullProgressMonitor());
        assertEquals(s.imageAgreement()[3], some.imageAgreement()[0], 1e-12, "an image scores the same alone");
        assertEquals(s.imageAgreement()[7], some.imageAgreement()[1], 1e-12);
    }

    @Test
    void analysisRanksEveryGroupAndRevertingTheTopOneHelps() throws Exception {
        long t0 = System.nanoTime();
        SensitivityResult r = SensitivityOperation.analyze(calibration, validation, 8, new NullProgressMonitor());
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("analysis of %d groups in %.1f s; INT8 %s %.4f (FP32 %.4f), agreement %.4f; ranking images %s: "
                + "INT8 agreement %.4f, %s %.4f, output error %.4g%n", r.nodes().size(), seconds, r.metric().label(),
                r.int8Metric(), r.parentMetric(), r.int8Agreement(), r.rankingImages(), r.rankingInt8Agreement(),
                r.metric().label(), r.rankingInt8Metric(), r.rankingInt8OutputError());
        for (NodeSensitivity n : r.top(15)) {
            System.out.printf("%-40s %-18s %7.2f dB  agreement %+6.3f  %s %+6.3f  error %.4g  %s %s float when kept: %s%n",
                    n.node(), n.opType(), n.sqnrDb(), n.agreementGainPoints(), r.metric().label(), n.gainPoints(),
                    n.revertedOutputError(), n.integerKernel() ? "int8" : "float", n.shape(), n.revertedRunsFloat());
        }
        r.warnings().forEach(w -> System.out.println("warning: " + w));
        assertEquals(calibration.groups().size(), r.nodes().size(), "every group is ranked");
        assertEquals(0.5992, r.int8Metric(), 0.0005, "the full INT8 model's figure is the evaluator's");
        assertEquals(0.9907, r.int8Agreement(), 0.0005);
        assertEquals(8, r.rankingImages().size());
        assertTrue(r.rankingInt8Agreement() < r.int8Agreement(), "the ranking images are where INT8 differs most");
        NodeSensitivity top = r.ranked().get(0);
        assertEquals(AccuracyMetric.MIOU, r.rankedBy(), "ranked by the metric");
        assertTrue(top.gainPoints() > 0, "reverting the top-ranked group gains on the ranking images: " + top);
        for (int i = 1; i < r.nodes().size(); i++) {
            assertTrue(r.nodes().get(i - 1).gainPoints() >= r.nodes().get(i).gainPoints(), "most harmful first");
        }
        long measured = r.nodes().stream().filter(n -> !Double.isNaN(n.sqnrDb())).count();
        assertTrue(measured >= r.nodes().size() - 2, measured + " of " + r.nodes().size() + " groups have an SQNR");
        assertTrue(r.nodes().stream().anyMatch(NodeSensitivity::integerKernel), "DeepLabV3's convolutions run as integer kernels");
        // a kept Conv really runs in float (its own per-channel DequantizeLinear): before, ONNX Runtime re-quantized 66 of 67
        long keptConvs = r.nodes().stream().filter(n -> n.opType().equals("Conv")).count();
        long floatConvs = r.nodes().stream().filter(n -> n.opType().equals("Conv") && Boolean.TRUE.equals(n.revertedRunsFloat())).count();
        assertEquals(keptConvs, floatConvs, "every kept Conv runs in float");

        SensitivityResult back = SensitivityResult.fromJson(r.toJson());
        assertEquals(r.ranked().get(0), back.ranked().get(0));
        assertEquals(r.nodes().size(), back.nodes().size());
        assertEquals(r.rankingImages(), back.rankingImages());
    }
}
