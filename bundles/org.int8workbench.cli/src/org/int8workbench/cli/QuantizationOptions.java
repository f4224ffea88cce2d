package org.int8workbench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.core.quantize.Preset;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.RangeMethod;
import picocli.CommandLine.Option;

/**
 * The quantization options of the Default method as {@code optimize} takes them, for commands that calibrate without
 * writing a model ({@code sensitivity}): preset, range estimator, calibration subset, ignored scope, bias correction.
 * {@link #settings()} checks them and fails with one line naming the option.
 */
public final class QuantizationOptions {

    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "performance",
            description = "performance (symmetric activations, the fastest) or mixed (asymmetric activations). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--range", paramLabel = "ESTIMATOR",
            description = "Activation range estimator: mean-minmax, minmax, percentile, entropy or mse (default: mean-minmax, the Default method's).")
    String range;

    @Option(names = "--method", paramLabel = "METHOD", hidden = true,
            description = "default, or (as before --range existed) a range estimator.")
    String method;

    @Option(names = "--subset", paramLabel = "N|P%",
            description = "Calibration images to use: a count or a percentage (default: 300, or all if fewer).")
    String subset;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed of the subset selection. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.999",
            description = "Percentile of the percentile estimator. Default: ${DEFAULT-VALUE}.")
    double percentile;

    @Option(names = "--ignore", paramLabel = "NAME", split = ",",
            description = "Keep these nodes in FP32: node names, operator types, globs (conv*) or re:REGEX.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--keep-first-last", description = "Keep the first and the last Conv/Gemm/MatMul in FP32.")
    boolean keepFirstLast;

    @Option(names = "--fast-bias-correction", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Shift each quantized Conv's bias so its per-channel output mean matches FP32 (default: on).")
    boolean fastBiasCorrection = true;

    /** A {@code --subset} value: a count, or a percentage when {@code size} is 0. */
    record Subset(int size, double percent) {
    }

    /** Parses {@code --subset} ({@code null}: the default count), with one line naming the option when it is wrong. */
    static Subset parseSubset(String subset) {
        int subsetSize = QuantizationSettings.DEFAULT_SUBSET;
        double subsetPercent = 0;
        if (subset != null) {
            String s = subset.trim();
            try {
                if (s.endsWith("%")) {
                    subsetSize = 0;
                    subsetPercent = Double.parseDouble(s.substring(0, s.length() - 1));
                } else {
                    subsetSize = Integer.parseInt(s);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--subset takes a count (e.g. 300) or a percentage (e.g. 25%); got '" + subset + "'");
            }
            if (subsetSize < 0 || subsetSize == 0 && !(subsetPercent > 0 && subsetPercent <= 100)) {
                throw new IllegalArgumentException("--subset takes at least 1 image or a percentage in (0, 100]; got '" + subset + "'");
            }
        }
        return new Subset(subsetSize, subsetPercent);
    }

    /** The {@code --preset} value, or one line naming the option and its choices. */
    static Preset preset(String preset) {
        return Checks.parsed("--preset", preset, Preset::parse, "performance or mixed");
    }

    /** The settings the options give. */
    public QuantizationSettings settings() {
        Subset sub = parseSubset(subset);
        String estimator = range;
        if (method != null && !method.trim().toLowerCase(Locale.ROOT).equals("default")) {
            if (estimator != null) {
                throw new IllegalArgumentException("--method takes default here; give the range estimator with --range");
            }
            estimator = method;
        }
        RangeMethod m;
        try {
            m = estimator == null ? QuantizationSettings.defaults().method() : RangeMethod.parse(estimator);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--range takes mean-minmax, minmax, percentile, entropy or mse; got '" + estimator + "'");
        }
        Checks.inRange("--percentile", percentile, 50, 100);
        return new QuantizationSettings(preset(preset), m, percentile, sub.size(), sub.percent(), seed,
                IgnoredScope.parse(ignore), keepFirstLast, fastBiasCorrection);
    }
}
