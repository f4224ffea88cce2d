package org.int8workbench.ui.editors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.int8workbench.core.Json;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.runs.RunComparison;
import org.int8workbench.core.runs.RunRecord;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.editors.PerformanceEditor.Figure;

/**
 * The Run Comparison editor: remembered runs of one model side by side, one column per run after the parent's — the
 * settings of each run, its speedups in the comparison's one interleaved benchmark (the Performance editor shows that
 * benchmark in full; the letters match), its accuracy against the parent on the comparison's data (when the model's
 * last optimization compared on a dataset) and the speed and accuracy the run recorded when it was made. Reads the
 * core's {@link RunComparison} ({@code comparison.json}).
 */
public final class RunComparisonEditor extends ReportEditor {
    /** The editor's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.editors.runComparison";

    private RunComparison comparison;
    private TableViewer table;

    @Override
    public void createPartControl(Composite parent) {
        Composite body = new Composite(parent, SWT.NONE);
        body.setLayout(new GridLayout(1, false));
        try {
            comparison = Json.read(file(), RunComparison.class);
            if (comparison == null || comparison.columns() == null || comparison.benchmark() == null) {
                throw new IOException("not a comparison of runs");
            }
        } catch (IOException | RuntimeException e) {
            new Label(body, SWT.WRAP).setText("Cannot read the comparison " + file() + ": " + e.getMessage());
            Activator.getDefault().getLog().log(Status.error("Cannot read " + file(), e));
            comparison = null;
            return;
        }
        setPartName("Runs of " + Path.of(comparison.parent()).getFileName());
        Label head = new Label(body, SWT.WRAP);
        head.setFont(JFaceResources.getHeaderFont());
        head.setText(comparison.columns().size() + " runs of " + Path.of(comparison.parent()).getFileName() + " side by side");
        Label about = new Label(body, SWT.WRAP);
        GridData ad = new GridData(SWT.FILL, SWT.TOP, true, false);
        ad.widthHint = 900;
        about.setLayoutData(ad);
        about.setText(about(comparison));

        table = new TableViewer(body, SWT.BORDER | SWT.FULL_SELECTION);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        table.setContentProvider(ArrayContentProvider.getInstance());
        column("Figure", 300, Figure::metric);
        List<String> titles = titles(comparison);
        for (int i = 0; i < titles.size(); i++) {
            int k = i;
            TableViewerColumn c = column(titles.get(i), 190, f -> f.value(k));
            c.getColumn().setToolTipText(i == 0 ? comparison.parent() : comparison.columns().get(i - 1).model());
        }
        table.setInput(figures(comparison));
        table.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    }

    private TableViewerColumn column(String title, int width, Function<Figure, String> text) {
        TableViewerColumn c = new TableViewerColumn(table, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(o -> text.apply((Figure) o)));
        return c;
    }

    /** The comparison shown, or {@code null} when the file could not be read. */
    public RunComparison comparison() {
        return comparison;
    }

    /** The table of figures (for tests). */
    public org.eclipse.swt.widgets.Table table() {
        return table.getTable();
    }

    /** The column titles: the parent, then each run. */
    public static List<String> titles(RunComparison c) {
        List<String> out = new ArrayList<>();
        out.add("Parent " + Path.of(c.parent()).getFileName());
        for (RunComparison.Column col : c.columns()) {
            out.add("Run " + col.id());
        }
        return out;
    }

    private static String about(RunComparison c) {
        StringBuilder b = new StringBuilder();
        b.append("Parent ").append(c.parent()).append(", compared ").append(c.time().replace('T', ' ').replaceAll("\\.\\d+Z$", " UTC")).append('\n');
        var s = c.benchmark().settings();
        b.append("Benchmark: the parent and every run's model in one interleaved run (").append(s.mode()).append(" mode, ").append(s.rounds())
                .append(" rounds, ").append(s.input()).append("); speedups are medians of per-round ratios against the parent.");
        b.append(c.dataset() != null ? "\nAccuracy measured now: each run's model against the parent on " + c.dataset() + "."
                : "\nNo evaluation now (the model's last optimization compared on no dataset); the recorded accuracy is each run's own.");
        for (String n : c.notes()) {
            b.append("\nNote: ").append(n);
        }
        return b.toString();
    }

