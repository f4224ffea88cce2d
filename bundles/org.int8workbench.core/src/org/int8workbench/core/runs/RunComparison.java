package org.int8workbench.core.runs;

import java.util.List;
import org.int8workbench.core.report.BenchmarkResult;

/**
 * Runs of one parent model measured side by side by a {@link CompareRunsOperation}: one interleaved benchmark of the
 * parent and each run's measured model, and, when a dataset was given, each run's model evaluated against the parent
 * on it. Immutable and JSON-friendly; written as {@code comparison.json}.
 *
 * @param format version of this record's JSON form ({@link RunRecord#FORMAT})
 * @param time when the comparison was made, ISO-8601 UTC
 * @param parent the parent model's path
 * @param parentSha256 its SHA-256 now
 * @param columns one per run, in the order asked for
 * @param benchmark the benchmark: model 0 the parent, model {@code i} the measured model of column {@code i - 1}
 * @param benchmarkFile the benchmark's JSON file, or {@code null} when not written
 * @param dataset the dataset the runs were evaluated on, or {@code null} when not evaluated
 * @param notes things a reader needs (e.g. a run made from another version of the parent)
 */
public record RunComparison(int format, String time, String parent, String parentSha256, List<Column> columns,
        BenchmarkResult benchmark, String benchmarkFile, String dataset, List<String> notes) {

    /** The file name of the comparison's record in its folder. */
    public static final String JSON = "comparison.json";
    /** The folder of the benchmark report in a comparison's folder. */
    public static final String BENCHMARK_DIR = "benchmark";

    public RunComparison {
        columns = List.copyOf(columns);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * One run in the comparison.
     *
     * @param id the run's id
     * @param label its settings in a few words ({@link RunRecord#describeSettings})
     * @param model its measured model (the kept copy)
     * @param run the run's record (with the figures measured when it ran)
     * @param speed its speedups over the parent in this comparison's benchmark
     * @param accuracy its accuracy against the parent on this comparison's dataset, or {@code null} when not evaluated
     * @param accuracyReport the evaluation's {@code report.json}, or {@code null}
     */
    public record Column(String id, String label, String model, RunRecord run, RunRecord.Speed speed, RunRecord.Accuracy accuracy,
            String accuracyReport) {
    }
}
