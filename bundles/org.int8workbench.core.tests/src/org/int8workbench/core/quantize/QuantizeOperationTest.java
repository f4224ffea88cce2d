package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quantizer end to end on small generated graphs and images. */
class QuantizeOperationTest {

    private Path dir;
    private Path model;
    private Path images;

    @BeforeEach
    void setUp() throws IOException {
        dir = TinyModels.fresh("quantize-operation-test");
        model = dir.resolve("tiny.onnx");
        Files.write(model, TinyModels.segmentationNet(7).toByteArray());
        images = TinyModels.images(dir.resolve("images"), 12, 24, 20, 3);
    }

    private Set<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void quantizesAllConvolutionsAndRecordsWhatItDid() throws Exception {
        QuantizationResult r = new QuantizeOperation(model).calibration(images).run(new NullProgressMonitor());
        Path out = dir.resolve("tiny.int8.onnx");
        assertEquals(out.toString(), r.outputModel());
        assertTrue(Files.isRegularFile(out));
        assertEquals(Sha256.of(out), r.outputSha256());
        assertEquals(Sha256.of(model), r.sourceSha256());
        assertEquals(12, r.calibrationImages());
        assertEquals(5, r.convNodes());
        assertEquals(5, r.integerConvNodes(), "every Conv runs as QLinearConv: " + r.optimizedGraph().opHistogram());
        // Conv x5, Clip x2 folded, Relu folded, Add, GlobalAveragePool, Concat: 11 INT8; 2 Resize + Identity FP32
        assertEquals(11, r.quantizedNodes());
        assertEquals(3, r.floatNodes());
        assertTrue(r.integerNodes() >= 5 + 1 + 1 + 1, "QLinearConv, QLinearAdd, QLinearGlobalAveragePool, QLinearConcat");
        NodeReport resize = r.nodes().stream().filter(n -> n.opType().equals("Resize")).findFirst().orElseThrow();
        assertFalse(resize.quantized());
        assertTrue(resize.reason().contains("Resize"), resize.reason());
        NodeReport clip = r.nodes().stream().filter(n -> n.opType().equals("Clip")).findFirst().orElseThrow();
        assertTrue(clip.quantized() && clip.reason().startsWith("folded"), clip.reason());
        NodeReport conv = r.nodes().stream().filter(n -> n.opType().equals("Conv")).findFirst().orElseThrow();
        assertEquals(0, conv.zeroPoint(), "ReLU6 output is non-negative: zero point 0");
        assertTrue(conv.rangeMax() <= 6.0 && conv.rangeMax() > 0);
        assertTrue(conv.weightScaleMin() > 0 && conv.weightScaleMax() >= conv.weightScaleMin());
        assertTrue(conv.weightMin() < 0 && conv.weightMax() > 0);

        // the written model says how it was made
        ModelSummary s = ModelSummary.of(out);
        assertEquals(ModelSummary.Precision.INT8_QDQ, s.precision());
        assertEquals(Preprocessing.defaults(16, 16, Preprocessing.Layout.NCHW), s.preprocessing());
        assertNotNull(s.quantization());
        assertEquals(r.sourceSha256(), s.quantization().sourceSha256());
        assertEquals("performance", s.quantization().settings().get("preset"));
        assertEquals(12, s.quantization().calibrationImages());
        assertEquals(3, s.quantization().floatNodes().size() + 1); // Identity is not listed

        // and computes nearly what the FP32 model computes
        float[] in = Preprocessing.defaults(16, 16, Preprocessing.Layout.NCHW)
                .toTensor(javax.imageio.ImageIO.read(images.resolve("img_000.png").toFile()));
        float[] a = run(model, in);
        float[] b = run(out, in);
        float range = 0;
        float err = 0;
        for (int i = 0; i < a.length; i++) {
            range = Math.max(range, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(err < 0.1f * range, "max error " + err + " for outputs up to " + range);

        // never replaced without being asked
        String before = Sha256.of(out);
        CoreException e = assertThrows(CoreException.class,
                () -> new QuantizeOperation(model).calibration(images).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("exists"), e.getStatus().getMessage());
        assertEquals(before, Sha256.of(out));
        new QuantizeOperation(model).calibration(images).overwrite(true).run(new NullProgressMonitor());
        // the source is never the output
        assertThrows(CoreException.class, () -> new QuantizeOperation(model).calibration(images).output(model).overwrite(true)
                .run(new NullProgressMonitor()));
    }

    static float[] run(Path m, float[] input) throws Exception {
        try (OrtSession s = Ort.env().createSession(m.toString(), new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(input), new long[] {1, 3, 16, 16});
                OrtSession.Result r = s.run(Map.of("input", t))) {
            FloatBuffer f = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[f.remaining()];
            f.get(out);
            return out;
        }
    }

    @Test
    void cancelLeavesNothing() throws IOException {
        Set<String> before = listing();
        NullProgressMonitor cancelling = new NullProgressMonitor() {
            private int calls;

            @Override
            public boolean isCanceled() {
                return ++calls > 4;
            }
        };
        assertThrows(OperationCanceledException.class,
                () -> new QuantizeOperation(model).calibration(images).run(cancelling));
        assertEquals(before, listing());
    }

    @Test
    void everyMethodAndPresetProducesAWorkingModel() throws Exception {
        float[] in = Preprocessing.defaults(16, 16, Preprocessing.Layout.NCHW)
                .toTensor(javax.imageio.ImageIO.read(images.resolve("img_001.png").toFile()));
        float[] ref = run(model, in);
        for (Preset preset : Preset.values()) {
            for (RangeMethod method : RangeMethod.values()) {
                Path out = dir.resolve("tiny-" + preset.cliName() + "-" + method.cliName() + ".onnx");
                QuantizationResult r = new QuantizeOperation(model).calibration(images).preset(preset).method(method)
                        .output(out).run(new NullProgressMonitor());
                assertEquals(5, r.integerConvNodes(), preset + " " + method);
                float[] q = run(out, in);
                assertEquals(ref.length, q.length);
                for (NodeReport n : r.nodes()) {
                    if (n.quantized() && n.opType().equals("Add") && preset == Preset.MIXED) {
                        assertTrue(n.zeroPoint() >= 0 && n.zeroPoint() <= 255);
                    }
                }
            }
        }
    }

    @Test
    void ignoredScopeAndKeepFirstLast() throws Exception {
        QuantizationResult r = new QuantizeOperation(model).calibration(images).ignore(IgnoredScope.parse(List.of("Add")))
                .keepFirstLast(true).output(dir.resolve("partial.onnx")).run(new NullProgressMonitor());
        NodeReport add = r.nodes().stream().filter(n -> n.opType().equals("Add")).findFirst().orElseThrow();
        assertFalse(add.quantized());
        assertTrue(add.reason().contains("ignored scope"), add.reason());
        long keptConv = r.nodes().stream().filter(n -> n.opType().equals("Conv") && !n.quantized()).count();
        assertEquals(2, keptConv);
        assertTrue(r.nodes().stream().anyMatch(n -> n.reason().contains("first layer")));
        assertEquals(3, r.integerConvNodes());
        assertEquals(ModelSummary.Precision.MIXED, ModelSummary.of(dir.resolve("partial.onnx")).precision());
    }

    @Test
    void subsetIsDeterministicForASeed() {
        List<Sample> all = java.util.stream.IntStream.range(0, 50).mapToObj(i -> new Sample("s" + i, null, null, i)).toList();
        QuantizationSettings a = new QuantizationSettings(Preset.PERFORMANCE, RangeMethod.MINMAX, 99.9, 10, 0, 5,
                IgnoredScope.none(), false, false);
        assertEquals(QuantizeOperation.pick(all, a), QuantizeOperation.pick(all, a));
        assertEquals(10, QuantizeOperation.pick(all, a).size());
        QuantizationSettings b = new QuantizationSettings(Preset.PERFORMANCE, RangeMethod.MINMAX, 99.9, 10, 0, 6,
                IgnoredScope.none(), false, false);
        assertFalse(QuantizeOperation.pick(all, a).equals(QuantizeOperation.pick(all, b)));
        QuantizationSettings pct = new QuantizationSettings(Preset.PERFORMANCE, RangeMethod.MINMAX, 99.9, 0, 20, 5,
                IgnoredScope.none(), false, false);
        assertEquals(10, QuantizeOperation.pick(all, pct).size());
        assertEquals(50, QuantizeOperation.pick(all, QuantizationSettings.defaults()).size());
    }

    @Test
    void fastBiasCorrectionShiftsBiases() throws Exception {
        QuantizationResult r = new QuantizeOperation(model).calibration(images).fastBiasCorrection(true)
                .output(dir.resolve("fbc.onnx")).run(new NullProgressMonitor());
        assertEquals(5, r.integerConvNodes());
        assertTrue(r.nodes().stream().filter(n -> n.opType().equals("Conv")).allMatch(n -> n.biasShift() >= 0));
        assertTrue(r.nodes().stream().anyMatch(n -> n.biasShift() > 0), "some bias moved");
        assertEquals("true", ModelSummary.of(dir.resolve("fbc.onnx")).quantization().settings().get("fastBiasCorrection"));
    }

    @Test
    void gemmAndMatMulBecomeIntegerKernels() throws Exception {
        Random rnd = new Random(2);
        GraphBuilder b = new GraphBuilder("fc").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 4, 4);
        String flat = b.node("Flatten", "input").attr("axis", 1).output();
        String w1 = b.initializer(null, TinyModels.random(rnd, 16 * 48, 0.2f), 16, 48);
        String c1 = b.initializer(null, TinyModels.random(rnd, 16, 0.1f), 16);
        String g = b.node("Gemm", flat, w1, c1).attr("transB", 1).output();
        String relu = b.relu(g);
        String w2 = b.initializer(null, TinyModels.random(rnd, 16 * 5, 0.2f), 16, 5);
        b.node("MatMul", relu, w2).outputs("y");
        b.output("y", DataType.FLOAT, 1, 5);
        ModelProto m = b.build();
        Path fc = dir.resolve("fc.onnx");
        Files.write(fc, m.toByteArray());
        QuantizationResult r = new QuantizeOperation(fc).calibration(images).run(new NullProgressMonitor());
        Map<String, Integer> h = r.optimizedGraph().opHistogram();
        assertEquals(3, r.quantizedNodes(), "Gemm, folded Relu, MatMul: " + r.nodes());
        assertTrue(r.integerNodes() >= 2, "QGemm and an integer MatMul: " + h);
        ModelSummary s = ModelSummary.of(dir.resolve("fc.int8.onnx"));
        assertEquals(ModelSummary.Precision.INT8_QDQ, s.precision());
        assertEquals(16 * 48 + 16 * 5, s.macs());
        OnnxModel.load(dir.resolve("fc.int8.onnx"));
    }
}
