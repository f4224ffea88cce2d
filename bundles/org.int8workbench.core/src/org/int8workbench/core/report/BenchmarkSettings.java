package org.int8workbench.core.report;

/**
 * The settings a benchmark ran with, as resolved (automatic choices filled in).
 *
 * @param mode {@code latency} (one request at a time) or {@code throughput} (several requests in flight)
 * @param streams concurrent requests on each session
 * @param intraOpThreads ONNX Runtime intra-op threads per session
 * @param interOpThreads ONNX Runtime inter-op threads per session (0: ONNX Runtime's default)
 * @param executionMode {@code SEQUENTIAL} or {@code PARALLEL}
 * @param optimizationLevel ONNX Runtime graph optimization level: {@code ALL}, {@code EXTENDED}, {@code BASIC}, {@code NONE}
 * @param batch requested batch size (each model's actual batch is in its result)
 * @param warmup warm-up requests per model and measurement before the first round, excluded from all figures
 * @param rounds measurement rounds; with several models they alternate within every round (A B C A B C …)
 * @param seconds total timed duration over all rounds, models and measurements; 0 when {@code iterations} is used
 * @param iterations timed requests per model and measurement over all rounds; 0 when {@code seconds} is used
 * @param endToEnd whether end-to-end (run + label map) figures were measured
 * @param profile whether an ONNX Runtime profiling pass was made
 * @param profileRuns runs of the profiling pass (the first is discarded)
 * @param input what the inputs were: a dataset description or {@code random (seed N)}
 * @param seed seed of random inputs
 */
public record BenchmarkSettings(String mode, int streams, int intraOpThreads, int interOpThreads, String executionMode,
        String optimizationLevel, int batch, int warmup, int rounds, double seconds, long iterations, boolean endToEnd,
        boolean profile, int profileRuns, String input, long seed) {
}
