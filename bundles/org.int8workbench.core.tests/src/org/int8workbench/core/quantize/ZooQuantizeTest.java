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
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The four real zoo models (see shared/data/zoo/PROVENANCE.md) quantized with the default settings on 32 calibration
 * photos and the preprocessing of their source repositories: how many Conv ONNX Runtime runs as QLinearConv in its
 * saved optimized graph, what stays float, and the cosine of the raw INT8 and FP32 outputs on 12 other photos.
 */
class ZooQuantizeTest {

    static Preprocessing pre(int w, int h, Layout layout, Rgb mean, Rgb std) {
        return new Preprocessing(w, h, Preprocessing.ResizeMode.STRETCH, mean, std, Preprocessing.ColorOrder.RGB, layout);
    }

    static final Rgb ZERO = Rgb.all(0);
    static final Rgb R255 = Rgb.all(255);

    record Outcome(QuantizationResult result, double cosine) {
    }

    static Outcome quantize(String file, Preprocessing pre) throws Exception {
        Path model = TestData.zooModel(file);
        Path out = TestData.scratch("zoo-quantize").resolve(file.replace(".onnx", ".int8.onnx"));
        QuantizationResult r = new QuantizeOperation(model).calibration(TestData.calibrationPhotos()).preprocessing(pre)
                .subset(32).seed(0).output(out).overwrite(true).run(new NullProgressMonitor());
        double cos = cosine(model, out, pre);
        OrtOptimizedGraph g = r.optimizedGraph();
        System.out.println("ZOO " + file + ": Conv " + r.convNodes() + ", QLinearConv " + r.integerConvNodes() + ", integer nodes "
                + g.integerNodes() + ", cosine " + String.format("%.4f", cos) + "\nZOO   optimized " + g.opHistogram());
        for (OrtOptimizedGraph.FloatNode f : g.floatComputeNodes()) {
            System.out.println("ZOO   float " + f.opType() + " " + f.name() + ": " + f.reason());
        }
        for (String w : r.notes()) {
            System.out.println("ZOO   note " + w);
        }
        for (String w : r.warnings()) {
            System.out.println("ZOO   warning " + w);
        }
        for (NodeReport n : r.nodes()) {
            if (!n.quantized()) {
                System.out.println("ZOO   plan-float " + n.opType() + " " + n.name() + ": " + n.reason());
            }
        }
        return new Outcome(r, cos);
    }

    /** Mean cosine of the first outputs of the two models on 12 photos not used for calibration (the last 12). */
    static double cosine(Path a, Path b, Preprocessing pre) throws Exception {
        SegmentationDataset photos = Datasets.open(TestData.calibrationPhotos(), null);
        List<Sample> all = photos.samples();
        List<Sample> test = all.subList(all.size() - 12, all.size());
        double sum = 0;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession sa = Ort.env().createSession(a.toString(), o);
                OrtSession sb = Ort.env().createSession(b.toString(), o)) {
            String in = sa.getInputNames().iterator().next();
            for (Sample s : test) {
                float[] x = pre.toTensor(photos.readImage(s));
                float[] ya = run(sa, in, x, pre);
                float[] yb = run(sb, sb.getInputNames().iterator().next(), x, pre);
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int i = 0; i < ya.length; i++) {
                    dot += (double) ya[i] * yb[i];
                    na += (double) ya[i] * ya[i];
                    nb += (double) yb[i] * yb[i];
                }
                sum += dot / Math.sqrt(na * nb);
            }
        }
        return sum / test.size();
    }

    static float[] run(OrtSession s, String input, float[] x, Preprocessing pre) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), pre.shape(1));
                OrtSession.Result r = s.run(Map.of(input, t))) {
            FloatBuffer f = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[f.remaining()];
            f.get(out);
            return out;
        }
    }

    @Test
    void pphumansegConstantWeightsAndBatchNorm() throws Exception {
        Outcome o = quantize("pphumanseg_lite_portrait.onnx", pre(398, 224, Layout.NCHW, Rgb.all(127.5), Rgb.all(127.5)));
        assertEquals(48, o.result().convNodes());
        assertEquals(48, o.result().integerConvNodes(), o.result().optimizedGraph().opHistogram().toString());
        assertTrue(o.cosine() > 0.95, "cosine " + o.cosine());
        // the final Resize's sizes, computed from Shape at run time in the parent, are constants of the fixed-size INT8
        // model, so the exact fast label head applies
        var cut = org.int8workbench.core.head.HeadCut.cut(org.int8workbench.core.onnx.OnnxModel.load(
                Path.of(o.result().outputModel())).proto());
        System.out.println("ZOO pphumanseg head: " + (cut.found() ? cut.head().get() : cut.reason()));
        assertTrue(cut.found(), cut.reason());
    }

    @Test
    void mediapipeSelfie() throws Exception {
        Outcome o = quantize("mediapipe_selfie_256_nhwc.onnx", pre(256, 256, Layout.NHWC, ZERO, R255));
        assertEquals(55, o.result().integerConvNodes(), o.result().optimizedGraph().opHistogram().toString());
    }

    @Test
    void twinlitenet() throws Exception {
        Outcome o = quantize("twinlitenet_320.onnx", pre(320, 320, Layout.NCHW, ZERO, R255));
        assertEquals(58, o.result().convNodes()); // 52 Conv + 6 ConvTranspose written as Conv + DepthToSpace
        assertEquals(58, o.result().integerConvNodes(), o.result().optimizedGraph().opHistogram().toString());
        assertTrue(o.cosine() > 0.95, "cosine " + o.cosine());
    }

    @Test
    void pan() throws Exception {
        Outcome o = quantize("pan_mnv3s_skin_clothes_hair_512.onnx", pre(512, 512, Layout.NCHW,
                new Rgb(123.675, 116.28, 103.53), new Rgb(58.395, 57.12, 57.375)));
        assertEquals(67, o.result().integerConvNodes(), o.result().optimizedGraph().opHistogram().toString());
        assertEquals(13, o.result().optimizedGraph().count("QLinearGlobalAveragePool"));
    }
}
