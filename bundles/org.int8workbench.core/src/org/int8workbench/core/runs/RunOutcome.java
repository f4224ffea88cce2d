package org.int8workbench.core.runs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkResult;

/**
 * What one optimization produced, as the optimize pipeline hands it to {@link RunHistory#record}: the models it wrote
 * and what it measured. Not stored as such; {@link RunRecord#of} turns it into the record kept on disk.
 *
 * @param parent the FP32 parent
 * @param int8 the INT8 model written
 * @param head the INT8 model cut before its head, or {@code null}
 * @param measured the model benchmarked and evaluated ({@code head} when there is one, else {@code int8})
 * @param method the optimization method ({@code default}, or another method's command-line name)
 * @param quantization the quantization's result
 * @param benchmarks the benchmark result of each mode measured (empty without a benchmark)
 * @param benchmarkFiles the JSON file of each benchmark result, in the same order
 * @param accuracy the comparison with the parent, or {@code null} without one
 * @param accuracyReport the comparison's {@code report.json}, or {@code null}
 * @param revertedNodes nodes a method reverted to float after quantizing (empty for the default method)
 */
public record RunOutcome(Path parent, Path int8, Path head, Path measured, String method, QuantizationResult quantization,
        List<BenchmarkResult> benchmarks, List<Path> benchmarkFiles, AccuracyReport accuracy, Path accuracyReport,
        List<String> revertedNodes) {

    public RunOutcome {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(int8, "int8");
        Objects.requireNonNull(quantization, "quantization");
        measured = measured == null ? (head != null ? head : int8) : measured;
        method = method == null || method.isBlank() ? RunRecord.DEFAULT_METHOD : method;
        benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
        benchmarkFiles = benchmarkFiles == null ? List.of() : List.copyOf(benchmarkFiles);
        revertedNodes = revertedNodes == null ? List.of() : List.copyOf(revertedNodes);
    }
}
