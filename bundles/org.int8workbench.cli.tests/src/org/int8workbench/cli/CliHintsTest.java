package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The core says what is wrong and what to do in its own words; the command line adds the option that does it, once,
 * in brackets.
 */
class CliHintsTest {
    @TempDir
    Path tmp;

    @Test
    void anExistingOutputGetsTheForceOptionOnce() throws IOException {
        Path f = tmp.resolve("out.json");
        Files.writeString(f, "{}");
        IOException refused = assertThrows(FileAlreadyExistsException.class, () -> AtomicOutput.write(f, false, new byte[] {1}));
        assertFalse(refused.getMessage().contains("--"), "the core names no command-line option: " + refused.getMessage());
        String line = CliSupport.describe(refused);
        assertTrue(line.endsWith("choose another output or allow overwriting (--force)"), line);

        // the command line's own refusal names the option already: not twice
        IOException json = assertThrows(FileAlreadyExistsException.class, () -> CliSupport.refuseExistingJson(f, false));
        String jsonLine = CliSupport.describe(json);
        assertEquals(jsonLine.indexOf("--force"), jsonLine.lastIndexOf("--force"), jsonLine);
    }

    @Test
    void jsonWithForceNeverReplacesTheModelItDescribes() throws IOException {
        GraphBuilder b = new GraphBuilder("relu").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, 8, 8);
        b.node("Relu", "X").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 3, 8, 8);
        Path model = tmp.resolve("relu.onnx");
        byte[] bytes = b.build().toByteArray();
        Files.write(model, bytes);

        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.getSubcommands().values().forEach(c -> c.setOut(new PrintWriter(new StringWriter())));
        assertEquals(1, cl.execute("inspect", model.toString(), "--json", model.toString(), "--force"));
        assertTrue(err.toString().contains("is not a JSON file"), err.toString());
        assertEquals(java.util.Arrays.toString(bytes), java.util.Arrays.toString(Files.readAllBytes(model)), "the model is untouched");

        // a JSON result of an earlier run is replaced with --force
        Path json = tmp.resolve("relu.json");
        Files.writeString(json, "{\"old\": true}");
        assertEquals(0, cl.execute("inspect", model.toString(), "--json", json.toString(), "--force"));
        assertFalse(Files.readString(json).contains("old"));
    }

    @Test
    void aModelWithoutItsImageSizeGetsThePreprocessingOptions() throws IOException {
        GraphBuilder b = new GraphBuilder("dynamic_size").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, "H", "W");
        b.node("Relu", "X").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 3, "H", "W");
        Path model = tmp.resolve("dynamic.onnx");
        Files.write(model, b.build().toByteArray());

        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        assertEquals(1, cl.execute("benchmark", model.toString(), "--iterations", "1", "--rounds", "1", "--warmup", "0"));
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.endsWith("does not tell the image size and layout; give the preprocessing (--size WxH, --layout nchw|nhwc)"),
                line);

        // and the options it names resolve it
        assertEquals(0, cl.execute("benchmark", model.toString(), "--iterations", "1", "--rounds", "1", "--warmup", "0",
                "--size", "8x8"), err.toString());

        // evaluate refuses such a model the same way
        err.getBuffer().setLength(0);
        assertEquals(1, cl.execute("evaluate", model.toString(), "--generated", "1"));
        String evaluate = err.toString().strip();
        assertTrue(evaluate.endsWith("does not tell the image size and layout; give the preprocessing (--size WxH, --layout nchw|nhwc)"),
                evaluate);
    }
}
