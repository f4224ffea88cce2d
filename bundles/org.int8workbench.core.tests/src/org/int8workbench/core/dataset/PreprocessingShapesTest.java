package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.junit.jupiter.api.Test;

/**
 * The shape an image is fed as follows the model input's rank: 4-D with a batch axis of 1, 3-D without one; the layout
 * is read from where the axis of 3 is, for both ranks; other ranks are refused with one line.
 */
class PreprocessingShapesTest {

    private static final Preprocessing CHW = Preprocessing.defaults(20, 16, Layout.NCHW);
    private static final Preprocessing HWC = Preprocessing.defaults(20, 16, Layout.NHWC);

    @Test
    void rank4KeepsTheBatchAxis() {
        assertArrayEquals(new long[] {1, 3, 16, 20}, CHW.inputShape(new long[] {-1, 3, -1, -1}));
        assertArrayEquals(new long[] {1, 16, 20, 3}, HWC.inputShape(new long[] {1, 16, 20, 3}));
        assertArrayEquals(new long[] {1, 3, 16, 20}, CHW.inputShape(null), "an unknown shape is fed as 4-D");
    }

    @Test
    void rank3DropsTheBatchAxis() {
        assertArrayEquals(new long[] {3, 16, 20}, CHW.inputShape(new long[] {3, -1, -1}));
        assertArrayEquals(new long[] {16, 20, 3}, HWC.inputShape(new long[] {-1, -1, 3}));
        assertEquals(3 * 16 * 20, CHW.tensorSize());
    }

    @Test
    void otherRanksAreRefusedWithOneLine() {
        for (long[] s : new long[][] {{}, {3}, {16, 20}, {1, 1, 3, 16, 20}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CHW.inputShape(s));
            assertTrue(e.getMessage().contains("has " + s.length + " dimensions"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        assertNull(Preprocessing.rankProblem(3));
        assertNull(Preprocessing.rankProblem(4));
    }

    @Test
    void layoutFromWhereTheThreeIs() {
        assertEquals(Layout.NCHW, Preprocessing.layoutOf(new long[] {1, 3, -1, -1}));
        assertEquals(Layout.NHWC, Preprocessing.layoutOf(new long[] {1, -1, -1, 3}));
        assertEquals(Layout.NCHW, Preprocessing.layoutOf(new long[] {3, -1, -1}));
        assertEquals(Layout.NHWC, Preprocessing.layoutOf(new long[] {-1, -1, 3}));
        assertEquals(Layout.NHWC, Preprocessing.layoutOf(new long[] {16, 20, 3}));
        assertEquals(Layout.NCHW, Preprocessing.layoutOf(new long[] {3, 16, 3}), "3 first wins: [3,H,W]");
        assertEquals(Layout.NCHW, Preprocessing.layoutOf(null));
    }

    @Test
    void fixedRank3InputsGiveTheirSize() {
        Preprocessing chw = Preprocessing.forModel(Map.of(), new long[] {3, 16, 20}).orElseThrow();
        assertEquals(20, chw.width());
        assertEquals(16, chw.height());
        assertEquals(Layout.NCHW, chw.layout());
        Preprocessing hwc = Preprocessing.forModel(Map.of(), new long[] {16, 20, 3}).orElseThrow();
        assertEquals(20, hwc.width());
        assertEquals(16, hwc.height());
        assertEquals(Layout.NHWC, hwc.layout());
        assertTrue(Preprocessing.forModel(Map.of(), new long[] {3, -1, -1}).isEmpty(), "dynamic: the size comes from --size");
    }

    @Test
    void requestedSizeIsCheckedAgainstAFixedRank3Input() {
        Preprocessing.checkRequestedSize(20, 16, new long[] {16, 20, 3}, Layout.NHWC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.checkRequestedSize(16, 16, new long[] {16, 20, 3}, Layout.NHWC));
        assertTrue(e.getMessage().contains("takes 20x16"), e.getMessage());
    }
}
