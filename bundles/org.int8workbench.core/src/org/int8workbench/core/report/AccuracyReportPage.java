package org.int8workbench.core.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.int8workbench.core.report.PageTemplates.Cell;
import org.int8workbench.core.report.PageTemplates.Entry;

/**
 * The view of an {@link AccuracyReport} that {@code templates/accuracy-report.mustache} renders: which sections and
 * columns the page has, and every figure formatted (four decimals, {@code –} where undefined).
 */
final class AccuracyReportPage {

    private AccuracyReportPage() {
    }

    record View(String modelName, String parentName, boolean parent, boolean synthetic, List<String> notes,
            List<MetricsRow> metrics, AgreementView agreement, String aggregation, List<Entry> settings, boolean groundTruth,
            boolean reference, boolean hasAgreement, List<Row> classRows, Confusion confusion, List<Option> classOptions,
            String basicWorst, List<Row> basicRows, List<Row> advancedRows, boolean hasSkipped, int skippedCount,
            List<Skipped> skipped, String outputTitle, List<OutputLink> outputLinks, boolean hasOutputs, boolean regression,
            RegressionView regressionSummary, List<Column> basicHeader, String classesTitle, String advancedLabel, String classesColumn) {
    }

    /** A link to the page of one of the model's reported outputs; {@code current} for this page's. */
    record OutputLink(String name, String href, boolean current) {
    }

    /** A column of the Basic table: its sort key, title and tooltip ({@code null}: none). */
    record Column(String key, String title, String hint) {
    }

    record RegressionView(String mae, String rmse, String psnr, String withinTolerance, String tolerance, String range, long pixels) {
    }

    record MetricsRow(String title, String meanIoU, String perImageMeanIoU, String pixelAccuracy, String meanClassAccuracy,
            String frequencyWeightedIoU, long pixels) {
    }

    record AgreementView(String meanIoU, String perImageMeanIoU, String pixelAgreement, String meanMse, String meanCosine,
            long changedPixels, long pixels) {
    }

    /** A table row; {@code id}, {@code labels} and {@code picture} are the image rows' {@code data-*} attributes. */
    record Row(String id, String labels, String picture, List<Cell> cells, String classNames) {
    }

    record Confusion(List<String> names, List<ConfusionRow> rows) {
    }

    record ConfusionRow(String name, List<ConfusionCell> cells) {
    }

    record ConfusionCell(long pixels, int shade, String share) {
    }

    record Option(int label, String name) {
    }

    record Skipped(String id, String file, String reason) {
    }

    /** The whole page of {@code r}, one of the outputs of {@code top} (the first output's report, or {@code r} itself). */
    static String html(AccuracyReport r, AccuracyReport top) {
        return PageTemplates.render("accuracy-report", view(r, top));
    }

    static View view(AccuracyReport r) {
        return view(r, r);
    }

    static View view(AccuracyReport r, AccuracyReport top) {
        boolean parent = r.parentModel() != null;
        List<String> notes = new ArrayList<>();
        for (String n : r.notes()) {
            if (!(r.synthetic() && n.contains("synthetic"))) {
                notes.add(n);
            }
        }
        List<MetricsRow> metrics = new ArrayList<>();
        if (r.groundTruth() != null) {
            metrics.add(metricsRow(parent ? "optimized vs ground truth" : "model vs ground truth", r.groundTruth()));
        }
        if (r.reference() != null) {
            metrics.add(metricsRow("parent vs ground truth", r.reference()));
        }
        AccuracyReport.Agreement a = r.agreement();
        AgreementView agreement = a == null ? null : new AgreementView(f(a.meanIoU()), f(a.perImageMeanIoU()), f(a.pixelAgreement()),
                g(a.meanMse()), g(a.meanCosine()), a.changedPixels(), a.pixels());
        List<Integer> present = presentLabels(r);
        List<Option> options = new ArrayList<>();
        for (int c : present) {
            options.add(new Option(c, r.classes().name(c)));
        }
        String kind = r.outputKind();
        boolean regression = kind.equals("regression");
        boolean multilabel = kind.equals("multilabel");
        String worst = regression ? (parent ? "within" : "id") : parent ? "agree" : r.groundTruth() != null ? "miou" : "id";
        List<Skipped> skipped = new ArrayList<>();
        for (var s : r.skipped()) {
            skipped.add(new Skipped(s.id(), s.file(), s.reason()));
        }
        return new View(PageTemplates.fileName(r.model().path()),
                parent ? PageTemplates.fileName(r.parentModel().path()) : null, parent, r.synthetic(), notes,
                metrics, agreement, r.aggregation(), settings(r), r.groundTruth() != null, r.reference() != null, a != null,
                classRows(r, present), a == null ? null : confusion(r), options, worst, basicRows(r, parent), advancedRows(r, parent),
                !skipped.isEmpty(), skipped.size(), skipped, outputTitle(r), links(r, top), !top.outputs().isEmpty(), regression,
                regression && a != null && a.regression() != null ? regressionView(a) : null, basicHeader(kind, parent),
                multilabel ? "Labels" : "Classes", multilabel ? "label" : "class", multilabel ? "labels" : "classes");
    }

