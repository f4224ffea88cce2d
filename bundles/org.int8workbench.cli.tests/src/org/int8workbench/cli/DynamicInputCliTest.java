package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.cli.CliRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models whose input has dynamic height and width work with {@code --size} (and {@code --layout}): optimize, evaluate
 * and benchmark them; the inputs stay as they were. So do rank-3 inputs ([3,H,W] or [H,W,3], no batch axis), dynamic or
 * fixed; other ranks are refused with one line.
 */
class DynamicInputCliTest {

    @TempDir
    Path tmp;

    private static void roundTrip(Path model, Path images, String... pre) throws Exception {
        Path dir = model.getParent().getParent();
        String before = OutputPolicyCliTest.checksum(images) + OutputPolicyCliTest.checksum(model.getParent());
        Result r = CliRun.run(concat(new String[] {"optimize", model.toString(), "--calibration", images.toString(), "--output",
                dir.resolve("out.int8.onnx").toString()}, pre));
        assertEquals(0, r.code(), r.all());
        Path int8 = dir.resolve("out.int8.onnx");
        assertTrue(Files.isRegularFile(int8), r.all());
        r = CliRun.run(concat(new String[] {"evaluate", int8.toString(), "--reference", model.toString(), "--dataset",
                images.toString()}, pre));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Pixel agreement") || r.out().toLowerCase().contains("agreement"), r.out());
        r = CliRun.run(concat(new String[] {"benchmark", model.toString(), int8.toString(), "--iterations", "3", "--rounds",
                "1", "--warmup", "1"}, pre));
        assertEquals(0, r.code(), r.all());
        assertEquals(before, OutputPolicyCliTest.checksum(images) + OutputPolicyCliTest.checksum(model.getParent()));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void dynamicHeightAndWidth() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dynamic-hw"));
        Path model = TinyModels.dynamic(dir.resolve("in"), "dyn.onnx");
        Path images = TinyModels.images(dir.resolve("images"), 6);
        roundTrip(model, images, "--size", "16x16", "--layout", "nchw");
    }

    /** The "pixel agreement" figure of evaluate's "Optimized vs parent:" line. */
    private static double agreement(Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Optimized vs parent:.*pixel agreement ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.all());
        return Double.parseDouble(m.group(1));
    }

    /**
     * A rank-3 input ([3,H,W] or [H,W,3], no batch axis) works in every step: optimize (calibration, QDQ, the
     * benchmark and comparison), evaluate (the FP32 model against itself agrees on every pixel, the INT8 model on
     * most), benchmark, inspect, sensitivity and codegen; the inputs stay as they were.
     */
    private static void rank3(Path model, Path images, boolean channelsLast, String... pre) throws Exception {
        roundTrip(model, images, pre);
        Path dir = model.getParent().getParent();
        String before = OutputPolicyCliTest.checksum(images) + OutputPolicyCliTest.checksum(model.getParent());
        Result r = CliRun.run(concat(new String[] {"evaluate", model.toString(), "--reference", model.toString(), "--dataset",
                images.toString()}, pre));
        assertEquals(0, r.code(), r.all());
        assertEquals(1.0, agreement(r), 0.0, "the FP32 model agrees with itself on every pixel: " + r.out());
        Path int8 = dir.resolve("out.int8.onnx");
        // the INT8 model records its preprocessing: no --size needed
        r = CliRun.run("evaluate", int8.toString(), "--reference", model.toString(), "--dataset", images.toString());
        assertEquals(0, r.code(), r.all());
        double a = agreement(r);
        assertTrue(a >= 0.8 && a <= 1.0, "INT8 vs FP32 pixel agreement " + a + " (5 classes on random images; at least 0.8)");
        r = CliRun.run(concat(new String[] {"inspect", model.toString()}, pre));
        assertEquals(0, r.code(), r.all());
        r = CliRun.run(concat(new String[] {"sensitivity", model.toString(), "--calibration", images.toString(), "--images",
                "2", "--top", "2"}, pre));
        assertEquals(0, r.code(), r.all());
        r = CliRun.run("codegen", int8.toString(), "--package", "org.example.tiny", "--class", "Tiny", "--out",
                dir.resolve("gen").toString(), "--dataset", images.toString(), "--samples", "1");
        assertEquals(0, r.code(), r.all());
        String generated = Files.readString(dir.resolve("gen/src/main/java/org/example/tiny/Tiny.java"));
        assertTrue(generated.contains(channelsLast ? "INPUT_SHAPE = {INPUT_HEIGHT, INPUT_WIDTH, 3}"
                : "INPUT_SHAPE = {3, INPUT_HEIGHT, INPUT_WIDTH}"), "the generated code feeds the rank-3 input without a batch axis");
        assertEquals(before, OutputPolicyCliTest.checksum(images) + OutputPolicyCliTest.checksum(model.getParent()));
    }

    @Test
    void rank3ChannelsFirst() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rank3-chw"));
        Path model = TinyModels.rank3(dir.resolve("in"), "chw.onnx", false);
        Path images = TinyModels.images(dir.resolve("images"), 6);
        rank3(model, images, false, "--size", "16x16", "--layout", "nchw");
    }

    @Test
    void rank3ChannelsLast() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rank3-hwc"));
        Path model = TinyModels.rank3(dir.resolve("in"), "hwc.onnx", true);
        Path images = TinyModels.images(dir.resolve("images"), 6);
        // without --layout: [H,W,3] has its channels last
        rank3(model, images, true, "--size", "16x16");
    }

    @Test
    void rank3FixedSizeNeedsNoOptions() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rank3-fixed"));
        Path model = TinyModels.rank3(dir.resolve("in"), "hwc16.onnx", true, 16);
        Path images = TinyModels.images(dir.resolve("images"), 6);
        roundTrip(model, images);
    }

    /** Ranks other than 3 and 4 are refused by each command with one line before any work, and nothing is written. */
    @Test
    void rank5IsRefusedWithOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rank5"));
        Path model = TinyModels.rank5(dir.resolve("in"), "r5.onnx");
        Path images = TinyModels.images(dir.resolve("images"), 6);
        String before = OutputPolicyCliTest.checksum(dir);
        for (String[] args : new String[][] {{"optimize", model.toString(), "--calibration", images.toString()},
                {"evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString()},
                {"benchmark", model.toString(), "--iterations", "3", "--rounds", "1", "--warmup", "1"}}) {
            Result r = CliRun.run(concat(args, new String[] {"--size", "16x16", "--layout", "nchw"}));
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("has 5 dimensions") || r.err().contains("shape [1, 1, 3"), args[0] + ": " + r.all());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("int8wb:")).count(), r.err());
        }
        assertEquals(before, OutputPolicyCliTest.checksum(dir));
    }
}
