package org.int8workbench.core.runs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.int8workbench.core.quantize.NodeReport;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkComparison;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkResult;

/**
 * One remembered optimization of a model: its settings, the INT8 models it made (kept as copies in the run's folder),
 * how much faster and how accurate they were. Written as {@code run.json} by {@link RunHistory}; immutable and
 * JSON-friendly (paths are strings, undefined figures {@code null}).
 *
 * @param format version of this record's JSON form ({@link #FORMAT})
 * @param id the run's id, unique among the runs of its parent (its folder's name)
 * @param time when the run was recorded, ISO-8601 UTC
 * @param parent the FP32 parent as it was then
 * @param int8 the INT8 model: where the run wrote it and the copy kept
 * @param head the INT8 model cut before its head, or {@code null} when none was cut
 * @param method the optimization method ({@code default}, ...)
 * @param preset the quantization preset's command-line name
 * @param range the activation range estimator's command-line name
 * @param settings every quantization setting as display strings (the INT8 model's metadata map)
 * @param calibration description of the calibration images
 * @param calibrationImages images the statistics came from
 * @param quantizedNodes nodes of the parent that run in INT8
 * @param floatNodes nodes of the parent that stayed in float
 * @param ignoredNodes nodes kept in float by the ignored scope (or keep-first-last), by name
 * @param revertedNodes nodes a method reverted to float after quantizing (empty for the default method)
 * @param warnings how many warnings the quantization gave
 * @param speed the speedups measured by the run, or {@code null} without a benchmark
 * @param accuracy the comparison with the parent, or {@code null} without one
 * @param reports the report files the run wrote
 */