    private static RegressionView regressionView(AccuracyReport.Agreement a) {
        AccuracyReport.Regression g = a.regression();
        return new RegressionView(g(g.mae()), g(g.rmse()), g.psnr() == null ? "–" : String.format(Locale.ROOT, "%.2f", g.psnr()),
                f(g.withinTolerance()), g(g.tolerance()), g(g.range()), a.pixels());
    }

    /** The output line: its name, kind, threshold and why that kind; {@code null} for reports without an output. */
    private static String outputTitle(AccuracyReport r) {
        AccuracyReport.Output o = r.output();
        if (o == null) {
            return null;
        }
        return "Output " + (o.name() == null ? "" : "'" + o.name() + "' ") + "read as " + o.kind()
                + (o.threshold() == null ? "" : String.format(Locale.ROOT, " (threshold %.3g)", o.threshold()))
                + (o.reason() == null ? "" : ": " + o.reason());
    }

    private static List<OutputLink> links(AccuracyReport r, AccuracyReport top) {
        List<OutputLink> links = new ArrayList<>();
        if (top.outputs().isEmpty()) {
            return links;
        }
        List<AccuracyReport> all = new ArrayList<>();
        all.add(top);
        all.addAll(top.outputs());
        for (int i = 0; i < all.size(); i++) {
            AccuracyReport o = all.get(i);
            String name = o.output() == null ? "output " + i : o.output().name();
            links.add(new OutputLink(name + " (" + o.outputKind() + ")", AccuracyReportWriter.outputFile(AccuracyReportWriter.HTML,
                    o.output() == null ? null : o.output().name(), i), o == r));
        }
        return links;
    }

    /** The Basic table's figure columns for the kind (the image column first, the classes column last, are fixed). */
    private static List<Column> basicHeader(String kind, boolean parent) {
        List<Column> c = new ArrayList<>();
        c.add(new Column("id", "image", null));
        if (kind.equals("regression")) {
            if (parent) {
                c.add(new Column("within", "within tolerance", "share of pixels with |optimized - parent| <= tolerance"));
                c.add(new Column("mae", "MAE", "mean |optimized - parent|"));
                c.add(new Column("rmse", "RMSE", null));
                c.add(new Column("psnr", "PSNR (dB)", "20 log10(parent's range / RMSE)"));
                c.add(new Column("tol", "tolerance", null));
                c.add(new Column("mse", "output MSE", null));
                c.add(new Column("cos", "output cosine", null));
            }
            return c;
        }
        if (parent) {
            if (kind.equals("binary")) {
                c.add(new Column("agree", "foreground IoU vs parent", "IoU(optimized, parent) of the foreground; 1 when neither predicts it"));
            } else if (kind.equals("multilabel")) {
                c.add(new Column("agree", "mean label IoU vs parent", "mean over the labels either model predicts of IoU(optimized, parent)"));
            } else {
                c.add(new Column("agree", "optimized vs parent mean IoU", "mean over the classes either model predicts of IoU(optimized, parent)"));
            }
            c.add(new Column("pa", kind.equals("multilabel") ? "mean label agreement" : "pixel agreement", null));
            c.add(new Column("changed", "changed pixels", null));
            c.add(new Column("mse", "output MSE", null));
            c.add(new Column("cos", "output cosine", null));
        }
        return c;
    }

    private static MetricsRow metricsRow(String title, AccuracyReport.Metrics m) {
        return new MetricsRow(title, f(m.meanIoU()), f(m.perImageMeanIoU()), f(m.pixelAccuracy()), f(m.meanClassAccuracy()),
                f(m.frequencyWeightedIoU()), m.pixels());
    }

