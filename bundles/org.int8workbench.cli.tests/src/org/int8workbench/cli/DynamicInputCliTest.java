package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.cli.OutputPolicyCliTest.Result;
import org.junit.jupiter.api.Test;

/**
 * Models whose input has dynamic height and width work with {@code --size} (and {@code --layout}): optimize, evaluate
 * and benchmark them; the inputs stay as they were. A rank-3 input ([3,H,W] or [H,W,3]) is refused with one line.
 */
class DynamicInputCliTest {

    private static void roundTrip(Path model, Path images, String... pre) throws Exception {
        Path dir = model.getParent().getParent();
        String before = OutputPolicyCliTest.checksum(images) + OutputPolicyCliTest.checksum(model.getParent());
        Result r = OutputPolicyCliTest.run(concat(new String[] {"optimize", model.toString(), "--calibration", images.toString(), "--output",
                dir.resolve("out.int8.onnx").toString()}, pre));
        assertEquals(0, r.code(), r.all());
        Path int8 = dir.resolve("out.int8.onnx");
        assertTrue(Files.isRegularFile(int8), r.all());
        r = OutputPolicyCliTest.run(concat(new String[] {"evaluate", int8.toString(), "--reference", model.toString(), "--dataset",
                images.toString()}, pre));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Pixel agreement") || r.out().toLowerCase().contains("agreement"), r.out());
        r = OutputPolicyCliTest.run(concat(new String[] {"benchmark", model.toString(), int8.toString(), "--iterations", "3", "--rounds",
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
        Path dir = Files.createTempDirectory("dynamic-hw");
        Path model = TinyModels.dynamic(dir.resolve("in"), "dyn.onnx");
        Path images = TinyModels.images(dir.resolve("images"), 6);
        roundTrip(model, images, "--size", "16x16", "--layout", "nchw");
    }

    /**
     * Rank-3 inputs are not supported yet (every step feeds 4-D tensors): each command refuses them with one line
     * before any work, and nothing is written.
     */
    private static void refusedRank3(Path model, Path images, String... pre) throws Exception {
        Path dir = model.getParent().getParent();
        String before = OutputPolicyCliTest.checksum(dir);
        for (String[] args : new String[][] {{"optimize", model.toString(), "--calibration", images.toString()},
                {"evaluate", model.toString(), "--reference", model.toString(), "--dataset", images.toString()},
                {"benchmark", model.toString(), "--iterations", "3", "--rounds", "1", "--warmup", "1"}}) {
            Result r = OutputPolicyCliTest.run(concat(args, pre));
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("has 3 dimensions") || r.err().contains("4-D"), args[0] + ": " + r.all());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("int8wb:")).count(), r.err());
        }
        assertEquals(before, OutputPolicyCliTest.checksum(dir));
    }

    @Test
    void rank3ChannelsFirstIsRefusedWithOneLine() throws Exception {
        Path dir = Files.createTempDirectory("rank3-chw");
        Path model = TinyModels.rank3(dir.resolve("in"), "chw.onnx", false);
        Path images = TinyModels.images(dir.resolve("images"), 6);
        refusedRank3(model, images, "--size", "16x16", "--layout", "nchw");
    }

    @Test
    void rank3ChannelsLastIsRefusedWithOneLine() throws Exception {
        Path dir = Files.createTempDirectory("rank3-hwc");
        Path model = TinyModels.rank3(dir.resolve("in"), "hwc.onnx", true);
        Path images = TinyModels.images(dir.resolve("images"), 6);
        refusedRank3(model, images, "--size", "16x16", "--layout", "nhwc");
    }
}
