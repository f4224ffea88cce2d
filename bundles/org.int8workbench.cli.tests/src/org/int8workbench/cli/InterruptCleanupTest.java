package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C (SIGINT) or {@code kill} (SIGTERM, what {@link Process#destroy()} sends) in the middle of a run leaves no hidden
 * temporary behind, and a run that replaces earlier outputs puts them back: the JVM shutdown hook of
 * {@link org.int8workbench.core.Temporaries}. The command line runs as its own process, as the launcher starts it.
 */
class InterruptCleanupTest {

    private static final long WAIT_MS = 120_000;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void evaluateWithAReportLeavesNoHiddenFolder(String signal) throws Exception {
        Path dir = Files.createTempDirectory("interrupt-evaluate");
        Path report = dir.resolve("rep2");
        Process p = CliProcess.start(dir, dir.resolve("logs"), "evaluate", TestData.deeplabModel().toString(), "--reference",
                TestData.deeplabModel().toString(), "--dataset", TestData.vocVal().toString(), "--limit", "200", "--report", report.toString());
        // the report is being written once its hidden temporary folder exists
        waitFor(p, () -> hidden(dir, ".rep2.tmp-").size() == 1, dir);
        Thread.sleep(1500);
        stop(p, signal);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        assertEquals(List.of(), hidden(dir, ".rep2"), "no hidden temporary is left");
        assertFalse(Files.exists(report), "no report from a stopped run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void optimizeThatReplacesPutsTheEarlierOutputsBack(String signal) throws Exception {
        Path dir = Files.createTempDirectory("interrupt-optimize");
        Path model = dir.resolve("deeplab.onnx");
        Files.copy(TestData.deeplabModel(), model);
        // an earlier optimization's outputs: an INT8 model and its head, both the tool's (int8workbench metadata)
        byte[] earlier = ownModel("earlier int8");
        byte[] earlierHead = ownModel("earlier head");
        Files.write(dir.resolve("deeplab.int8.onnx"), earlier);
        Files.write(dir.resolve("deeplab.int8.head.onnx"), earlierHead);
        Process p = CliProcess.start(dir, dir.resolve("logs"), "optimize", model.toString(), "--calibration",
                TestData.calibrationPhotos().toString(), "--subset", "40", "--force");
        // the earlier outputs are set aside once the run has started its work
        waitFor(p, () -> !hidden(dir, ".deeplab.int8.onnx.replaced-").isEmpty(), dir);
        Thread.sleep(2000);
        stop(p, signal);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        assertEquals(List.of(), hidden(dir, ".deeplab"), "no hidden temporary or backup is left");
        assertArrayEquals(earlier, Files.readAllBytes(dir.resolve("deeplab.int8.onnx")), "the earlier INT8 model is back");
        assertArrayEquals(earlierHead, Files.readAllBytes(dir.resolve("deeplab.int8.head.onnx")), "the earlier head model is back");
        assertArrayEquals(Files.readAllBytes(TestData.deeplabModel()), Files.readAllBytes(model), "the model is untouched");
    }

    /**
     * {@code kill -9} runs no shutdown hook: the hidden folder stays. The next run writing the same report removes it
     * (its process no longer runs) and says so in one line; a temporary of a process still running stays.
     */
    @org.junit.jupiter.api.Test
    void theNextRunRemovesWhatAKilledRunLeft() throws Exception {
        Path dir = Files.createTempDirectory("interrupt-kill9");
        Path report = dir.resolve("rep3");
        Process p = CliProcess.start(dir, dir.resolve("logs"), "evaluate", TestData.deeplabModel().toString(), "--reference",
                TestData.deeplabModel().toString(), "--dataset", TestData.vocVal().toString(), "--limit", "200", "--report", report.toString());
        waitFor(p, () -> hidden(dir, ".rep3.tmp-").size() == 1, dir);
        Thread.sleep(1000);
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        List<String> left = hidden(dir, ".rep3");
        assertEquals(1, left.size(), "kill -9 leaves the hidden folder: " + left);
        assertTrue(left.get(0).startsWith(".rep3.tmp-" + p.pid() + "-"), "the name carries the killed process's id: " + left);
        long running = ProcessHandle.current().parent().orElseThrow().pid();
        Path other = Files.createDirectories(dir.resolve(".rep3.tmp-" + running + "-inprogress"));

        CliRun.Result r = CliRun.run("evaluate", TestData.deeplabModel().toString(), "--dataset", TestData.vocVal().toString(), "--limit", "2",
                "--no-images", "--report", report.toString());
        assertEquals(0, r.code(), r.all());
        List<String> said = r.err().lines().filter(l -> l.contains("hidden temporar")).toList();
        assertEquals(List.of("int8wb: removed 1 hidden temporary of rep3 left by a stopped run (process " + p.pid() + ", no longer running): "
                + left.get(0)), said, r.all());
        assertEquals(List.of(other.getFileName().toString()), hidden(dir, ".rep3"), "only the running process's temporary stays");
        assertTrue(Files.isRegularFile(report.resolve("report.json")), "the new report is written");
    }

    static byte[] ownModel(String note) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(TinyModels.fixed(Files.createTempDirectory("own"), "own.onnx")));
        return m.toBuilder().addMetadataProps(StringStringEntryProto.newBuilder().setKey("int8workbench.quantization").setValue(note))
                .build().toByteArray();
    }

    private static void stop(Process p, String signal) throws Exception {
        assertTrue(p.isAlive(), "the run is still going when it is stopped");
        if (signal.equals("INT")) {
            CliProcess.interrupt(p);
        } else {
            p.destroy();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Process p, Condition c, Path dir) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!c.holds()) {
            if (!p.isAlive()) {
                throw new AssertionError("the run ended before it could be stopped: " + Files.readString(dir.resolve("logs/stderr.txt"))
                        + Files.readString(dir.resolve("logs/stdout.txt")));
            }
            if (System.currentTimeMillis() > end) {
                p.destroyForcibly();
                throw new AssertionError("timed out waiting for the run to start writing");
            }
            Thread.sleep(50);
        }
    }

    private static List<String> hidden(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }
}
