package org.int8workbench.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.core.quantize.RangeMethod;
import org.int8workbench.ui.OptimizeSettings;

/**
 * Page 4: the method (Default, or Accuracy-aware with its max drop, metric and validation dataset), preset, range
 * estimator, bias correction, ignored scope and the exact fast label head.
 */
final class QuantizationPage extends SettingsPage {
    static final String[] METHODS = {"Default", "Accuracy-aware"};
    static final String[] PRESETS = {"Performance", "Mixed"};
    /** The range estimators as the Range combo shows them, one per {@link RangeMethod}, in its order. */
    static final String[] ESTIMATORS = java.util.Arrays.stream(RangeMethod.values()).map(QuantizationPage::label).toArray(String[]::new);
    static final String[] METRICS = {"Auto", "mIoU", "Agreement"};
    private final OptimizeSettings initial;
    private IObservableValue<String> method;
    private IObservableValue<String> preset;
    private IObservableValue<String> estimator;
    private IObservableValue<String> maxDrop;
    private IObservableValue<String> metric;
    private IObservableValue<String> validation;
    private IObservableValue<Boolean> bias;
    private IObservableValue<String> ignored;
    private IObservableValue<Boolean> head;
    /** Validation datasets opened while validating, by folder: the dataset or the reason it cannot be opened. */
    private final Map<String, Object> opened = new HashMap<>();

    QuantizationPage(OptimizeSettings initial) {
        super("quantization", "Quantization", "Post-training static quantization to INT8 (QDQ: uint8 activations, int8 per-channel weights).");
        this.initial = initial;
    }

    @Override
    void createFields(Composite c) {
        OptimizeSettings.AccuracyAware aa = initial.accuracyAware();
        method = combo(c, "Method:", METHODS, aa == null ? METHODS[0] : METHODS[1],
                "Default: calibrate activation ranges on images, then quantize every layer. Accuracy-aware: then keep the layers that"
                        + " cost the most accuracy in FP32 until the drop on a validation dataset is within the maximum");
        preset = combo(c, "Preset:", PRESETS, display(PRESETS, initial.preset()),
                "Performance: symmetric activations, the fastest. Mixed: asymmetric activations, for non-ReLU models");
        estimator = combo(c, "Range:", ESTIMATORS, rangeLabel(initial.method()),
                "How activation ranges are estimated: MinMax keeps every value; MeanMinMax (where offered) averages each image's"
                        + " extremes; Percentile clips rare outliers; Entropy and MSE choose the clipping threshold");
        Group accuracy = group(c, "Accuracy-aware");
        maxDrop = text(accuracy, "Max drop (points):", aa == null ? "0.5" : format(aa.maxDropPoints()),
                "The largest accuracy drop allowed, in percentage points of the metric (e.g. 0.5: mIoU 59.9% may become 59.4%)", 2);
        metric = combo(accuracy, "Metric:", METRICS, aa == null ? METRICS[0] : display(METRICS, aa.metric()),
                "Auto: mIoU against the masks when the validation dataset has them, else pixel agreement with the FP32 model");
        validation = folder(accuracy, "Validation dataset:", aa == null ? "" : aa.validationFolder(),
                "A Pascal VOC folder, images/ and masks/, or a folder of images (agreement with the FP32 model); best not the"
                        + " calibration images");
        bias = check(c, "Fast bias correction (shift each quantized Conv bias to match the FP32 output mean)", initial.fastBiasCorrection(),
                "Costs one more pass over the calibration images");
        name(bias, "quantization.fastBiasCorrection");
        ignored = text(c, "Ignored scope:", String.join(", ", initial.ignoredScope()),
                "Kept in FP32, comma separated: node names, type:OpType, globs (conv*) or re:REGEX", 2);
        head = check(c, "Exact fast label head (cut the final Resize + ArgMax; labels computed exactly in Java)", initial.fastLabelHead(),
                "Writes NAME.int8.head.onnx and benchmarks it end to end with the exact head");
        name(head, "quantization.fastLabelHead");
    }

