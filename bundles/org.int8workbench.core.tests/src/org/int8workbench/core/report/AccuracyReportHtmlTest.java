package org.int8workbench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.int8workbench.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.metrics.EvaluateOperation;
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
    static HeadlessChromium chromium;

    @BeforeAll
    static void evaluate() throws Exception {
        chromium = HeadlessChromium.find();
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

        Path shots = HeadlessChromium.screenshotDir();
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
        return chromium.dom(url(fragment));
    }

    private void screenshot(String fragment, Path png) throws Exception {
        chromium.screenshot(url(fragment), png, 1400, 1000);
    }

    private static String url(String fragment) {
        return report.resolve(AccuracyReportWriter.HTML).toUri() + fragment;
    }
}
