package org.int8workbench.core.report;

import java.util.List;
import org.int8workbench.core.Provenance;

/**
 * The result of a CPU benchmark of one model, or of a model against another (interleaved in rounds).
 * Written as JSON by {@code benchmark --json}: per model {@code fps}, {@code latencyMs.median},
 * {@code latencyMs.p90}, {@code endToEnd.fps}; with two models {@code speedup} and {@code endToEnd.speedup}.
 *
 * @param provenance machine, runtime and time
 * @param settings the settings as resolved
 * @param models the first model ({@code MODEL}) and, when compared, the second ({@code OTHER_MODEL})
 * @param speedup second model's model-only images/s over the first's, per round; {@code null} with one model
 * @param latencySpeedup first model's median latency over the second's, per round; {@code null} with one model
 * @param endToEnd end-to-end comparison; {@code null} with one model or without end-to-end figures
 * @param notes remarks a reader needs (e.g. batch fixed by the model, profiling overhead)
 * @param wallSeconds wall time of the whole operation
 */
public record BenchmarkResult(Provenance provenance, BenchmarkSettings settings, List<BenchmarkModelResult> models,
        BenchmarkSpread speedup, BenchmarkSpread latencySpeedup, BenchmarkEndToEndComparison endToEnd, List<String> notes,
        double wallSeconds) {
    public BenchmarkResult {
        models = List.copyOf(models);
        notes = List.copyOf(notes);
    }

    /** The first model's figures. */
    public BenchmarkModelResult model() {
        return models.get(0);
    }

    /** The second model's figures, or {@code null} when only one model was measured. */
    public BenchmarkModelResult other() {
        return models.size() > 1 ? models.get(1) : null;
    }
}
