package org.int8workbench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's summary page from its template: every figure formatted, the rows that depend on the head and on ground
 * truth, the link to the accuracy report relative to the page, and text from the run escaped.
 */
class DemoPageTest {

    private static DemoPage.Figures figures(boolean head, boolean groundTruth) {
        BenchmarkSpread model = new BenchmarkSpread(1.8, 1.66, 1.95, List.of(1.66, 1.8, 1.95));
        BenchmarkSpread e2e = new BenchmarkSpread(2.5, 2.25, 2.75, List.of(2.25, 2.5, 2.75, 2.6));
        return new DemoPage.Figures(false, "/runs/m <fp32>.onnx", "/runs/m.int8.onnx", head ? "/runs/m.int8.head.onnx" : null,
                head ? "cut: Resize & ArgMax" : "not cut", "calib 'dir'", 16, "VOC \"val\"", 5, 50, 55, model, model,
                head ? e2e : null, head ? e2e : null, 20.5, 36.9, 0.991, 0.9512, groundTruth ? 0.5987 : null, groundTruth ? 0.59 : null,
                "/runs/demo/index.html", "/runs/demo/accuracy/report.html", "/runs/demo/benchmark-latency/benchmark.html",
                "/runs/demo/benchmark-throughput/benchmark.html", "Test CPU <x86>", "1.29.0", 42, false, null, List.of(), List.of());
    }

    @Test
    void drawsTheSpeedChartAndShowsTheWorstImagesPictures() {
        DemoPage.Figures f = figures(true, true);
        f = new DemoPage.Figures(f.synthetic(), f.model(), f.int8Model(), f.headModel(), f.headNote(), f.calibration(),
                f.calibrationImages(), f.dataset(), f.comparedImages(), f.integerConvNodes(), f.convNodes(), f.latencySpeedup(),
                f.throughputSpeedup(), f.endToEndLatencySpeedup(), f.endToEndThroughputSpeedup(), f.parentFps(), f.int8Fps(),
                f.pixelAgreement(), f.agreementMeanIoU(), f.parentMeanIoU(), f.int8MeanIoU(), f.index(), f.report(),
                f.latencyReport(), f.throughputReport(), f.cpu(), f.onnxRuntime(), f.seconds(), true, "calibrated on 5, compared on <5>",
                List.of(new DemoPage.Picture("2007_008802", "/runs/demo/accuracy/images/0001-2007_008802.png", 0.953, 0.61, 0.6),
                        new DemoPage.Picture("no-picture", null, 0.97, null, null)),
                List.of(new DemoPage.Speed("FP32 (parent)", 100, 90.0, 20, 22.0), new DemoPage.Speed("INT8", 200, 180.0, 8.5, 10.0),
                        new DemoPage.Speed("INT8 + exact label head", 250, 240.0, 7, 7.5)));
        String html = DemoPage.html(f);
        for (String s : new String[] {"The embedded sample:", "<td>calibrated on 5, compared on &lt;5&gt;</td>",
            "<td>59.9% / 59.0% (-0.87 points)</td>", "<img src=\"accuracy/images/0001-2007_008802.png\"",
            "<b>2007_008802</b>: 95.3% of pixels keep the parent's class; mean IoU against ground truth: FP32 61.0%, INT8 60.0%",
            ">250/s</text>", ">7.5 ms</text>", "<svg xmlns=\"http://www.w3.org/2000/svg\"", "Throughput: images per second"}) {
            assertTrue(html.contains(s), s + " in\n" + html);
        }
        assertEquals(1, count(html, "<img "), "only images with a picture");
        assertEquals(2, count(html, "<svg "), "throughput and latency");
        assertEquals(12, count(html, "<rect "), "3 models x (model only + end to end) x 2 charts");
        // the longest bar is the fastest model's throughput: the chart's full width
        assertTrue(html.contains("width=\"520\" height=\"18\""), html);
    }

    @Test
    void showsEveryFigureAndLinksTheReportsRelatively() {
        String html = DemoPage.html(figures(true, true));
        for (String s : new String[] {"<tr><th>CPU</th><td>Test CPU &lt;x86&gt;, ONNX Runtime 1.29.0</td></tr>",
            "<td>/runs/m &lt;fp32&gt;.onnx</td>", "<td>cut: Resize &amp; ArgMax</td>", "<td>16 images of calib &#39;dir&#39;</td>",
            "<td>50 of 55</td>", "<td>1.80x (1.66–1.95 over 3 rounds)</td>", "<td>2.50x (2.25–2.75 over 4 rounds)</td>",
            "<td>99.1% over 5 images of VOC &quot;val&quot;</td>", "<td>95.1%</td>", "<td>59.9% / 59.0% (-0.87 points)</td>",
            "<a href=\"accuracy/report.html\">", "<a href=\"benchmark-throughput/benchmark.html\">",
            "<a href=\"benchmark-latency/benchmark.html\">"}) {
            assertTrue(html.contains(s), s + " in\n" + html);
        }
        assertFalse(html.contains("Synthetic model"), "real data: no synthetic warning");
        assertEquals(2, count(html, "End-to-end labels/s speedup"));
    }

    @Test
    void leavesOutTheHeadAndGroundTruthRowsWhenThereAreNone() {
        String html = DemoPage.html(figures(false, false));
        assertFalse(html.contains("End-to-end"), html);
        assertFalse(html.contains("Ground-truth mean IoU"), html);
        assertTrue(html.contains("<td>not cut</td>"), html);
        assertEquals(10, count(html, "<tr>"), "the other rows are all there");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
