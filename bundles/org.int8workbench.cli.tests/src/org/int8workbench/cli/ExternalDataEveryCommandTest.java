package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.cli.CliRun.Result;
import org.junit.jupiter.api.Test;

/**
 * A model whose weights are external data beside it works with every command from another working folder (the tests
 * run in the module's folder), and its data file counts as an input: no output may replace it.
 */
class ExternalDataEveryCommandTest {

    private static Result ok(String... args) {
        Result r = CliRun.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.all());
        return r;
    }

    @Test
    void everyCommandFromAnotherFolder() throws Exception {
        Path dir = Files.createTempDirectory("external-every");
        Path in = Files.createDirectories(dir.resolve("in"));
        Path model = TinyModels.externalize(TinyModels.fixed(in, "tiny.onnx"), "tiny.data");
        assertTrue(Files.size(in.resolve("tiny.data")) > 0);
        assertFalse(Path.of("").toAbsolutePath().equals(in));
        Path images = TinyModels.images(dir.resolve("images"), 6);
        String before = OutputPolicyCliTest.checksum(in) + OutputPolicyCliTest.checksum(images);

        ok("inspect", model.toString());
        Path int8 = dir.resolve("out/tiny.int8.onnx");
        ok("optimize", model.toString(), "--calibration", images.toString(), "--output", int8.toString());
        ok("evaluate", int8.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--report",
                dir.resolve("report").toString(), "--no-images");
        ok("benchmark", model.toString(), int8.toString(), "--iterations", "3", "--rounds", "1", "--warmup", "1");
        ok("codegen", model.toString(), "--package", "org.example.tiny", "--class", "Tiny", "--out", dir.resolve("gen").toString(),
                "--dataset", images.toString(), "--samples", "1");
        ok("sensitivity", model.toString(), "--calibration", images.toString(), "--images", "2", "--top", "2");
        ok("demo", "--model", model.toString(), "--dataset", images.toString(), "--out", dir.resolve("demo").toString(), "--subset", "4",
                "--images", "2", "--seconds", "1", "--rounds", "1");

        // the data file is an input: no output replaces it, whatever the flags
        Result r = CliRun.run("benchmark", model.toString(), "--iterations", "2", "--rounds", "1", "--json",
                in.resolve("tiny.data").toString(), "--force");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("is an input of this run (tiny.data)"), r.err());
        assertEquals(before, OutputPolicyCliTest.checksum(in) + OutputPolicyCliTest.checksum(images), "the inputs are unchanged");
    }
}
