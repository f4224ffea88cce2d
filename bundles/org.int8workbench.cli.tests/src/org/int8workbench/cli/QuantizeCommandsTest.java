package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.Sha256;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code inspect} and {@code optimize} through picocli, as {@code ./int8wb} runs them. */
class QuantizeCommandsTest {

    private Path dir;
    private Path model;
    private Path images;
    private StringWriter err;

    @BeforeEach
    void setUp() throws IOException {
        dir = TestData.scratch("quantize-commands-test");
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
        GraphBuilder b = new GraphBuilder("cli").opset(13);
        b.input("input", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 3, 8, 8);
        float[] w = new float[4 * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 37) % 11 - 5) * 0.05f;
        }
        String c = b.relu6(b.conv("input", w, new long[] {4, 3, 3, 3}, new float[] {0.1f, 0f, -0.1f, 0.2f}, 1, 1, 1, 1));
        b.node("Identity", c).outputs("out");
        b.output("out", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 4, 8, 8);
        model = dir.resolve("m.onnx");
        Files.write(model, b.toBytes());
        images = dir.resolve("images");
        Files.createDirectories(images);
        for (int k = 0; k < 4; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    img.setRGB(x, y, (x * 25 + k * 10) << 16 | (y * 20) << 8 | ((x + y) * 12));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve("i" + k + ".png").toFile());
        }
    }

    private int run(Object command, String... args) {
        CommandLine cl = Main.commandLine();
        String name = command.getClass().getAnnotation(CommandLine.Command.class).name();
        if (!cl.getSubcommands().containsKey(name)) {
            cl.addSubcommand(command);
        }
        err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        return cl.execute(args);
    }

    @Test
    void inspectWritesJson() throws IOException {
        Path json = dir.resolve("summary.json");
        assertEquals(0, run(new InspectCommand(), "inspect", model.toString(), "--json", json.toString()));
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("FP32", o.get("precision").getAsString());
        assertEquals("input", o.getAsJsonArray("inputs").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("out", o.getAsJsonArray("outputs").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(1, o.getAsJsonObject("opHistogram").get("Conv").getAsInt());
        assertEquals(4 * 3 * 9 + 4, o.get("parameters").getAsLong());
        // existing JSON is not replaced without --force
        assertNotEquals(0, run(new InspectCommand(), "inspect", model.toString(), "--json", json.toString()));
        assertEquals(0, run(new InspectCommand(), "inspect", model.toString(), "--json", json.toString(), "--force"));
        // a bad model: non-zero exit and a one-line cause naming the file
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "nope");
        assertEquals(1, run(new InspectCommand(), "inspect", bad.toString()));
        assertTrue(err.toString().contains(bad.toString()) && err.toString().contains("not an ONNX model"), err.toString());
    }

    @Test
    void optimizeWritesTheModelAndJson() throws IOException {
        Path json = dir.resolve("result.json");
        int code = run(new OptimizeCommand(), "optimize", model.toString(), "--calibration", images.toString(), "--preset", "mixed",
                "--method", "percentile", "--percentile", "99.9", "--subset", "75%", "--seed", "3", "--json", json.toString());
        assertEquals(0, code, err.toString());
        Path out = dir.resolve("m.int8.onnx");
        assertTrue(Files.isRegularFile(out));
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(out.toString(), o.get("outputModel").getAsString());
        assertEquals(2, o.get("quantizedNodes").getAsInt()); // Conv + folded Clip
        assertEquals(1, o.get("integerNodes").getAsInt());
        assertEquals(3, o.get("calibrationImages").getAsInt());
        assertTrue(o.get("seconds").getAsDouble() > 0);
        assertEquals("MIXED", o.getAsJsonObject("settings").get("preset").getAsString());

        // the output exists: refused without --force, unchanged
        String sha = Sha256.of(out);
        assertEquals(1, run(new OptimizeCommand(), "optimize", model.toString(), "--calibration", images.toString()));
        assertTrue(err.toString().contains("exists"), err.toString());
        // the core says what to do, the command line adds its option for it
        assertTrue(err.toString().strip().endsWith("choose another output or allow overwriting (--force)"), err.toString());
        assertEquals(sha, Sha256.of(out));
        assertEquals(0, run(new OptimizeCommand(), "optimize", model.toString(), "--calibration", images.toString(), "--force",
                "--fast-bias-correction"), err.toString());
        assertNotEquals(sha, Sha256.of(out));
        // ignoring every Conv leaves nothing to quantize: an error, nothing written
        assertEquals(1, run(new OptimizeCommand(), "optimize", model.toString(), "--calibration", images.toString(),
                "--ignore", "Conv*,foo", "--output", dir.resolve("ignored.onnx").toString()));
        assertTrue(err.toString().contains("nothing to quantize"), err.toString());
        assertTrue(!Files.exists(dir.resolve("ignored.onnx")));
        // bad option values
        assertEquals(1, run(new OptimizeCommand(), "optimize", model.toString(), "--calibration", images.toString(),
                "--method", "magic", "--output", dir.resolve("x.onnx").toString()));
        assertTrue(err.toString().contains("unknown method 'magic'"), err.toString());
        assertTrue(!Files.exists(dir.resolve("x.onnx")));
    }
}
