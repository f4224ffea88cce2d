package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.Json;
import org.int8workbench.core.codegen.CodegenResult;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code int8wb codegen}: options, the written project and {@code --json}, and one-line errors. */
class CodegenCommandTest {

    @TempDir
    Path tmp;

    /** A tiny model with a head: Conv to 4 classes at half resolution, Resize back, ArgMax. */
    private Path tinyModel() throws Exception {
        GraphBuilder b = new GraphBuilder("tiny");
        b.input("x", DataType.FLOAT, 1, 3, 8, 10);
        float[] w = new float[4 * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 1.7);
        }
        String logits = b.conv("x", w, new long[] {4, 3, 3, 3}, null, 1, 2, 1, 1);
        String up = b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withSizes(1, 4, 8, 10));
        b.node("Identity", b.argmax(up, 1, false, false)).outputs("labels");
        b.output("labels", DataType.INT64);
        Path m = tmp.resolve("tiny.onnx");
        Files.write(m, b.toBytes());
        return m;
    }

    private static CommandLine cli() {
        CommandLine cl = new CommandLine(new CodegenCommand());
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("int8wb: " + CliSupport.describe(ex));
            return 1;
        });
        return cl;
    }

    @Test
    void writesTheProjectAndItsJson() throws Exception {
        Path model = tinyModel();
        Path out = tmp.resolve("project");
        Path json = tmp.resolve("codegen.json");
        int rc = cli().execute(model.toString(), "--package", "com.example.tiny", "--class", "TinySegmenter", "--out", out.toString(),
                "--samples", "2", "--json", json.toString());
        assertEquals(0, rc);
        CodegenResult r = Json.read(json, CodegenResult.class);
        assertEquals(2, r.samples().size());
        assertEquals("com.example.tiny", r.packageName());
        // no head was cut: the code takes the model's labels as they are
        assertTrue(r.decoding().startsWith("labels"), r.decoding());
        assertTrue(Files.isRegularFile(out.resolve("src/main/java/com/example/tiny/TinySegmenter.java")));
        assertTrue(Files.isRegularFile(out.resolve("src/test/java/com/example/tiny/TinySegmenterTest.java")));
        assertTrue(Files.isRegularFile(out.resolve("src/main/resources/com/example/tiny/tiny.onnx")));
        assertTrue(Files.readString(out.resolve("pom.xml")).contains("<artifactId>onnxruntime</artifactId>"));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("generated images")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("exact fast label head")), r.notes().toString());

        // a second run refuses the existing project unless --force
        CommandLine again = cli();
        java.io.StringWriter err = new java.io.StringWriter();
        again.setErr(new java.io.PrintWriter(err));
        assertEquals(1, again.execute(model.toString(), "--package", "com.example.tiny", "--class", "TinySegmenter", "--out", out.toString()));
        assertTrue(err.toString().contains("allow overwriting (--force)"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one-line error");
        assertEquals(0, cli().execute(model.toString(), "--package", "com.example.tiny", "--class", "TinySegmenter", "--out", out.toString(),
                "--force"));
    }

    @Test
    void missingOptionsAreUsageErrors() throws Exception {
        Path model = tinyModel();
        assertEquals(2, cli().execute(model.toString(), "--package", "p", "--out", tmp.resolve("o").toString()));
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
