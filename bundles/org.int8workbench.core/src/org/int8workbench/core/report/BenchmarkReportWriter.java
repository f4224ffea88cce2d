package org.int8workbench.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Json;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.onnx.OrtOptimizedGraph;

/**
 * Renders a {@link BenchmarkResult} headlessly: JSON (the record itself), a self-contained HTML page (inline style
 * and inline SVG charts; no script, no external resource) and CSV (one row per model). The command line
 * ({@code benchmark --report}), the Performance editor's export and the demo use the same methods.
 *
 * <p>The page shows every model (A, B, C… in the order measured) with its model-only and end-to-end figures, the
 * speedup of each model over the first with its spread over the rounds, bar charts of images/s and of median latency,
 * the settings and provenance, and "Why isn't INT8 faster?": time per operator type of each profiled model and the
 * nodes of each INT8 model that do not run as integer kernels, with the reason.
 */
public final class BenchmarkReportWriter {

    /** File names inside a report folder. */
    public static final String JSON = "benchmark.json";
    public static final String HTML = "benchmark.html";
    public static final String CSV = "benchmark.csv";

    /** Series colours of the charts: model-only, end to end. */
    static final String MODEL_COLOUR = "#3b6fb6";
    static final String END_TO_END_COLOUR = "#e08a2c";

    private BenchmarkReportWriter() {
    }

    /** Writes {@link #JSON}, {@link #HTML} and {@link #CSV} into {@code dir} (created when missing), replacing them. */
    public static void writeFiles(BenchmarkResult r, Path dir) throws IOException {
        writeFiles(r, dir, true);
    }

