package org.int8workbench.ui.wizards;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.swt.widgets.Composite;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.ui.OptimizeSettings;

/** Page 3: method, preset, range estimator, bias correction, ignored scope and the exact fast label head. */
final class QuantizationPage extends SettingsPage {
    static final String[] PRESETS = {"Performance", "Mixed"};
    static final String[] ESTIMATORS = {"MinMax", "Percentile", "Entropy", "MSE"};
    private final OptimizeSettings initial;
    private IObservableValue<String> method;
    private IObservableValue<String> preset;
    private IObservableValue<String> estimator;
    private IObservableValue<Boolean> bias;
    private IObservableValue<String> ignored;
    private IObservableValue<Boolean> head;

    QuantizationPage(OptimizeSettings initial) {
        super("quantization", "Quantization", "Post-training static quantization to INT8 (QDQ: uint8 activations, int8 per-channel weights).");
        this.initial = initial;
    }

    @Override
    void createFields(Composite c) {
        method = combo(c, "Method:", new String[] {"Default (post-training static, QDQ)"}, "", "Calibrate activation ranges on images, then quantize");
        preset = combo(c, "Preset:", PRESETS, display(PRESETS, initial.preset()),
                "Performance: symmetric activations, the fastest. Mixed: asymmetric activations, for non-ReLU models");
        estimator = combo(c, "Range estimator:", ESTIMATORS, display(ESTIMATORS, initial.method()),
                "MinMax keeps every value; Percentile clips rare outliers; Entropy and MSE choose the clipping threshold");
        bias = check(c, "Fast bias correction (shift each quantized Conv bias to match the FP32 output mean)", initial.fastBiasCorrection(),
                "Costs one more pass over the calibration images");
        ignored = text(c, "Ignored scope:", String.join(", ", initial.ignoredScope()),
                "Kept in FP32, comma separated: node names, type:OpType, globs (conv*) or re:REGEX", 2);
        head = check(c, "Exact fast label head (cut the final Resize + ArgMax; labels computed exactly in Java)", initial.fastLabelHead(),
                "Writes NAME.int8.head.onnx and benchmarks it end to end with the exact head");
    }

    private static String display(String[] items, String cliName) {
        for (String i : items) {
            if (i.equalsIgnoreCase(cliName)) {
                return i;
            }
        }
        return items[0];
    }

    @Override
    String check() {
        method.getValue();
        preset.getValue();
        estimator.getValue();
        bias.getValue();
        head.getValue();
        try {
            IgnoredScope.parse(ignoredList());
        } catch (RuntimeException e) {
            return "Ignored scope: " + e.getMessage();
        }
        return null;
    }

    List<String> ignoredList() {
        List<String> out = new ArrayList<>();
        for (String s : ignored.getValue().split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    String preset() {
        return preset.getValue().toLowerCase(java.util.Locale.ROOT);
    }

    String method() {
        return estimator.getValue().toLowerCase(java.util.Locale.ROOT);
    }

    boolean fastBiasCorrection() {
        return Boolean.TRUE.equals(bias.getValue());
    }

    boolean fastLabelHead() {
        return Boolean.TRUE.equals(head.getValue());
    }
}
