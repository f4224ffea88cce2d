package org.int8workbench.ui.editors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.report.BenchmarkLatency;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkOpTime;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.BenchmarkSettings;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.Measurements;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * The Performance comparison editor: the core's {@link BenchmarkResult} of a parent against its optimized model as a
 * table (model-only and end-to-end figures), a bar chart, the machine, and the "why isn't INT8 faster?" data (time
 * per operator type, nodes that do not run as integer kernels). Re-run measures again with the same settings.
 */
public final class PerformanceEditor extends ReportEditor {
    /** The editor's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.editors.performance";

    private BenchmarkResult result;
    private Composite body;
    private ScrolledComposite scroller;
    private TableViewer figures;
    private TableViewer ops;
    private TableViewer floats;
    private BarChart chart;

    /**
     * A line of the figures table.
     *
     * @param metric what is measured
     * @param parent the first model's value
     * @param optimized the second model's value ({@code ""} with one model)
     * @param ratio optimized relative to parent, or a note
     */
    public record Figure(String metric, String parent, String optimized, String ratio) {
    }

    /**
     * Time per operator type of both models.
     *
     * @param opType operator type as ONNX Runtime reports it
     * @param parent the first model's entry, or {@code null}
     * @param optimized the second model's entry, or {@code null}
     */
    public record OpRow(String opType, BenchmarkOpTime parent, BenchmarkOpTime optimized) {
    }

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new org.eclipse.swt.layout.FillLayout());
        scroller = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        body = new Composite(scroller, SWT.NONE);
        scroller.setContent(body);
        load();
    }

    private void load() {
        for (Control c : body.getChildren()) {
            c.dispose();
        }
        try {
            result = BenchmarkReportWriter.read(file());
        } catch (IOException | RuntimeException e) {
            body.setLayout(new GridLayout(1, false));
            new Label(body, SWT.WRAP).setText("Cannot read the benchmark result " + file() + ": " + e.getMessage());
            Activator.getDefault().getLog().log(Status.error("Cannot read " + file(), e));
            result = null;
            return;
        }
        build();
        body.layout(true, true);
        scroller.setMinSize(body.computeSize(SWT.DEFAULT, SWT.DEFAULT));
    }

    private void build() {
        body.setLayout(new GridLayout(2, false));
        BenchmarkModelResult a = result.model();
        BenchmarkModelResult b = result.other();
        Label head = new Label(body, SWT.WRAP);
        head.setFont(JFaceResources.getHeaderFont());
        head.setText(b == null ? "Performance of " + name(a.path()) : "Performance: " + name(a.path()) + " (parent) vs " + name(b.path()) + " (optimized)");
        head.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        Label machine = new Label(body, SWT.WRAP);
        GridData md = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
        md.widthHint = 900;
        machine.setLayoutData(md);
        machine.setText(machineText(result));

        Composite buttons = new Composite(body, SWT.NONE);
        buttons.setLayout(new GridLayout(3, false));
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        Button rerun = new Button(buttons, SWT.PUSH);
        rerun.setText("Re-run");
        rerun.setToolTipText("Measure again with the same mode, duration and threads, replacing this file");
        rerun.addListener(SWT.Selection, e -> rerun());
        Button html = new Button(buttons, SWT.PUSH);
        html.setText("Export HTML\u2026");
        html.addListener(SWT.Selection, e -> {
            Path p = askSaveAs(BenchmarkReportWriter.HTML, "html");
            if (p != null) {
                exportHtml(p);
            }
        });
        Button csv = new Button(buttons, SWT.PUSH);
        csv.setText("Export CSV\u2026");
        csv.addListener(SWT.Selection, e -> {
            Path p = askSaveAs(BenchmarkReportWriter.CSV, "csv");
            if (p != null) {
                exportCsv(p);
            }
        });

        Group table = new Group(body, SWT.NONE);
        table.setText("Parent vs optimized");
        table.setLayout(new GridLayout(1, false));
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
        figures = new TableViewer(table, SWT.BORDER | SWT.FULL_SELECTION);
        figures.getTable().setHeaderVisible(true);
        figures.getTable().setLinesVisible(true);
        figures.setContentProvider(ArrayContentProvider.getInstance());
        column(figures, "Figure", 240, Figure::metric);
        column(figures, "Parent", 100, Figure::parent);
        column(figures, "Optimized", 100, Figure::optimized);
        column(figures, "Speedup (optimized vs parent)", 200, Figure::ratio);
        figures.setInput(figures(result));
        GridData fd = new GridData(SWT.FILL, SWT.FILL, true, false);
        fd.widthHint = 560;
        fd.heightHint = figures.getTable().getItemHeight() * (figures.getTable().getItemCount() + 1) + 8;
        figures.getTable().setLayoutData(fd);

        Group charts = new Group(body, SWT.NONE);
        charts.setText("FPS and latency");
        charts.setLayout(new GridLayout(1, false));
        charts.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
        chart = new BarChart(charts);
        GridData cd = new GridData(SWT.FILL, SWT.FILL, true, true);
        cd.widthHint = 360;
        chart.setLayoutData(cd);
        chart.setData(b == null ? List.of(name(a.path())) : List.of("parent", "optimized"), chartGroups(a, b));

        Group why = new Group(body, SWT.NONE);
        why.setText("Why isn't INT8 faster? Time per operator type (ONNX Runtime profiler)");
        why.setLayout(new GridLayout(1, false));
        why.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Label share = new Label(why, SWT.WRAP);
        GridData sd = new GridData(SWT.FILL, SWT.TOP, true, false);
        sd.widthHint = 540;
        share.setLayoutData(sd);
        share.setText(profileText(a, "parent") + (b == null ? "" : "\n" + profileText(b, "optimized")));
        ops = new TableViewer(why, SWT.BORDER | SWT.FULL_SELECTION);
        ops.setContentProvider(ArrayContentProvider.getInstance());
        SortableTable<OpRow> opTable = new SortableTable<>(ops);
        opTable.column("Operator", 150, OpRow::opType, java.util.Comparator.comparing(OpRow::opType));
        opTable.column("Parent ms/run", 105, r -> ms(r.parent()), SortableTable.by(r -> r.parent() == null ? null : r.parent().msPerRun()));
        opTable.column("Parent share", 100, r -> r.parent() == null ? "" : pct(r.parent().share()),
                SortableTable.by(r -> r.parent() == null ? null : r.parent().share()));
        TableViewerColumn slowest = opTable.column("Optimized ms/run", 130, r -> ms(r.optimized()),
                SortableTable.by(r -> r.optimized() == null ? null : r.optimized().msPerRun()));
        opTable.column("Optimized share", 120, r -> r.optimized() == null ? "" : pct(r.optimized().share()),
                SortableTable.by(r -> r.optimized() == null ? null : r.optimized().share()));
        opTable.column("Nodes", 80, r -> (r.parent() == null ? "-" : r.parent().nodes()) + " / "
                + (r.optimized() == null ? "-" : r.optimized().nodes()), java.util.Comparator.comparing(OpRow::opType));
        ops.setInput(opRows(a, b));
        opTable.sortBy(slowest.getColumn(), false);
        GridData od = new GridData(SWT.FILL, SWT.FILL, true, true);
        od.heightHint = 220;
        od.widthHint = 560;
        ops.getTable().setLayoutData(od);

        Group fl = new Group(body, SWT.NONE);
        BenchmarkModelResult opt = b != null ? b : a;
        OrtOptimizedGraph g = opt.optimizedGraph();
        fl.setText("Nodes of the optimized model not running as integer kernels");
        fl.setLayout(new GridLayout(1, false));
        fl.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Label gl = new Label(fl, SWT.WRAP);
        GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false);
        gd.widthHint = 340;
        gl.setLayoutData(gd);
        gl.setText(g == null ? "Graph not analysed." : String.format(Locale.ROOT,
                "ONNX Runtime's optimized graph: %d nodes, %d integer kernels, %d float compute nodes, %d Q/DQ conversions",
                g.nodeCount(), g.integerNodes(), g.floatComputeNodes().size(), g.conversionNodes()));
        floats = new TableViewer(fl, SWT.BORDER | SWT.FULL_SELECTION);
        floats.setContentProvider(ArrayContentProvider.getInstance());
        SortableTable<OrtOptimizedGraph.FloatNode> ft = new SortableTable<>(floats);
        ft.column("Node", 150, OrtOptimizedGraph.FloatNode::name, java.util.Comparator.comparing(OrtOptimizedGraph.FloatNode::name));
        ft.column("Operator", 90, OrtOptimizedGraph.FloatNode::opType, java.util.Comparator.comparing(OrtOptimizedGraph.FloatNode::opType));
        ft.column("Why float", 420, OrtOptimizedGraph.FloatNode::reason, java.util.Comparator.comparing(OrtOptimizedGraph.FloatNode::reason));
        floats.setInput(g == null ? List.of() : g.floatComputeNodes());
        GridData fld = new GridData(SWT.FILL, SWT.FILL, true, true);
        fld.heightHint = 220;
        fld.widthHint = 360;
        floats.getTable().setLayoutData(fld);

        if (!result.notes().isEmpty()) {
            Label notes = new Label(body, SWT.WRAP);
            GridData nd = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
            nd.widthHint = 900;
            notes.setLayoutData(nd);
            notes.setText("Notes: " + String.join("\n", result.notes()));
        }
    }

    private static void column(TableViewer v, String title, int width, Function<Figure, String> text) {
        TableViewerColumn c = new TableViewerColumn(v, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(org.eclipse.jface.viewers.ColumnLabelProvider.createTextProvider(o -> text.apply((Figure) o)));
    }

    private static String name(String path) {
        return path == null ? "?" : Path.of(path).getFileName().toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String ms(BenchmarkOpTime t) {
        return t == null ? "" : String.format(Locale.ROOT, "%.3f", t.msPerRun());
    }

    private static String num(double v, String unit) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%s", v, unit) : "\u2013";
    }

    static String machineText(BenchmarkResult r) {
        var p = r.provenance();
        BenchmarkSettings s = r.settings();
        StringBuilder b = new StringBuilder();
        if (p != null) {
            b.append("CPU: ").append(p.cpu() == null ? "?" : p.cpu().modelName() + ", " + p.cpu().logicalCores() + " logical cores")
                    .append("\nISA: ").append(p.cpu() == null ? "?" : String.join(" ", p.cpu().isaFlags()))
                    .append("\nONNX Runtime ").append(p.onnxRuntime()).append(", INT8 Workbench ").append(p.tool()).append(", Java ")
                    .append(p.javaVersion()).append(", measured ").append(p.time());
        }
        if (s != null) {
            b.append(String.format(Locale.ROOT, "%nSettings: %s mode, %d stream(s), %d intra-op thread(s), batch %d, %d rounds, %s, input %s",
                    s.mode(), s.streams(), s.intraOpThreads(), s.batch(), s.rounds(),
                    s.iterations() > 0 ? s.iterations() + " requests per model" : num(s.seconds(), " s timed"), s.input()));
        }
        BenchmarkModelResult first = r.model();
        if (first.endToEnd() != null) {
            b.append("\nEnd to end = model run + label map by ").append(first.endToEnd().decoder());
            if (r.other() != null && r.other().endToEnd() != null && !r.other().endToEnd().decoder().equals(first.endToEnd().decoder())) {
                b.append(" (optimized: ").append(r.other().endToEnd().decoder()).append(')');
            }
        }
        b.append("\nTimings are noisy on a shared machine; the speedup is the median of per-round ratios (min\u2013max in brackets).");
        return b.toString();
    }

    /** The rows of the figures table. */
    public static List<Figure> figures(BenchmarkResult r) {
        BenchmarkModelResult a = r.model();
        BenchmarkModelResult b = r.other();
        List<Figure> out = new ArrayList<>();
        out.add(new Figure("FPS (model only)", num(a.fps(), ""), b == null ? "" : num(b.fps(), ""),
                r.speedup() == null ? "" : r.speedup().describe()));
        lat(out, "Latency median (model only)", a.latencyMs(), b == null ? null : b.latencyMs(), BenchmarkLatency::median,
                r.latencySpeedup() == null ? null : r.latencySpeedup().describe());
        lat(out, "Latency p90 (model only)", a.latencyMs(), b == null ? null : b.latencyMs(), BenchmarkLatency::p90, null);
        lat(out, "Latency p99 (model only)", a.latencyMs(), b == null ? null : b.latencyMs(), BenchmarkLatency::p99, null);
        if (a.endToEnd() != null) {
            var ea = a.endToEnd();
            var eb = b == null ? null : b.endToEnd();
            out.add(new Figure("FPS (end to end: run + label map)", num(ea.fps(), ""), eb == null ? "" : num(eb.fps(), ""),
                    r.endToEnd() == null || r.endToEnd().speedup() == null ? "" : r.endToEnd().speedup().describe()));
            lat(out, "Latency median (end to end)", ea.latencyMs(), eb == null ? null : eb.latencyMs(), BenchmarkLatency::median, null);
            lat(out, "Latency p90 (end to end)", ea.latencyMs(), eb == null ? null : eb.latencyMs(), BenchmarkLatency::p90, null);
            lat(out, "Latency p99 (end to end)", ea.latencyMs(), eb == null ? null : eb.latencyMs(), BenchmarkLatency::p99, null);
        }
        BenchmarkSettings s = r.settings();
        if (s != null) {
            out.add(new Figure("Mode", s.mode(), b == null ? "" : s.mode(), ""));
            out.add(new Figure("Streams", Integer.toString(s.streams()), b == null ? "" : Integer.toString(s.streams()), ""));
            out.add(new Figure("Threads (intra-op)", Integer.toString(s.intraOpThreads()), b == null ? "" : Integer.toString(s.intraOpThreads()), ""));
        }
        out.add(new Figure("Batch", Integer.toString(a.batch()), b == null ? "" : Integer.toString(b.batch()), a.batchNote()));
        out.add(new Figure("Requests measured", Long.toString(a.requests()), b == null ? "" : Long.toString(b.requests()), ""));
        out.add(new Figure("Load + session (ms)", num(a.loadMs(), ""), b == null ? "" : num(b.loadMs(), ""), ""));
        return out;
    }

    private static void lat(List<Figure> out, String name, BenchmarkLatency a, BenchmarkLatency b,
            java.util.function.ToDoubleFunction<BenchmarkLatency> f, String ratio) {
        if (a == null) {
            return;
        }
        double va = f.applyAsDouble(a);
        double vb = b == null ? Double.NaN : f.applyAsDouble(b);
        String r = ratio != null ? ratio : b == null || vb == 0 ? "" : String.format(Locale.ROOT, "%.2fx", va / vb);
        out.add(new Figure(name + " (ms)", num(va, ""), b == null ? "" : num(vb, ""), r));
    }

    private static List<BarChart.Group> chartGroups(BenchmarkModelResult a, BenchmarkModelResult b) {
        List<BarChart.Group> g = new ArrayList<>();
        g.add(new BarChart.Group("FPS, model only (higher is better)", "img/s", vals(a, b, m -> m.fps())));
        if (a.endToEnd() != null) {
            g.add(new BarChart.Group("FPS, end to end (higher is better)", "img/s",
                    vals(a, b, m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().fps())));
        }
        g.add(new BarChart.Group("Latency median, model only (lower is better)", "ms", vals(a, b, m -> m.latencyMs().median())));
        g.add(new BarChart.Group("Latency p90, model only (lower is better)", "ms", vals(a, b, m -> m.latencyMs().p90())));
        return g;
    }

    private static double[] vals(BenchmarkModelResult a, BenchmarkModelResult b, java.util.function.ToDoubleFunction<BenchmarkModelResult> f) {
        return b == null ? new double[] {f.applyAsDouble(a)} : new double[] {f.applyAsDouble(a), f.applyAsDouble(b)};
    }

    private static String profileText(BenchmarkModelResult m, String role) {
        if (m.profile() == null) {
            return name(m.path()) + " (" + role + "): not profiled";
        }
        return String.format(Locale.ROOT, "%s (%s): %.2f ms kernel time per run, %.1f%% of it in float compute (%d profiled runs)",
                name(m.path()), role, m.profile().kernelMsPerRun(), m.profile().floatComputeShare() * 100, m.profile().runs());
    }

    /** Time per operator type of both models, joined by type. */
    public static List<OpRow> opRows(BenchmarkModelResult a, BenchmarkModelResult b) {
        Map<String, BenchmarkOpTime[]> byType = new LinkedHashMap<>();
        if (a.profile() != null) {
            a.profile().opTypes().forEach(t -> byType.computeIfAbsent(t.opType(), k -> new BenchmarkOpTime[2])[0] = t);
        }
        if (b != null && b.profile() != null) {
            b.profile().opTypes().forEach(t -> byType.computeIfAbsent(t.opType(), k -> new BenchmarkOpTime[2])[1] = t);
        }
        List<OpRow> out = new ArrayList<>();
        byType.forEach((k, v) -> out.add(new OpRow(k, v[0], v[1])));
        return out;
    }

    // ------------------------------------------------------------------ actions (public for tests)

    /** The result shown. */
    public BenchmarkResult result() {
        return result;
    }

    /** The figures table's rows as shown. */
    public List<Figure> shownFigures() {
        @SuppressWarnings("unchecked")
        List<Figure> l = (List<Figure>) figures.getInput();
        return l;
    }

    /** Number of operator-type rows shown. */
    public int opRowCount() {
        return ops.getTable().getItemCount();
    }

    /** Number of float-node rows shown. */
    public int floatRowCount() {
        return floats.getTable().getItemCount();
    }

    /** Re-run: measures the same models again with the same mode, duration and threads, then reloads. */
    public UiJobs.UiJob rerun() {
        if (result == null) {
            return null;
        }
        BenchmarkModelResult a = result.model();
        BenchmarkModelResult b = result.other();
        Path first = Path.of(a.path());
        Measurements.Pair pair = b == null ? new Measurements.Pair(null, first) : new Measurements.Pair(first, Path.of(b.path()));
        OptimizeSettings remembered = OptimizeSettings.remembered(first);
        OptimizeSettings base = remembered != null ? remembered : OptimizeWizard.defaults(first);
        BenchmarkSettings s = result.settings();
        OptimizeSettings settings = new OptimizeSettings(base.dataKind(), base.dataFolder(), base.calibrationFolder(), base.subset(),
                base.preprocessing(), base.preset(), base.method(), base.fastBiasCorrection(), base.ignoredScope(), base.fastLabelHead(),
                true, s.mode(), s.seconds() > 0 ? s.seconds() : base.benchmarkSeconds(), s.intraOpThreads(), base.compare(), base.compareImages());
        Path out = file();
        Display display = body.getDisplay();
        return UiJobs.schedule("Re-run benchmark " + out.getFileName(), monitor -> {
            Measurements.benchmark(pair, settings, null, out, monitor);
            var f = ModelFiles.file(out);
            if (f != null) {
                f.refreshLocal(0, null);
            }
            display.asyncExec(() -> {
                if (!body.isDisposed()) {
                    load();
                }
            });
        });
    }

    /** Export HTML through the core's renderer (the page the command line writes). */
    public void exportHtml(Path target) {
        write(target, BenchmarkReportWriter.html(result));
    }

    /** Export CSV (one row per model) through the core's renderer. */
    public void exportCsv(Path target) {
        write(target, BenchmarkReportWriter.csv(result));
    }

    private static void write(Path target, String text) {
        try {
            AtomicOutput.write(target, true, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Activator.showError(Status.error("Cannot write " + target + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void setFocus() {
        body.setFocus();
    }
}
