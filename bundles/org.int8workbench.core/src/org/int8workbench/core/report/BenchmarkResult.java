package org.int8workbench.core.report;

import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.Provenance;

/**
 * The result of a CPU benchmark of one model, or of several models interleaved in rounds (A B C A B C …).
 * Written as JSON by {@code benchmark --json}: per model {@code fps}, {@code latencyMs.median},
 * {@code latencyMs.p90}, {@code endToEnd.fps}; with two or more models {@code speedup} and
 * {@code endToEnd.speedup} (the second model against the first) and {@code comparisons} (every further model
 * against the first).
 *
 * @param provenance machine, runtime and time
 * @param settings the settings as resolved
 * @param models the first model ({@code MODEL}) and the models compared with it ({@code OTHER_MODEL...}), in order
 * @param speedup second model's model-only images/s over the first's, per round; {@code null} with one model
 * @param latencySpeedup first model's median latency over the second's, per round; {@code null} with one model
 * @param endToEnd end-to-end comparison of the second model with the first; {@code null} with one model or without
 *        end-to-end figures
 * @param comparisons every model after the first against the first, in model order (empty with one model); the first
 *        entry repeats {@code speedup}, {@code latencySpeedup} and {@code endToEnd}
 * @param notes remarks a reader needs (e.g. batch fixed by the model, profiling overhead)
 * @param wallSeconds wall time of the whole operation
 */
public record BenchmarkResult(Provenance provenance, BenchmarkSettings settings, List<BenchmarkModelResult> models,
        BenchmarkSpread speedup, BenchmarkSpread latencySpeedup, BenchmarkEndToEndComparison endToEnd,
        List<BenchmarkComparison> comparisons, List<String> notes, double wallSeconds) {

    public BenchmarkResult {
        models = List.copyOf(models);
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (comparisons == null) {
            // JSON written before comparisons existed: the top-level fields compare the second model with the first
            List<BenchmarkComparison> derived = new ArrayList<>();
            if (models.size() > 1 && speedup != null) {
                derived.add(new BenchmarkComparison(1, models.get(1).path(), speedup, latencySpeedup,
                        endToEnd == null ? null : endToEnd.speedup()));
            }
            comparisons = derived;
        }
        comparisons = List.copyOf(comparisons);
    }

    /** The first model's figures. */
    public BenchmarkModelResult model() {
        return models.get(0);
    }

    /** The second model's figures, or {@code null} when only one model was measured. */
    public BenchmarkModelResult other() {
        return models.size() > 1 ? models.get(1) : null;
    }

    /** The comparison of model {@code index} ({@code >= 1}) with the first, or {@code null} when there is none. */
    public BenchmarkComparison comparison(int index) {
        for (BenchmarkComparison c : comparisons) {
            if (c.model() == index) {
                return c;
            }
        }
        return null;
    }
}
