package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.junit.jupiter.api.Test;

/** The one channel rule of the label path ({@link OutputShapes}), and {@link ScoreLayout#classCount} following it. */
class OutputShapesTest {

    private static final Preprocessing NCHW_16x8 = Preprocessing.defaults(16, 8, Layout.NCHW);
    private static final Preprocessing NHWC_16x8 = Preprocessing.defaults(16, 8, Layout.NHWC);

    @Test
    void singleChannelMaps() {
        assertTrue(OutputShapes.singleChannel(new long[] {1, 8, 16}));
        assertTrue(OutputShapes.singleChannel(new long[] {1, 1, 8, 16}));
        assertTrue(OutputShapes.singleChannel(new long[] {1, 8, 16, 1}));
        assertTrue(OutputShapes.singleChannel(new long[] {-1, 1, -1, -1}), "dynamic size, one channel");
        assertFalse(OutputShapes.singleChannel(new long[] {1, 3, 8, 16}));
        assertFalse(OutputShapes.singleChannel(new long[] {1, 1, 8, 1}), "a one-pixel-wide map: the layout rule decides");
        assertArrayEquals(new int[] {8, 16}, OutputShapes.mapSize(new long[] {1, 8, 16, 1}));
        assertArrayEquals(new int[] {8, 16}, OutputShapes.mapSize(new long[] {1, 1, 8, 16}));
        assertArrayEquals(new int[] {8, 16}, OutputShapes.mapSize(new long[] {1, 8, 16}));
        assertNull(OutputShapes.mapSize(new long[] {2, 1, 8, 16}), "one image only");
    }

    @Test
    void channelsByTheLayoutRuleAndWithDynamicAxes() {
        assertEquals(21, OutputShapes.channels(new long[] {1, 21, 8, 16}, NHWC_16x8), "the aspect decides over the input layout");
        assertEquals(21, OutputShapes.channels(new long[] {1, 8, 16, 21}, NCHW_16x8));
        assertEquals(1, OutputShapes.channels(new long[] {1, 1, 8, 8}, NHWC_16x8), "one channel wins over the layout rule");
        assertEquals(2, OutputShapes.channels(new long[] {-1, 2, -1, -1}, null), "dynamic size: the fixed axis");
        assertEquals(2, OutputShapes.channels(new long[] {-1, -1, -1, 2}, NCHW_16x8));
        assertEquals(3, OutputShapes.channels(new long[] {-1, 3, 512, 512}, null), "dynamic batch only");
        assertEquals(-1, OutputShapes.channels(new long[] {1, -1, 64, 64}, NCHW_16x8), "dynamic channels: not known");
        assertEquals(-1, OutputShapes.channels(new long[] {1, 1000}, null));
        assertEquals(Optional.of(ScoreLayout.NHWC), OutputShapes.layout(new long[] {-1, -1, -1, 2}, NCHW_16x8));
        assertEquals(Optional.empty(), OutputShapes.layout(new long[] {-1, -1, -1, -1}, NCHW_16x8));
        // classCount follows the same rule: [1,1,8,8] from an NHWC input of another aspect once counted 8 classes
        assertEquals(-1, ScoreLayout.classCount(new long[] {1, 1, 8, 8}, NHWC_16x8));
        assertEquals(21, ScoreLayout.classCount(new long[] {1, 21, 8, 16}, NHWC_16x8));
    }
}
