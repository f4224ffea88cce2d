package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code int8wb evaluation-speed} runs every pass of a round on real images and reports consistent figures. It asserts
 * no time: the benchmark's figures are read by people, not checked by the build.
 */
class EvaluationSpeedCommandTest {

    @TempDir
    Path tmp;

    @Test
    void oneRoundOnThreeImagesGivesConsistentRatios() throws Exception {
        Path model = TestData.deeplabModel();
        Path json = tmp.resolve("speed.json");
        List<Path> leftBefore = temporaryFolders();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("evaluation-speed", model.toString(), "--reference", model.toString(), "--dataset",
                TestData.vocVal().toString(), "--limit", "3", "--rounds", "1", "--json", json.toString());
        assertEquals(0, code, err.toString());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(3, o.get("images").getAsInt());
        JsonArray rounds = o.getAsJsonArray("rounds");
        assertEquals(1, rounds.size());
        JsonObject r = rounds.get(0).getAsJsonObject();
        for (String k : List.of("pureSpinning", "pureQuiet", "sideBySide", "evaluation", "withReport", "withPictures")) {
            assertTrue(r.get(k).getAsDouble() > 0, k);
        }
        double pure = Math.min(r.get("pureSpinning").getAsDouble(), r.get("pureQuiet").getAsDouble());
        JsonObject evaluation = o.getAsJsonObject("evaluation");
        assertEquals(r.get("evaluation").getAsDouble() / pure, evaluation.get("median").getAsDouble(), 1e-9);
        assertEquals(evaluation.get("min").getAsDouble(), evaluation.get("max").getAsDouble(), 1e-12, "one round");
        assertTrue(o.get("method").getAsString().contains("median"));
        assertEquals(leftBefore, temporaryFolders(), "the report folders of the passes are removed");
    }

    private static List<Path> temporaryFolders() throws java.io.IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("int8wb-evaluation-speed")).sorted().toList();
        }
    }

    @Test
    void theParentIsRequired() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("evaluation-speed", TestData.deeplabModel().toString(), "--dataset", TestData.vocVal().toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--reference"), err.toString());
    }
}
