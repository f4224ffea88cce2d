package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.onnx.OnnxModel;
import org.junit.jupiter.api.Test;

/** One calibration, several INT8 models: the seam of the sensitivity analysis and the Accuracy-aware method. */
class CalibrationTest {

    @Test
    void writesTheSameModelAsRunAndRevertsGroupsWithoutCalibratingAgain() throws Exception {
        Path dir = TinyModels.fresh("calibration-test");
        Path model = dir.resolve("tiny.onnx");
        Files.write(model, TinyModels.segmentationNet(7).toByteArray());
        Path images = TinyModels.images(dir.resolve("images"), 12, 24, 20, 3);
        QuantizeOperation op = new QuantizeOperation(model).calibration(images);
        Calibration c = op.calibrate(new NullProgressMonitor());
        assertFalse(Files.exists(dir.resolve("tiny.int8.onnx")), "calibrating writes nothing");
        assertEquals(12, c.images());
        assertEquals(12, c.imageIds().size());

        List<Calibration.Group> groups = c.groups();
        assertFalse(groups.isEmpty());
        Calibration.Written all = c.write();
        assertTrue(all.keptFloat().isEmpty());
        QuantizationResult r = op.write(c, List.of(), new NullProgressMonitor());
        assertEquals(all.quantizedNodes(), r.quantizedNodes(), "write(calibration) writes the plan run() would");
        assertEquals(OnnxModel.load(Path.of(r.outputModel())).graph().nodes().size(),
                OnnxModel.fromBytes(all.bytes(), Path.of("all.onnx")).graph().nodes().size());

        Calibration.Group first = groups.get(0);
        Calibration.Written reverted = c.write(first.nodes());
        assertTrue(reverted.keptFloat().containsAll(first.nodes()));
        assertTrue(reverted.quantizedNodes() < all.quantizedNodes(), "reverting a group quantizes fewer nodes");
        assertTrue(reverted.settings().ignoredScope().names().contains(first.node()),
                "the reverted node is recorded in the settings (and so in the model's metadata)");
        // same ranges where the node is still quantized
        for (var e : reverted.dequantized().entrySet()) {
            assertTrue(all.dequantized().containsKey(e.getKey()));
        }
        // a kept Conv really runs in float: behind its own per-channel DequantizeLinear ONNX Runtime cannot quantize its
        // weights per tensor and fuse it into a QLinearConv again
        var fullGraph = org.int8workbench.core.onnx.OrtOptimizedGraph.analyze(all.bytes(), "all.onnx",
                ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT);
        for (Calibration.Group g : groups) {
            if (g.opType().equals("Conv")) {
                var kept = org.int8workbench.core.onnx.OrtOptimizedGraph.analyze(c.write(g.nodes()).bytes(), "kept.onnx",
                        ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT);
                assertEquals(fullGraph.integerConvCount() - 1, kept.integerConvCount(), g.node() + " kept runs in float");
            }
        }
        // ONNX Runtime runs both
        for (Calibration.Written w : List.of(all, reverted)) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                    OrtSession s = Ort.env().createSession(w.bytes(), o)) {
                assertEquals(1, s.getInputNames().size());
            }
        }
    }
}
