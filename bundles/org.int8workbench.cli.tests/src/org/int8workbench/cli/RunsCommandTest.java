package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
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
import java.util.Comparator;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code optimize} twice, then {@code runs} lists both runs and {@code runs --compare} measures them side by side with
 * the parent (one real interleaved benchmark, real evaluations against the parent on real photos).
 */
class RunsCommandTest {

    private static CommandLine cli(StringWriter err) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void listsTheRunsOfAModelAndComparesTwo() throws Exception {
        Path dir = TestData.scratch("runs-command-test");
        clean(dir);
        Path model = BenchTinyModels.write(BenchTinyModels.floatConvResize(), dir, "tiny.onnx");
        Path photos = TestData.calibrationPhotos();
        StringWriter err = new StringWriter();
        assertEquals(0, cli(err).execute("optimize", model.toString(), "--calibration", photos.toString(), "--subset", "4"), err.toString());
        String second = run(() -> cli(err).execute("optimize", model.toString(), "--calibration", photos.toString(), "--subset", "4",
                "--range", "percentile", "--force"));
        assertTrue(second.contains("remembered as run "), second);

        Path json = dir.resolve("runs.json");
        String listed = run(() -> cli(err).execute("runs", model.toString(), "--json", json.toString()));
        assertTrue(listed.startsWith("2 runs in " + dir.resolve(".int8workbench/runs/tiny.onnx") + ", newest first"), listed);
        JsonArray runs = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(2, runs.size());
        String newest = runs.get(0).getAsJsonObject().get("id").getAsString();
        String oldest = runs.get(1).getAsJsonObject().get("id").getAsString();
        assertEquals("percentile", runs.get(0).getAsJsonObject().get("range").getAsString());
        assertEquals("mean-minmax", runs.get(1).getAsJsonObject().get("range").getAsString());
        assertTrue(listed.indexOf(newest) < listed.indexOf(oldest), listed);
        assertTrue(listed.contains("performance / percentile") && listed.contains("performance / mean-minmax"), listed);

        // with --output elsewhere, the run is remembered there, not beside the model
        Path out = dir.resolve("out");
        String elsewhere = run(() -> cli(err).execute("optimize", model.toString(), "--calibration", photos.toString(), "--subset", "4",
                "--output", out.resolve("tiny.int8.onnx").toString()));
        assertTrue(elsewhere.contains("--in " + out), elsewhere);
        assertTrue(run(() -> cli(err).execute("runs", model.toString())).startsWith("2 runs in "));
        assertTrue(run(() -> cli(err).execute("runs", model.toString(), "--in", out.toString()))
                .startsWith("1 run in " + out.resolve(".int8workbench/runs/tiny.onnx")));

        Path report = dir.resolve("compare");
        Path cjson = dir.resolve("compare.json");
        String compared = run(() -> cli(err).execute("runs", model.toString(), "--compare", oldest, newest, "--seconds", "0.5", "--rounds",
                "2", "--dataset", photos.toString(), "--limit", "2", "--report", report.toString(), "--json", cjson.toString()));
        assertTrue(compared.contains("pixel agreement") && compared.contains("speedup, model only"), compared);
        String header = compared.lines().filter(l -> l.trim().startsWith("parent") && l.contains(oldest)).findFirst().orElse("");
        assertTrue(header.indexOf(oldest) < header.indexOf(newest), "one column per run in the order asked: " + compared);
        JsonObject c = JsonParser.parseString(Files.readString(cjson)).getAsJsonObject();
        assertEquals(2, c.getAsJsonArray("columns").size());
        assertEquals(3, c.getAsJsonObject("benchmark").getAsJsonArray("models").size(), "the parent and the two runs' models in one run");
        for (var col : c.getAsJsonArray("columns")) {
            double agreement = col.getAsJsonObject().getAsJsonObject("accuracy").get("pixelAgreement").getAsDouble();
            assertTrue(agreement > 0.5 && agreement <= 1, "agreement " + agreement);
            assertEquals(2, col.getAsJsonObject().getAsJsonObject("accuracy").get("images").getAsInt());
        }
        assertTrue(Files.isRegularFile(report.resolve("benchmark").resolve("benchmark.json")));
        assertTrue(Files.isRegularFile(report.resolve("comparison.json")));

        // an unknown id is a one-line error naming the way to list them
        StringWriter err2 = new StringWriter();
        assertEquals(1, cli(err2).execute("runs", model.toString(), "--compare", "nope"));
        assertTrue(err2.toString().contains("no run nope of tiny.onnx"), err2.toString());

        // forgetting a run
        String after = run(() -> cli(err).execute("runs", model.toString(), "--delete", oldest));
        assertTrue(after.contains("forgot run " + oldest) && after.contains("1 run in"), after);
    }

    private interface Execution {
        int execute();
    }

    /** Runs a command that must succeed and returns what it printed. */
    private static String run(Execution e) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = e.execute();
        } finally {
            System.setOut(old);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, s);
        return s;
    }

    private static void clean(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