    /** How the Range combo names a range estimator: MinMax, MeanMinMax, Percentile, Entropy, MSE (else its command-line name). */
    static String label(RangeMethod m) {
        return switch (m.cliName()) {
            case "minmax" -> "MinMax";
            case "mean-minmax" -> "MeanMinMax";
            case "mse" -> "MSE";
            default -> Character.toUpperCase(m.cliName().charAt(0)) + m.cliName().substring(1);
        };
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
        boolean aware = accuracyAware();
        String drop = maxDrop.getValue();
        String m = metric.getValue();
        String v = validation.getValue().trim();
        preset.getValue();
        estimator.getValue();
        bias.getValue();
        head.getValue();
        enable(maxDrop, aware);
        enable(metric, aware);
        enable(validation, aware);
        try {
            IgnoredScope.parse(ignoredList());
        } catch (RuntimeException e) {
            return "Ignored scope: " + e.getMessage();
        }
        if (!aware) {
            return null;
        }
        if (parseDouble(drop, Double.MIN_VALUE, 100) == null) {
            return "Accuracy-aware needs a max drop above 0 and at most 100 percentage points (e.g. 0.5)";
        }
        if (v.isEmpty()) {
            return "Accuracy-aware needs a validation dataset: a folder with masks (mIoU) or of images (agreement with the FP32 model)";
        }
        Object d = open(v);
        if (d instanceof String problem) {
            return "Validation dataset: " + problem;
        }
        SegmentationDataset data = (SegmentationDataset) d;
        if ("mIoU".equals(m) && !data.hasMasks()) {
            return "The mIoU metric needs ground-truth masks, and " + data.description() + " has none: choose Agreement or Auto";
        }
        return null;
    }

    private Object open(String f) {
        return opened.computeIfAbsent(f, k -> {
            Path p = Path.of(k);
            if (!Files.isDirectory(p)) {
                return "the folder " + k + " does not exist";
            }
            try {
                SegmentationDataset d = Datasets.open(p);
                return d.samples().isEmpty() ? "no images in " + k : d;
            } catch (IOException | RuntimeException e) {
                return e.getMessage() == null ? e.toString() : e.getMessage();
            }
        });
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
        return preset.getValue().toLowerCase(Locale.ROOT);
    }

    private static String rangeLabel(String cliName) {
        try {
            return label(RangeMethod.parse(cliName));
        } catch (RuntimeException e) {
            return ESTIMATORS[0];
        }
    }

    /** The range estimator's command-line name. */
    String method() {
        for (RangeMethod m : RangeMethod.values()) {
            if (label(m).equals(estimator.getValue())) {
                return m.cliName();
            }
        }
        return RangeMethod.values()[0].cliName();
    }

    boolean accuracyAware() {
        return METHODS[1].equals(method.getValue());
    }

    /** The Accuracy-aware settings, or {@code null} for the Default method. */
    OptimizeSettings.AccuracyAware accuracyAwareSettings() {
        if (!accuracyAware()) {
            return null;
        }
        Double d = parseDouble(maxDrop.getValue(), Double.MIN_VALUE, 100);
        return new OptimizeSettings.AccuracyAware(d == null ? 0 : d, metric.getValue().toLowerCase(Locale.ROOT),
                validation.getValue().trim());
    }

    boolean fastBiasCorrection() {
        return Boolean.TRUE.equals(bias.getValue());
    }

    boolean fastLabelHead() {
        return Boolean.TRUE.equals(head.getValue());
    }

    /** For tests: sets the method fields as a user would ({@code method} and {@code metric} as the combos show them). */
    void setMethod(String methodName, String drop, String metricName, String validationFolder) {
        method.setValue(methodName);
        maxDrop.setValue(drop);
        metric.setValue(metricName);
        validation.setValue(validationFolder);
    }

    /** For tests: chooses the range estimator as the combo shows it. */
    void setRange(String range) {
        estimator.setValue(range);
    }
}
