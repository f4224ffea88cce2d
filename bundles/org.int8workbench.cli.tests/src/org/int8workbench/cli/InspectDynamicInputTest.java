package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.int8workbench.cli.CliRun.Result;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@code int8wb inspect} on Paddle2ONNX's PP-HumanSeg (weights in Constant nodes, dynamic input [-1,3,-1,-1]):
 * parameters are counted; MACs are counted for {@code --size 398x224 --layout nchw}; without a size it says what to give.
 */
class InspectDynamicInputTest {

    static Result inspect(String... args) {
        return CliRun.run(args);
    }

    @Test
    void sizedInspectCountsParametersAndMacs() {
        Path model = TestData.zooModel("pphumanseg_lite_portrait.onnx");
        Result r = inspect("inspect", model.toString(), "--size", "398x224", "--layout", "nchw");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters  137,526"), r.out());
        assertTrue(r.out().contains("MACs        0.251 G per image of [1, 3, 224, 398]"), r.out());
        assertEquals("", r.err());

        Result plain = inspect("inspect", model.toString());
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("parameters  137,526"), plain.out());
        assertTrue(plain.out().contains("give the input size and layout (--size, --layout)"), plain.out());
    }

    @Test
    void layoutWithoutSizeIsOneLine() {
        Result r = inspect("inspect", TestData.zooModel("pphumanseg_lite_portrait.onnx").toString(), "--layout", "nchw");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--layout needs --size") && r.err().strip().lines().count() == 1, r.err());
    }
}
