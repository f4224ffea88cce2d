package org.int8workbench.ui.wizards;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.swt.widgets.Composite;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.ui.OptimizeSettings;

/**
 * Page 3: which of the model's outputs the benchmark's end-to-end figures and the comparison read, and as what. Auto
 * (the default) finds each output's kind from the graph (final Softmax, Sigmoid, ArgMax, channel count) and reports
 * every output of the first output's kind, each on its own.
 */
final class OutputsPage extends SettingsPage {
    /** The kind combo's entries, Auto first; {@link #kind} maps them to the command line's names. */
    static final String[] KINDS = {"Auto (found from the graph)", "classes", "binary", "multilabel", "labels", "regression"};
    /** The output combo's first entry. */
    static final String ALL = "All outputs of the kind found";

    private final OptimizeSettings initial;
    private final List<String> names;
    private IObservableValue<String> kind;
    private IObservableValue<String> output;
    private IObservableValue<String> threshold;

    OutputsPage(OptimizeSettings initial, List<String> outputNames) {
        super("outputs", "Model outputs", "How the model's outputs become labels (or values) for the benchmark and the comparison.");
        this.initial = initial;
        this.names = List.copyOf(outputNames);
    }

    @Override
    void createFields(Composite c) {
        String k = initial.outputKind().equals("auto") ? KINDS[0] : initial.outputKind();
        kind = combo(c, "Output kind:", KINDS, k,
                "classes: argmax of class scores; binary: one sigmoid/logit channel thresholded; multilabel: each channel "
                        + "thresholded on its own; labels: the model outputs labels; regression: values compared by their errors");
        List<String> items = new ArrayList<>();
        items.add(ALL);
        items.addAll(names);
        if (!initial.outputName().isBlank() && !names.contains(initial.outputName())) {
            items.add(initial.outputName());
        }
        output = combo(c, "Output:", items.toArray(String[]::new), initial.outputName().isBlank() ? ALL : initial.outputName(),
                "The one output to read, or every output of the kind found for the first output (each reported on its own)");
        threshold = text(c, "Threshold:", Double.toString(initial.threshold()),
                "Probability above which a binary or multi-label pixel is foreground (a logit is compared with its logit)", 2);
        note(c, "Auto reads each output's kind from the graph; the reports name the kind used and why.");
    }

    @Override
    String check() {
        String k = kind.getValue();
        output.getValue();
        boolean thresholded = k == null || k.equals(KINDS[0]) || k.equals("binary") || k.equals("multilabel");
        enable(threshold, thresholded);
        Double t = parseDouble(threshold.getValue(), 0, 1);
        if (thresholded && (t == null || t <= 0 || t >= 1)) {
            return "The threshold must be a probability between 0 and 1 (exclusive), e.g. 0.5";
        }
        return null;
    }

    /** The command line's name of the chosen kind: {@code auto}, {@code classes}, ... */
    String kind() {
        String k = kind.getValue();
        if (k == null || k.equals(KINDS[0])) {
            return "auto";
        }
        OutputKind.parse(k); // one of the listed names
        return k.toLowerCase(Locale.ROOT);
    }

    /** The chosen output's name, {@code ""} for all outputs of the kind found. */
    String outputName() {
        String o = output.getValue();
        return o == null || o.equals(ALL) ? "" : o;
    }

    double threshold() {
        Double t = parseDouble(threshold.getValue(), 0, 1);
        return t == null || t <= 0 || t >= 1 ? initial.threshold() : t;
    }

    List<String> offered() {
        return names;
    }

    /** For tests: sets the fields as a user would ({@code kind} as a combo entry or {@code auto}, {@code ""} for all outputs). */
    void set(String k, String name, String t) {
        kind.setValue(k.equals("auto") ? KINDS[0] : k);
        output.setValue(name.isEmpty() ? ALL : name);
        threshold.setValue(t);
    }
}
