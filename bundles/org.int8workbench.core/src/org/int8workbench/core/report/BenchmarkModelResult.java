package org.int8workbench.core.report;

import java.util.List;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.OrtOptimizedGraph;

/**
 * Benchmark figures of one model.
 *
 * @param path the model file
 * @param sha256 SHA-256 of the model file
 * @param inputName the input fed from images or random data
 * @param inputShape the shape fed, batch first
 * @param inputType element type of that input (e.g. {@code FLOAT})
 * @param batch images per request
 * @param batchNote why {@code batch} differs from the requested batch, else empty
 * @param loadMs model load and session creation time, milliseconds (not part of any other figure)
 * @param fps model-only images per second (counting batch), over all rounds
 * @param latencyMs model-only latency per request over all rounds
 * @param fpsPerRound model-only images per second of each round
 * @param requests model-only requests measured (warm-up excluded)
 * @param endToEnd run + label map figures, or {@code null} when not measured
 * @param profile time per operator type from ONNX Runtime's profiler, or {@code null} when not profiled
 * @param optimizedGraph the graph ONNX Runtime runs: integer kernels and float compute nodes, or {@code null}
 * @param preprocessing how images became inputs, or {@code null} for random inputs
 */
public record BenchmarkModelResult(String path, String sha256, String inputName, List<Long> inputShape, String inputType,
        int batch, String batchNote, double loadMs, double fps, BenchmarkLatency latencyMs, List<Double> fpsPerRound,
        long requests, BenchmarkEndToEnd endToEnd, BenchmarkProfile profile, OrtOptimizedGraph optimizedGraph,
        Preprocessing preprocessing) {
    public BenchmarkModelResult {
        inputShape = List.copyOf(inputShape);
        fpsPerRound = List.copyOf(fpsPerRound);
    }
}
