package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The four zoo models from public repositories ({@code ../shared/data/zoo}) through {@code inspect}, {@code optimize},
 * {@code benchmark} and {@code evaluate --reference}, each with only the preprocessing flags of its source (PROVENANCE.md)
 * and the output kind found automatically; and the output and preprocessing flags' one-line errors.
 */
class ZooModelsCliTest {

    @TempDir
    Path tmp;

    /** What one command printed and returned. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err, true)));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = stdout.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return new Run(code, out, err.toString());
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /**
     * inspect, optimize (16 calibration photos), benchmark (parent and INT8, short) and evaluate against the parent
     * on 8 photos; returns the evaluation's report record after checking what every model must show.
     */
    private JsonObject allCommands(String file, List<String> flags, String expectedKind) throws Exception {
        Path model = TestData.zooModel(file);
        Path photos = TestData.calibrationPhotos();

        Run inspect = run("inspect", model.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains(": " + expectedKind + " \u2014"), "inspect names the output kind found:\n" + inspect.out());

        Path int8 = tmp.resolve(file.replace(".onnx", ".int8.onnx"));
        Path optimizeJson = tmp.resolve("optimize.json");
        Run optimize = run(concat(List.of("optimize", model.toString(), "--calibration", photos.toString(), "--subset", "16",
                "--output", int8.toString(), "--json", optimizeJson.toString()), flags.toArray(String[]::new)).toArray(String[]::new));
        assertEquals(0, optimize.code(), optimize.err());
        assertTrue(Files.isRegularFile(int8));
        assertTrue(optimize.out().contains(": " + expectedKind), "optimize names the output kind found:\n" + optimize.out());
        JsonArray outputs = json(optimizeJson).getAsJsonArray("outputs");
        assertFalse(outputs.isEmpty(), "optimize records the outputs read");
        for (JsonElement o : outputs) {
            assertNotNull(o.getAsJsonObject().get("reason"), o.toString());
        }

        Path benchJson = tmp.resolve("benchmark.json");
        Run bench = run(concat(List.of("benchmark", model.toString(), int8.toString(), "--seconds", "2", "--rounds", "2", "--warmup", "1",
                "--json", benchJson.toString()), flags.toArray(String[]::new)).toArray(String[]::new));
        assertEquals(0, bench.code(), bench.err());
        JsonArray models = json(benchJson).getAsJsonArray("models");
        assertEquals(2, models.size());
        for (JsonElement m : models) {
            assertTrue(m.getAsJsonObject().get("fps").getAsDouble() > 0, m.toString());
            assertNotNull(m.getAsJsonObject().get("endToEnd"), "end-to-end figures for every model");
        }

        Path evalJson = tmp.resolve("evaluate.json");
        Run eval = run(concat(List.of("evaluate", int8.toString(), "--reference", model.toString(), "--dataset", photos.toString(),
                "--limit", "8", "--no-images", "--json", evalJson.toString()), flags.toArray(String[]::new)).toArray(String[]::new));
        assertEquals(0, eval.code(), eval.err());
        JsonObject report = json(evalJson);
        assertEquals(expectedKind, report.getAsJsonObject("output").get("kind").getAsString());
        assertTrue(eval.out().contains(": " + expectedKind), "evaluate names the output kind:\n" + eval.out());
        assertEquals(8, report.getAsJsonArray("images").size());
        double agreement = report.getAsJsonObject("agreement").get("pixelAgreement").getAsDouble();
        assertTrue(agreement > 0.6 && agreement <= 1, "pixel agreement with the parent " + agreement);
        return report;
    }

    @Test
    void twinLiteNetReportsBothClassOutputs() throws Exception {
        JsonObject r = allCommands("twinlitenet_320.onnx", List.of("--mean", "0,0,0", "--std", "255,255,255"), "classes");
        JsonArray further = r.getAsJsonArray("outputs");
        assertEquals(1, further.size(), "two outputs, each on its own");
        JsonObject lanes = further.get(0).getAsJsonObject();
        assertEquals("classes", lanes.getAsJsonObject("output").get("kind").getAsString());
        assertNotEquals(r.getAsJsonObject("output").get("name").getAsString(), lanes.getAsJsonObject("output").get("name").getAsString());
        assertTrue(lanes.getAsJsonObject("agreement").get("pixelAgreement").getAsDouble() > 0.9);
    }