    private static List<Entry> settings(AccuracyReport r) {
        List<Entry> kv = new ArrayList<>();
        kv.add(new Entry("Model", r.model().path() + " (sha256 " + r.model().sha256() + ")"));
        if (r.parentModel() != null) {
            kv.add(new Entry("Parent model", r.parentModel().path() + " (sha256 " + r.parentModel().sha256() + ")"));
        }
        kv.add(new Entry("Dataset", r.dataset()));
        kv.add(new Entry("Preprocessing", r.preprocessing().describe()));
        kv.add(new Entry("Postprocessing", r.postprocessing()));
        if (r.provenance() != null) {
            kv.add(new Entry("CPU", r.provenance().cpu() == null ? "" : r.provenance().cpu().describe()));
            kv.add(new Entry("ONNX Runtime", r.provenance().onnxRuntime()));
            kv.add(new Entry("Tool", "INT8 Workbench " + r.provenance().tool() + ", Java " + r.provenance().javaVersion() + ", "
                    + r.provenance().os()));
            kv.add(new Entry("Time", r.provenance().time()));
        }
        AccuracyReport.Timing t = r.timing();
        if (t != null) {
            kv.add(new Entry("Timing", String.format(Locale.ROOT,
                    "%d images in %.2f s; inference %.2f s (model) + %.2f s (parent); wall / inference = %.2f", t.images(),
                    t.wallSeconds(), t.modelInferenceSeconds(), t.parentInferenceSeconds(), t.ratio())
                    + (t.concurrentRuns() > 0 ? String.format(Locale.ROOT,
                            "; %d runs at once, %d ONNX Runtime thread(s) each (runs overlap)", t.concurrentRuns(), t.threadsPerRun())
                            : "")));
        }
        return kv;
    }

    private static List<Row> classRows(AccuracyReport r, List<Integer> present) {
        List<Row> rows = new ArrayList<>();
        for (int c : present) {
            AccuracyReport.ClassScore g = score(r.groundTruth() == null ? null : r.groundTruth().classes(), c);
            AccuracyReport.ClassScore p = score(r.reference() == null ? null : r.reference().classes(), c);
            AccuracyReport.ClassScore a = score(r.agreement() == null ? null : r.agreement().classes(), c);
            List<Cell> cells = new ArrayList<>();
            cells.add(new Cell("label", Integer.toString(c), colour(r, c), c + " " + r.classes().name(c)));
            if (r.groundTruth() != null) {
                cells.add(Cell.of("gt", g == null ? null : g.iou(), f(g == null ? null : g.iou())));
                cells.add(Cell.of("acc", g == null ? null : g.accuracy(), f(g == null ? null : g.accuracy())));
            }
            if (r.reference() != null) {
                cells.add(Cell.of("pgt", p == null ? null : p.iou(), f(p == null ? null : p.iou())));
            }
            if (r.agreement() != null) {
                cells.add(Cell.of("agree", a == null ? null : a.iou(), f(a == null ? null : a.iou())));
            }
            long px = g != null ? g.predictedPixels() : a != null ? a.predictedPixels() : 0;
            cells.add(Cell.of("px", px, Long.toString(px)));
            rows.add(new Row(null, null, null, cells, null));
        }
        return rows;
    }

