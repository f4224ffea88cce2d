package org.int8workbench.core.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/** The sensitivity operation on a small model: cancels cleanly, and its record survives JSON (NaN included). */
class SensitivityOperationTest {

    static Path model(Path dir) throws Exception {
        GraphBuilder b = new GraphBuilder("sens").opset(13);
        b.input("input", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 3, 16, 16);
        float[] w1 = new float[6 * 3 * 9];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = ((i * 37) % 11 - 5) * 0.08f;
        }
        float[] w2 = new float[4 * 6 * 9];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = ((i * 53) % 13 - 6) * 0.05f;
        }
        String c1 = b.relu6(b.conv("input", w1, new long[] {6, 3, 3, 3}, new float[] {0.1f, 0f, -0.1f, 0.2f, 0.05f, -0.05f}, 1, 1, 1, 1));
        String c2 = b.conv(c1, w2, new long[] {4, 6, 3, 3}, new float[] {0.1f, -0.2f, 0.05f, 0f}, 1, 1, 1, 1);
        b.node("Identity", c2).outputs("out");
        b.output("out", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 4, 16, 16);
        Path model = dir.resolve("m.onnx");
        Files.write(model, b.toBytes());
        return model;
    }

    static Path images(Path dir, int n) throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        for (int k = 0; k < n; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    img.setRGB(x, y, ((x * 13 + k * 17) % 256) << 16 | ((y * 11 + k * 5) % 256) << 8 | (((x + y) * 7 * k) % 256));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve(String.format("i%02d.png", k)).toFile());
        }
        return images;
    }

    @Test
    void runsOnCalibrationImagesAndSurvivesJson() throws Exception {
        Path dir = TestData.scratch("sensitivity-operation-test");
        Path model = model(dir);
        Path images = images(dir, 6);
        SensitivityResult r = new SensitivityOperation(model).calibration(images).rankingImages(3).run(new NullProgressMonitor());
        assertEquals(AccuracyMetric.AGREEMENT, r.metric());
        assertEquals(6, r.validationImages(), "every image calibrated on: validated on the calibration images");
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("calibration images themselves")), r.warnings().toString());
        assertEquals(2, r.nodes().size());
        assertTrue(r.nodes().stream().anyMatch(n -> n.opType().equals("Conv") && n.nodes().size() == 2),
                "the Relu6 is reverted with its Conv: " + r.nodes());
        SensitivityResult back = SensitivityResult.fromJson(r.toJson());
        assertEquals(r.ranked(), back.ranked());
        assertEquals(r.rankingImages(), back.rankingImages());
        NodeSensitivity nan = new NodeSensitivity("n", "Conv", List.of("n"), "t", List.of(), false, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
        assertTrue(Double.isNaN(Json.roundTrip(nan).sqnrDb()), "NaN survives");
        assertTrue(SensitivityReport.html(r).contains(r.ranked().get(0).node()));
    }

    @Test
    void cancelStopsTheAnalysis() throws Exception {
        Path dir = TestData.scratch("sensitivity-cancel-test");
        Path model = model(dir);
        Path images = images(dir, 6);
        AtomicInteger steps = new AtomicInteger();
        NullProgressMonitor cancelling = new NullProgressMonitor() {
            @Override
            public void worked(int work) {
                if (steps.incrementAndGet() > 5) {
                    setCanceled(true);
                }
            }

            @Override
            public void internalWorked(double work) {
                worked(1);
            }
        };
        assertThrows(OperationCanceledException.class,
                () -> new SensitivityOperation(model).calibration(images).rankingImages(3).run(cancelling));
    }

    /** JSON round trip of one record through the core's mapping. */
    static final class Json {
        static NodeSensitivity roundTrip(NodeSensitivity n) {
            return org.int8workbench.core.Json.gson().fromJson(org.int8workbench.core.Json.toJson(n), NodeSensitivity.class);
        }
    }
}
