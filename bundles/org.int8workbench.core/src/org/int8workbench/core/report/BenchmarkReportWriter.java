package org.int8workbench.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.Json;
import org.int8workbench.core.onnx.OrtOptimizedGraph;

/**
 * Renders a {@link BenchmarkResult} headlessly: JSON (the record itself), a self-contained HTML page (inline style
 * and inline SVG charts; no script, no external resource; rendered from {@code templates/benchmark-report.mustache})
 * and CSV (one row per model). The command line ({@code benchmark --report}), the Performance editor's export and the
 * demo use the same methods.
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
                        "a benchmark report exists there; choose another folder or allow replacing it");
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
            List<Object> cells = new ArrayList<>(List.of(letter(i), PageTemplates.fileName(m.path()), m.path(), nz(m.sha256()), precision(m)));
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

    /** The whole HTML page (UTF-8, self-contained), rendered from {@code templates/benchmark-report.mustache}. */
    public static String html(BenchmarkResult r) {
        return BenchmarkReportPage.html(r);
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

    /** {@code A}, {@code B}, … in model order (the table and the page name models this way). */
    public static String letter(int i) {
        return i < 26 ? Character.toString('A' + i) : "M" + (i + 1);
    }

    /** Model {@code i} as the table and the page name it, e.g. {@code A fp32.onnx}. */
    public static String label(BenchmarkResult r, int i) {
        return letter(i) + " " + PageTemplates.fileName(r.models().get(i).path());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
