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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("inspect", model.toString());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("input       input float [1,3,257,257]"), printed);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
