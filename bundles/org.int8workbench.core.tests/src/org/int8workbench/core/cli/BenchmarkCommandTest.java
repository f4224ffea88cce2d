package org.int8workbench.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.TestData;
import org.int8workbench.core.bench.BenchTinyModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchmarkCommandTest {

    @Test
    void twoModelsWriteTheDocumentedJsonKeysAndATable() throws Exception {
        Path dir = TestData.scratch("bench-cli");
        Path a = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "a.onnx");
        Path b = BenchTinyModels.write(BenchTinyModels.qdqConvResize(), dir, "b.onnx");
        Path json = dir.resolve("result.json");
        Files.deleteIfExists(json);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchmarkCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(a.toString(), b.toString(), "--iterations", "5", "--rounds", "5", "--warmup", "1", "--json",
                json.toString());
        assertEquals(0, code, err.toString());
        String table = out.toString();
        assertTrue(table.contains("model-only images/s") && table.contains("end-to-end labels/s"), table);
        assertTrue(table.contains("Speedup of OTHER over MODEL"), table);
        assertTrue(table.contains("Float compute nodes left in OTHER b.onnx"), table);

        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (var m : j.getAsJsonArray("models")) {
            JsonObject o = m.getAsJsonObject();
            assertTrue(o.get("fps").getAsDouble() > 0);
            assertTrue(o.getAsJsonObject("latencyMs").get("median").getAsDouble() > 0);
            assertTrue(o.getAsJsonObject("latencyMs").get("p90").getAsDouble() > 0);
            assertTrue(o.getAsJsonObject("endToEnd").get("fps").getAsDouble() > 0);
        }
        assertEquals(5, j.getAsJsonObject("speedup").getAsJsonArray("perRound").size());
        assertTrue(j.getAsJsonObject("speedup").get("median").getAsDouble() > 0);
        assertTrue(j.getAsJsonObject("endToEnd").getAsJsonObject("speedup").get("median").getAsDouble() > 0);

        // an existing --json file is kept unless --force
        int again = cl.execute(a.toString(), "--iterations", "1", "--rounds", "1", "--json", json.toString());
        assertEquals(1, again);
        assertEquals(2, JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("models").size());
    }

    @Test
    void rejectsConflictingOptions() {
        CommandLine cl = new CommandLine(new BenchmarkCommand());
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(1, cl.execute("m.onnx", "--seconds", "1", "--iterations", "3"));
    }
}
