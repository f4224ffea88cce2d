package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.ModelSummary;
import org.junit.jupiter.api.Test;

/**
 * The real DeepLabV3 MobileNetV2 257x257: quantized with the default settings (Performance preset, MinMax ranges, fast
 * bias correction) on 64 of the 147 calibration photos, to keep the test near 30 s (all 147 take about 25 s of
 * calibration alone on a quiet 2-core machine), it must load and run, run every Conv as QLinearConv, and agree with
 * FP32 on at least 97% of the pixels of the first 20 VOC val images (measured: about 99%).
 */
class QuantizeDeeplabTest {

    static final Preprocessing PRE = new Preprocessing(257, 257, Preprocessing.ResizeMode.STRETCH,
            Preprocessing.Rgb.all(127.5), Preprocessing.Rgb.all(127.5), Preprocessing.ColorOrder.RGB, Preprocessing.Layout.NCHW);

    @Test
    void performancePresetOnTheRealModel() throws Exception {
        Path model = TestData.deeplabModel();
        Path photos = TestData.calibrationPhotos();
        Path vocVal = TestData.vocVal();
        ModelSummary fp32 = ModelSummary.of(model);
        assertEquals(ModelSummary.Precision.FP32, fp32.precision());
        assertEquals(55, fp32.opHistogram().get("Conv"));
        assertEquals(3, fp32.opHistogram().get("Resize"));
        assertEquals(688_357, fp32.parameters());
        assertTrue(fp32.macsComplete());
        assertTrue(fp32.macs() > 700_000_000L && fp32.macs() < 750_000_000L, "MACs " + fp32.macs());

        Path out = TestData.scratch("quantize-deeplab").resolve("deeplab.int8.onnx");
        QuantizationResult r = new QuantizeOperation(model).calibration(photos).preprocessing(PRE).subset(64).seed(0)
                .output(out).overwrite(true).run(new NullProgressMonitor());
        assertEquals(64, r.calibrationImages());
        assertEquals(RangeMethod.MEAN_MINMAX, r.settings().method());
        assertTrue(r.settings().fastBiasCorrection());
        assertEquals(55, r.convNodes());
        // exact: with U8S8 and Resize left float, ONNX Runtime fuses all 55 Conv (depthwise and 1x1 alike, measured);
        // one fewer means the Q/DQ placement regressed
        assertEquals(55, r.integerConvNodes(), r.optimizedGraph().opHistogram().toString());
        assertEquals(1, r.optimizedGraph().count("QLinearConcat"));
        assertEquals(10, r.optimizedGraph().count("QLinearAdd"));
        assertEquals(List.of("Resize", "Resize", "Resize"), r.nodes().stream()
                .filter(n -> !n.quantized() && !n.opType().equals("Identity")).map(NodeReport::opType).toList());

        ModelSummary int8 = ModelSummary.of(out);
        assertEquals(ModelSummary.Precision.INT8_QDQ, int8.precision());
        assertEquals(PRE, int8.preprocessing());
        assertEquals(fp32.sha256(), int8.quantization().sourceSha256());
        assertEquals(fp32.macs(), int8.macs());

        SegmentationDataset val = Datasets.open(vocVal, "val");
        List<Sample> first = val.samples().subList(0, 20);
        long agree = 0;
        long total = 0;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession a = Ort.env().createSession(model.toString(), o);
                OrtSession b = Ort.env().createSession(out.toString(), o)) {
            for (Sample s : first) {
                float[] in = PRE.toTensor(val.readImage(s));
                int[] la = argmax(a, in);
                int[] lb = argmax(b, in);
                for (int i = 0; i < la.length; i++) {
                    agree += la[i] == lb[i] ? 1 : 0;
                }
                total += la.length;
            }
        }
        double agreement = (double) agree / total;
        assertTrue(agreement >= 0.97, "pixel agreement with FP32 " + agreement);
    }

    static int[] argmax(OrtSession s, float[] in) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(in), PRE.shape(1));
                OrtSession.Result r = s.run(Map.of("input", t))) {
            OnnxTensor o = (OnnxTensor) r.get(0);
            long[] shape = o.getInfo().getShape();
            FloatBuffer f = o.getFloatBuffer();
            int classes = (int) shape[1];
            int plane = (int) (shape[2] * shape[3]);
            int[] labels = new int[plane];
            float[] best = new float[plane];
            java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < plane; i++) {
                    float v = f.get(c * plane + i);
                    if (v > best[i]) {
                        best[i] = v;
                        labels[i] = c;
                    }
                }
            }
            return labels;
        }
    }
}
