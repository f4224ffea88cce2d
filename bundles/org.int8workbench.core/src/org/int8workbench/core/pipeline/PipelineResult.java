package org.int8workbench.core.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.head.CutHeadOperation.CutHeadResult;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkResult;

/**
 * What one run of the {@link OptimizePipeline} did and wrote.
 *
 * @param quantization the quantization, or {@code null} when the run started from an existing model
 * @param headCut the head cut, or {@code null} when not asked for (it says why when no head was found)
 * @param parent the FP32 parent, or {@code null} when an existing model was measured alone
 * @param int8 the INT8 model (written by this run, or the existing one)
 * @param head the INT8 model cut before its head (written by this run, or the existing one), or {@code null}
 * @param measured the model benchmarked against the parent and evaluated: {@code head} when there is one, else
 *        {@code int8}
 * @param benchmarks the benchmark result of each mode run, in the requested order; empty without a benchmark
 * @param benchmarkFiles the JSON file of each mode's benchmark result, in the same order
 * @param accuracy the comparison, or {@code null} without one
 * @param accuracyReport the comparison's {@code report.json}, or {@code null}
 * @param written every file and folder this run wrote, in order
 * @param outputs the parent's outputs as the benchmark and the comparison read them (the INT8 model's without a
 *        parent): name, output kind and why that kind; empty when the model could not be read for them
 * @param accuracyAware what the Accuracy-aware method reached and kept in FP32, or {@code null} for the Default method
 */
public record PipelineResult(QuantizationResult quantization, CutHeadResult headCut, Path parent, Path int8, Path head, Path measured,
        Map<Mode, BenchmarkResult> benchmarks, Map<Mode, Path> benchmarkFiles, AccuracyReport accuracy, Path accuracyReport,
        List<Path> written, List<ModelOutput> outputs, AccuracyAwareResult accuracyAware) {

    public PipelineResult {
        benchmarks = Collections.unmodifiableMap(new LinkedHashMap<>(benchmarks));
        benchmarkFiles = Collections.unmodifiableMap(new LinkedHashMap<>(benchmarkFiles));
        written = List.copyOf(written);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * One line per reported output naming its kind and why, e.g. {@code output 'mask': binary (final Sigmoid, 1 channel)};
     * the summaries of {@code optimize}, {@code demo} and the workbench's jobs print them.
     */
    public List<String> outputLines() {
        return outputs.stream().map(ModelOutputs::describe).toList();
    }

    /** The benchmark result of {@code mode}, or {@code null} when that mode was not measured. */
    public BenchmarkResult benchmark(Mode mode) {
        return benchmarks.get(mode);
    }

    /** The latency-mode benchmark, or {@code null} when not measured. */
    public BenchmarkResult latency() {
        return benchmarks.get(Mode.LATENCY);
    }

    /** The throughput-mode benchmark, or {@code null} when not measured. */
    public BenchmarkResult throughput() {
        return benchmarks.get(Mode.THROUGHPUT);
    }

    /** The latency-mode benchmark's JSON file, or {@code null}. */
    public Path latencyFile() {
        return benchmarkFiles.get(Mode.LATENCY);
    }

    /** The throughput-mode benchmark's JSON file, or {@code null}. */
    public Path throughputFile() {
        return benchmarkFiles.get(Mode.THROUGHPUT);
    }

    /** The JSON file of the first benchmark, or {@code null} without a benchmark. */
    public Path firstBenchmarkFile() {
        return benchmarkFiles.values().stream().findFirst().orElse(null);
    }

    /** Whether the head was cut by this run or given, so {@link #measured} is the model with the exact label head. */
    public boolean hasHead() {
        return head != null;
    }
}