    @Test
    void mediaPipeSelfieIsBinary() throws Exception {
        JsonObject r = allCommands("mediapipe_selfie_256_nhwc.onnx", List.of("--mean", "0,0,0", "--std", "255,255,255"), "binary");
        assertEquals(0.5, r.getAsJsonObject("output").get("threshold").getAsDouble());
        assertTrue(r.getAsJsonArray("outputs").isEmpty());
    }

    @Test
    void ppHumanSegWithDynamicInputIsClasses() throws Exception {
        JsonObject r = allCommands("pphumanseg_lite_portrait.onnx", List.of("--size", "398x224", "--layout", "nchw"), "classes");
        assertEquals(398, r.getAsJsonObject("preprocessing").get("width").getAsInt());
        assertEquals(224, r.getAsJsonObject("preprocessing").get("height").getAsInt());
    }

    @Test
    void panSkinClothesHairIsMultiLabelWithThreeLabels() throws Exception {
        JsonObject r = allCommands("pan_mnv3s_skin_clothes_hair_512.onnx",
                List.of("--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375"), "multilabel");
        JsonArray classes = r.getAsJsonObject("agreement").getAsJsonArray("classes");
        long labels = classes.asList().stream().filter(c -> c.getAsJsonObject().get("label").getAsInt() >= 1).count();
        assertEquals(3, labels, "one IoU per label (1 + channel): " + classes);
    }

    @Test
    void aDynamicModelWithoutSizeGetsOneLineNamingSizeAndLayout() {
        Path model = TestData.zooModel("pphumanseg_lite_portrait.onnx");
        for (String command : List.of("benchmark", "evaluate")) {
            List<String> args = new ArrayList<>(List.of(command, model.toString()));
            if (command.equals("evaluate")) {
                args.addAll(List.of("--generated", "1"));
            }
            Run r = run(args.toArray(String[]::new));
            assertEquals(1, r.code(), command);
            String line = r.err().strip();
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.contains("--size") && line.contains("--layout"), line);
        }
    }

    @Test
    void badOutputAndPreprocessingFlagsGiveOneClearLine() {
        Path model = TestData.zooModel("mediapipe_selfie_256_nhwc.onnx");
        String[][] cases = {
            {"--output-kind", "mask", "--output-kind takes auto, classes, binary, multilabel, labels or regression"},
            {"--threshold", "1.5", "--threshold takes a probability between 0 and 1"},
            {"--threshold", "half", "--threshold takes a probability between 0 and 1"},
            {"--tolerance", "-1", "--tolerance takes a positive absolute difference"},
            {"--layout", "chw", "--layout takes nchw or nhwc"},
            {"--size", "big", "--size takes WIDTHxHEIGHT"},
            {"--mean", "1,2", "--mean takes one value or three comma-separated values"},
        };
        for (String command : List.of("evaluate", "benchmark", "optimize")) {
            for (String[] c : cases) {
                List<String> args = new ArrayList<>(List.of(command, model.toString(), c[0], c[1]));
                switch (command) {
                    case "evaluate" -> args.addAll(List.of("--generated", "1"));
                    case "optimize" -> args.addAll(List.of("--calibration", tmp.toString(), "--output", tmp.resolve("x.onnx").toString()));
                    default -> args.addAll(List.of("--iterations", "1", "--rounds", "1"));
                }
                Run r = run(args.toArray(String[]::new));
                assertNotEquals(0, r.code(), String.join(" ", args));
                String line = r.err().strip();
                assertEquals(1, line.lines().count(), line);
                assertTrue(line.startsWith("int8wb: " + c[2]), command + ": " + line);
                assertFalse(line.contains("Exception") || line.contains("java."), line);
            }
        }
        // an output the model does not have: the decoders' one line, naming it
        Run r = run("evaluate", model.toString(), "--generated", "1", "--output-name", "no_such_output");
        assertEquals(1, r.code());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("no_such_output") && !line.contains("Exception"), line);
    }
}
