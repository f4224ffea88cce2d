package org.int8workbench.core.quantize;

/**
 * Scale and zero point of a linear quantization: {@code q = clamp(round(x / scale) + zeroPoint, qmin, qmax)},
 * {@code x ≈ (q - zeroPoint) * scale}. Rounding is half to even, as ONNX {@code QuantizeLinear} defines it.
 *
 * @param scale the step, &gt; 0
 * @param zeroPoint the integer that represents 0.0
 * @param qmin smallest integer used (0 for uint8, -127 for symmetric int8 weights)
 * @param qmax largest integer used (255 for uint8, 127 for int8)
 */
public record QuantParams(float scale, int zeroPoint, int qmin, int qmax) {

    public QuantParams {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " outside [" + qmin + ", " + qmax + "]");
        }
    }

    /** Quantizes one value (float arithmetic, as ONNX Runtime does). */
    public int quantize(float x) {
        float v = (float) Math.rint(x / scale) + zeroPoint;
        return (int) Math.max(qmin, Math.min(qmax, v));
    }

    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }

    /** {@code dequantize(quantize(x))}. */
    public float fakeQuantize(float x) {
        return dequantize(quantize(x));
    }

    /** Smallest representable value. */
    public float min() {
        return dequantize(qmin);
    }

    /** Largest representable value. */
    public float max() {
        return dequantize(qmax);
    }
}
