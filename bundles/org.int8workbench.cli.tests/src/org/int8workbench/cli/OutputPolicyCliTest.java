package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.int8workbench.cli.CliRun.Result;
import org.junit.jupiter.api.Test;

/**
 * The one output policy on the command line: no output is an input (the model, its external data, the dataset or
 * calibration folder), whatever the flags; only what the tool wrote is replaced; every option is checked before any
 * work. Each case asserts the exit code, the message and that nothing the user owns changed (a checksum of the whole
 * folder before and after).
 */
class OutputPolicyCliTest {

    static Result run(String... args) {
        return CliRun.run(args);
    }

    /** A checksum of every file's name and bytes under {@code dir}. */
    static String checksum(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    md.update(Files.readAllBytes(p));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A folder with the tiny model and a folder of images. */
    private static Path workspace(String name) throws Exception {
        Path dir = Files.createTempDirectory(name);
        TinyModels.fixed(dir, "tiny.onnx");
        TinyModels.images(dir.resolve("images"), 6);
        return dir;
    }

    private static void refused(Result r, String message) {
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.all());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void evaluateNeverReplacesTheDatasetFolderWithItsReport() throws Exception {
        Path dir = workspace("policy-evaluate");
        String before = checksum(dir);
        Path model = dir.resolve("tiny.onnx");
        Path images = dir.resolve("images");
        refused(run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--report",
                images.toString(), "--force"), "is the input folder");
        refused(run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--report",
                images.resolve("rep").toString(), "--force"), "lies inside the input folder");
        // the report folder may not hold the model either: it is replaced as a whole
        refused(run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--report",
                dir.toString(), "--force"), "an input of this run");
        assertEquals(before, checksum(dir), "nothing the user owns changed");
    }

    @Test
    void aReportFolderTheToolDidNotWriteIsRefusedEvenWithForce() throws Exception {
        Path dir = workspace("policy-foreign-report");
        Path mine = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(mine.resolve("todo.txt"), "mine");
        String before = checksum(dir);
        Path model = dir.resolve("tiny.onnx");
        Result r = run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", dir.resolve("images").toString(),
                "--report", mine.toString(), "--force");
        refused(r, "did not write");
        assertFalse(r.err().contains("(--force)"), r.err());
        r = run("sensitivity", model.toString(), "--calibration", dir.resolve("images").toString(), "--report", mine.toString(), "--force");
        refused(r, "did not write");
        assertEquals(before, checksum(dir));
        // a report the tool wrote is replaced with --force
        Path report = dir.resolve("report");
        assertEquals(0, run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", dir.resolve("images").toString(),
                "--report", report.toString(), "--no-images").code());
        r = run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", dir.resolve("images").toString(), "--report",
                report.toString(), "--no-images");
        refused(r, "exists");
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals(0, run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", dir.resolve("images").toString(),
                "--report", report.toString(), "--no-images", "--force").code());
    }

    @Test
    void jsonNeverReplacesAnInputWhateverTheFlags() throws Exception {
        Path dir = workspace("policy-json");
        Path model = dir.resolve("tiny.onnx");
        Path images = dir.resolve("images");
        Files.writeString(images.resolve("list.json"), "{\"mine\": true}\n");
        String before = checksum(dir);
        refused(run("optimize", model.toString(), "--calibration", images.toString(), "--json", model.toString(), "--force"),
                "is an input of this run");
        refused(run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--json",
                model.toString(), "--force"), "is an input of this run");
        refused(run("benchmark", model.toString(), "--iterations", "2", "--rounds", "1", "--json", model.toString(), "--force"),
                "is an input of this run");
        // a JSON file inside the dataset is the dataset's, not a result
        refused(run("evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString(), "--json",
                images.resolve("list.json").toString(), "--force"), "lies inside the input folder");
        refused(run("benchmark", model.toString(), "--iterations", "2", "--rounds", "1", "--dataset", images.toString(), "--report",
                images.toString(), "--force"), "is the input folder");
        refused(run("codegen", model.toString(), "--package", "org.example", "--class", "Tiny", "--out", dir.toString(), "--force"),
                "an input of this run");
        assertEquals(before, checksum(dir), "nothing the user owns changed");
    }

    @Test
    void theOutputIsTheModelRefusalDoesNotSuggestForce() throws Exception {
        Path dir = workspace("policy-source");
        Path model = dir.resolve("tiny.onnx");
        String before = checksum(dir);
        for (String[] force : new String[][] {{}, {"--force"}}) {
            String[] args = Stream.concat(Stream.of("optimize", model.toString(), "--calibration", dir.resolve("images").toString(),
                    "--output", model.toString()), Stream.of(force)).toArray(String[]::new);
            Result r = run(args);
            refused(r, "input");
            assertFalse(r.err().contains("--force)") || r.err().contains("add --force"), r.err());
        }
        assertEquals(before, checksum(dir));
    }

    @Test
    void anOnnxFileTheToolDidNotWriteIsNotReplacedEvenWithForce() throws Exception {
        Path dir = workspace("policy-foreign-int8");
        Path model = dir.resolve("tiny.onnx");
        // the user's own file under the name of the INT8 output
        TinyModels.fixed(dir, "tiny.int8.onnx");
        String before = checksum(dir);
        Result r = run("optimize", model.toString(), "--calibration", dir.resolve("images").toString(), "--force");
        refused(r, "INT8 Workbench did not write");
        assertEquals(before, checksum(dir));
        // an INT8 model the tool wrote is replaced, and its stale head goes with it
        Files.delete(dir.resolve("tiny.int8.onnx"));
        assertEquals(0, run("optimize", model.toString(), "--calibration", dir.resolve("images").toString()).code());
        assertEquals(0, run("optimize", model.toString(), "--calibration", dir.resolve("images").toString(), "--force").code());
    }

    @Test
    void demoChecksItsOptionsBeforeAnyWork() throws Exception {
        Path dir = Files.createTempDirectory("policy-demo");
        Path out = dir.resolve("demo");
        for (String[] bad : new String[][] {{"--rounds", "0"}, {"--seconds", "0"}, {"--seconds", "-3"}, {"--subset", "0"},
                {"--images", "-1"}}) {
            long t0 = System.nanoTime();
            Result r = run("demo", "--out", out.toString(), bad[0], bad[1]);
            refused(r, bad[0] + " takes");
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused before any work");
            assertFalse(Files.exists(out), "no output folder for a refused run");
        }
        // --force replaces only an earlier demo's results
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("thesis.txt"), "mine");
        String before = checksum(dir);
        refused(run("demo", "--out", foreign.toString(), "--force", "--rounds", "1", "--seconds", "1"), "did not write");
        assertEquals(before, checksum(dir));
    }

    @Test
    void countsAreCheckedBeforeAnyWork() throws Exception {
        Path dir = workspace("policy-counts");
        Path model = dir.resolve("tiny.onnx");
        String before = checksum(dir);
        refused(run("benchmark", model.toString(), "--rounds", "0"), "--rounds takes at least 1; got 0");
        refused(run("benchmark", model.toString(), "--seconds", "0"), "--seconds takes a positive number");
        refused(run("benchmark", model.toString(), "--warmup", "-1"), "--warmup takes 0 or more; got -1");
        refused(run("benchmark", model.toString(), "--batch", "0"), "--batch takes at least 1");
        refused(run("evaluate", model.toString(), "--dataset", dir.resolve("images").toString(), "--limit", "-2"), "--limit takes 0 or more");
        refused(run("evaluate", model.toString(), "--generated", "0"), "--generated takes at least 1");
        refused(run("codegen", model.toString(), "--package", "org.example", "--class", "Tiny", "--out", dir.resolve("gen").toString(),
                "--samples", "0"), "--samples takes at least 1");
        assertEquals(before, checksum(dir));
    }

    @Test
    void aSizeTheModelCannotTakeIsRefusedUpFrontWithTheModelsSize() throws Exception {
        Path dir = workspace("policy-size");
        Path model = dir.resolve("tiny.onnx");
        Path dynamic = TinyModels.dynamic(dir.resolve("dyn"), "dyn.onnx");
        String before = checksum(dir);
        refused(run("optimize", model.toString(), "--calibration", dir.resolve("images").toString(), "--size", "300x300"),
                "the model's input takes 16x16");
        refused(run("evaluate", model.toString(), "--dataset", dir.resolve("images").toString(), "--size", "300x300"),
                "the model's input takes 16x16");
        refused(run("benchmark", model.toString(), "--size", "300x300"), "the model's input takes 16x16");
        Result r = run("optimize", model.toString(), "--calibration", dir.resolve("images").toString(), "--size", "100000x100000");
        refused(r, "too large");
        assertFalse(r.err().contains("could be read"), r.err());
        refused(run("optimize", dynamic.toString(), "--calibration", dir.resolve("images").toString(), "--size", "100000x100000"),
                "too large");
        assertEquals(before, checksum(dir));
    }
}
