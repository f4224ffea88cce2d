package org.int8workbench.core.report;

import java.util.List;

/**
 * End-to-end figures of one model: each request is the model run plus producing the label map from its outputs.
 *
 * @param decoder how label maps were produced (e.g. {@code argmax over axis 1 (Java)})
 * @param fps label maps per second (counting batch)
 * @param latencyMs latency of run + decode per request
 * @param fpsPerRound label maps per second in each round
 * @param requests requests measured (warm-up excluded)
 * @param outputs the decoded outputs, each as its kind and name, e.g. {@code binary 'mask'} (empty in results written
 *        before output kinds were recorded)
 */
public record BenchmarkEndToEnd(String decoder, double fps, BenchmarkLatency latencyMs, List<Double> fpsPerRound,
        long requests, List<String> outputs) {
    public BenchmarkEndToEnd {
        fpsPerRound = List.copyOf(fpsPerRound);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }
}
