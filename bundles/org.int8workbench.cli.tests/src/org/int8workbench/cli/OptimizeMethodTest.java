package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code optimize --method default|accuracy-aware --range ... --max-drop D --validation DATASET --metric ...
 * --max-reverts N} through picocli on a tiny two-layer model: the flags reach the pipeline, the steps and the drop are
 * printed and written to the JSON, the old {@code --method minmax} still works with a note, and wrong combinations fail
 * with one line before any work.
 */
class OptimizeMethodTest {

    private Path dir;
    private Path model;
    private Path images;
    private StringWriter err;
    private String out;

    @BeforeEach
    void setUp() throws IOException {
        dir = TestData.scratch("optimize-method-test");
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
        GraphBuilder b = new GraphBuilder("cli").opset(13);
        b.input("input", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 3, 8, 8);
        float[] w = new float[6 * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 37) % 11 - 5) * 0.05f;
        }
        String c1 = b.relu6(b.conv("input", w, new long[] {6, 3, 3, 3}, new float[] {0.1f, 0f, -0.1f, 0.2f, 0.05f, -0.05f}, 1, 1, 1, 1));
        float[] w2 = new float[4 * 6 * 9];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = ((i * 53) % 13 - 6) * 0.04f;
        }
        String c2 = b.conv(c1, w2, new long[] {4, 6, 3, 3}, new float[] {0.02f, -0.03f, 0.01f, 0f}, 1, 1, 1, 1);
        b.node("Identity", c2).outputs("out");
        b.output("out", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 4, 8, 8);
        model = dir.resolve("m.onnx");
        Files.write(model, b.toBytes());
        images = dir.resolve("images");
        Files.createDirectories(images);
        for (int k = 0; k < 10; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    img.setRGB(x, y, ((x * 25 + k * 17) % 256) << 16 | ((y * 20 + k * 7) % 256) << 8 | ((x + y) * 12 + k) % 256);
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve("i" + k + ".png").toFile());
        }
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("optimize", model.toString(), "--calibration", images.toString()));
            all.addAll(List.of(args));
            return cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
            out = bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private void fails(String expected, String... args) {
        assertEquals(1, run(args), out);
        String e = err.toString().strip();
        assertTrue(e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertFalse(Files.exists(dir.resolve("m.int8.onnx")), "nothing written");
    }

    @Test
    void accuracyAwareRunsWithItsFlagsAndReportsTheSteps() throws IOException {
        Path json = dir.resolve("aware.json");
        // agreement validated on the calibration images not used for calibration (5 of 10 used)
        assertEquals(0, run("--method", "accuracy-aware", "--max-drop", "0", "--metric", "agreement", "--subset", "5",
                "--max-reverts", "3", "--range", "mse", "--json", json.toString()), err.toString());
        assertTrue(out.contains("Accuracy-aware (agreement on"), out);
        assertTrue(out.contains("not used for calibration"), out);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("MSE", o.getAsJsonObject("settings").get("method").getAsString());
        JsonObject a = o.getAsJsonObject("accuracyAware");
        assertEquals("AGREEMENT", a.get("metric").getAsString());
        assertEquals(5, a.get("validationImages").getAsInt());
        assertEquals(0.0, a.get("maxDropPoints").getAsDouble());
        assertTrue(a.getAsJsonArray("steps").size() <= 3, a.toString());
        boolean reached = a.get("reached").getAsBoolean();
        assertTrue(out.contains(reached ? "reached:" : "NOT reached"), out);
        // what the result keeps in FP32 is in the written model's settings
        for (var k : a.getAsJsonArray("keptFloat")) {
            assertTrue(o.getAsJsonObject("settings").toString().contains(k.getAsString()), o.toString());
        }

        // on a dataset given with --validation, and the range estimator through the old --method: a note says --range
        Files.delete(json);
        assertEquals(0, run("--method", "percentile", "--force"), err.toString());
        assertTrue(err.toString().contains("note: --method percentile is the range estimator; use --range percentile"), err.toString());
        assertFalse(out.contains("Accuracy-aware"), out);
        assertEquals(0, run("--method", "accuracy-aware", "--max-drop", "5", "--validation", images.toString(), "--force",
                "--json", json.toString()), err.toString());
        a = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("accuracyAware");
        assertEquals(10, a.get("validationImages").getAsInt());
        assertEquals("AGREEMENT", a.get("metric").getAsString(), "no masks: agreement");
    }

    @Test
    void wrongCombinationsFailWithOneLine() {
        fails("--method accuracy-aware needs --max-drop D", "--method", "accuracy-aware", "--validation", images.toString());
        fails("--method accuracy-aware needs --validation DATASET", "--method", "accuracy-aware", "--max-drop", "0.3");
        fails("--method accuracy-aware needs --validation DATASET", "--method", "accuracy-aware", "--max-drop", "0.3", "--metric", "miou");
        fails("--max-drop applies to --method accuracy-aware", "--max-drop", "0.3");
        fails("--validation applies to --method accuracy-aware", "--validation", images.toString());
        fails("--max-drop takes a number of percentage points", "--method", "accuracy-aware", "--max-drop", "-1", "--metric", "agreement");
        fails("--max-drop takes a number of percentage points", "--method", "accuracy-aware", "--max-drop", "lots", "--metric", "agreement");
        fails("--metric takes miou or agreement", "--method", "accuracy-aware", "--max-drop", "1", "--metric", "iou");
        fails("--max-reverts takes a number of layer groups", "--method", "accuracy-aware", "--max-drop", "1", "--metric", "agreement",
                "--max-reverts", "0");
        fails("unknown method 'magic'", "--method", "magic");
        fails("--range takes minmax, percentile, entropy or mse", "--range", "median");
        fails("names a range estimator and --range gives one too", "--method", "entropy", "--range", "mse");
        // mIoU needs masks
        fails("mask", "--method", "accuracy-aware", "--max-drop", "1", "--metric", "miou", "--validation", images.toString());
    }
}
