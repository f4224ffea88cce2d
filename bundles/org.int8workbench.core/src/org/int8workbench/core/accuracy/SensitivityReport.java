package org.int8workbench.core.accuracy;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.int8workbench.core.AtomicFolder;

/**
 * Renders a {@link SensitivityResult}: a text table for the command line ({@link #table}) and a self-contained HTML
 * page from {@code templates/sensitivity-report.mustache} ({@link #html}); {@link #write} writes the page and the JSON
 * into a report folder, atomically.
 */
public final class SensitivityReport {

    /** The page in a report folder. */
    public static final String HTML = "sensitivity.html";
    /** The result record in a report folder. */
    public static final String JSON = "sensitivity.json";

    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .withEscaper(Escapers.simple(new String[][] {
                {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}}))
            .emptyStringIsFalse(true)
            .nullValue("");
    private static volatile Template template;

    private SensitivityReport() {
    }

    /** Writes {@link #HTML} and {@link #JSON} into {@code dir} (replaced as a whole when {@code overwrite}). */
    public static void write(SensitivityResult r, Path dir, boolean overwrite) throws IOException {
        try (AtomicFolder folder = AtomicFolder.replace(dir, overwrite)) {
            Files.writeString(folder.path().resolve(JSON), r.toJson() + "\n", StandardCharsets.UTF_8);
            Files.writeString(folder.path().resolve(HTML), html(r), StandardCharsets.UTF_8);
            folder.commit();
        }
    }

    /** The text table of the {@code top} most harmful nodes with the headline figures, for the command line. */
    public static String table(SensitivityResult r, int top) {
        StringBuilder b = new StringBuilder();
        String m = r.metric().label();
        b.append(String.format(Locale.ROOT, "%s: FP32 %s %s, INT8 %s (%s points), agreement %s on %d validation images%n",
                Path.of(r.model()).getFileName(), m, f4(r.parentMetric()), f4(r.int8Metric()), signed(-r.int8DropPoints()),
                pct(r.int8Agreement()), r.validationImages()));
        b.append(String.format(Locale.ROOT, "ranking on the %d images where INT8 agrees least with FP32 (agreement %s, %s %s), by %s gain%n",
                r.rankingImages().size(), pct(r.rankingInt8Agreement()), m, f4(r.rankingInt8Metric()), r.rankedBy().label()));
        b.append(String.format(Locale.ROOT, "%-4s %-32s %-18s %8s %10s %10s %12s %-15s %s%n", "#", "node", "op", "SQNR dB",
                "agr. gain", m + " gain", "output err", "integer kernel", "float when kept"));
        List<NodeSensitivity> nodes = r.top(top);
        for (int i = 0; i < nodes.size(); i++) {
            NodeSensitivity n = nodes.get(i);
            b.append(String.format(Locale.ROOT, "%-4d %-32s %-18s %8s %10s %10s %12s %-15s %s%n", i + 1, n.node(), n.opType(),
                    f1(n.sqnrDb()), signed(n.agreementGainPoints()), signed(n.gainPoints()), sci(n.revertedOutputError()),
                    n.integerKernel() ? "yes" : "no (float)", floatWhenKept(n)));
        }
        b.append(String.format(Locale.ROOT, "%d groups analysed in %.1f s (SQNR on %s)%n", r.nodes().size(), r.seconds(),
                r.sqnrImages()));
        return b.toString();
    }

    /** The HTML page. */
    public static String html(SensitivityResult r) {
        Template t = template;
        if (t == null) {
            t = compile();
            template = t;
        }
        return t.execute(view(r));
    }

    private static Template compile() {
        String resource = "templates/sensitivity-report.mustache";
        InputStream in = SensitivityReport.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the page template " + resource + " is missing from the INT8 Workbench core; "
                    + "the installation is incomplete: reinstall or rebuild it");
        }
        try (Reader rd = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return COMPILER.compile(rd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page template " + resource, e);
        }
    }

    record Row(int rank, String node, String op, String shape, String sqnr, String agreementGain, String metricGain,
            int barWidth, String error, boolean integer, String integerText, String floatWhenKept, String together) {
    }

    private static Map<String, Object> view(SensitivityResult r) {
        List<Row> rows = new ArrayList<>();
        List<NodeSensitivity> ranked = r.ranked();
        double max = 0;
        for (NodeSensitivity n : ranked) {
            double g = n.gain(r.rankedBy());
            if (!Double.isNaN(g)) {
                max = Math.max(max, g);
            }
        }
        for (int i = 0; i < ranked.size(); i++) {
            NodeSensitivity n = ranked.get(i);
            double g = n.gain(r.rankedBy());
            int bar = max > 0 && g > 0 ? (int) Math.round(120 * g / max) : 0;
            rows.add(new Row(i + 1, n.node(), n.opType(), n.shape().isEmpty() ? "" : n.shape().toString(), f1(n.sqnrDb()),
                    signed(n.agreementGainPoints()), signed(n.gainPoints()), bar, sci(n.revertedOutputError()), n.integerKernel(),
                    n.integerKernel() ? "yes" : "no (float)", floatWhenKept(n), String.join(", ", n.nodes())));
        }
        Map<String, Object> v = new java.util.HashMap<>();
        v.put("modelName", Path.of(r.model()).getFileName().toString());
        v.put("model", r.model());
        v.put("sha", r.modelSha256());
        v.put("groups", ranked.size());
        v.put("seconds", String.format(Locale.ROOT, "%.1f", r.seconds()));
        v.put("cpu", r.provenance() == null || r.provenance().cpu() == null ? "" : r.provenance().cpu().modelName());
        v.put("onnxRuntime", r.provenance() == null ? "" : r.provenance().onnxRuntime());
        v.put("time", r.provenance() == null ? "" : r.provenance().time());
        v.put("settings", r.settings().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + "; " + b)
                .orElse(""));
        v.put("calibration", r.calibration());
        v.put("calibrationImages", r.calibrationImages());
        v.put("validation", r.validation());
        v.put("validationImages", r.validationImages());
        v.put("metric", r.metric().label());
        v.put("parentMetric", f4(r.parentMetric()));
        v.put("int8Metric", f4(r.int8Metric()));
        v.put("drop", signed(-r.int8DropPoints()));
        v.put("int8Agreement", pct(r.int8Agreement()));
        v.put("rankingCount", r.rankingImages().size());
        v.put("rankingImages", String.join(", ", r.rankingImages()));
        v.put("rankingMetric", f4(r.rankingInt8Metric()));
        v.put("rankingAgreement", pct(r.rankingInt8Agreement()));
        v.put("rankingError", sci(r.rankingInt8OutputError()));
        v.put("rankedBy", r.rankedBy().label() + " gain on the ranking images, then the output error after the revert, then SQNR");
        v.put("sqnrImages", r.sqnrImages());
        v.put("hasWarnings", !r.warnings().isEmpty());
        v.put("warnings", r.warnings());
        v.put("nodes", rows);
        return v;
    }

    private static String floatWhenKept(NodeSensitivity n) {
        return n.revertedRunsFloat() == null ? "?" : n.revertedRunsFloat() ? "yes" : "no (re-quantized by ORT)";
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "–" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3g", v);
    }
}
