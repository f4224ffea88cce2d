package org.int8workbench.ui.preferences;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.jface.preference.IPreferenceStore;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.quantize.Preset;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.ui.Activator;

/** Preference keys of the defaults a new optimization starts from, and their initial values. */
public final class Prefs extends AbstractPreferenceInitializer {
    /** {@code performance} or {@code mixed}. */
    public static final String PRESET = "preset";
    /** {@code minmax}, {@code percentile}, {@code entropy} or {@code mse}. */
    public static final String METHOD = "rangeEstimator";
    /** Calibration images to use at most. */
    public static final String SUBSET = "subsetSize";
    /** Benchmark duration in seconds. */
    public static final String BENCH_SECONDS = "benchmarkSeconds";
    /** {@code latency} or {@code throughput}. */
    public static final String BENCH_MODE = "benchmarkMode";
    /** Intra-op threads, 0 = automatic. */
    public static final String THREADS = "threads";

    @Override
    public void initializeDefaultPreferences() {
        IPreferenceStore s = store();
        s.setDefault(PRESET, Preset.PERFORMANCE.cliName());
        s.setDefault(METHOD, org.int8workbench.core.quantize.QuantizationSettings.defaults().method().cliName());
        s.setDefault(SUBSET, QuantizationSettings.DEFAULT_SUBSET);
        s.setDefault(BENCH_SECONDS, (int) BenchmarkOperation.DEFAULT_SECONDS);
        s.setDefault(BENCH_MODE, "latency");
        s.setDefault(THREADS, 0);
    }

    /** The bundle's preference store. */
    public static IPreferenceStore store() {
        return Activator.getDefault().getPreferenceStore();
    }
}
