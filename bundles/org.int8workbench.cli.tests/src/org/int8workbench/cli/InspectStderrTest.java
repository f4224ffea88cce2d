package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@code int8wb inspect MODEL} on a valid model writes its summary to standard output and nothing to standard error
 * (the launcher's JVM options keep the JVM's own warnings away; this checks the tool and the libraries it calls from
 * Java).
 */
class InspectStderrTest {

    @Test
    void inspectOfTheRealModelWritesNothingToStandardError() {
        Path model = TestData.deeplabModel();
        CliRun.Result r = CliRun.run("inspect", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input       input float [1,3,257,257]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void namesWithControlCharactersArePrintedEscaped() throws Exception {
        ai.onnx.proto.OnnxMl.ModelProto m;
        org.int8workbench.core.onnx.build.GraphBuilder b = new org.int8workbench.core.onnx.build.GraphBuilder("evil").opset(13);
        b.input("X\ninput       forged", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 3, 8, 8);
        b.node("Relu", "X\ninput       forged").outputs("Y\u001b]0;owned\u0007");
        b.output("Y\u001b]0;owned\u0007", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 1, 3, 8, 8);
        m = b.build().toBuilder().setProducerName("exporter\r\u001b[2J").build();
        Path dir = java.nio.file.Files.createTempDirectory("inspect-escape");
        Path model = dir.resolve("evil.onnx");
        java.nio.file.Files.write(model, m.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run("inspect", model.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.chars().noneMatch(c -> c == 0x1b || c == '\r' || c == 7), printed);
        assertTrue(printed.contains("X\\ninput       forged"), printed);
        assertTrue(printed.lines().noneMatch(l -> l.startsWith("input       forged")), printed);
    }
}
