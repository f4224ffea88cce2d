package org.int8workbench.core.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The demo's summary page ({@code index.html} of a demo folder), rendered from {@code templates/demo-page.mustache}:
 * the models, the speedups and the agreement in one table, and links, relative to the page, to the accuracy report and
 * the two benchmark reports (the demo writes them to {@code accuracy/}, {@code benchmark-throughput/} and
 * {@code benchmark-latency/} beside it). Its formatters are the command line's too, so the page and the printed summary
 * word the figures alike.
 *
 * <p>Pictures: the images where INT8 agrees least with the parent, each as the accuracy report's side-by-side picture
 * (image, ground truth, FP32, INT8, changed pixels; drawn by the evaluator, linked here, not drawn again), and an inline
 * SVG bar chart of the speed of each benchmarked model (images/s in throughput mode, milliseconds per image in latency
 * mode; model only and end to end).
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
     * @param embeddedSample whether the model and images are INT8 Workbench's embedded sample
     * @param calibrationNote how the calibration images relate to the compared ones, in words, or {@code null}
     * @param worstImages the images where INT8 agrees least with the parent, worst first (may be empty)
     * @param speeds each benchmarked model's speed, in benchmark order (parent first)
     */
    public record Figures(boolean synthetic, String model, String int8Model, String headModel, String headNote, String calibration,
            int calibrationImages, String dataset, int comparedImages, int integerConvNodes, int convNodes,
            BenchmarkSpread latencySpeedup, BenchmarkSpread throughputSpeedup, BenchmarkSpread endToEndLatencySpeedup,
            BenchmarkSpread endToEndThroughputSpeedup, Double parentFps, Double int8Fps, double pixelAgreement,
            Double agreementMeanIoU, Double parentMeanIoU, Double int8MeanIoU, String index, String report, String latencyReport,
            String throughputReport, String cpu, String onnxRuntime, double seconds, boolean embeddedSample, String calibrationNote,
            List<Picture> worstImages, List<Speed> speeds) {
        public Figures {
            worstImages = worstImages == null ? List.of() : List.copyOf(worstImages);
            speeds = speeds == null ? List.of() : List.copyOf(speeds);
        }
    }

    /**
     * One compared image and its side-by-side picture.
     *
     * @param id the image id
     * @param picture the PNG file (image, ground truth, FP32, INT8, changed pixels), or {@code null} when not drawn
     * @param pixelAgreement share of its pixels that keep the parent's class
     * @param parentMeanIoU the parent's mean IoU against ground truth on this image, or {@code null}
     * @param int8MeanIoU the INT8 model's mean IoU against ground truth on this image, or {@code null}
     */
    public record Picture(String id, String picture, double pixelAgreement, Double parentMeanIoU, Double int8MeanIoU) {
    }

    /**
     * One benchmarked model's speed.
     *
     * @param label what the model is, e.g. {@code INT8 + exact label head}
     * @param fps model-only images per second, throughput mode
     * @param endToEndFps label maps per second (run + labels), throughput mode, or {@code null}
     * @param latencyMs model-only median latency, latency mode, milliseconds
     * @param endToEndLatencyMs median latency of run + labels, latency mode, or {@code null}
     */
    public record Speed(String label, double fps, Double endToEndFps, double latencyMs, Double endToEndLatencyMs) {
    }

    /** The {@code n} compared images where INT8 agrees least with the parent, worst first, their pictures in {@code reportDir}. */
    public static List<Picture> worstImages(AccuracyReport report, Path reportDir, int n) {
        return report.images().stream().filter(i -> i.pixelAgreement() != null)
                .sorted(Comparator.comparingDouble(AccuracyReport.ImageRow::pixelAgreement)).limit(n)
                .map(i -> new Picture(i.id(), i.composite() == null ? null : reportDir.resolve(i.composite()).toString(),
                        i.pixelAgreement(), i.referenceMeanIoU(), i.meanIoU()))
                .toList();
    }

    /** Each model's speed from the demo's two benchmark runs (the same models in the same order). */
    public static List<Speed> speeds(BenchmarkResult throughput, BenchmarkResult latency) {
        List<Speed> out = new ArrayList<>();
        for (int i = 0; i < throughput.models().size(); i++) {
            BenchmarkModelResult t = throughput.models().get(i);
            BenchmarkModelResult l = i < latency.models().size() ? latency.models().get(i) : null;
            String label = i == 0 ? "FP32 (parent)" : i == 1 ? "INT8" : "INT8 + exact label head";
            out.add(new Speed(label, t.fps(), t.endToEnd() == null ? null : t.endToEnd().fps(),
                    l == null ? Double.NaN : l.latencyMs().median(),
                    l == null || l.endToEnd() == null ? null : l.endToEnd().latencyMs().median()));
        }
        return out;
    }

    record View(boolean synthetic, String cpu, String onnxRuntime, String model, String int8Model, String headNote,
            int calibrationImages, String calibration, int integerConvNodes, int convNodes, String throughputSpeedup,
            String latencySpeedup, boolean headCut, String endToEndThroughputSpeedup, String endToEndLatencySpeedup,
            String pixelAgreement, int comparedImages, String dataset, String agreementMeanIoU, boolean groundTruth,
            String parentMeanIoU, String int8MeanIoU, String accuracyReport, String throughputReport, String latencyReport,
            boolean embeddedSample, String calibrationNote, String meanIoUChange, boolean hasPictures, List<PictureView> pictures,
            boolean hasCharts, List<Chart> charts) {
    }

    record PictureView(String id, String src, String pixelAgreement, String groundTruth) {
    }

    /** An SVG bar chart: one group of bars per model, a bar per measure. */
    record Chart(String title, int height, List<Bar> bars, List<Legend> legend) {
    }

    record Bar(String label, int y, int width, int textY, String value, String colour, boolean first, int labelY) {
    }

    record Legend(String name, String colour, int x) {
    }

    private static final int BAR = 18;
    private static final int CHART_WIDTH = 520;
    private static final String MODEL_ONLY = "#4a78c2";
    private static final String END_TO_END = "#e39a3b";

    /** The whole page. */
    public static String html(Figures f) {
        Path base = Path.of(f.index()).getParent();
        List<PictureView> pictures = f.worstImages().stream().filter(p -> p.picture() != null)
                .map(p -> new PictureView(p.id(), relative(base, p.picture()), percent(p.pixelAgreement()),
                        p.parentMeanIoU() == null || p.int8MeanIoU() == null ? null
                                : "mean IoU against ground truth: FP32 " + percent(p.parentMeanIoU()) + ", INT8 " + percent(p.int8MeanIoU())))
                .toList();
        List<Chart> charts = f.speeds().isEmpty() ? List.of()
                : List.of(chart("Throughput: images per second (higher is faster)", f.speeds(), Speed::fps, Speed::endToEndFps, "%.0f/s"),
                        chart("Latency: milliseconds per image, median (lower is faster)", f.speeds(), Speed::latencyMs,
                                Speed::endToEndLatencyMs, "%.1f ms"));
        View v = new View(f.synthetic(), f.cpu(), f.onnxRuntime(), f.model(), f.int8Model(), f.headNote(), f.calibrationImages(),
                f.calibration(), f.integerConvNodes(), f.convNodes(), speedup(f.throughputSpeedup()), speedup(f.latencySpeedup()),
                f.headModel() != null, speedup(f.endToEndThroughputSpeedup()), speedup(f.endToEndLatencySpeedup()),
                percent(f.pixelAgreement()), f.comparedImages(), f.dataset(), percent(f.agreementMeanIoU()), f.parentMeanIoU() != null,
                percent(f.parentMeanIoU()), percent(f.int8MeanIoU()), relative(base, f.report()), relative(base, f.throughputReport()),
                relative(base, f.latencyReport()), f.embeddedSample(), f.calibrationNote(),
                f.parentMeanIoU() == null || f.int8MeanIoU() == null ? null : points(f.int8MeanIoU() - f.parentMeanIoU()),
                !pictures.isEmpty(), pictures, !charts.isEmpty(), charts);
        return PageTemplates.render("demo-page", v);
    }

    private static Chart chart(String title, List<Speed> speeds, java.util.function.ToDoubleFunction<Speed> modelOnly,
            java.util.function.Function<Speed, Double> endToEnd, String format) {
        double max = 0;
        for (Speed s : speeds) {
            max = Math.max(max, finite(modelOnly.applyAsDouble(s)));
            max = Math.max(max, endToEnd.apply(s) == null ? 0 : finite(endToEnd.apply(s)));
        }
        List<Bar> bars = new ArrayList<>();
        int y = 24;
        boolean anyEndToEnd = false;
        for (Speed s : speeds) {
            int groupTop = y;
            bars.add(bar(s.label(), y, modelOnly.applyAsDouble(s), max, format, MODEL_ONLY, true, groupTop));
            y += BAR + 2;
            Double e = endToEnd.apply(s);
            if (e != null) {
                anyEndToEnd = true;
                bars.add(bar(s.label(), y, e, max, format, END_TO_END, false, groupTop));
                y += BAR + 2;
            }
            y += 10;
        }
        List<Legend> legend = new ArrayList<>();
        legend.add(new Legend("model only", MODEL_ONLY, 180));
        if (anyEndToEnd) {
            legend.add(new Legend("end to end (run + labels)", END_TO_END, 300));
        }
        return new Chart(title, y, bars, legend);
    }

    private static Bar bar(String label, int y, double value, double max, String format, String colour, boolean first, int groupTop) {
        int width = max <= 0 || !Double.isFinite(value) ? 0 : (int) Math.round(CHART_WIDTH * value / max);
        String text = Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "n/a";
        return new Bar(label, y, Math.max(width, 1), y + BAR - 5, text, colour, first, groupTop + BAR - 5);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** E.g. {@code +0.50 points} for 0.005; a change of a share in percentage points. */
    public static String points(double change) {
        return String.format(Locale.ROOT, "%+.2f points", 100 * change);
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
