package org.int8workbench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.int8workbench.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Provenance;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.junit.jupiter.api.Test;

/**
 * The benchmark report renderers on a fixed three-model result (FP32 parent, INT8, INT8 with the exact head): every
 * model and figure in the HTML, escaping, the CSV columns, the JSON round trip and overwrite rules, and the page in
 * headless Chromium (screenshot kept under {@code target/screenshots/}).
 */
class BenchmarkReportWriterTest {

    static final String EVIL = "net <b>&\"quoted\",odd'.onnx";

    /** A result as {@code BenchmarkOperation} makes it, with round figures chosen so that every number is distinct. */
    static BenchmarkResult sample() {
        Provenance prov = new Provenance("INT8 Workbench test", "1.29.0",
                new CpuInfo("Test CPU <x86>", 2, List.of("AVX2", "AVX-512", "AVX-512 VNNI")), "21", "Linux 6", "2026-01-02T03:04:05Z");
        BenchmarkSettings s = new BenchmarkSettings("throughput", 2, 1, 0, "SEQUENTIAL", "ALL", 1, 5, 5, 20, 0, true, true, 10,
                "random (seed 42)", 42);
        OrtOptimizedGraph fp32 = new OrtOptimizedGraph("a", "ALL", "ALL", "", 90, Map.of("Conv", 55, "Resize", 3), 0,
                List.of(new OrtOptimizedGraph.FloatNode("conv_0", "com.microsoft.nchwc:Conv", "float model")), 0);
        OrtOptimizedGraph int8 = new OrtOptimizedGraph("b", "ALL", "ALL", "", 80, Map.of("com.microsoft:QLinearConv", 55), 66,
                List.of(new OrtOptimizedGraph.FloatNode("resize_logits", "Resize",
                        "DequantizeLinear → Resize → QuantizeLinear: Resize has no integer QDQ fusion")), 4);
        OrtOptimizedGraph head = new OrtOptimizedGraph("c", "ALL", "ALL", "", 78, Map.of("com.microsoft:QLinearConv", 55), 66,
                List.of(new OrtOptimizedGraph.FloatNode("", "Transpose", "layout change of a float tensor")), 3);
        BenchmarkProfile pa = new BenchmarkProfile(10, 20.5, List.of(new BenchmarkOpTime("Conv", 55, 14.5, 0.707),
                new BenchmarkOpTime("Resize", 3, 6.0, 0.293)), 20.5, 1.0);
        BenchmarkProfile pb = new BenchmarkProfile(10, 11.25, List.of(new BenchmarkOpTime("QLinearConv", 55, 5.25, 0.467),
                new BenchmarkOpTime("Resize", 3, 6.0, 0.533)), 6.0, 0.533);
        List<BenchmarkModelResult> models = List.of(
                model("/models/deeplab.onnx", "aa11", 40.25, 24.75, fp32, pa, "argmax over axis 1 (NCHW, Java)", 35.5, ""),
                model("/models/deeplab.int8.onnx", "bb22", 72.5, 13.5, int8, pb, "argmax over axis 1 (NCHW, Java)", 58.75, ""),
                model("/models/" + EVIL, "cc33", 95.5, 10.25, head, null, "exact label head (Resize linear/align_corners to 257x257)",
                        91.25, "the input has a fixed batch axis of 1"));
        BenchmarkComparison b = new BenchmarkComparison(1, models.get(1).path(), spread(1.8, 1.66, 1.95), spread(1.83, 1.7, 1.9),
                spread(1.65, 1.59, 1.77));
        BenchmarkComparison c = new BenchmarkComparison(2, models.get(2).path(), spread(2.37, 2.25, 2.52), spread(2.41, 2.3, 2.6),
                spread(2.57, 2.44, 2.68));
        return new BenchmarkResult(prov, s, models, b.speedup(), b.latencySpeedup(), new BenchmarkEndToEndComparison(b.endToEndSpeedup()),
                List.of(b, c), List.of("profile: a separate pass <with overhead>"), 31.5);
    }

