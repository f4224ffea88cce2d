package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code int8wb evaluate} end to end on two real VOC images, and its error messages. */
class EvaluateCommandTest {

    @TempDir
    Path tmp;

    private static CommandLine cli(StringWriter err) {
        CommandLine cl = Main.commandLine();
        if (!cl.getSubcommands().containsKey("evaluate")) {
            cl.addSubcommand(new EvaluateCommand());
        }
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void writesTheJsonFiguresScriptsNeed() throws Exception {
        Path model = TestData.deeplabModel();
        Path json = tmp.resolve("eval.json");
        Path report = tmp.resolve("report");
        StringWriter err = new StringWriter();
        int code = cli(err).execute("evaluate", model.toString(), "--dataset", TestData.vocVal().toString(), "--split", "val",
                "--reference", model.toString(), "--limit", "2", "--json", json.toString(), "--report", report.toString());
        assertEquals(0, code, err.toString());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        double miou = o.getAsJsonObject("groundTruth").get("meanIoU").getAsDouble();
        assertTrue(miou > 0.2 && miou <= 1, "meanIoU " + miou);
        assertNotNull(o.getAsJsonObject("groundTruth").get("pixelAccuracy"));
        assertEquals(miou, o.getAsJsonObject("reference").get("meanIoU").getAsDouble());
        assertEquals(1.0, o.getAsJsonObject("agreement").get("pixelAgreement").getAsDouble());
        assertEquals(1.0, o.getAsJsonObject("agreement").get("meanIoU").getAsDouble());
        assertTrue(Files.isRegularFile(report.resolve("report.html")));
        // the JSON file is not replaced without --force
        int again = cli(err).execute("evaluate", model.toString(), "--dataset", TestData.vocVal().toString(), "--limit", "1",
                "--json", json.toString());
        assertEquals(1, again);
        assertTrue(err.toString().contains("--force"), err.toString());
    }

    @Test
    void aMissingDatasetIsAOneLineError() throws Exception {
        StringWriter err = new StringWriter();
        int code = cli(err).execute("evaluate", TestData.deeplabModel().toString(), "--dataset", tmp.resolve("nope").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("no such file") && err.toString().contains("nope"), err.toString());
    }
}
