package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class LabelDecoderTest {

    @Test
    void argmaxNchwFirstMaximumWins() {
        // batch 2, 3 classes, 2 pixels; layout [n][c][p]
        float[] s = {
            1, 5, /* c0 */ 3, 5, /* c1 */ 2, 9, /* c2 */
            0, 0, /* c0 */ 0, -1, /* c1 */ 0, -2 /* c2 */};
        assertArrayEquals(new int[] {1, 2, 0, 0}, LabelDecoder.argmaxNchw(FloatBuffer.wrap(s), 2, 3, 2));
    }

    @Test
    void argmaxNhwcFirstMaximumWins() {
        // batch 1, 3 pixels of 3 classes; layout [p][c]
        float[] s = {1, 3, 2, /* */ 7, 7, 7, /* */ -1, -3, 0};
        assertArrayEquals(new int[] {1, 0, 2}, LabelDecoder.argmaxNhwc(FloatBuffer.wrap(s), 1, 3, 3));
    }

    @Test
    void guessesTheClassAxis() {
        assertEquals(1, LabelDecoder.guessClassAxis(new long[] {1, 21, 257, 257}));
        assertEquals(3, LabelDecoder.guessClassAxis(new long[] {1, 257, 257, 21}));
        assertEquals(1, LabelDecoder.guessClassAxis(new long[] {-1, 21, -1, -1}));
        assertEquals(3, LabelDecoder.guessClassAxis(new long[] {-1, -1, -1, 21}));
        assertEquals(-1, LabelDecoder.guessClassAxis(new long[] {1, 257, 257}));
        assertThrows(IllegalArgumentException.class, () -> LabelDecoder.argmax(2));
    }
}
