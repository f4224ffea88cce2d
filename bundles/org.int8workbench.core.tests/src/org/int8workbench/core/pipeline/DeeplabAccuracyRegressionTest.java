package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.head.HeadExactness;
import org.int8workbench.core.quantize.RangeMethod;
import org.int8workbench.core.report.AccuracyReport;
import org.junit.jupiter.api.Test;

/**
 * The accuracy claims on the real data, through the one pipeline the commands and the workbench run, so a regression
 * fails the build: the VOC-trained DeepLabV3 (257x257) quantized with the Default method and the Performance preset
 * (MeanMinMax ranges, one-sided signed ranges asymmetric, fast bias correction), calibrated on all 147 calibration
 * photos, cut before its head, and the model with the exact head judged on all 102 VOC 2012 val images (never
 * calibrated on).
 *
 * <p>Measured (ONNX Runtime 1.29.0, AMD EPYC with AVX-512 VNNI): FP32 mIoU 0.5987; INT8 0.5992 (+0.05 points), pixel
 * agreement with FP32 99.07% (the Default before, MinMax ranges and zero point 128 for every signed range: INT8 0.5900,
 * −0.87 points, 99.10%). Bounds: INT8 within 0.5 point of FP32 (the accuracy-control issue's bound for the Default
 * method), agreement at least 97%, and FP32 itself at 0.5987 ± 0.002 (the pipeline: decoding that ignores embedded
 * colour profiles as PIL does, preprocessing, nearest mapping back to the mask size; with ImageIO's colour management
 * of the 26 images that embed a profile FP32 was 0.6000). The INT8 model cut before its head gives the same labels as
 * the full INT8 graph, pixel for pixel, on all 102 images, so the figures of the cut model are those of the INT8 model.
 */
class DeeplabAccuracyRegressionTest {
    static final Preprocessing PRE = new Preprocessing(257, 257, Preprocessing.ResizeMode.STRETCH, Preprocessing.Rgb.all(127.5),
            Preprocessing.Rgb.all(127.5), Preprocessing.ColorOrder.RGB, Preprocessing.Layout.NCHW);

    @Test
    void int8StaysWithinHalfAPointOfFp32OnVocVal() throws Exception {
        Path model = TestData.deeplabModel();
        Path dir = PipelineTinyModel.fresh("accuracy-regression");
        PipelineRequest request = PipelineRequest.optimize(model, Datasets.open(TestData.calibrationPhotos())).withPreprocessing(PRE)
                .withCompare(PipelineRequest.Compare.on(Datasets.open(TestData.vocVal(), "val")).withPictures(false))
                .withOutputs(OutputFiles.besideInt8(dir.resolve("deeplab.int8.onnx")));
        PipelineResult p = new OptimizePipeline(request).run(new NullProgressMonitor());
        assertEquals(147, p.quantization().calibrationImages(), "default subset is 300, or all if fewer");
        assertEquals(RangeMethod.MEAN_MINMAX, p.quantization().settings().method(), "the Default method's range estimator");
        assertTrue(p.hasHead(), p.headCut().reason());
        assertEquals(dir.resolve("deeplab.int8.head.onnx"), p.head());

        AccuracyReport r = p.accuracy();
        assertEquals(p.head().toString(), r.model().path(), "the model with the exact head is the one judged");
        assertEquals(102, r.images().size());
        double fp32 = r.reference().meanIoU();
        double int8MeanIoU = r.groundTruth().meanIoU();
        double agreement = r.agreement().pixelAgreement();
        System.out.printf("accuracy regression: FP32 mIoU %.4f, INT8 mIoU %.4f (%+.2f points), agreement %.4f%n", fp32,
                int8MeanIoU, (int8MeanIoU - fp32) * 100, agreement);
        assertEquals(0.5987, fp32, 0.002, "FP32 mIoU on the 102 val images");
        assertTrue(fp32 - int8MeanIoU <= 0.005, "INT8 mIoU " + int8MeanIoU + " must stay within 0.5 point of FP32 " + fp32);
        assertTrue(agreement >= 0.97, "pixel agreement with FP32 " + agreement);

        HeadExactness.Report exact = HeadExactness.check(p.int8(), TestData.vocVal(), PRE, 0);
        assertEquals(102, exact.images());
        assertEquals(0, exact.differing(), "cut INT8 model + exact head vs full INT8 graph + argmax");
    }
}
