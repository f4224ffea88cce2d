package org.int8workbench.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.report.PageTemplates.Entry;

/**
 * The view of a {@link BenchmarkResult} that {@code templates/benchmark-report.mustache} renders: the figures
 * formatted ({@link #fmt}), the speedups with their spread, the bar charts' geometry and the "Why isn't INT8 faster?"
 * tables.
 */
final class BenchmarkReportPage {

    private BenchmarkReportPage() {
    }

    record View(String names, String mode, String streams, String threads, int batch, int rounds, String cpu, String onnxRuntime,
            boolean compared, String base, boolean e2e, int columns, List<ModelRow> models, List<ComparisonRow> comparisons,
            List<Chart> charts, Profile profile, List<Graph> graphs, List<Entry> settings, List<Entry> provenance, boolean hasNotes,
            List<String> notes) {
    }

    record ModelRow(int index, String letter, String path, String name, String graph, String precision, int batch, String loadMs,
            String fps, String mean, String median, String p90, String p99, String min, long requests, String endToEndFps,
            String endToEndMedian, String decoder, String batchNote, String sha256) {
    }

    record ComparisonRow(int index, String label, String speedup, String endToEnd, List<Spread> spreads, String perRound) {
    }

    /** A speedup cell: median with four decimals ({@code exact}, for {@code data-median}), then median, min, max. */
    record Spread(boolean measured, String exact, String median, String min, String max) {
        static Spread of(BenchmarkSpread s) {
            return s == null ? new Spread(false, null, null, null, null)
                    : new Spread(true, String.format(Locale.ROOT, "%.4f", s.median()), String.format(Locale.ROOT, "%.2f", s.median()),
                            String.format(Locale.ROOT, "%.2f", s.min()), String.format(Locale.ROOT, "%.2f", s.max()));
        }
    }

    record Chart(String id, String title, int width, int height, List<BarGroup> groups, List<Legend> legend) {
    }

    record BarGroup(int x, int y, String label, List<Bar> bars) {
    }

    record Bar(int series, int x, int y, String width, int height, String colour, String model, String seriesName, String value,
            String valueX, int valueY) {
    }

    record Legend(int x, int y, String colour, int textX, int textY, String name) {
    }

    record Profile(List<String> models, List<OpTypeRow> opTypes, List<Total> totals) {
    }

    record OpTypeRow(String opType, List<OpTime> times) {
    }

    record OpTime(boolean measured, String ms, String share) {
    }

    record Total(String kernelMs, String floatMs, String floatShare) {
    }

    record Graph(int index, String label, boolean analysed, String description, String note, boolean noIntegerKernels,
            int floatNodeCount, boolean allInteger, boolean someFloat, List<FloatNode> floatNodes) {
    }

    record FloatNode(String name, String opType, String reason) {
    }

    /** The whole page. */
    static String html(BenchmarkResult r) {
        return PageTemplates.render("benchmark-report", view(r));
    }