    /** The rows of the table: one value for the parent, then one per run. */
    public static List<Figure> figures(RunComparison c) {
        List<Figure> rows = new ArrayList<>();
        List<BenchmarkModelResult> models = c.benchmark().models();
        boolean throughput = "throughput".equalsIgnoreCase(c.benchmark().settings().mode());
        rows.add(row(c, "Performance editor column", BenchmarkReportWriter.letter(0), col -> letter(c, col)));
        rows.add(row(c, "Recorded", "", col -> col.run().time().replace('T', ' ').replaceAll("\\.\\d+Z$", " UTC")));
        rows.add(row(c, "Method", "", col -> col.run().method()));
        rows.add(row(c, "Preset / range", "", col -> col.run().preset() + " / " + col.run().range()));
        rows.add(row(c, "Calibration", "", col -> col.run().calibrationImages() + " images of " + col.run().calibration()));
        rows.add(row(c, "Nodes INT8 / float", "", col -> col.run().quantizedNodes() + " / " + col.run().floatNodes()));
        rows.add(row(c, "Ignored nodes", "", col -> list(col.run().ignoredNodes())));
        rows.add(row(c, "Reverted nodes", "", col -> list(col.run().revertedNodes())));
        rows.add(row(c, "Model measured", Path.of(c.parent()).getFileName().toString(),
                col -> Path.of(col.model()).getFileName().toString()));
        String mode = throughput ? "throughput" : "latency";
        rows.add(new Figure("Images/s, model only (" + mode + " mode)", models.stream().map(m -> fixed(m.fps(), 1)).toList()));
        rows.add(row(c, "Speedup, model only (now)", "1.00x", col -> ratio(col.speed() == null ? null
                : throughput ? col.speed().throughput() : col.speed().latency())));
        rows.add(new Figure("Label maps/s, end to end (" + mode + " mode)",
                models.stream().map(m -> m.endToEnd() == null ? "" : fixed(m.endToEnd().fps(), 1)).toList()));
        rows.add(row(c, "Speedup, end to end (now)", "1.00x", col -> ratio(col.speed() == null ? null
                : throughput ? col.speed().endToEndThroughput() : col.speed().endToEndLatency())));
        if (c.dataset() != null) {
            rows.add(row(c, "Pixel agreement with parent (now)", "100.00%", col -> percent(acc(col, true, RunRecord.Accuracy::pixelAgreement))));
            rows.add(row(c, "Mean IoU vs parent (now)", "", col -> fixed(acc(col, true, RunRecord.Accuracy::agreementMeanIoU), 4)));
            rows.add(row(c, "Mean IoU (now)", fixed(firstParentMeanIoU(c), 4), col -> fixed(acc(col, true, RunRecord.Accuracy::meanIoU), 4)));
            rows.add(row(c, "Mean IoU drop, points (now)", "", col -> fixed(acc(col, true, RunRecord.Accuracy::meanIoUDrop), 2)));
            rows.add(row(c, "Images evaluated (now)", "", col -> col.accuracy() == null ? "" : Integer.toString(col.accuracy().images())));
        }
        rows.add(row(c, "Recorded speedup: throughput", "", col -> ratio(speed(col, RunRecord.Speed::throughput))));
        rows.add(row(c, "Recorded speedup: latency", "", col -> ratio(speed(col, RunRecord.Speed::latency))));
        rows.add(row(c, "Recorded speedup: end to end, throughput", "", col -> ratio(speed(col, RunRecord.Speed::endToEndThroughput))));
        rows.add(row(c, "Recorded speedup: end to end, latency", "", col -> ratio(speed(col, RunRecord.Speed::endToEndLatency))));
        rows.add(row(c, "Recorded: data", "", col -> col.run().accuracy() == null ? "" : col.run().accuracy().images() + " images of "
                + col.run().accuracy().dataset()));
        rows.add(row(c, "Recorded: pixel agreement", "", col -> percent(acc(col, false, RunRecord.Accuracy::pixelAgreement))));
        rows.add(row(c, "Recorded: mean IoU vs parent", "", col -> fixed(acc(col, false, RunRecord.Accuracy::agreementMeanIoU), 4)));
        rows.add(row(c, "Recorded: mean IoU", "", col -> fixed(acc(col, false, RunRecord.Accuracy::meanIoU), 4)));
        rows.add(row(c, "Recorded: parent mean IoU", "", col -> fixed(acc(col, false, RunRecord.Accuracy::parentMeanIoU), 4)));
        rows.add(row(c, "Recorded: mean IoU drop, points", "", col -> fixed(acc(col, false, RunRecord.Accuracy::meanIoUDrop), 2)));
        rows.add(row(c, "Quantization warnings", "", col -> Integer.toString(col.run().warnings())));
        return rows;
    }

    private static String letter(RunComparison c, RunComparison.Column col) {
        return BenchmarkReportWriter.letter(c.columns().indexOf(col) + 1);
    }

    private static Double firstParentMeanIoU(RunComparison c) {
        return c.columns().stream().map(RunComparison.Column::accuracy).filter(a -> a != null && a.parentMeanIoU() != null)
                .map(RunRecord.Accuracy::parentMeanIoU).findFirst().orElse(null);
    }

    private static Figure row(RunComparison c, String metric, String parent, Function<RunComparison.Column, String> value) {
        List<String> values = new ArrayList<>();
        values.add(parent);
        for (RunComparison.Column col : c.columns()) {
            String v = value.apply(col);
            values.add(v == null ? "" : v);
        }
        return new Figure(metric, values);
    }

    private static Double speed(RunComparison.Column col, Function<RunRecord.Speed, Double> f) {
        return col.run().speed() == null ? null : f.apply(col.run().speed());
    }

    private static Double acc(RunComparison.Column col, boolean now, Function<RunRecord.Accuracy, Double> f) {
        RunRecord.Accuracy a = now ? col.accuracy() : col.run().accuracy();
        return a == null ? null : f.apply(a);
    }

    private static String list(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        String s = names.size() + ": " + String.join(", ", names.subList(0, Math.min(3, names.size())));
        return names.size() > 3 ? s + ", \u2026" : s;
    }

    private static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String percent(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    private static String fixed(Double v, int digits) {
        return v == null ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    @Override
    public void setFocus() {
        if (table != null) {
            table.getTable().setFocus();
        }
    }
}