    private static BenchmarkModelResult model(String path, String sha, double fps, double median, OrtOptimizedGraph g,
            BenchmarkProfile p, String decoder, double e2eFps, String batchNote) {
        BenchmarkLatency lat = new BenchmarkLatency(100, median * 1.01, median, median * 1.1, median * 1.3, median * 0.9, median * 1.5);
        BenchmarkLatency elat = new BenchmarkLatency(100, median * 1.2, median * 1.15, median * 1.3, median * 1.4, median * 1.1, median * 2);
        return new BenchmarkModelResult(path, sha, "input", List.of(1L, 3L, 257L, 257L), "FLOAT", 1, batchNote, 120.5, fps, lat,
                List.of(fps, fps * 0.98, fps * 1.01, fps * 0.97, fps * 1.02), 100,
                new BenchmarkEndToEnd(decoder, e2eFps, elat, List.of(e2eFps, e2eFps, e2eFps, e2eFps, e2eFps), 100, List.of()), p, g, null);
    }

    private static BenchmarkSpread spread(double median, double min, double max) {
        return new BenchmarkSpread(median, min, max, List.of(min, median * 0.99, median, median * 1.01, max));
    }

    private static String f(double v) {
        return Math.abs(v) >= 100 ? String.format(java.util.Locale.ROOT, "%.1f", v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    @Test
    void htmlShowsEveryModelFigureSpeedupAndTheWhyNotFasterSection() {
        BenchmarkResult r = sample();
        String html = BenchmarkReportWriter.html(r);
        String escaped = "net &lt;b&gt;&amp;&quot;quoted&quot;,odd&#39;.onnx";
        assertFalse(html.contains("<b>&\"quoted"), "the model name is escaped");
        assertTrue(html.contains(escaped));
        assertFalse(html.contains("Test CPU <x86>") || html.contains("<with overhead>"), "text from the result is escaped");
        for (String external : new String[] {"<script", "<link", " src=", " href=", "url(", "@import"}) {
            assertFalse(html.contains(external), "self-contained: no " + external);
        }

        String models = section(html, "id=\"models\"", "</table>");
        assertEquals(3, count(models, "<tr data-model="), "one row per model");
        for (BenchmarkModelResult m : r.models()) {
            BenchmarkLatency l = m.latencyMs();
            for (double v : new double[] {m.fps(), l.mean(), l.median(), l.p90(), l.p99(), l.min(), m.endToEnd().fps(), m.loadMs()}) {
                assertTrue(models.contains("<td>" + f(v) + "</td>"), f(v) + " of " + m.path());
            }
        }
        assertTrue(models.contains("INT8 (66 integer nodes)") && models.contains("FP32 (no integer nodes)"), models);
        assertTrue(models.contains("exact label head"));
        assertTrue(html.contains("the input has a fixed batch axis of 1"));

        String speedups = section(html, "id=\"speedups\"", "</table>");
        assertEquals(2, count(speedups, "<tr data-model="));
        for (BenchmarkComparison c : r.comparisons()) {
            for (BenchmarkSpread s : List.of(c.speedup(), c.latencySpeedup(), c.endToEndSpeedup())) {
                String cell = String.format(java.util.Locale.ROOT, "<b>%.2fx</b> <span class=\"range\">(%.2f–%.2f)</span>", s.median(),
                        s.min(), s.max());
                assertTrue(speedups.contains(cell), cell);
            }
        }
        assertTrue(html.contains("B deeplab.int8.onnx</b> over A deeplab.onnx: 1.80x (1.66–1.95) images/s, 1.65x (1.59–1.77) labels/s"),
                "headline");

        // two charts, a bar per model and series
        assertEquals(6, count(section(html, "id=\"fpsChart\"", "</svg>"), "<rect class=\"bar\""));
        assertEquals(6, count(section(html, "id=\"latencyChart\"", "</svg>"), "<rect class=\"bar\""));

        String why = section(html, "Why isn't INT8 faster?", "<h2>Settings");
        String ops = section(why, "id=\"opTimes\"", "</table>");
        assertTrue(ops.contains("<td class=\"name\">Resize</td><td>6.00 ms</td><td>29.3%</td><td>6.00 ms</td><td>53.3%</td>"), ops);
        assertTrue(ops.contains("QLinearConv") && ops.contains("<td>20.50 ms</td>"));
        assertTrue(why.contains("resize_logits") && why.contains("Resize has no integer QDQ fusion"), "float nodes of the INT8 model");
        assertTrue(why.contains("(unnamed)") && why.contains("layout change of a float tensor"));
        assertTrue(why.contains("No integer kernels: all 1 compute nodes run in float"), "the FP32 model");

        String settings = section(html, "id=\"settings\"", "</table>");
        for (String s : new String[] {"throughput", "<td>2</td>", "ALL", "SEQUENTIAL", "20.00 s in total", "random (seed 42)"}) {
            assertTrue(settings.contains(s), s);
        }
        String prov = section(html, "id=\"provenance\"", "</table>");
        for (String s : new String[] {"Test CPU &lt;x86&gt;", "AVX2, AVX-512, AVX-512 VNNI", "1.29.0", "2026-01-02T03:04:05Z", "aa11",
            "bb22", "cc33"}) {
            assertTrue(prov.contains(s), s);
        }
    }

    @Test
    void withoutProfilesThePageSaysSoAndNamesNoCommandLineFlag() {
        BenchmarkResult r = sample();
        List<BenchmarkModelResult> unprofiled = new ArrayList<>();
        for (BenchmarkModelResult m : r.models()) {
            unprofiled.add(new BenchmarkModelResult(m.path(), m.sha256(), m.inputName(), m.inputShape(), m.inputType(), m.batch(),
                    m.batchNote(), m.loadMs(), m.fps(), m.latencyMs(), m.fpsPerRound(), m.requests(), m.endToEnd(), null,
                    m.optimizedGraph(), m.preprocessing()));
        }
        String html = BenchmarkReportWriter.html(new BenchmarkResult(r.provenance(), r.settings(), unprofiled, r.speedup(),
                r.latencySpeedup(), r.endToEnd(), r.comparisons(), r.notes(), r.wallSeconds()));
        String why = section(html, "Why isn't INT8 faster?", "<h2>Settings");
        assertTrue(why.contains("No profile: profiling was off for this benchmark."), why);
        assertFalse(why.contains("id=\"opTimes\""), "no operator table without a profile");
        assertFalse(html.contains("--"), "the page names no command-line flag");
        assertTrue(why.contains("resize_logits"), "the float nodes are still listed");
    }

    @Test
    void csvHasOneRowPerModelWithTheDocumentedColumns() {
        BenchmarkResult r = sample();
        List<String> lines = BenchmarkReportWriter.csv(r).lines().toList();
        assertEquals(4, lines.size());
        assertEquals(BenchmarkReportWriter.CSV_HEADER, lines.get(0));
        List<String> header = parseCsv(lines.get(0));
        for (int i = 1; i < 4; i++) {
            List<String> row = parseCsv(lines.get(i));
            assertEquals(header.size(), row.size(), lines.get(i));
            BenchmarkModelResult m = r.models().get(i - 1);
            assertEquals(m.path(), row.get(header.indexOf("path")), "names with commas and quotes survive");
            assertEquals(m.fps(), Double.parseDouble(row.get(header.indexOf("fps"))), 1e-6);
            assertEquals(m.latencyMs().median(), Double.parseDouble(row.get(header.indexOf("latencyMedianMs"))), 1e-6);
            assertEquals(m.endToEnd().fps(), Double.parseDouble(row.get(header.indexOf("endToEndFps"))), 1e-6);
            String speedup = row.get(header.indexOf("speedup"));
            if (i == 1) {
                assertEquals("", speedup, "no speedup for the first model");
                assertEquals("FP32", row.get(header.indexOf("precision")));
            } else {
                BenchmarkComparison c = r.comparison(i - 1);
                assertEquals(c.speedup().median(), Double.parseDouble(speedup), 1e-6);
                assertEquals(c.endToEndSpeedup().max(), Double.parseDouble(row.get(header.indexOf("endToEndSpeedupMax"))), 1e-6);
                assertEquals(c.latencySpeedup().min(), Double.parseDouble(row.get(header.indexOf("latencySpeedupMin"))), 1e-6);
                assertEquals("INT8", row.get(header.indexOf("precision")));
            }
        }
    }

    @Test
    void filesRoundTripAndAreNotOverwrittenUnlessAllowed() throws Exception {
        BenchmarkResult r = sample();
        Path dir = TestData.scratch("benchmark-report").resolve("rt-" + System.nanoTime());
        BenchmarkReportWriter.writeFiles(r, dir, false);
        assertEquals(r, BenchmarkReportWriter.read(dir.resolve(BenchmarkReportWriter.JSON)));
        assertEquals(BenchmarkReportWriter.html(r), Files.readString(dir.resolve(BenchmarkReportWriter.HTML)));
        assertEquals(BenchmarkReportWriter.csv(r), Files.readString(dir.resolve(BenchmarkReportWriter.CSV)));

        Files.delete(dir.resolve(BenchmarkReportWriter.JSON));
        assertThrows(FileAlreadyExistsException.class, () -> BenchmarkReportWriter.writeFiles(r, dir, false));
        assertFalse(Files.exists(dir.resolve(BenchmarkReportWriter.JSON)), "nothing written when one file exists");
        BenchmarkReportWriter.writeFiles(r, dir);
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "the three files and no temporary files");
        }
        Path notJson = dir.resolve(BenchmarkReportWriter.CSV);
        assertThrows(java.io.IOException.class, () -> BenchmarkReportWriter.read(notJson));
    }

