package org.int8workbench.core.quantize;

import java.util.Locale;

/**
 * How activations are quantized; weights are always symmetric per-channel int8.
 *
 * <p>Integer types: activations are always <b>uint8</b> and weights <b>int8</b> (U8S8). On x86, ONNX Runtime's QDQ
 * selectors fuse Conv/MatMul into integer kernels only with uint8 activations: with int8 activations (S8S8) only
 * 38 of the real DeepLabV3's 55 Conv became {@code QLinearConv} and the model ran 0.75–1.08x the FP32 speed,
 * whereas U8S8 fused all 55 and ran about 1.8x (measured, see {@code shared/notes/ort-int8.md}). A symmetric
 * activation range is therefore expressed in uint8 with zero point 128.
 */
public enum Preset {
    /**
     * Symmetric activations (the reference tool's default, the fastest): zero point 128 in uint8, or 0 when the tensor
     * is never negative (ReLU outputs), so 0.0 is exact and no zero-point arithmetic is wasted on one-sided ranges.
     */
    PERFORMANCE,
    /** Asymmetric activations (uint8, zero point from the range), symmetric weights: for non-ReLU activations. */
    MIXED;

    /** Lower-case name as the command line takes it. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Preset parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown preset '" + s + "'; use performance or mixed");
        }
    }

    /** True for symmetric activation ranges. */
    public boolean symmetricActivations() {
        return this == PERFORMANCE;
    }
}
