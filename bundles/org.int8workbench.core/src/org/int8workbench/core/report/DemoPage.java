package org.int8workbench.core.report;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The demo's summary page ({@code index.html} of a demo folder), rendered from {@code templates/demo-page.mustache}:
 * the models, the speedups and the agreement in one table, and links, relative to the page, to the accuracy report and
 * the two benchmark reports (the demo writes them to {@code accuracy/}, {@code benchmark-throughput/} and
 * {@code benchmark-latency/} beside it). Its formatters are the command line's too, so the page and the printed summary
 * word the figures alike.
 */
public final class DemoPage {

    private DemoPage() {
    }

    /**
     * What the demo did: the page shows these figures, and {@code int8wb demo} writes the same record as the folder's
     * {@code summary.json} (and to {@code --json}) for scripts.
     *
     * @param synthetic whether the model and images are the generated ones (the page then says the accuracy figures
     *        only show the mechanics)
     * @param model the parent model's path
     * @param int8Model the INT8 model's path
     * @param headModel the INT8 model with the exact fast label head, or {@code null} when no head was cut
     * @param headNote what happened to the head, in words
     * @param calibration the calibration data, described
     * @param calibrationImages how many calibration images were used
     * @param dataset the compared images, described
     * @param comparedImages how many images were compared
     * @param integerConvNodes Conv nodes of the INT8 model that run as integer kernels
     * @param convNodes Conv nodes of the model
     * @param latencySpeedup INT8 over parent, model only, latency mode
     * @param throughputSpeedup INT8 over parent, model only, throughput mode
     * @param endToEndLatencySpeedup labels/s speedup with the head, latency mode, or {@code null}
     * @param endToEndThroughputSpeedup labels/s speedup with the head, throughput mode, or {@code null}
     * @param parentFps the parent's images per second in throughput mode, model only (summary only, not on the page)
     * @param int8Fps the INT8 model's images per second in throughput mode, model only (summary only)
     * @param pixelAgreement share of pixels that keep the parent's class
     * @param agreementMeanIoU mean IoU of the INT8 labels against the parent's, or {@code null}
     * @param parentMeanIoU the parent's mean IoU against ground truth, or {@code null} without ground truth
     * @param int8MeanIoU the INT8 model's mean IoU against ground truth, or {@code null} without ground truth
     * @param index where the page is written (the report links are made relative to it)
     * @param report the accuracy report's HTML file
     * @param latencyReport the latency-mode benchmark report's HTML file
     * @param throughputReport the throughput-mode benchmark report's HTML file
     * @param cpu the CPU, described
     * @param onnxRuntime the ONNX Runtime version
     * @param seconds how long the demo took in total (summary only)
     */
    public record Figures(boolean synthetic, String model, String int8Model, String headModel, String headNote, String calibration,
            int calibrationImages, String dataset, int comparedImages, int integerConvNodes, int convNodes,
            BenchmarkSpread latencySpeedup, BenchmarkSpread throughputSpeedup, BenchmarkSpread endToEndLatencySpeedup,
            BenchmarkSpread endToEndThroughputSpeedup, Double parentFps, Double int8Fps, double pixelAgreement,
            Double agreementMeanIoU, Double parentMeanIoU, Double int8MeanIoU, String index, String report, String latencyReport,
            String throughputReport, String cpu, String onnxRuntime, double seconds) {
    }

    record View(boolean synthetic, String cpu, String onnxRuntime, String model, String int8Model, String headNote,
            int calibrationImages, String calibration, int integerConvNodes, int convNodes, String throughputSpeedup,
            String latencySpeedup, boolean headCut, String endToEndThroughputSpeedup, String endToEndLatencySpeedup,
            String pixelAgreement, int comparedImages, String dataset, String agreementMeanIoU, boolean groundTruth,
            String parentMeanIoU, String int8MeanIoU, String accuracyReport, String throughputReport, String latencyReport) {
    }

    /** The whole page. */
    public static String html(Figures f) {
        Path base = Path.of(f.index()).getParent();
        View v = new View(f.synthetic(), f.cpu(), f.onnxRuntime(), f.model(), f.int8Model(), f.headNote(), f.calibrationImages(),
                f.calibration(), f.integerConvNodes(), f.convNodes(), speedup(f.throughputSpeedup()), speedup(f.latencySpeedup()),
                f.headModel() != null, speedup(f.endToEndThroughputSpeedup()), speedup(f.endToEndLatencySpeedup()),
                percent(f.pixelAgreement()), f.comparedImages(), f.dataset(), percent(f.agreementMeanIoU()), f.parentMeanIoU() != null,
                percent(f.parentMeanIoU()), percent(f.int8MeanIoU()), relative(base, f.report()), relative(base, f.throughputReport()),
                relative(base, f.latencyReport()));
        return PageTemplates.render("demo-page", v);
    }

    /** The link from the page's folder to {@code file}, with forward slashes. */
    private static String relative(Path base, String file) {
        return base.relativize(Path.of(file)).toString().replace('\\', '/');
    }

    /** E.g. {@code 1.85x (1.80–1.90 over 5 rounds)}; {@code n/a} when not measured. */
    public static String speedup(BenchmarkSpread s) {
        return s == null ? "n/a"
                : String.format(Locale.ROOT, "%.2fx (%.2f–%.2f over %d rounds)", s.median(), s.min(), s.max(), s.perRound().size());
    }

    /** E.g. {@code 99.1%} for 0.991; {@code n/a} when not measured. */
    public static String percent(Double share) {
        return share == null ? "n/a" : PageTemplates.percent(share);
    }
}
