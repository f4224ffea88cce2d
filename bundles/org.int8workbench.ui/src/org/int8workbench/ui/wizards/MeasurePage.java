package org.int8workbench.ui.wizards;

import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.swt.widgets.Composite;
import org.int8workbench.ui.OptimizeSettings;

/** The last page: what to measure once the INT8 model is written, and every file the run will write. */
final class MeasurePage extends SettingsPage {
    private final OptimizeSettings initial;
    private final java.util.function.Supplier<java.util.List<String>> outputs;
    private org.eclipse.swt.widgets.Label files;
    private IObservableValue<Boolean> benchmark;
    private IObservableValue<String> mode;
    private IObservableValue<String> seconds;
    private IObservableValue<String> threads;
    private IObservableValue<Boolean> compare;
    private IObservableValue<String> images;

    MeasurePage(OptimizeSettings initial, java.util.function.Supplier<java.util.List<String>> outputs) {
        super("measure", "Measure", "What to measure once the INT8 model is written.");
        this.initial = initial;
        this.outputs = outputs;
    }

    @Override
    void createFields(Composite c) {
        var speed = group(c, "Speed");
        benchmark = check(speed, "Benchmark the parent against the INT8 model", initial.benchmark(), "Interleaved rounds on this CPU");
        mode = combo(speed, "Mode:", new String[] {"latency", "throughput"}, initial.benchmarkMode(),
                "latency: one request at a time; throughput: several requests in flight");
        seconds = text(speed, "Duration (s):", fmt(initial.benchmarkSeconds()), "Total timed duration over both models", 2);
        threads = text(speed, "Threads:", Integer.toString(initial.threads()), "Intra-op threads; 0 = automatic", 1);
        label(speed, "0 = automatic (" + Runtime.getRuntime().availableProcessors() + " cores here)");
        var acc = group(c, "Accuracy");
        compare = check(acc, "Compare the predictions of both models on the dataset (and with its ground truth)", initial.compare(),
                "Writes an accuracy report folder beside the model");
        images = text(acc, "Images:", Integer.toString(initial.compareImages()), "Images of the dataset to compare; 0 = all", 1);
        label(acc, "0 = all images of the dataset");
        files = note(c, filesText());
        name(benchmark, "measure.benchmark");
        name(mode, "measure.mode");
        name(seconds, "measure.seconds");
        name(threads, "measure.threads");
        name(compare, "measure.compare");
        name(images, "measure.images");
        files.setData("name", "measure.files");
    }

    private String filesText() {
        StringBuilder b = new StringBuilder("Writes beside the model (replacing earlier files of the same names):");
        for (String f : outputs.get()) {
            b.append("\n  \u2022 ").append(f);
        }
        return b.toString();
    }

    /** The list of files this page shows (for tests). */
    String filesShown() {
        return files == null ? "" : files.getText();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    String check() {
        boolean b = Boolean.TRUE.equals(benchmark.getValue());
        boolean cmp = Boolean.TRUE.equals(compare.getValue());
        enable(mode, b);
        enable(seconds, b);
        enable(threads, b);
        enable(images, cmp);
        mode.getValue();
        if (files != null && !files.isDisposed()) {
            files.setText(filesText());
            files.getParent().layout();
        }
        if (b && parseDouble(seconds.getValue(), 1, 3600) == null) {
            return "The benchmark duration must be a number of seconds from 1 to 3600";
        }
        if (b && parseInt(threads.getValue(), 0, 1024) == null) {
            return "Threads must be a whole number from 0 (automatic) to 1024";
        }
        if (cmp && parseInt(images.getValue(), 0, 1_000_000) == null) {
            return "Images must be a whole number, 0 for all";
        }
        return null;
    }

    boolean benchmark() {
        return Boolean.TRUE.equals(benchmark.getValue());
    }

    String mode() {
        return mode.getValue();
    }

    double seconds() {
        Double v = parseDouble(seconds.getValue(), 1, 3600);
        return v == null ? initial.benchmarkSeconds() : v;
    }

    int threads() {
        Integer v = parseInt(threads.getValue(), 0, 1024);
        return v == null ? 0 : v;
    }

    boolean compare() {
        return Boolean.TRUE.equals(compare.getValue());
    }

    int images() {
        Integer v = parseInt(images.getValue(), 0, 1_000_000);
        return v == null ? 0 : v;
    }

    /** For tests: sets the fields as a user would type them. */
    void set(boolean bench, String benchMode, double secs, boolean cmp, int imageCount) {
        benchmark.setValue(bench);
        mode.setValue(benchMode);
        seconds.setValue(fmt(secs));
        compare.setValue(cmp);
        images.setValue(Integer.toString(imageCount));
    }
}
