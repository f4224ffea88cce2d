package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.int8workbench.core.quantize.Quantization.QuantizedWeights;
import org.junit.jupiter.api.Test;

/** Quantize/dequantize numerics and scale/zero-point edge cases, checked against hand-computed values. */
class QuantizationTest {

    @Test
    void quantizeRoundsHalfToEvenAndClamps() {
        QuantParams p = new QuantParams(0.5f, 10, 0, 255);
        assertEquals(10, p.quantize(0f));
        assertEquals(12, p.quantize(1f)); // 1/0.5 = 2
        assertEquals(10, p.quantize(0.25f)); // 0.25 / 0.5 = 0.5 rounds to 0 (even)
        assertEquals(12, p.quantize(0.75f)); // 1.5 -> 2 (even)
        assertEquals(0, p.quantize(-100f));
        assertEquals(255, p.quantize(1000f));
        assertEquals(-5f, p.dequantize(0));
        assertEquals(122.5f, p.dequantize(255));
        assertEquals(1f, p.fakeQuantize(1.1f));
    }

    @Test
    void nonNegativeTensorGetsZeroPointZero() {
        QuantParams p = Quantization.activation(0f, 6f, true);
        assertEquals(0, p.zeroPoint());
        assertEquals(6f / 255, p.scale(), 1e-9);
        assertEquals(255, p.quantize(6f));
        assertEquals(0, p.quantize(0f));
        // asymmetric gives the same for a range starting at 0
        QuantParams a = Quantization.activation(0f, 6f, false);
        assertEquals(0, a.zeroPoint());
        assertEquals(6f / 255, a.scale(), 1e-9);
    }

    @Test
    void signedSymmetricTensorGetsZeroPoint128() {
        QuantParams p = Quantization.activation(-2f, 1f, true);
        assertEquals(128, p.zeroPoint());
        assertEquals(2f / 127, p.scale(), 1e-9);
        assertEquals(128, p.quantize(0f));
        assertEquals(1, p.quantize(-2f)); // -127 steps
        assertTrue(p.max() >= 1f && p.min() <= -2f);
    }

    @Test
    void oneSidedSignedRangeIsAsymmetricEvenWhenSymmetric() {
        // a hard-swish output: [-0.375, 6]; symmetric would spend 128 levels on [-6, 0] where only [-0.375, 0] occurs
        QuantParams h = Quantization.activation(-0.375f, 6f, true);
        assertEquals(6.375f / 255, h.scale(), 1e-9);
        assertEquals(15, h.zeroPoint()); // round(0.375 / 0.025) = 15
        assertEquals(15, h.quantize(0f));
        assertEquals(0f, h.fakeQuantize(0f)); // 0 stays exact
        assertEquals(h, Quantization.activation(-0.375f, 6f, false), "the same as the asymmetric preset");
        assertTrue(h.scale() < 6f / 127 / 1.8f, "about twice as fine as the symmetric grid");
        // the boundary: the shorter side at exactly half the longer is still balanced enough for zero point 128
        assertEquals(128, Quantization.activation(-3f, 6f, true).zeroPoint());
        assertEquals(128, Quantization.activation(-6f, 3f, true).zeroPoint());
        QuantParams below = Quantization.activation(-2.9f, 6f, true);
        assertEquals(8.9f / 255, below.scale(), 1e-7);
        assertEquals(83, below.zeroPoint()); // round(2.9 / (8.9/255)) = round(83.09)
        // mostly negative: the mirror image
        QuantParams neg = Quantization.activation(-6f, 0.375f, true);
        assertEquals(6.375f / 255, neg.scale(), 1e-9);
        assertEquals(240, neg.zeroPoint());
    }

    @Test
    void asymmetricRangeIncludesZero() {
        QuantParams p = Quantization.activation(-1f, 3f, false);
        assertEquals(4f / 255, p.scale(), 1e-9);
        assertEquals(64, p.zeroPoint()); // round(1 / (4/255)) = round(63.75)
        assertEquals(64, p.quantize(0f));
        // a range away from zero is widened to include it
        QuantParams q = Quantization.activation(2f, 4f, false);
        assertEquals(0, q.zeroPoint());
        assertEquals(4f / 255, q.scale(), 1e-9);
    }