    @Test
    void theScreenshotShowsTheTablesAndBothCharts() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        Path dir = TestData.scratch("benchmark-report").resolve("html");
        BenchmarkReportWriter.writeFiles(sample(), dir);
        String url = dir.resolve(BenchmarkReportWriter.HTML).toUri().toString();
        String dom = chromium.dom(url);
        assertEquals(12, count(dom, "<rect class=\"bar\""), "the browser parsed both charts");
        assertTrue(dom.contains("Why isn't INT8 faster?"));

        Path png = HeadlessChromium.screenshotDir().resolve("benchmark-report.png");
        chromium.screenshot(url, png, 1280, 1600);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertEquals(1280, shot.getWidth());
        int model = 0;
        int e2e = 0;
        int modelRgb = Integer.parseInt(BenchmarkReportWriter.MODEL_COLOUR.substring(1), 16);
        int e2eRgb = Integer.parseInt(BenchmarkReportWriter.END_TO_END_COLOUR.substring(1), 16);
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int rgb = shot.getRGB(x, y) & 0xffffff;
                model += rgb == modelRgb ? 1 : 0;
                e2e += rgb == e2eRgb ? 1 : 0;
            }
        }
        // six bars of each series, at least 14 px high and a few px wide, plus the legend squares
        assertTrue(model > 6 * 14 * 20, "model-only bars are drawn: " + model + " px");
        assertTrue(e2e > 6 * 14 * 20, "end-to-end bars are drawn: " + e2e + " px");
    }

    // ---------------------------------------------------------------- helpers

    private static String section(String s, String start, String end) {
        int a = s.indexOf(start);
        assertTrue(a >= 0, "missing: " + start);
        int b = s.indexOf(end, a);
        assertTrue(b >= 0, "missing " + end + " after " + start);
        return s.substring(a, b);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** RFC 4180 fields of one line. */
    private static List<String> parseCsv(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\G(?:\"((?:[^\"]|\"\")*)\"|([^,]*))(,|$)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2));
            if (m.group(3).isEmpty()) {
                break;
            }
        }
        return out;
    }
}
