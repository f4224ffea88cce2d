package org.int8workbench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML accuracy report of a real evaluation, opened in headless Chromium: screenshots are kept under
 * {@code target/screenshots/}; the DOM after the page's script ran is checked for rows, sorting, the class filter and
 * the side-by-side image. Without Chromium the test fails under {@code CI=true} and is skipped otherwise.
 */
class AccuracyReportHtmlTest {

    static Path report;
    static AccuracyReport result;
    static String chromium;

    @BeforeAll
    static void evaluate() throws Exception {
        chromium = findChromium();
        Path model = TestData.deeplabModel();
        report = TestData.scratch("accuracy-report-html").resolve("report");
        result = new EvaluateOperation().model(model).parent(model)
                .dataset(Datasets.open(TestData.sharedData().resolve("voc2012-val-vainf-samples")))
                .preprocessing(Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW)).limit(5).reportDir(report).overwrite(true)
                .run(new NullProgressMonitor());
    }

    @Test
    void rowsAreSortedByTheColumnInTheFragment() throws Exception {
        String asc = dom("#sort=miou&dir=asc");
        assertTrue(asc.contains("data-ready=\"true\"") && asc.contains("data-sort=\"miou\""), "the script ran");
        List<Double> up = column(asc, "basicTable", "miou");
        assertEquals(5, up.size(), "one row per image");
        for (int i = 1; i < up.size(); i++) {
            assertTrue(up.get(i - 1) <= up.get(i), "ascending: " + up);
        }
        List<Double> down = column(dom("#sort=miou&dir=desc"), "basicTable", "miou");
        for (int i = 1; i < down.size(); i++) {
            assertTrue(down.get(i - 1) >= down.get(i), "descending: " + down);
        }
        assertTrue(!up.equals(down), "the order changed: " + up);
    }

    @Test
    void advancedModeFiltersByClass() throws Exception {
        int c = result.classRows().stream().filter(r -> r.label() != 0).findFirst().orElseThrow().label();
        long expected = result.classRows().stream().filter(r -> r.label() == c).count();
        String dom = dom("#mode=advanced&class=" + c);
        assertTrue(dom.contains("data-mode=\"advanced\""), "advanced mode");
        assertTrue(dom.contains("data-visible-rows=\"" + expected + "\""), "rows of class " + c + ": " + expected);
        assertEquals(result.classRows().size() + result.images().size(), count(dom, "<tr data-id="),
                "all Basic and Advanced rows are in the page");
    }

    @Test
    void aRowOpensItsSideBySideImageAndTheScreenshotShowsIt() throws Exception {
        String id = result.images().get(2).id();
        String dom = dom("#open=" + id);
        assertTrue(dom.contains("data-open=\"" + id + "\""), "viewer opened");
        Matcher m = Pattern.compile("<img id=\"viewerImage\"[^>]*src=\"([^\"]+)\"").matcher(dom);
        assertTrue(m.find(), "viewer image element");
        assertEquals("images/" + id + ".png", m.group(1));
        assertTrue(Files.isRegularFile(report.resolve(m.group(1))));

        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        Path viewer = shots.resolve("accuracy-report-image.png");
        Path table = shots.resolve("accuracy-report-table.png");
        screenshot("#open=" + id, viewer);
        screenshot("#sort=agree&dir=asc", table);
        BufferedImage shot = ImageIO.read(viewer.toFile());
        assertEquals(1400, shot.getWidth());
        // the side-by-side picture fills the middle of the page with many colours; a page of text has few
        Set<Integer> colours = new HashSet<>();
        for (int y = 300; y < 700; y += 3) {
            for (int x = 100; x < 1300; x += 3) {
                colours.add(shot.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 500, "an image is shown: " + colours.size() + " colours");
        assertTrue(Files.size(table) > 10_000);
    }

    // ---------------------------------------------------------------- helpers

    private static List<Double> column(String dom, String table, String key) {
        int start = dom.indexOf("id=\"" + table + "\"");
        int end = dom.indexOf("</table>", start);
        String t = dom.substring(start, end);
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("data-k=\"" + key + "\" data-v=\"([^\"]+)\"").matcher(t);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private String dom(String fragment) throws Exception {
        return run(List.of("--dump-dom", url(fragment)));
    }

    private void screenshot(String fragment, Path png) throws Exception {
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png, "--window-size=1400,1000", url(fragment)));
        assertTrue(Files.isRegularFile(png), "screenshot written: " + png);
    }

    private static String url(String fragment) {
        return report.resolve(AccuracyReportWriter.HTML).toUri() + fragment;
    }

    private static String run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("int8wb-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile("int8wb-chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                fail("chromium did not finish within 90 s: " + cmd);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            deleteTree(profile);
        }
    }

    private static String findChromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        String msg = "chromium not found on PATH (install the Debian package 'chromium')";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // chromium may still hold a file for a moment; the profile is in the temp folder
        }
    }
}