public record RunRecord(int format, String id, String time, ModelFile parent, ModelFile int8, ModelFile head, String method,
        String preset, String range, Map<String, String> settings, String calibration, int calibrationImages, int quantizedNodes,
        int floatNodes, List<String> ignoredNodes, List<String> revertedNodes, int warnings, Speed speed, Accuracy accuracy,
        Reports reports) {

    /** The current {@link #format}. */
    public static final int FORMAT = 1;
    /** The method of a plain quantization. */
    public static final String DEFAULT_METHOD = "default";

    public RunRecord {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        ignoredNodes = ignoredNodes == null ? List.of() : List.copyOf(ignoredNodes);
        revertedNodes = revertedNodes == null ? List.of() : List.copyOf(revertedNodes);
        reports = reports == null ? new Reports(List.of(), null, List.of(), null) : reports;
    }

    /**
     * A model file.
     *
     * @param path where it was (the parent) or where the run wrote it (INT8 models; that file may since have been
     *        replaced by a later run)
     * @param sha256 its SHA-256 then
     * @param bytes its size
     * @param kept the name of the copy in the run's folder, or {@code null} (the parent is not copied)
     */
    public record ModelFile(String path, String sha256, long bytes, String kept) {
    }

    /**
     * Speedups of the run's measured model (the INT8 model with the exact head when there is one) over the parent,
     * each the median of the per-round ratios of one interleaved benchmark; {@code null} where the mode or end-to-end
     * figures were not measured.
     *
     * @param measured the model the figures are of
     * @param throughput model-only images/s over the parent's, throughput mode
     * @param latency the parent's median model-only latency over the model's, latency mode
     * @param endToEndThroughput end-to-end label maps/s over the parent's, throughput mode
     * @param endToEndLatency end-to-end label maps/s over the parent's, latency mode (one request at a time, so the
     *        inverse ratio of end-to-end latencies)
     * @param fps the model's model-only images/s (throughput mode, else latency mode)
     * @param parentFps the parent's model-only images/s in the same run
     * @param input what the benchmark fed (a dataset description or random inputs)
     */
    public record Speed(String measured, Double throughput, Double latency, Double endToEndThroughput, Double endToEndLatency,
            Double fps, Double parentFps, String input) {

        /**
         * The speedups of {@code measured} over {@code parent} in the benchmark results ({@code parent} their first model);
         * {@code null} when no result holds both.
         */
        public static Speed of(List<BenchmarkResult> results, String parent, String measured) {
            Double throughput = null;
            Double latency = null;
            Double e2eThroughput = null;
            Double e2eLatency = null;
            Double fps = null;
            Double parentFps = null;
            String input = null;
            boolean found = false;
            for (BenchmarkResult r : results) {
                int index = indexOf(r, measured);
                if (index < 1 || !same(r.models().get(0).path(), parent)) {
                    continue;
                }
                BenchmarkComparison c = r.comparison(index);
                if (c == null) {
                    continue;
                }
                found = true;
                boolean throughputMode = "throughput".equalsIgnoreCase(r.settings().mode());
                Double e2e = c.endToEndSpeedup() == null ? null : c.endToEndSpeedup().median();
                if (throughputMode) {
                    throughput = c.speedup() == null ? null : c.speedup().median();
                    e2eThroughput = e2e;
                } else {
                    latency = c.latencySpeedup() == null ? null : c.latencySpeedup().median();
                    e2eLatency = e2e;
                }
                if (throughputMode || fps == null) {
                    fps = r.models().get(index).fps();
                    parentFps = r.models().get(0).fps();
                    input = r.settings().input();
                }
            }
            return found ? new Speed(measured, throughput, latency, e2eThroughput, e2eLatency, fps, parentFps, input) : null;
        }

        private static int indexOf(BenchmarkResult r, String model) {
            List<BenchmarkModelResult> models = r.models();
            for (int i = models.size() - 1; i >= 0; i--) {
                if (same(models.get(i).path(), model)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * How the run's measured model compares with the parent on a dataset.
     *
     * @param dataset one-line description of the data
     * @param images images evaluated
     * @param hasMasks whether the data had ground truth
     * @param outputKind the output judged ({@code classes}, {@code binary}, ...)
     * @param pixelAgreement share of pixels where the model and the parent agree
     * @param agreementMeanIoU mean IoU of the model against the parent
     * @param meanCosine mean cosine similarity of the raw outputs, or {@code null} for label outputs
     * @param meanIoU the model's mean IoU against ground truth, or {@code null} without masks
     * @param parentMeanIoU the parent's mean IoU against ground truth, or {@code null} without masks
     * @param meanIoUDrop {@code parentMeanIoU - meanIoU} in percentage points, or {@code null} without masks
     */
    public record Accuracy(String dataset, int images, boolean hasMasks, String outputKind, Double pixelAgreement,
            Double agreementMeanIoU, Double meanCosine, Double meanIoU, Double parentMeanIoU, Double meanIoUDrop) {

        /** The summary of an evaluation against the parent; {@code null} for {@code null}. */
        public static Accuracy of(AccuracyReport r) {
            if (r == null) {
                return null;
            }
            AccuracyReport.Agreement a = r.agreement();
            Double miou = r.groundTruth() == null ? null : r.groundTruth().meanIoU();
            Double parent = r.reference() == null ? null : r.reference().meanIoU();
            Double drop = miou != null && parent != null ? (parent - miou) * 100 : null;
            return new Accuracy(r.dataset(), r.images().size(), r.hasMasks(), r.outputKind(), a == null ? null : a.pixelAgreement(),
                    a == null ? null : a.meanIoU(), a == null ? null : a.meanCosine(), miou, parent, drop);
        }
    }

    /**
     * The report files the run wrote beside its model (a later run may since have replaced them) and the copies of their
     * JSON records kept in the run's folder.
     *
     * @param benchmarks each benchmark's JSON file
     * @param accuracy the accuracy report's {@code report.json}, or {@code null}
     * @param keptBenchmarks the kept copy of each benchmark's JSON, relative to the run's folder
     * @param keptAccuracy the kept copy of {@code report.json}, relative to the run's folder, or {@code null}
     */
    public record Reports(List<String> benchmarks, String accuracy, List<String> keptBenchmarks, String keptAccuracy) {
        public Reports {
            benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
            keptBenchmarks = keptBenchmarks == null ? List.of() : List.copyOf(keptBenchmarks);
        }
    }

    /**
     * The record of {@code o}, recorded as {@code id} at {@code time}, its INT8 models kept under the names
     * {@code keptInt8} and {@code keptHead}, its report records under {@code keptBenchmarks} and {@code keptAccuracy}.
     */
    public static RunRecord of(String id, String time, RunOutcome o, String keptInt8, String keptHead, String headSha256,
            List<String> keptBenchmarks, String keptAccuracy) {
        QuantizationResult q = o.quantization();
        String parent = o.parent().toAbsolutePath().normalize().toString();
        ModelFile parentFile = new ModelFile(parent, q.sourceSha256(), size(o.parent()), null);
        ModelFile int8 = new ModelFile(o.int8().toAbsolutePath().normalize().toString(), q.outputSha256(), size(o.int8()), keptInt8);
        ModelFile head = o.head() == null ? null
                : new ModelFile(o.head().toAbsolutePath().normalize().toString(), headSha256, size(o.head()), keptHead);
        List<String> ignored = new ArrayList<>();
        for (NodeReport n : q.nodes()) {
            if (!n.quantized() && n.reason() != null && isIgnored(n.reason())) {
                ignored.add(n.name());
            }
        }
        Speed speed = Speed.of(o.benchmarks(), parent, o.measured().toAbsolutePath().normalize().toString());
        Reports reports = new Reports(o.benchmarkFiles().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(),
                o.accuracyReport() == null ? null : o.accuracyReport().toAbsolutePath().normalize().toString(), keptBenchmarks, keptAccuracy);
        return new RunRecord(FORMAT, id, time, parentFile, int8, head, o.method(), q.settings().preset().cliName(),
                q.settings().method().cliName(), q.settings().toMap(), q.calibration(), q.calibrationImages(), q.quantizedNodes(),
                q.floatNodes(), ignored, o.revertedNodes(), q.warnings().size(), speed, Accuracy.of(o.accuracy()), reports);
    }

    /** {@code performance / minmax}, or with the method when it is not the default. */
    public String describeSettings() {
        String s = preset + " / " + range;
        return DEFAULT_METHOD.equals(method) ? s : method + ", " + s;
    }

    /** Nodes kept in float by the user's choice or by a method: the ignored and the reverted ones. */
    public int keptInFloat() {
        return ignoredNodes.size() + revertedNodes.size();
    }

    /** One line: id, settings, speedup and accuracy, for the command line. */
    public String describe() {
        StringBuilder b = new StringBuilder(id).append("  ").append(describeSettings());
        if (keptInFloat() > 0) {
            b.append(", ").append(keptInFloat()).append(" nodes in float");
        }
        if (speed != null) {
            if (speed.throughput() != null) {
                b.append(String.format(Locale.ROOT, ", %.2fx throughput", speed.throughput()));
            }
            if (speed.latency() != null) {
                b.append(String.format(Locale.ROOT, ", %.2fx latency", speed.latency()));
            }
        }
        if (accuracy != null) {
            if (accuracy.pixelAgreement() != null) {
                b.append(String.format(Locale.ROOT, ", %.2f%% agreement", accuracy.pixelAgreement() * 100));
            }
            if (accuracy.meanIoUDrop() != null) {
                b.append(String.format(Locale.ROOT, ", mIoU %.4f (drop %.2f points)", accuracy.meanIoU(), accuracy.meanIoUDrop()));
            }
        }
        return b.toString();
    }

    private static boolean isIgnored(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        return r.startsWith("ignored scope") || r.contains("keep first/last");
    }

    static boolean same(String a, String b) {
        return a != null && b != null && Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }

    private static long size(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
