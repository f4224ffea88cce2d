package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.NodeSensitivity;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sensitivity} through picocli on a small two-convolution model: the table, the JSON and the HTML report. */
class SensitivityCommandTest {

    @Test
    void ranksEveryGroupAndWritesTheReport() throws Exception {
        Path dir = TestData.scratch("sensitivity-command-test");
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
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
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        for (int k = 0; k < 12; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    img.setRGB(x, y, ((x * 13 + k * 17) % 256) << 16 | ((y * 11 + k * 5) % 256) << 8 | (((x + y) * 7 * k) % 256));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve(String.format("i%02d.png", k)).toFile());
        }
        Path json = dir.resolve("sens.json");
        Path report = dir.resolve("report");

        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = cl.execute("sensitivity", model.toString(), "--calibration", images.toString(), "--subset", "8",
                    "--images", "2", "--json", json.toString(), "--report", report.toString());
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(0, code, err.toString());

        SensitivityResult r = SensitivityResult.fromJson(Files.readString(json));
        assertEquals(AccuracyMetric.AGREEMENT, r.metric(), "no masks: agreement with FP32");
        assertEquals(8, r.calibrationImages());
        assertEquals(4, r.validationImages(), "validated on the 4 calibration images not calibrated on");
        assertEquals(2, r.rankingImages().size());
        assertEquals(2, r.nodes().size(), "both convolutions are groups");
        assertEquals(1.0, r.parentMetric());
        assertTrue(r.int8Metric() > 0.5 && r.int8Metric() <= 1.0, "INT8 agreement " + r.int8Metric());
        for (NodeSensitivity n : r.nodes()) {
            assertTrue(n.sqnrDb() > 5 && n.sqnrDb() < 80, n.node() + " SQNR " + n.sqnrDb());
            assertFalse(Double.isNaN(n.agreementGainPoints()), n.node());
            assertEquals(4, n.shape().size(), n.node() + " shape " + n.shape());
        }
        assertTrue(printed.contains("SQNR dB") && printed.contains(r.ranked().get(0).node()), printed);
        String html = Files.readString(report.resolve("sensitivity.html"));
        for (NodeSensitivity n : r.nodes()) {
            assertTrue(html.contains("data-node=\"" + n.node() + "\""), n.node());
        }
        assertEquals(r.nodes().size(), SensitivityResult.fromJson(Files.readString(report.resolve("sensitivity.json"))).nodes().size());

        // an existing report folder is refused before any work
        assertEquals(1, Main.commandLine().execute("sensitivity", model.toString(), "--calibration", images.toString(),
                "--report", report.toString()));
    }
}