    /**
     * Writes {@link #JSON}, {@link #HTML} and {@link #CSV} into {@code dir} (created when missing), each atomically.
     *
     * @param overwrite when false and any of the three files exists, fails with {@link FileAlreadyExistsException}
     *        before anything is written
     */
    public static void writeFiles(BenchmarkResult r, Path dir, boolean overwrite) throws IOException {
        checkWritable(dir, overwrite);
        String html = html(r);
        String csv = csv(r);
        Files.createDirectories(dir);
        Json.write(dir.resolve(JSON), r, overwrite);
        AtomicOutput.write(dir.resolve(HTML), overwrite, html.getBytes(StandardCharsets.UTF_8));
        AtomicOutput.write(dir.resolve(CSV), overwrite, csv.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fails with {@link FileAlreadyExistsException} naming the first report file that exists in {@code dir}, unless
     * {@code overwrite}; also fails when {@code dir} is a file.
     */
    public static void checkWritable(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toAbsolutePath().toString(), null, "a file, not a folder; give a folder for the report");
        }
        if (overwrite) {
            return;
        }
        for (String name : List.of(JSON, HTML, CSV)) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                throw new FileAlreadyExistsException(f.toAbsolutePath().toString(), null,
                        "a benchmark report exists there; choose another folder or allow overwriting (--force)");
            }
        }
    }

    /** Reads a {@code benchmark.json} (or any JSON written from a {@link BenchmarkResult}). */
    public static BenchmarkResult read(Path json) throws IOException {
        BenchmarkResult r;
        try {
            r = Json.read(json, BenchmarkResult.class);
        } catch (RuntimeException e) {
            throw new IOException(json + " is not a benchmark result: " + e.getMessage(), e);
        }
        if (r == null || r.models() == null || r.models().isEmpty() || r.settings() == null) {
            throw new IOException(json + " is not a benchmark result (no models or settings)");
        }
        return r;
    }

    // ---------------------------------------------------------------- CSV

    /** CSV header: the columns of {@link #csv}. */
    public static final String CSV_HEADER = "model,file,path,sha256,precision,integerNodes,floatComputeNodes,batch,loadMs,fps,"
            + "latencyMeanMs,latencyMedianMs,latencyP90Ms,latencyP99Ms,latencyMinMs,latencyMaxMs,requests,"
            + "endToEndFps,endToEndMedianMs,endToEndP90Ms,decoder,speedup,speedupMin,speedupMax,latencySpeedup,"
            + "latencySpeedupMin,latencySpeedupMax,endToEndSpeedup,endToEndSpeedupMin,endToEndSpeedupMax,"
            + "mode,streams,intraOpThreads,rounds";

    /**
     * One row per model (after {@link #CSV_HEADER}): its figures and, for every model after the first, its speedups
     * over the first (median, min, max of the rounds; empty for the first model). Empty cells where a figure was not
     * measured.
     */
    public static String csv(BenchmarkResult r) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        BenchmarkSettings s = r.settings();
        for (int i = 0; i < r.models().size(); i++) {
            BenchmarkModelResult m = r.models().get(i);
            OrtOptimizedGraph g = m.optimizedGraph();
            BenchmarkEndToEnd e = m.endToEnd();
            BenchmarkComparison c = r.comparison(i);
            List<Object> cells = new ArrayList<>(List.of(letter(i), fileName(m.path()), m.path(), nz(m.sha256()), precision(m)));
            cells.add(g == null ? null : g.integerNodes());
            cells.add(g == null ? null : g.floatComputeNodes().size());
            cells.addAll(List.of(m.batch(), m.loadMs(), m.fps()));
            BenchmarkLatency l = m.latencyMs();
            cells.addAll(List.of(l.mean(), l.median(), l.p90(), l.p99(), l.min(), l.max(), m.requests()));
            cells.add(e == null ? null : e.fps());
            cells.add(e == null ? null : e.latencyMs().median());
            cells.add(e == null ? null : e.latencyMs().p90());
            cells.add(e == null ? null : e.decoder());
            for (BenchmarkSpread sp : new BenchmarkSpread[] {c == null ? null : c.speedup(), c == null ? null : c.latencySpeedup(),
                c == null ? null : c.endToEndSpeedup()}) {
                cells.add(sp == null ? null : sp.median());
                cells.add(sp == null ? null : sp.min());
                cells.add(sp == null ? null : sp.max());
            }
            cells.addAll(List.of(s.mode(), s.streams(), s.intraOpThreads(), s.rounds()));
            for (int k = 0; k < cells.size(); k++) {
                if (k > 0) {
                    sb.append(',');
                }
                sb.append(Text.csv(cells.get(k)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }


    // ---------------------------------------------------------------- HTML

    /** The whole HTML page (UTF-8, self-contained). */
    public static String html(BenchmarkResult r) {
        List<BenchmarkModelResult> ms = r.models();
        BenchmarkSettings s = r.settings();
        boolean e2e = ms.stream().anyMatch(m -> m.endToEnd() != null);
        StringBuilder b = new StringBuilder(32_000);
        List<String> names = new ArrayList<>();
        for (BenchmarkModelResult m : ms) {
            names.add(fileName(m.path()));
        }
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Benchmark: ")
                .append(Text.html(String.join(" vs ", names))).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        b.append("<h1>CPU benchmark: ").append(Text.html(String.join(" vs ", names))).append("</h1>\n");
        b.append("<p class=\"sub\">").append(Text.html(s.mode())).append(" mode, ").append(s.streams()).append(s.streams() == 1 ? " stream" : " streams")
                .append(" × ").append(s.intraOpThreads()).append(" intra-op thread").append(s.intraOpThreads() == 1 ? "" : "s").append(", batch ")
                .append(s.batch()).append(", ").append(s.rounds()).append(" rounds; ").append(Text.html(r.provenance().cpu().describe()))
                .append("; ONNX Runtime ").append(Text.html(r.provenance().onnxRuntime())).append("</p>\n");
        if (!r.comparisons().isEmpty()) {
            b.append("<ul class=\"headline\">\n");
            for (BenchmarkComparison c : r.comparisons()) {
                b.append("<li><b>").append(Text.html(label(r, c.model()))).append("</b> over ").append(Text.html(label(r, 0))).append(": ")
                        .append(Text.html(c.speedup().describe())).append(" images/s");
                if (c.endToEndSpeedup() != null) {
                    b.append(", ").append(Text.html(c.endToEndSpeedup().describe())).append(" labels/s end to end");
                }
                b.append("</li>\n");
            }
            b.append("</ul>\n");
        }

        // models
        b.append("<h2>Models</h2>\n<table id=\"models\" class=\"grid\"><thead><tr><th></th><th class=\"text\">model</th><th class=\"text\">precision</th>"
                + "<th>batch</th><th>load + session ms</th><th>images/s</th><th>latency mean ms</th><th>median ms</th><th>p90 ms</th>"
                + "<th>p99 ms</th><th>min ms</th><th>requests</th>");
        if (e2e) {
            b.append("<th>end-to-end labels/s</th><th>end-to-end median ms</th><th class=\"text\">labels from</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            BenchmarkLatency l = m.latencyMs();
            b.append("<tr data-model=\"").append(i).append("\"><td>").append(letter(i)).append("</td><td class=\"name\" title=\"")
                    .append(Text.html(m.path())).append("\">").append(Text.html(fileName(m.path()))).append("</td><td class=\"text\"")
                    .append(m.optimizedGraph() == null ? "" : " title=\"" + Text.html(m.optimizedGraph().describe()) + "\"").append(">")
                    .append(Text.html(precisionDetail(m))).append("</td>");
            cell(b, Integer.toString(m.batch()));
            cell(b, fmt(m.loadMs()));
            cell(b, fmt(m.fps()));
            cell(b, fmt(l.mean()));
            cell(b, fmt(l.median()));
            cell(b, fmt(l.p90()));
            cell(b, fmt(l.p99()));
            cell(b, fmt(l.min()));
            cell(b, Long.toString(m.requests()));
            if (e2e) {
                BenchmarkEndToEnd e = m.endToEnd();
                cell(b, e == null ? "–" : fmt(e.fps()));
                cell(b, e == null ? "–" : fmt(e.latencyMs().median()));
                b.append("<td class=\"text decoder\">").append(e == null ? "–" : Text.html(e.decoder())).append("</td>");
            }
            b.append("</tr>\n");
            if (!m.batchNote().isEmpty()) {
                b.append("<tr class=\"batchnote\"><td></td><td colspan=\"").append(e2e ? 14 : 11).append("\">")
                        .append(Text.html(m.batchNote())).append("</td></tr>\n");
            }
        }
        b.append("</tbody></table>\n");

        // speedups
        if (!r.comparisons().isEmpty()) {
            b.append("<h2>Speedups over ").append(Text.html(label(r, 0))).append("</h2>\n<p class=\"hint\">Median of the per-round ratios (")
                    .append(s.rounds()).append(" rounds, models interleaved in every round), with the smallest and largest round in "
                            + "brackets. Latency speedup: the first model's median latency over the other's.</p>\n");
            b.append("<table id=\"speedups\" class=\"grid\"><thead><tr><th class=\"text\">model</th><th>model-only images/s</th>"
                    + "<th>median latency</th>");
            if (e2e) {
                b.append("<th>end-to-end labels/s</th>");
            }
            b.append("<th class=\"text\">per round (images/s)</th></tr></thead><tbody>\n");
            for (BenchmarkComparison c : r.comparisons()) {
                b.append("<tr data-model=\"").append(c.model()).append("\"><td class=\"name\">").append(Text.html(label(r, c.model()))).append("</td>");
                spreadCell(b, c.speedup());
                spreadCell(b, c.latencySpeedup());
                if (e2e) {
                    spreadCell(b, c.endToEndSpeedup());
                }
                List<String> per = new ArrayList<>();
                for (double v : c.speedup().perRound()) {
                    per.add(String.format(Locale.ROOT, "%.2f", v));
                }
                b.append("<td class=\"text\">").append(String.join(" ", per)).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }

        // charts
        b.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
        List<String> series = e2e ? List.of("model only", "end to end") : List.of("model only");
        b.append(barChart("fpsChart", "Images per second (higher is better)", r, series,
                List.of(BenchmarkModelResult::fps, m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().fps())));
        b.append(barChart("latencyChart", "Median latency, ms (lower is better)", r, series,
                List.of(m -> m.latencyMs().median(), m -> m.endToEnd() == null ? Double.NaN : m.endToEnd().latencyMs().median())));
        b.append("</div>\n");

        whyNotFaster(b, r);

        // settings
        b.append("<h2>Settings</h2>\n<table id=\"settings\" class=\"kv\">\n");
        kv(b, "mode", s.mode() + (s.mode().equals("latency") ? " (one request at a time)" : " (several requests in flight)"));
        kv(b, "streams", Integer.toString(s.streams()));
        kv(b, "intra-op threads", Integer.toString(s.intraOpThreads()));
        kv(b, "inter-op threads", s.interOpThreads() == 0 ? "ONNX Runtime default" : Integer.toString(s.interOpThreads()));
        kv(b, "execution mode", s.executionMode());
        kv(b, "graph optimization level", s.optimizationLevel());
        kv(b, "batch", Integer.toString(s.batch()));
        kv(b, "rounds", Integer.toString(s.rounds()));
        kv(b, "timed", s.iterations() > 0 ? s.iterations() + " requests per model and measurement" : fmt(s.seconds()) + " s in total");
        kv(b, "warm-up", s.warmup() + " requests per model and measurement (not measured)");
        kv(b, "end to end", s.endToEnd() ? "measured" : "not measured");
        kv(b, "profiling", s.profile() ? s.profileRuns() + " runs per model after the timed rounds" : "off");
        kv(b, "input", s.input());
        kv(b, "wall time", fmt(r.wallSeconds()) + " s");
        b.append("</table>\n");

        // provenance
        Provenance p = r.provenance();
        CpuInfo cpu = p.cpu();
        b.append("<h2>Provenance</h2>\n<table id=\"provenance\" class=\"kv\">\n");
        kv(b, "CPU", cpu.modelName());
        kv(b, "cores", Integer.toString(cpu.logicalCores()));
        kv(b, "ISA flags", cpu.isaFlags().isEmpty() ? "none of AVX2, AVX-512, VNNI, AMX" : String.join(", ", cpu.isaFlags()));
        kv(b, "ONNX Runtime", p.onnxRuntime());
        kv(b, "tool", p.tool());
        kv(b, "Java", p.javaVersion());
        kv(b, "OS", p.os());
        kv(b, "time", p.time());
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            b.append("<tr><th>").append(letter(i)).append(" sha256</th><td><code>").append(Text.html(nz(m.sha256()))).append("</code> ")
                    .append(Text.html(m.path())).append("</td></tr>\n");
        }
        b.append("</table>\n");

        if (!r.notes().isEmpty()) {
            b.append("<h2>Notes</h2>\n<ul id=\"notes\">\n");
            for (String n : r.notes()) {
                b.append("<li>").append(Text.html(n)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    /** Time per operator type of every profiled model side by side, then each INT8 model's float compute nodes. */
    private static void whyNotFaster(StringBuilder b, BenchmarkResult r) {
        List<BenchmarkModelResult> ms = r.models();
        b.append("<h2 id=\"why\">Why isn't INT8 faster?</h2>\n");
        boolean anyProfile = ms.stream().anyMatch(m -> m.profile() != null);
        if (!anyProfile) {
            b.append("<p class=\"hint\">No profile: run the benchmark with profiling (<code>--profile</code>) for the time per "
                    + "operator type.</p>\n");
        } else {
            b.append("<p class=\"hint\">From ONNX Runtime's profiler, a separate sequential pass after the timed rounds: kernel time "
                    + "per run and share of the model's kernel time. The profiler adds overhead; compare shares.</p>\n");
            Map<String, Double> order = new LinkedHashMap<>();
            for (BenchmarkModelResult m : ms) {
                if (m.profile() != null) {
                    for (BenchmarkOpTime t : m.profile().opTypes()) {
                        order.merge(t.opType(), t.share(), Math::max);
                    }
                }
            }
            List<String> types = new ArrayList<>(order.keySet());
            types.sort((x, y) -> Double.compare(order.get(y), order.get(x)));
            b.append("<table id=\"opTimes\" class=\"grid\"><thead><tr><th class=\"text\">operator type</th>");
            for (int i = 0; i < ms.size(); i++) {
                if (ms.get(i).profile() != null) {
                    b.append("<th colspan=\"2\">").append(Text.html(label(r, i))).append("</th>");
                }
            }
            b.append("</tr></thead><tbody>\n");
            for (String type : types) {
                b.append("<tr><td class=\"name\">").append(Text.html(type)).append("</td>");
                for (BenchmarkModelResult m : ms) {
                    if (m.profile() == null) {
                        continue;
                    }
                    BenchmarkOpTime t = m.profile().opTypes().stream().filter(o -> o.opType().equals(type)).findFirst().orElse(null);
                    if (t == null) {
                        b.append("<td>–</td><td></td>");
                    } else {
                        b.append("<td>").append(fmt(t.msPerRun())).append(" ms</td><td>")
                                .append(String.format(Locale.ROOT, "%.1f%%", 100 * t.share())).append("</td>");
                    }
                }
                b.append("</tr>\n");
            }
            b.append("<tr class=\"total\"><td class=\"name\">kernel time per run</td>");
            for (BenchmarkModelResult m : ms) {
                if (m.profile() != null) {
                    b.append("<td>").append(fmt(m.profile().kernelMsPerRun())).append(" ms</td><td>100%</td>");
                }
            }
            b.append("</tr>\n<tr class=\"total\"><td class=\"name\">in float compute nodes</td>");
            for (BenchmarkModelResult m : ms) {
                if (m.profile() != null) {
                    b.append("<td>").append(fmt(m.profile().floatComputeMsPerRun())).append(" ms</td><td>")
                            .append(String.format(Locale.ROOT, "%.1f%%", 100 * m.profile().floatComputeShare())).append("</td>");
                }
            }
            b.append("</tr>\n</tbody></table>\n");
        }
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            OrtOptimizedGraph g = m.optimizedGraph();
            b.append("<h3>").append(Text.html(label(r, i))).append("</h3>\n");
            if (g == null) {
                b.append("<p class=\"hint\">The optimized graph was not analysed.</p>\n");
                continue;
            }
            b.append("<p>").append(Text.html(g.describe())).append(g.note().isEmpty() ? "" : " (" + Text.html(g.note()) + ")").append("</p>\n");
            if (g.integerNodes() == 0) {
                b.append("<p class=\"hint\">No integer kernels: all ").append(g.floatComputeNodes().size())
                        .append(" compute nodes run in float.</p>\n");
            } else if (g.floatComputeNodes().isEmpty()) {
                b.append("<p>Every compute node runs as an integer kernel.</p>\n");
            } else {
                b.append("<table class=\"grid floatNodes\" data-model=\"").append(i)
                        .append("\"><thead><tr><th class=\"text\">node not running as an integer kernel</th><th class=\"text\">operator</th>"
                        + "<th class=\"text\">reason</th></tr></thead><tbody>\n");
                for (OrtOptimizedGraph.FloatNode f : g.floatComputeNodes()) {
                    b.append("<tr><td class=\"name\">").append(Text.html(f.name().isEmpty() ? "(unnamed)" : f.name())).append("</td><td class=\"text\">")
                            .append(Text.html(f.opType())).append("</td><td class=\"text\">").append(Text.html(f.reason())).append("</td></tr>\n");
                }
                b.append("</tbody></table>\n");
            }
        }
    }

    /**
     * A horizontal bar chart: one group of bars per model, one bar per series ({@code values.get(k)} gives series
     * {@code k}); NaN values are left out.
     */
    static String barChart(String id, String title, BenchmarkResult r, List<String> series,
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
        String[] colours = {MODEL_COLOUR, END_TO_END_COLOUR};
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart\"><svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Text.html(title)).append("\">\n");
        b.append("<text x=\"0\" y=\"16\" class=\"title\">").append(Text.html(title)).append("</text>\n");
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            int y0 = top + i * groupH;
            b.append("<text x=\"").append(labelW - 8).append("\" y=\"").append(y0 + nSeries * barH / 2 + 4)
                    .append("\" text-anchor=\"end\" class=\"label\">").append(Text.html(shorten(label(r, i), 24))).append("</text>\n");
            for (int k = 0; k < nSeries; k++) {
                double v = values.get(k).applyAsDouble(m);
                if (Double.isNaN(v)) {
                    continue;
                }
                double w = max > 0 ? Math.max(1, v / max * barMax) : 1;
                int y = y0 + k * barH;
                b.append("<rect class=\"bar\" data-series=\"").append(k).append("\" x=\"").append(labelW).append("\" y=\"").append(y + 1)
                        .append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"").append(barH - 2)
                        .append("\" fill=\"").append(colours[k % colours.length]).append("\"><title>").append(Text.html(label(r, i))).append(", ")
                        .append(Text.html(series.get(k))).append(": ").append(fmt(v)).append("</title></rect>\n");
                b.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", labelW + w + 4)).append("\" y=\"").append(y + barH - 4)
                        .append("\" class=\"value\">").append(fmt(v)).append("</text>\n");
            }
        }
        int ly = height - 8;
        for (int k = 0; k < nSeries; k++) {
            int lx = labelW + k * 120;
            b.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 10).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colours[k % colours.length]).append("\"/><text x=\"").append(lx + 14).append("\" y=\"").append(ly)
                    .append("\" class=\"legend\">").append(Text.html(series.get(k))).append("</text>\n");
        }
        b.append("</svg></figure>\n");
        return b.toString();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The precision of a model as far as its optimized graph tells: {@code INT8} when it runs integer kernels,
     * {@code FP32} when none, {@code unknown} when the graph was not analysed.
     */
    public static String precision(BenchmarkModelResult m) {
        OrtOptimizedGraph g = m.optimizedGraph();
        if (g == null) {
            return "unknown";
        }
        return g.integerNodes() > 0 ? "INT8" : "FP32";
    }

    private static String precisionDetail(BenchmarkModelResult m) {
        OrtOptimizedGraph g = m.optimizedGraph();
        if (g == null) {
            return "unknown";
        }
        return g.integerNodes() > 0 ? "INT8 (" + g.integerNodes() + " integer nodes)" : "FP32 (no integer nodes)";
    }

    /** {@code A}, {@code B}, … in model order (the table and the page name models this way). */
    public static String letter(int i) {
        return i < 26 ? Character.toString('A' + i) : "M" + (i + 1);
    }

    /** Model {@code i} as the table and the page name it, e.g. {@code A fp32.onnx}. */
    public static String label(BenchmarkResult r, int i) {
        return letter(i) + " " + fileName(r.models().get(i).path());
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String fileName(String path) {
        if (path == null) {
            return "";
        }
        int k = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(k + 1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static void cell(StringBuilder b, String v) {
        b.append("<td>").append(v).append("</td>");
    }

    private static void spreadCell(StringBuilder b, BenchmarkSpread s) {
        if (s == null) {
            b.append("<td>–</td>");
            return;
        }
        b.append("<td class=\"spread\" data-median=\"").append(String.format(Locale.ROOT, "%.4f", s.median())).append("\"><b>")
                .append(String.format(Locale.ROOT, "%.2fx", s.median())).append("</b> <span class=\"range\">(")
                .append(String.format(Locale.ROOT, "%.2f–%.2f", s.min(), s.max())).append(")</span></td>");
    }

    private static void kv(StringBuilder b, String key, String value) {
        b.append("<tr><th>").append(Text.html(key)).append("</th><td>").append(Text.html(value)).append("</td></tr>\n");
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }


    private static final String CSS = """
            body{font-family:system-ui,sans-serif;font-size:14px;margin:20px;color:#222;max-width:1400px}
            h1{font-size:20px;margin-bottom:4px}h2{font-size:17px;margin-top:26px}h3{font-size:14px;margin:16px 0 4px}
            .sub{color:#555;margin-top:0}
            .headline{font-size:15px}
            table{border-collapse:collapse;font-size:13px}
            .grid td,.grid th{border:1px solid #ccc;padding:3px 7px;text-align:right}
            .grid th{background:#eef}
            .grid td.name,.grid td.text,.grid th.text{text-align:left}.nowrap{white-space:nowrap}
            #models td.name{white-space:nowrap}#models td.decoder{max-width:200px;font-size:12px}#models th{font-size:12px}#models td,#models th{padding:3px 5px}
            .kv th,.kv td{border:1px solid #ccc;padding:3px 7px;text-align:left}.kv th{background:#f4f4f4}
            tr.total td{font-weight:bold;background:#f8f8f8}
            tr.batchnote td{color:#a40;text-align:left;border-top:none}
            .range{color:#666}
            .hint{color:#666;font-size:12px}
            .charts{display:flex;flex-wrap:wrap;gap:24px}
            figure.chart{margin:0;border:1px solid #ddd;padding:8px}
            svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#222}
            svg text.title{font-weight:bold;font-size:13px}
            svg text.value{fill:#333}
            code{font-size:12px}
            """;
}
