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
import org.eclipse.core.runtime.CoreException;
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
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.report.BenchmarkLatency;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkOpTime;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkEndToEnd;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.BenchmarkSettings;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * The Performance comparison editor: the core's {@link BenchmarkResult} of any number of models measured in one run
 * (e.g. the parent, the INT8 model and the INT8 model with the exact label head) as a table with one column per model
 * (model-only and end-to-end figures, speedups over the first model), a bar chart of every model, the machine, and the
 * "why isn't INT8 faster?" data (time per operator type, nodes that do not run as integer kernels). Re-run measures
 * all models again with the same settings.
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
     * A line of the figures table: one value per model of the result, in model order.
     *
     * @param metric what is measured
     * @param values one cell per model ({@code ""} where it does not apply, e.g. the first model's speedup)
     */
    public record Figure(String metric, List<String> values) {
        public Figure {
            values = List.copyOf(values);
        }

        /** The cell of model {@code i}. */
        public String value(int i) {
            return i < values.size() ? values.get(i) : "";
        }
    }

    /**
     * Time per operator type of every model.
     *
     * @param opType operator type as ONNX Runtime reports it
     * @param times one entry per model, in model order ({@code null} where the model has no such operator or was not
     *        profiled)
     */
    public record OpRow(String opType, List<BenchmarkOpTime> times) {
        public OpRow {
            times = java.util.Collections.unmodifiableList(new ArrayList<>(times));
        }

        /** Model {@code i}'s entry, or {@code null}. */
        public BenchmarkOpTime time(int i) {
            return i < times.size() ? times.get(i) : null;
        }
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
        java.util.List<String> paths = result.models().stream().map(m -> m.path()).toList();
        if (paths.size() > 1) {
            nameModels("Performance", paths.subList(1, paths.size()), paths.get(0));
        } else if (!paths.isEmpty()) {
            nameModels("Performance", paths, null);
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
        head.setText(title(result));
        head.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        Label machine = new Label(body, SWT.WRAP);
        GridData md = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
        md.widthHint = 900;
        machine.setLayoutData(md);
        machine.setText(machineText(result));
        List<String> kept = KeptInFp32.lines(result.models().stream().map(m -> Path.of(m.path())).toList(), seriesNames(result));
        if (!kept.isEmpty()) {
            Label keptLabel = new Label(body, SWT.WRAP);
            keptLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
            keptLabel.setFont(JFaceResources.getBannerFont());
            keptLabel.setText(String.join("\n", kept));
        }

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

        int n = result.models().size();
        Group table = new Group(body, SWT.NONE);
        table.setText(n == 1 ? "Figures" : "Every model against " + BenchmarkReportWriter.label(result, 0) + " (speedups per round: median, min\u2013max)");
        table.setLayout(new GridLayout(1, false));
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
        figures = new TableViewer(table, SWT.BORDER | SWT.FULL_SELECTION);
        figures.getTable().setHeaderVisible(true);
        figures.getTable().setLinesVisible(true);
        figures.setContentProvider(ArrayContentProvider.getInstance());
        column(figures, "Figure", 230, Figure::metric);
        for (int i = 0; i < n; i++) {
            int k = i;
            TableViewerColumn c = column(figures, columnTitle(result, i), 175, f -> f.value(k));
            c.getColumn().setToolTipText(result.models().get(i).path());
        }
        figures.setInput(figures(result));
        GridData fd = new GridData(SWT.FILL, SWT.FILL, true, false);
        fd.widthHint = 240 + 180 * n;
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
        chart.setData(seriesNames(result), chartGroups(result.models()));

        Group why = new Group(body, SWT.NONE);
        why.setText("Why isn't INT8 faster? Time per operator type (ONNX Runtime profiler)");
        why.setLayout(new GridLayout(1, false));
        why.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Label share = new Label(why, SWT.WRAP);
        GridData sd = new GridData(SWT.FILL, SWT.TOP, true, false);
        sd.widthHint = 540;
        share.setLayoutData(sd);
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            profiles.add(profileText(result, i));
        }
        share.setText(String.join("\n", profiles));
        ops = new TableViewer(why, SWT.BORDER | SWT.FULL_SELECTION);
        ops.setContentProvider(ArrayContentProvider.getInstance());
        SortableTable<OpRow> opTable = new SortableTable<>(ops);
        opTable.column("Operator", 150, OpRow::opType, java.util.Comparator.comparing(OpRow::opType));
        TableViewerColumn slowest = null;
        for (int i = 0; i < n; i++) {
            int k = i;
            String letter = BenchmarkReportWriter.letter(i);
            slowest = opTable.column(letter + " ms/run", 85, r -> ms(r.time(k)),
                    SortableTable.by(r -> r.time(k) == null ? null : r.time(k).msPerRun()));
            opTable.column(letter + " share", 75, r -> r.time(k) == null ? "" : pct(r.time(k).share()),
                    SortableTable.by(r -> r.time(k) == null ? null : r.time(k).share()));
        }
        opTable.column("Nodes", 90, PerformanceEditor::nodes, java.util.Comparator.comparing(OpRow::opType));
        ops.setInput(opRows(result.models()));
        opTable.sortBy(slowest.getColumn(), false);
        GridData od = new GridData(SWT.FILL, SWT.FILL, true, true);
        od.heightHint = 220;
        od.widthHint = 240 + 160 * n;
        ops.getTable().setLayoutData(od);

        Group fl = new Group(body, SWT.NONE);
        BenchmarkModelResult opt = b != null ? b : a;
        OrtOptimizedGraph g = opt.optimizedGraph();
        fl.setText("Nodes of " + (b != null ? BenchmarkReportWriter.label(result, 1) : name(a.path())) + " not running as integer kernels");
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

    private static TableViewerColumn column(TableViewer v, String title, int width, Function<Figure, String> text) {
        TableViewerColumn c = new TableViewerColumn(v, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(org.eclipse.jface.viewers.ColumnLabelProvider.createTextProvider(o -> text.apply((Figure) o)));
        return c;
    }

    /** The editor's heading, naming every model. */
    static String title(BenchmarkResult r) {
        if (r.models().size() == 1) {
            return "Performance of " + name(r.model().path());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < r.models().size(); i++) {
            names.add(BenchmarkReportWriter.label(r, i));
        }
        return "Performance: " + String.join(" vs ", names);
    }

    /** A column heading: {@code A deeplab.onnx} (the precision is a row of the table). */
    public static String columnTitle(BenchmarkResult r, int i) {
        return BenchmarkReportWriter.label(r, i);
    }

    /** The bar chart's series, one per model: {@code A deeplab.onnx}, {@code B deeplab.int8.onnx}, … */
    public static List<String> seriesNames(BenchmarkResult r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.models().size(); i++) {
            out.add(BenchmarkReportWriter.label(r, i));
        }
        return out;
    }

    private static String nodes(OpRow r) {
        List<String> parts = new ArrayList<>();
        for (BenchmarkOpTime t : r.times()) {
            parts.add(t == null ? "-" : Integer.toString(t.nodes()));
        }
        return String.join(" / ", parts);
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
        if (r.model().endToEnd() != null) {
            b.append("\nEnd to end = model run + label map, or values for a regression output (the rows \"Label map by\" and "
                    + "\"Output kind (end to end)\" name how each model's output is read)");
        }
        b.append("\nTimings are noisy on a shared machine; the speedup is the median of per-round ratios (min\u2013max in brackets).");
        return b.toString();
    }

    /**
     * The output kinds an end-to-end request decodes, as the benchmark recorded them, e.g. {@code binary 'mask'};
     * for results written before kinds were recorded, {@code head} or {@code classes} from the decoder's description.
     */
    static String outputKinds(BenchmarkEndToEnd e2e) {
        if (!e2e.outputs().isEmpty()) {
            return String.join(", ", e2e.outputs());
        }
        String decoder = e2e.decoder();
        return decoder != null && decoder.toLowerCase(java.util.Locale.ROOT).contains("head") ? "head" : "classes";
    }

    /**
     * The rows of the figures table, one value per model: model-only and end-to-end figures, and each model's speedups
     * over the first (median of the per-round ratios with their min–max; empty for the first model).
     */
    public static List<Figure> figures(BenchmarkResult r) {
        List<BenchmarkModelResult> ms = r.models();
        int n = ms.size();
        List<Figure> out = new ArrayList<>();
        out.add(row("Precision", ms, BenchmarkReportWriter::precision));
        out.add(row("FPS (model only)", ms, m -> num(m.fps(), "")));
        if (n > 1) {
            out.add(speedups(r, "Speedup vs A (model only)", c -> c.speedup()));
        }
        out.add(row("Latency median, model only (ms)", ms, m -> lat(m.latencyMs(), BenchmarkLatency::median)));
        if (n > 1) {
            out.add(speedups(r, "Latency speedup vs A (median)", c -> c.latencySpeedup()));
        }
        out.add(row("Latency p90, model only (ms)", ms, m -> lat(m.latencyMs(), BenchmarkLatency::p90)));
        out.add(row("Latency p99, model only (ms)", ms, m -> lat(m.latencyMs(), BenchmarkLatency::p99)));
        if (ms.stream().anyMatch(m -> m.endToEnd() != null)) {
            out.add(row("FPS (end to end: run + label map)", ms, m -> m.endToEnd() == null ? "" : num(m.endToEnd().fps(), "")));
            if (n > 1) {
                out.add(speedups(r, "Speedup vs A (end to end)", c -> c.endToEndSpeedup()));
            }
            out.add(row("Latency median, end to end (ms)", ms,
                    m -> m.endToEnd() == null ? "" : lat(m.endToEnd().latencyMs(), BenchmarkLatency::median)));
            out.add(row("Latency p90, end to end (ms)", ms,
                    m -> m.endToEnd() == null ? "" : lat(m.endToEnd().latencyMs(), BenchmarkLatency::p90)));
            out.add(row("Label map by", ms, m -> m.endToEnd() == null ? "" : m.endToEnd().decoder()));
            out.add(row("Output kind (end to end)", ms, m -> m.endToEnd() == null ? "" : outputKinds(m.endToEnd())));
        }
        BenchmarkSettings s = r.settings();
        if (s != null) {
            out.add(row("Mode", ms, m -> s.mode()));
            out.add(row("Streams", ms, m -> Integer.toString(s.streams())));
            out.add(row("Threads (intra-op)", ms, m -> Integer.toString(s.intraOpThreads())));
        }
        out.add(row("Batch", ms, m -> m.batch() + (m.batchNote() == null || m.batchNote().isEmpty() ? "" : " (" + m.batchNote() + ")")));
        out.add(row("Requests measured", ms, m -> Long.toString(m.requests())));
        out.add(row("Load + session (ms)", ms, m -> num(m.loadMs(), "")));
        return out;
    }

    private static Figure row(String metric, List<BenchmarkModelResult> models, Function<BenchmarkModelResult, String> value) {
        List<String> v = new ArrayList<>();
        for (BenchmarkModelResult m : models) {
            v.add(value.apply(m));
        }
        return new Figure(metric, v);
    }

    private static Figure speedups(BenchmarkResult r, String metric,
            Function<org.int8workbench.core.report.BenchmarkComparison, org.int8workbench.core.report.BenchmarkSpread> spread) {
        List<String> v = new ArrayList<>();
        v.add("\u2013 (reference)");
        for (int i = 1; i < r.models().size(); i++) {
            var c = r.comparison(i);
            var sp = c == null ? null : spread.apply(c);
            v.add(sp == null ? "" : sp.describe());
        }
        return new Figure(metric, v);
    }

    private static String lat(BenchmarkLatency l, java.util.function.ToDoubleFunction<BenchmarkLatency> f) {
        return l == null ? "" : num(f.applyAsDouble(l), "");
    }

    private static List<BarChart.Group> chartGroups(List<BenchmarkModelResult> ms) {
        List<BarChart.Group> g = new ArrayList<>();
        g.add(new BarChart.Group("FPS, model only (higher is better)", "img/s", vals(ms, m -> m.fps())));
        if (ms.stream().anyMatch(m -> m.endToEnd() != null)) {
            g.add(new BarChart.Group("FPS, end to end: run + label map (higher is better)", "img/s",
                    vals(ms, m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().fps())));
        }
        g.add(new BarChart.Group("Latency median, model only (lower is better)", "ms", vals(ms, m -> m.latencyMs().median())));
        g.add(new BarChart.Group("Latency p90, model only (lower is better)", "ms", vals(ms, m -> m.latencyMs().p90())));
        return g;
    }

    private static double[] vals(List<BenchmarkModelResult> ms, java.util.function.ToDoubleFunction<BenchmarkModelResult> f) {
        return ms.stream().mapToDouble(f).toArray();
    }

    private static String profileText(BenchmarkResult r, int i) {
        BenchmarkModelResult m = r.models().get(i);
        String who = BenchmarkReportWriter.label(r, i);
        if (m.profile() == null) {
            return who + ": not profiled";
        }
        return String.format(Locale.ROOT, "%s: %.2f ms kernel time per run, %.1f%% of it in float compute (%d profiled runs)",
                who, m.profile().kernelMsPerRun(), m.profile().floatComputeShare() * 100, m.profile().runs());
    }

    /** Time per operator type of every model, joined by type (one entry per model, in model order). */
    public static List<OpRow> opRows(List<BenchmarkModelResult> models) {
        int n = models.size();
        Map<String, BenchmarkOpTime[]> byType = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            BenchmarkModelResult m = models.get(i);
            if (m.profile() != null) {
                int k = i;
                m.profile().opTypes().forEach(t -> byType.computeIfAbsent(t.opType(), key -> new BenchmarkOpTime[n])[k] = t);
            }
        }
        List<OpRow> out = new ArrayList<>();
        byType.forEach((k, v) -> out.add(new OpRow(k, java.util.Arrays.asList(v))));
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

    /** Number of model columns of the figures table. */
    public int modelColumnCount() {
        return figures.getTable().getColumnCount() - 1;
    }

    /** The figures table's column headings as shown. */
    public List<String> columnTitles() {
        List<String> out = new ArrayList<>();
        for (var c : figures.getTable().getColumns()) {
            out.add(c.getText());
        }
        return out;
    }

    /** The bar chart's series as shown. */
    public List<String> chartSeries() {
        return chart.series();
    }

    /**
     * Re-run: measures the same models again in one run with the same mode, duration and threads, then reloads. It
     * re-runs results of one model, of two (a parent and its INT8 model) and of three when the third records an exact
     * label head in its metadata (parent, INT8, INT8 with the head, as Optimize writes them); other results are refused
     * with a message and {@code null} is returned when that is known before starting (more than three models).
     */
    public UiJobs.UiJob rerun() {
        if (result == null) {
            return null;
        }
        List<Path> models = result.models().stream().map(m -> Path.of(m.path())).toList();
        if (models.size() > 3) {
            Activator.showError(Status.error("Re-run measures up to three models (a parent, its INT8 model and that model with its"
                    + " exact label head); this result has " + models.size() + ": benchmark them with 'int8wb benchmark' instead"));
            return null;
        }
        Path out = file();
        Display display = body.getDisplay();
        BenchmarkSettings s = result.settings();
        return UiJobs.schedule("Re-run benchmark " + out.getFileName(), monitor -> {
            // the settings of a model never optimized come from reading it: here in the job, not on the UI thread
            Path first = models.get(0);
            OptimizeSettings remembered = OptimizeSettings.remembered(first);
            OptimizeSettings base = remembered != null ? remembered : OptimizeWizard.defaults(first);
            OptimizeSettings settings = new OptimizeSettings(base.dataKind(), base.dataFolder(), base.calibrationFolder(), base.subset(),
                    base.preprocessing(), base.preset(), base.method(), base.fastBiasCorrection(), base.ignoredScope(), base.fastLabelHead(),
                    true, s.mode(), s.seconds() > 0 ? s.seconds() : base.benchmarkSeconds(), s.intraOpThreads(), base.compare(), base.compareImages())
                    .withOutputs(base.outputKind(), base.outputName(), base.threshold());
            Path head = models.size() > 2 ? requireHead(models.get(2)) : null;
            Path parent = models.size() > 1 ? models.get(0) : null;
            Path measured = models.get(models.size() > 1 ? 1 : 0);
            PipelineRequest request = PipelineRequest.measure(parent, measured).withExistingHead(head)
                    .withBenchmark(settings.benchmarkRequest(null)).withOutputs(OutputFiles.besideInt8(measured).withBenchmarkFile(out))
                    .withReplace(true).withOutputSelection(settings.outputSelection());
            new OptimizePipeline(request).run(monitor);
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

    /** {@code model} when its metadata records an exact label head; otherwise fails saying which results re-run measures. */
    private static Path requireHead(Path model) throws CoreException {
        try {
            if (SegmentationHead.fromMetadata(OnnxModel.load(model).metadata()).isPresent()) {
                return model;
            }
        } catch (IOException | RuntimeException e) {
            throw new CoreException(Status.error("Cannot read " + model + " to re-run its benchmark: " + e.getMessage(), e));
        }
        throw new CoreException(Status.error("Cannot re-run: the third model, " + model.getFileName() + ", records no exact label head."
                + " Re-run measures one model, a parent and its INT8 model, or those two and the INT8 model with its head (as"
                + " Optimize writes them); benchmark these three with 'int8wb benchmark' instead"));
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
