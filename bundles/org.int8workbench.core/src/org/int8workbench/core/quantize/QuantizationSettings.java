package org.int8workbench.core.quantize;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of one quantization, as recorded in the result and in the INT8 model's metadata.
 *
 * @param preset activation scheme (weights are always symmetric per-channel int8)
 * @param method range estimator for activations
 * @param percentile percentile for {@link RangeMethod#PERCENTILE}
 * @param subsetSize calibration images to use at most (0 = use {@code subsetPercent})
 * @param subsetPercent percentage of the calibration images to use when {@code subsetSize} is 0
 * @param seed seed of the subset selection (the same seed picks the same images)
 * @param ignoredScope nodes kept in FP32
 * @param keepFirstLast keep the first and the last Conv/Gemm/MatMul in FP32
 * @param fastBiasCorrection shift each quantized Conv/Gemm bias so its per-channel output mean matches FP32
 */
public record QuantizationSettings(Preset preset, RangeMethod method, double percentile, int subsetSize,
        double subsetPercent, long seed, IgnoredScope ignoredScope, boolean keepFirstLast, boolean fastBiasCorrection) {

    /** The default number of calibration images (all when there are fewer). */
    public static final int DEFAULT_SUBSET = 300;
    /** The default percentile of {@link RangeMethod#PERCENTILE}. */
    public static final double DEFAULT_PERCENTILE = 99.999;

    public QuantizationSettings {
        if (subsetSize < 0) {
            throw new IllegalArgumentException("subset size must not be negative, got " + subsetSize);
        }
        if (subsetSize == 0 && !(subsetPercent > 0 && subsetPercent <= 100)) {
            throw new IllegalArgumentException("subset percentage must be in (0, 100], got " + subsetPercent);
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
    }

    /**
     * The Default method: Performance preset, MeanMinMax ranges (the mean of the per-image extremes, as the reference
     * tool's Default; see {@link RangeMethod} for what it gained over MinMax), 300 images, seed 0, nothing ignored, fast
     * bias correction on.
     */
    public static QuantizationSettings defaults() {
        return new QuantizationSettings(Preset.PERFORMANCE, RangeMethod.MEAN_MINMAX, DEFAULT_PERCENTILE, DEFAULT_SUBSET, 0, 0,
                IgnoredScope.none(), false, true);
    }

    /** How many of {@code available} images the subset has. */
    public int subsetOf(int available) {
        if (subsetSize > 0) {
            return Math.min(subsetSize, available);
        }
        return Math.max(1, Math.min(available, (int) Math.round(available * subsetPercent / 100.0)));
    }

    /** The settings as display strings, for model metadata. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preset", preset.cliName());
        m.put("activations", preset.symmetricActivations()
                ? "uint8 symmetric (zero point 128; 0 when non-negative; asymmetric when one side is under half the other)"
                : "uint8 asymmetric");
        m.put("weights", "int8 symmetric per-channel");
        m.put("method", method.cliName());
        if (method == RangeMethod.PERCENTILE) {
            m.put("percentile", Double.toString(percentile));
        }
        m.put("subset", subsetSize > 0 ? Integer.toString(subsetSize) : String.format(Locale.ROOT, "%s%%", subsetPercent));
        m.put("seed", Long.toString(seed));
        if (!ignoredScope.isEmpty()) {
            m.put("ignored", String.join(",", ignoredScope.names()) + (ignoredScope.patterns().isEmpty() ? ""
                    : ";" + String.join(",", ignoredScope.patterns())) + (ignoredScope.opTypes().isEmpty() ? ""
                    : ";types " + String.join(",", ignoredScope.opTypes())));
        }
        m.put("keepFirstLast", Boolean.toString(keepFirstLast));
        m.put("fastBiasCorrection", Boolean.toString(fastBiasCorrection));
        return m;
    }
}