    @Test
    void negativeOnlyTensor() {
        // never positive: one-sided, so even symmetric activations use all 256 levels (zero point 255, mirror of 0)
        QuantParams sym = Quantization.activation(-4f, -1f, true);
        assertEquals(255, sym.zeroPoint());
        assertEquals(4f / 255, sym.scale(), 1e-9);
        QuantParams asym = Quantization.activation(-4f, -1f, false);
        assertEquals(255, asym.zeroPoint());
        assertEquals(4f / 255, asym.scale(), 1e-9);
        assertEquals(0, asym.quantize(-4f));
        assertEquals(255, asym.quantize(0f));
    }

    @Test
    void constantAndAllZeroTensors() {
        // all zeros: no range at all; scale 1 keeps 0 exact
        for (boolean sym : new boolean[] {true, false}) {
            QuantParams z = Quantization.activation(0f, 0f, sym);
            assertEquals(1f, z.scale());
            assertEquals(0, z.zeroPoint());
            assertEquals(0f, z.fakeQuantize(0f));
        }
        // a positive constant: range [0, c], the constant is the top of the grid, exact
        QuantParams c = Quantization.activation(3f, 3f, true);
        assertEquals(0, c.zeroPoint());
        assertEquals(3f / 255, c.scale(), 1e-9);
        assertEquals(3f, c.fakeQuantize(3f), 1e-6);
        // a negative constant, symmetric: -c at -127 steps
        QuantParams n = Quantization.activation(-3f, -3f, true);
        assertEquals(-3f, n.fakeQuantize(-3f), 1e-6);
    }

    @Test
    void invalidRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Quantization.activation(1f, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> Quantization.activation(Float.NaN, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0f, 0, 0, 255));
    }

    @Test
    void clippedRangeStaysInsideTheClipBounds() {
        // observed [0, 7.5] after a Clip(0, 6): cut to 6, and 255 * scale must not exceed 6 in float arithmetic
        QuantParams p = Quantization.clipped(0f, 7.5f, 0f, 6f, true);
        assertEquals(0, p.zeroPoint());
        assertTrue(p.scale() * 255 <= 6f, "representable max " + p.scale() * 255);
        assertEquals(6f / 255, p.scale(), 1e-6);
        // Relu: only the lower bound
        QuantParams r = Quantization.clipped(-1f, 2f, 0f, Float.POSITIVE_INFINITY, true);
        assertEquals(0, r.zeroPoint());
        assertEquals(2f / 255, r.scale(), 1e-9);
    }

    @Test
    void perChannelWeightsAreSymmetricInt8() {
        // two output channels of 3 values each: ranges 1.27 and 0.127; a third all-zero channel
        float[] w = {1.27f, -0.5f, 0.01f, 0.127f, -0.127f, 0.064f, 0f, 0f, 0f};
        QuantizedWeights q = Quantization.weightsPerChannel(w, new long[] {3, 3}, 0, null);
        assertArrayEquals(new float[] {0.01f, 0.001f, 1f}, q.scales(), 1e-7f);
        assertArrayEquals(new byte[] {127, -50, 1, 127, -127, 64, 0, 0, 0}, q.values());
        assertArrayEquals(new float[] {-0.5f, -0.127f, 0f}, q.min(), 0f);
        assertArrayEquals(new float[] {1.27f, 0.127f, 0f}, q.max(), 0f);
        // axis 1 of a [2, 2] matrix (MatMul weight [K, N]): columns are the channels
        QuantizedWeights m = Quantization.weightsPerChannel(new float[] {1.5f, 0.2f, -2f, 0.05f}, new long[] {2, 2}, 1, null);
        assertArrayEquals(new float[] {2f / 127, 0.2f / 127}, m.scales(), 1e-7f);
        assertArrayEquals(new byte[] {95, 127, -127, 32}, m.values()); // 1.5*127/2 = 95.25, 0.05*127/0.2 = 31.75
    }

    @Test
    void biasIsInt32WithInputTimesWeightScale() {
        int[] b = Quantization.bias(new float[] {0.5f, -0.25f}, 0.1f, new float[] {0.01f, 0.05f});
        assertArrayEquals(new int[] {500, -50}, b);
        // a tiny weight scale would overflow int32: the lower bound on the scale prevents it
        float[] min = Quantization.minWeightScales(new float[] {1000f}, 1e-3f);
        assertThrows(ArithmeticException.class, () -> Quantization.bias(new float[] {1000f}, 1e-3f, new float[] {1e-9f}));
        Quantization.bias(new float[] {1000f}, 1e-3f, min);
        QuantizedWeights q = Quantization.weightsPerChannel(new float[] {1e-7f}, new long[] {1, 1}, 0, min);
        assertEquals(min[0], q.scales()[0]);
    }
}
