package org.int8workbench.core.report;

/**
 * Time spent in one operator type during a profiled run.
 *
 * @param opType operator type as ONNX Runtime reports it (e.g. {@code QLinearConv}, {@code Resize})
 * @param nodes number of nodes of this type that ran
 * @param msPerRun kernel time per run, summed over those nodes, in milliseconds
 * @param share fraction of all kernel time (0..1)
 */
public record BenchmarkOpTime(String opType, int nodes, double msPerRun, double share) {
}