    /** The parent-to-optimized confusion over the classes either model predicts, as shares of the parent's pixels. */
    private static Confusion confusion(AccuracyReport r) {
        List<List<Long>> m = r.agreement().confusion();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < m.size(); c++) {
            long s = 0;
            for (int j = 0; j < m.size(); j++) {
                s += m.get(c).get(j) + m.get(j).get(c);
            }
            if (s > 0) {
                labels.add(c);
            }
        }
        List<String> names = new ArrayList<>();
        for (int c : labels) {
            names.add(r.classes().name(c));
        }
        List<ConfusionRow> rows = new ArrayList<>();
        for (int i : labels) {
            long rowSum = 0;
            for (long v : m.get(i)) {
                rowSum += v;
            }
            List<ConfusionCell> cells = new ArrayList<>();
            for (int j : labels) {
                long v = m.get(i).get(j);
                double share = rowSum == 0 ? 0 : (double) v / rowSum;
                int shade = (int) Math.round(255 - 155 * Math.sqrt(share));
                cells.add(new ConfusionCell(v, shade, v == 0 ? "" : String.format(Locale.ROOT, "%.3f", share)));
            }
            rows.add(new ConfusionRow(r.classes().name(i), cells));
        }
        return new Confusion(names, rows);
    }

    private static List<Row> basicRows(AccuracyReport r, boolean parent) {
        List<Row> rows = new ArrayList<>();
        for (AccuracyReport.ImageRow i : r.images()) {
            StringBuilder labels = new StringBuilder(" ");
            List<String> names = new ArrayList<>();
            for (int c : i.classes()) {
                labels.append(c).append(' ');
                names.add(r.classes().name(c));
            }
            List<Cell> cells = new ArrayList<>();
            cells.add(Cell.of("id", null, i.id()));
            if (r.outputKind().equals("regression")) {
                AccuracyReport.Regression g = i.regression();
                if (parent) {
                    cells.add(Cell.of("within", g == null ? null : g.withinTolerance(), f(g == null ? null : g.withinTolerance())));
                    cells.add(Cell.of("mae", g == null ? null : g.mae(), g(g == null ? null : g.mae())));
                    cells.add(Cell.of("rmse", g == null ? null : g.rmse(), g(g == null ? null : g.rmse())));
                    cells.add(Cell.of("psnr", g == null ? null : g.psnr(), g == null || g.psnr() == null ? "–"
                            : String.format(Locale.ROOT, "%.2f", g.psnr())));
                    cells.add(Cell.of("tol", g == null ? null : g.tolerance(), g(g == null ? null : g.tolerance())));
                    cells.add(Cell.of("mse", i.mse(), g(i.mse())));
                    cells.add(Cell.of("cos", i.cosine(), g(i.cosine())));
                }
                rows.add(new Row(i.id(), labels.toString(), i.composite(), cells, ""));
                continue;
            }
            if (parent) {
                cells.add(Cell.of("agree", i.agreementMeanIoU(), f(i.agreementMeanIoU())));
                cells.add(Cell.of("pa", i.pixelAgreement(), f(i.pixelAgreement())));
                cells.add(Cell.of("changed", i.changedPixels(), Long.toString(i.changedPixels())));
                cells.add(Cell.of("mse", i.mse(), g(i.mse())));
                cells.add(Cell.of("cos", i.cosine(), g(i.cosine())));
            }
            if (r.groundTruth() != null) {
                cells.add(Cell.of("miou", i.meanIoU(), f(i.meanIoU())));
                cells.add(Cell.of("acc", i.pixelAccuracy(), f(i.pixelAccuracy())));
            }
            if (r.reference() != null) {
                cells.add(Cell.of("pmiou", i.referenceMeanIoU(), f(i.referenceMeanIoU())));
            }
            rows.add(new Row(i.id(), labels.toString(), i.composite(), cells, String.join(", ", names)));
        }
        return rows;
    }

    private static List<Row> advancedRows(AccuracyReport r, boolean parent) {
        Map<String, String> pictures = new HashMap<>();
        for (AccuracyReport.ImageRow i : r.images()) {
            if (i.composite() != null) {
                pictures.put(i.id(), i.composite());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (AccuracyReport.ClassRow c : r.classRows()) {
            List<Cell> cells = new ArrayList<>();
            cells.add(Cell.of("id", null, c.image()));
            cells.add(new Cell("label", Integer.toString(c.label()), colour(r, c.label()), c.label() + " " + c.name()));
            cells.add(Cell.of("iou", c.iou(), f(c.iou())));
            cells.add(Cell.of("ref", c.referencePixels(), Long.toString(c.referencePixels())));
            cells.add(Cell.of("pred", c.predictedPixels(), Long.toString(c.predictedPixels())));
            if (parent && r.groundTruth() != null) {
                cells.add(Cell.of("gt", c.groundTruthIou(), f(c.groundTruthIou())));
            }
            rows.add(new Row(c.image(), " " + c.label() + " ", pictures.get(c.image()), cells, null));
        }
        return rows;
    }

    private static List<Integer> presentLabels(AccuracyReport r) {
        TreeSet<Integer> s = new TreeSet<>();
        for (AccuracyReport.ImageRow i : r.images()) {
            s.addAll(i.classes());
        }
        return new ArrayList<>(s);
    }

    private static AccuracyReport.ClassScore score(List<AccuracyReport.ClassScore> list, int c) {
        return list == null || c >= list.size() ? null : list.get(c);
    }

    /** The class's colour as six hex digits (grey for a label outside the class list). */
    private static String colour(AccuracyReport r, int c) {
        int color = c < r.classes().count() ? r.classes().colors().get(c) : 0x808080;
        return String.format(Locale.ROOT, "%06X", color & 0xFFFFFF);
    }

    private static String f(Double d) {
        return d == null ? "–" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String g(Double d) {
        return d == null ? "–" : String.format(Locale.ROOT, "%.4g", d);
    }
}
