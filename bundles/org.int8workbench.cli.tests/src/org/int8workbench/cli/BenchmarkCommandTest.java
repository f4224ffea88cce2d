package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.testing.TestData;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.report.BenchmarkReportWriter;
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
        assertTrue(table.contains("A a.onnx") && table.contains("B b.onnx"), table);
        assertTrue(table.contains("Speedups are over A (a.onnx)") && table.contains("speedup, end to end"), table);
        assertTrue(table.contains("Float compute nodes left in B b.onnx"), table);

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
        assertEquals(1, j.getAsJsonArray("comparisons").size());

        // an existing --json file is kept unless --force
        int again = cl.execute(a.toString(), "--iterations", "1", "--rounds", "1", "--json", json.toString());
        assertEquals(1, again);
        assertEquals(2, JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("models").size());
    }

    @Test
    void threeModelsPrintEverySpeedupAndWriteAReportFolder() throws Exception {
        Path dir = Files.createDirectories(TestData.scratch("bench-cli").resolve("three-" + System.nanoTime()));
        Path a = BenchTinyModels.write(BenchTinyModels.floatConvResize(), dir, "net.onnx");
        Path b = BenchTinyModels.write(BenchTinyModels.qdqConvResize(), dir, "net-qdq.onnx");
        Path c = new CutHeadOperation(a).run(new NullProgressMonitor()).output();
        Path json = dir.resolve("result.json");
        Path report = dir.resolve("report");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchmarkCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] args = {a.toString(), b.toString(), c.toString(), "--iterations", "5", "--rounds", "5", "--warmup", "1", "--json",
            json.toString(), "--report", report.toString()};
        assertEquals(0, cl.execute(args), err.toString());
        String table = out.toString();
        for (String name : new String[] {"A net.onnx", "B net-qdq.onnx", "C net.head.onnx"}) {
            assertTrue(table.contains(name), name + " in\n" + table);
        }
        String speedRow = table.lines().filter(l -> l.startsWith("speedup, model-only")).findFirst().orElseThrow();
        assertEquals(2, speedRow.split("x \\(").length - 1, "a speedup for B and for C: " + speedRow);
        assertTrue(table.contains("End to end, C net.head.onnx: exact label head"), table);

        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(3, j.getAsJsonArray("models").size());
        assertEquals(2, j.getAsJsonArray("comparisons").size());
        JsonObject cc = j.getAsJsonArray("comparisons").get(1).getAsJsonObject();
        assertEquals(c.toAbsolutePath().toString(), cc.get("path").getAsString());
        assertEquals(5, cc.getAsJsonObject("endToEndSpeedup").getAsJsonArray("perRound").size());
        assertEquals(j.getAsJsonObject("speedup"), j.getAsJsonArray("comparisons").get(0).getAsJsonObject().getAsJsonObject("speedup"));

        for (String f : new String[] {BenchmarkReportWriter.JSON, BenchmarkReportWriter.HTML, BenchmarkReportWriter.CSV}) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        assertEquals(4, Files.readAllLines(report.resolve(BenchmarkReportWriter.CSV)).size(), "header and one row per model");
        assertTrue(Files.readString(report.resolve(BenchmarkReportWriter.HTML)).contains("net.head.onnx"));

        // the report folder is not overwritten without --force, and the refusal comes before any measuring
        long before = Files.getLastModifiedTime(report.resolve(BenchmarkReportWriter.HTML)).toMillis();
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        assertEquals(1, cl.execute(a.toString(), "--iterations", "1", "--rounds", "1", "--report", report.toString()));
        assertTrue(err2.toString().contains(BenchmarkReportWriter.JSON) || err2.toString().contains("exists"), err2.toString());
        assertEquals(before, Files.getLastModifiedTime(report.resolve(BenchmarkReportWriter.HTML)).toMillis());
        assertEquals(3, BenchmarkReportWriter.read(report.resolve(BenchmarkReportWriter.JSON)).models().size());
        assertEquals(0, cl.execute(a.toString(), "--iterations", "1", "--rounds", "1", "--report", report.toString(), "--force"));
        assertEquals(1, BenchmarkReportWriter.read(report.resolve(BenchmarkReportWriter.JSON)).models().size());
    }

    @Test
    void rejectsConflictingOptions() {
        CommandLine cl = new CommandLine(new BenchmarkCommand());
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(1, cl.execute("m.onnx", "--seconds", "1", "--iterations", "3"));
    }
}