    static View view(BenchmarkResult r) {
        List<BenchmarkModelResult> ms = r.models();
        BenchmarkSettings s = r.settings();
        boolean e2e = ms.stream().anyMatch(m -> m.endToEnd() != null);
        List<String> names = new ArrayList<>();
        List<ModelRow> models = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            names.add(PageTemplates.fileName(m.path()));
            BenchmarkLatency l = m.latencyMs();
            BenchmarkEndToEnd e = m.endToEnd();
            models.add(new ModelRow(i, letter(i), m.path(), PageTemplates.fileName(m.path()),
                    m.optimizedGraph() == null ? null : m.optimizedGraph().describe(), precisionDetail(m), m.batch(), fmt(m.loadMs()),
                    fmt(m.fps()), fmt(l.mean()), fmt(l.median()), fmt(l.p90()), fmt(l.p99()), fmt(l.min()), m.requests(),
                    e == null ? "–" : fmt(e.fps()), e == null ? "–" : fmt(e.latencyMs().median()), e == null ? "–" : e.decoder(),
                    m.batchNote(), m.sha256()));
        }
        List<ComparisonRow> comparisons = new ArrayList<>();
        for (BenchmarkComparison c : r.comparisons()) {
            List<Spread> spreads = new ArrayList<>(List.of(Spread.of(c.speedup()), Spread.of(c.latencySpeedup())));
            if (e2e) {
                spreads.add(Spread.of(c.endToEndSpeedup()));
            }
            List<String> per = new ArrayList<>();
            for (double v : c.speedup().perRound()) {
                per.add(String.format(Locale.ROOT, "%.2f", v));
            }
            comparisons.add(new ComparisonRow(c.model(), label(r, c.model()), c.speedup().describe(),
                    c.endToEndSpeedup() == null ? null : c.endToEndSpeedup().describe(), spreads, String.join(" ", per)));
        }
        List<String> series = e2e ? List.of("model only", "end to end") : List.of("model only");
        List<Chart> charts = List.of(
                chart("fpsChart", "Images per second (higher is better)", r, series,
                        List.of(BenchmarkModelResult::fps, m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().fps())),
                chart("latencyChart", "Median latency, ms (lower is better)", r, series,
                        List.of(m -> m.latencyMs().median(), m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().latencyMs().median())));
        return new View(String.join(" vs ", names), s.mode(), s.streams() + (s.streams() == 1 ? " stream" : " streams"),
                s.intraOpThreads() + " intra-op thread" + (s.intraOpThreads() == 1 ? "" : "s"), s.batch(), s.rounds(),
                r.provenance().cpu().describe(), r.provenance().onnxRuntime(), !r.comparisons().isEmpty(), label(r, 0), e2e,
                e2e ? 14 : 11, models, comparisons, charts, profile(r), graphs(r), settings(r), provenance(r), !r.notes().isEmpty(),
                r.notes());
    }

    /**
     * A horizontal bar chart: one group of bars per model, one bar per series ({@code values.get(k)} gives series
     * {@code k}); NaN values are left out.
     */
    private static Chart chart(String id, String title, BenchmarkResult r, List<String> series,
            List<ToDoubleFunction<BenchmarkModelResult>> values) {
        List<BenchmarkModelResult> ms = r.models();
        int nSeries = series.size();
        double max = 0;
        for (BenchmarkModelResult m : ms) {
            for (int k = 0; k < nSeries; k++) {
                double v = values.get(k).applyAsDouble(m);
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        int labelW = 190;
        int barMax = 290;
        int barH = 16;
        int gap = 12;
        int top = 28;
        int groupH = nSeries * barH + gap;
        int height = top + ms.size() * groupH + 24;
        int width = labelW + barMax + 80;
        String[] colours = {BenchmarkReportWriter.MODEL_COLOUR, BenchmarkReportWriter.END_TO_END_COLOUR};
        List<BarGroup> groups = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            int y0 = top + i * groupH;
            List<Bar> bars = new ArrayList<>();
            for (int k = 0; k < nSeries; k++) {
                double v = values.get(k).applyAsDouble(m);
                if (Double.isNaN(v)) {
                    continue;
                }
                double w = max > 0 ? Math.max(1, v / max * barMax) : 1;
                int y = y0 + k * barH;
                bars.add(new Bar(k, labelW, y + 1, String.format(Locale.ROOT, "%.1f", w), barH - 2, colours[k % colours.length],
                        label(r, i), series.get(k), fmt(v), String.format(Locale.ROOT, "%.1f", labelW + w + 4), y + barH - 4));
            }
            groups.add(new BarGroup(labelW - 8, y0 + nSeries * barH / 2 + 4, shorten(label(r, i), 24), bars));
        }
        List<Legend> legend = new ArrayList<>();
        int ly = height - 8;
        for (int k = 0; k < nSeries; k++) {
            int lx = labelW + k * 120;
            legend.add(new Legend(lx, ly - 10, colours[k % colours.length], lx + 14, ly, series.get(k)));
        }
        return new Chart(id, title, width, height, groups, legend);
    }

    /** Time per operator type of every profiled model side by side, or {@code null} when no model was profiled. */
    private static Profile profile(BenchmarkResult r) {
        List<BenchmarkModelResult> ms = r.models();
        if (ms.stream().noneMatch(m -> m.profile() != null)) {
            return null;
        }
        Map<String, Double> order = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        List<Total> totals = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkProfile p = ms.get(i).profile();
            if (p != null) {
                for (BenchmarkOpTime t : p.opTypes()) {
                    order.merge(t.opType(), t.share(), Math::max);
                }
                labels.add(label(r, i));
                totals.add(new Total(fmt(p.kernelMsPerRun()), fmt(p.floatComputeMsPerRun()), PageTemplates.percent(p.floatComputeShare())));
            }
        }
        List<String> types = new ArrayList<>(order.keySet());
        types.sort((x, y) -> Double.compare(order.get(y), order.get(x)));
        List<OpTypeRow> rows = new ArrayList<>();
        for (String type : types) {
            List<OpTime> times = new ArrayList<>();
            for (BenchmarkModelResult m : ms) {
                if (m.profile() != null) {
                    BenchmarkOpTime t = m.profile().opTypes().stream().filter(o -> o.opType().equals(type)).findFirst().orElse(null);
                    times.add(t == null ? new OpTime(false, null, null) : new OpTime(true, fmt(t.msPerRun()), PageTemplates.percent(t.share())));
                }
            }
            rows.add(new OpTypeRow(type, times));
        }
        return new Profile(labels, rows, totals);
    }

    /** Each model's optimized graph and the nodes of it that do not run as integer kernels. */
    private static List<Graph> graphs(BenchmarkResult r) {
        List<Graph> graphs = new ArrayList<>();
        for (int i = 0; i < r.models().size(); i++) {
            OrtOptimizedGraph g = r.models().get(i).optimizedGraph();
            if (g == null) {
                graphs.add(new Graph(i, label(r, i), false, null, null, false, 0, false, false, List.of()));
                continue;
            }
            List<FloatNode> nodes = new ArrayList<>();
            for (OrtOptimizedGraph.FloatNode f : g.floatComputeNodes()) {
                nodes.add(new FloatNode(f.name().isEmpty() ? "(unnamed)" : f.name(), f.opType(), f.reason()));
            }
            boolean noInteger = g.integerNodes() == 0;
            graphs.add(new Graph(i, label(r, i), true, g.describe(), g.note(), noInteger, nodes.size(), !noInteger && nodes.isEmpty(),
                    !noInteger && !nodes.isEmpty(), nodes));
        }
        return graphs;
    }

    private static List<Entry> settings(BenchmarkResult r) {
        BenchmarkSettings s = r.settings();
        return List.of(
                new Entry("mode", s.mode() + (s.mode().equals("latency") ? " (one request at a time)" : " (several requests in flight)")),
                new Entry("streams", Integer.toString(s.streams())),
                new Entry("intra-op threads", Integer.toString(s.intraOpThreads())),
                new Entry("inter-op threads", s.interOpThreads() == 0 ? "ONNX Runtime default" : Integer.toString(s.interOpThreads())),
                new Entry("execution mode", s.executionMode()),
                new Entry("graph optimization level", s.optimizationLevel()),
                new Entry("batch", Integer.toString(s.batch())),
                new Entry("rounds", Integer.toString(s.rounds())),
                new Entry("timed", s.iterations() > 0 ? s.iterations() + " requests per model and measurement"
                        : fmt(s.seconds()) + " s in total"),
                new Entry("warm-up", s.warmup() + " requests per model and measurement (not measured)"),
                new Entry("end to end", s.endToEnd() ? "measured" : "not measured"),
                new Entry("profiling", s.profile() ? s.profileRuns() + " runs per model after the timed rounds" : "off"),
                new Entry("input", s.input()),
                new Entry("wall time", fmt(r.wallSeconds()) + " s"));
    }

    private static List<Entry> provenance(BenchmarkResult r) {
        Provenance p = r.provenance();
        CpuInfo cpu = p.cpu();
        return List.of(
                new Entry("CPU", cpu.modelName()),
                new Entry("cores", Integer.toString(cpu.logicalCores())),
                new Entry("ISA flags", cpu.isaFlags().isEmpty() ? "none of AVX2, AVX-512, VNNI, AMX" : String.join(", ", cpu.isaFlags())),
                new Entry("ONNX Runtime", p.onnxRuntime()),
                new Entry("tool", p.tool()),
                new Entry("Java", p.javaVersion()),
                new Entry("OS", p.os()),
                new Entry("time", p.time()));
    }

    private static String precisionDetail(BenchmarkModelResult m) {
        OrtOptimizedGraph g = m.optimizedGraph();
        if (g == null) {
            return "unknown";
        }
        return g.integerNodes() > 0 ? "INT8 (" + g.integerNodes() + " integer nodes)" : "FP32 (no integer nodes)";
    }

    private static String letter(int i) {
        return BenchmarkReportWriter.letter(i);
    }

    private static String label(BenchmarkResult r, int i) {
        return BenchmarkReportWriter.label(r, i);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Two decimals, one from 100 up; {@code –} for NaN. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
