package org.int8workbench.core.report;

/**
 * Latency statistics of a set of requests, in milliseconds. Percentiles (and the median) use linear
 * interpolation between the closest ranks ({@code org.int8workbench.core.bench.Statistics#percentile}).
 *
 * @param count number of requests measured (warm-up excluded)
 * @param mean arithmetic mean
 * @param median 50th percentile
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param min fastest request
 * @param max slowest request
 */
public record BenchmarkLatency(long count, double mean, double median, double p90, double p99, double min, double max) {
}
