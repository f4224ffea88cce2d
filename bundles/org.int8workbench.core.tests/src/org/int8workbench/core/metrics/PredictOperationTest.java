package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predicting one image gives the labels the evaluator measured for it, also for a model cut before its head. */
class PredictOperationTest {

    private static final int CLASSES = 6;
    private static final Preprocessing PRE = Preprocessing.defaults(11, 9, Preprocessing.Layout.NCHW);

    @TempDir
    Path tmp;

    /** image [1,3,9,11] -> Conv 3x3 (6 classes) -> Resize (linear, to 37x29) -> ArgMax -> int64 labels [1,37,29]. */
    private Path modelWithHead() throws Exception {
        GraphBuilder b = new GraphBuilder("net").opset(13);
        b.input("image", DataType.FLOAT, 1, 3, 9, 11);
        Random r = new Random(11);
        float[] w = new float[CLASSES * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        String logits = b.conv("image", w, new long[] {CLASSES, 3, 3, 3}, new float[CLASSES], 1, 1, 1, 1);
        String up = b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withSizes(1, CLASSES, 37, 29));
        b.node("ArgMax", up).attr("axis", 1L).attr("keepdims", 0L).outputs("labels");
        b.output("labels", DataType.INT64, 1, 37, 29);
        Path file = tmp.resolve("net.onnx");
        Files.write(file, b.build().toByteArray());
        return file;
    }

    @Test
    void theHeadModelsLabelsAreTheOnesTheEvaluatorMeasured() throws Exception {
        Path full = modelWithHead();
        CutHeadOperation.CutHeadResult cut = new CutHeadOperation(full).run(new NullProgressMonitor());
        assertTrue(cut.cut(), cut.reason());
        Path head = cut.output();
        SegmentationDataset data = Datasets.generated(3, 40, 30, 7, GeneratedDataset.Kind.PATTERN);
        Path report = tmp.resolve("report");
        AccuracyReport r = new EvaluateOperation().model(head).parent(full).dataset(data).preprocessing(PRE).reportDir(report)
                .saveLabelMaps(true).renderImages(false).run(new NullProgressMonitor());
        assertEquals(1.0, r.agreement().pixelAgreement(), "the exact head gives the full model's labels");

        for (int i = 0; i < 3; i++) {
            Sample s = data.samples().get(i);
            BufferedImage image = data.readImage(s);
            ImagePrediction p = new PredictOperation().model(head).parent(full).preprocessing(PRE).image(s.id(), image)
                    .run(new NullProgressMonitor());
            LabelMask measured = AccuracyReportWriter.readLabelMap(report.resolve(AccuracyReportWriter.labelMapFile(s.id(), i)));
            assertEquals(29, measured.width(), "the head's labels at the full model's output size");
            assertArrayEquals(Postprocessing.toImage(measured, PRE, 40, 30).labels(), p.model().labels(), s.id());
            assertArrayEquals(p.parent().labels(), p.model().labels(), s.id());
            assertEquals(CLASSES, p.classes().count());
            assertNull(p.groundTruth());

            // what Visualize used to show for a head model: argmax of the low-resolution logits, other labels
            ImagePrediction argmax = new PredictOperation().model(head).preprocessing(PRE).image(s.id(), image)
                    .predictor(new ArgmaxDecoder(null, PRE, null)).run(new NullProgressMonitor());
            assertNull(argmax.parent());
            assertFalse(Arrays.equals(argmax.model().labels(), p.model().labels()), s.id());
        }
    }

    @Test
    void aReportRowOfTheRealModelIsPredictedAsMeasured() throws Exception {
        Path fp32 = TestData.deeplabModel();
        CutHeadOperation.CutHeadResult cut = new CutHeadOperation(fp32).output(tmp.resolve("deeplab.head.onnx"))
                .run(new NullProgressMonitor());
        assertTrue(cut.cut(), cut.reason());
        Path report = tmp.resolve("report");
        AccuracyReport r = new EvaluateOperation().model(cut.output()).parent(fp32).dataset(Datasets.open(TestData.vocVal()))
                .limit(2).reportDir(report).saveLabelMaps(true).renderImages(false).run(new NullProgressMonitor());
        AccuracyReport back = AccuracyReportWriter.read(report.resolve(AccuracyReportWriter.JSON));
        AccuracyReport.ImageRow row = back.images().get(1);
        ImagePrediction p = PredictOperation.forReport(back, row).run(new NullProgressMonitor());
        LabelMask measured = AccuracyReportWriter.readLabelMap(report.resolve(AccuracyReportWriter.labelMapFile(row.id(), 1)));
        assertArrayEquals(Postprocessing.toImage(measured, r.preprocessing(), row.width(), row.height()).labels(), p.model().labels());
        assertNotNull(p.groundTruth());
        assertNotNull(p.parent());
        assertEquals(row.id(), p.id());
        assertEquals(r.classes(), p.classes());
        // the row's figures follow from the predicted labels
        long same = 0;
        for (int i = 0; i < p.model().labels().length; i++) {
            if (p.model().labels()[i] == p.parent().labels()[i]) {
                same++;
            }
        }
        assertEquals(row.pixelAgreement(), (double) same / p.model().labels().length, 1e-15);
    }
}
