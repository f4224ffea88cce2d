package org.int8workbench.ui.preferences;

import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/** Defaults of the Optimize INT8 wizard and of benchmarks started from the Model Explorer. */
public final class Int8PreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    public Int8PreferencePage() {
        super(GRID);
        setDescription("Defaults for new optimizations. A model optimized before starts from its remembered settings.");
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(Prefs.store());
    }

    @Override
    protected void createFieldEditors() {
        addField(new ComboFieldEditor(Prefs.PRESET, "Preset:", new String[][] {{"Performance (symmetric activations)", "performance"},
                {"Mixed (asymmetric activations)", "mixed"}}, getFieldEditorParent()));
        addField(new ComboFieldEditor(Prefs.METHOD, "Range estimator:", new String[][] {{"MeanMinMax (the Default method's)", "mean-minmax"}, {"MinMax", "minmax"},
                {"Percentile", "percentile"}, {"Entropy (KL)", "entropy"}, {"MSE", "mse"}}, getFieldEditorParent()));
        IntegerFieldEditor subset = new IntegerFieldEditor(Prefs.SUBSET, "Calibration subset size:", getFieldEditorParent());
        subset.setValidRange(1, 100_000);
        addField(subset);
        IntegerFieldEditor seconds = new IntegerFieldEditor(Prefs.BENCH_SECONDS, "Benchmark duration (s):", getFieldEditorParent());
        seconds.setValidRange(1, 3600);
        addField(seconds);
        addField(new ComboFieldEditor(Prefs.BENCH_MODE, "Benchmark mode:", new String[][] {{"Latency (one request at a time)", "latency"},
                {"Throughput (several requests in flight)", "throughput"}}, getFieldEditorParent()));
        IntegerFieldEditor threads = new IntegerFieldEditor(Prefs.THREADS, "Threads (0 = automatic):", getFieldEditorParent());
        threads.setValidRange(0, 1024);
        addField(threads);
    }
}
