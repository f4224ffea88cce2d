package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.Json;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.DemoPage;
import org.int8workbench.sample.EmbeddedSample;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.testing.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code int8wb demo} with short settings, offline. By default on the embedded sample (the real VOC DeepLabV3 and 10 real
 * VOC 2012 val images, nothing from {@code ../shared}): real model, INT8 agreement with FP32 above 95% on the hold-out
 * images, a page with the speed chart and the worst images' pictures. With {@code --synthetic} on its own synthetic
 * network and generated images: it ends with exit code 0, writes the INT8 models and the reports, says plainly that the
 * inputs are synthetic, shows a measured speedup, and its summary page opens in a browser. (No speed bound here: timing
 * claims come from the benchmark, not from a test.)
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void demoRunsOnTheEmbeddedSampleByDefault() throws Exception {
        Path out = tmp.resolve("sample-demo");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(buf, true));
        int rc = cl.execute("demo", "--out", out.toString(), "--seconds", "4", "--rounds", "2");
        String printed = buf.toString();
        assertEquals(0, rc, printed);
        assertTrue(printed.contains("the embedded sample: the real VOC DeepLabV3"), printed);
        assertFalse(printed.contains("SYNTHETIC"), printed);

        DemoPage.Figures s = Json.read(out.resolve("summary.json"), DemoPage.Figures.class);
        assertFalse(s.synthetic());
        assertTrue(s.embeddedSample());
        assertEquals(out.resolve("sample/model/" + EmbeddedSample.MODEL_NAME).toAbsolutePath().normalize().toString(), s.model());
        assertEquals(5, s.calibrationImages(), "calibrated on the sample's 5 calibration images");
        assertEquals(5, s.comparedImages(), "compared on the other 5");
        assertEquals(55, s.integerConvNodes());
        // measured 98.1% of pixels, FP32 mIoU 64.4%, INT8 65.7% (5 calibration / 5 hold-out images, AMD EPYC)
        assertTrue(s.pixelAgreement() > 0.95, "agreement " + s.pixelAgreement());
        assertTrue(s.parentMeanIoU() > 0.55 && s.int8MeanIoU() > s.parentMeanIoU() - 0.03,
                "ground-truth mIoU FP32 " + s.parentMeanIoU() + ", INT8 " + s.int8MeanIoU());
        assertTrue(s.throughputSpeedup().median() > 0);
        assertEquals(3, s.worstImages().size());
        assertEquals(3, s.speeds().size(), "parent, INT8, INT8 with the head");

        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("The embedded sample:"), index);
        assertEquals(3, count(index, "<img src=\"accuracy/images/"), index);
        assertEquals(2, count(index, "<svg "), index);
        for (DemoPage.Picture p : s.worstImages()) {
            assertTrue(Files.size(Path.of(p.picture())) > 10_000, p.picture());
        }
        assertTrue(Files.isRegularFile(out.resolve("sample/NOTICE")));
        Path png = HeadlessChromium.screenshotDir().resolve("demo-sample-index.png");
        HeadlessChromium.find().screenshot(out.resolve("index.html").toUri().toString(), png, 1100, 1800);
        assertTrue(Files.size(png) > 20_000, "the summary page renders with its pictures");

        // --force runs again over the same folder and reuses the extracted sample
        buf.reset();
        assertEquals(0, cl.execute("demo", "--out", out.toString(), "--seconds", "1", "--rounds", "1", "--force"), buf.toString());
        assertTrue(buf.toString().contains("(extracted earlier)"), buf.toString());
    }

    @Test
    void syntheticDemoRunsOfflineAndWritesTheReports() throws Exception {
        Path out = tmp.resolve("demo");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(buf, true));
        int rc = cl.execute("demo", "--synthetic", "--out", out.toString(), "--subset", "8", "--images", "3", "--seconds", "4", "--rounds", "2");
        String printed = buf.toString();
        assertEquals(0, rc, printed);
        assertTrue(printed.contains("SYNTHETIC model and images"), printed);
        assertTrue(printed.contains("Throughput speedup:"), printed);

        for (String f : new String[] {"deeplabv3_mnv2_513_synthetic.onnx", "deeplabv3_mnv2_513_synthetic.int8.onnx",
            "deeplabv3_mnv2_513_synthetic.int8.head.onnx", "index.html", "summary.json", "accuracy/report.html",
            "benchmark-latency/benchmark.html", "benchmark-throughput/benchmark.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        DemoPage.Figures s = Json.read(out.resolve("summary.json"), DemoPage.Figures.class);
        assertTrue(s.synthetic());
        assertEquals(55, s.convNodes());
        assertEquals(55, s.integerConvNodes(), "every Conv of the demo network runs as an integer kernel");
        assertTrue(s.throughputSpeedup().median() > 0 && s.latencySpeedup().median() > 0);
        assertNotNull(s.endToEndThroughputSpeedup(), "the head was cut, so end-to-end figures exist");
        assertEquals(3, s.comparedImages());
        assertTrue(s.parentFps() > 0 && s.int8Fps() > 0 && s.seconds() > 0);

        AccuracyReport acc = AccuracyReportWriter.read(out.resolve("accuracy/report.json"));
        assertTrue(acc.synthetic());
        assertEquals(3, acc.images().size());
        BenchmarkResult bench = BenchmarkReportWriter.read(out.resolve("benchmark-throughput/benchmark.json"));
        assertEquals(3, bench.models().size(), "parent, INT8, INT8 with the head");
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("Synthetic model and images"), index);
        assertTrue(index.contains("<a href=\"benchmark-latency/benchmark.html\">"), index);
        assertTrue(index.contains("<a href=\"benchmark-throughput/benchmark.html\">"), index);

        Path png = HeadlessChromium.screenshotDir().resolve("demo-index.png");
        HeadlessChromium.find().screenshot(out.resolve("index.html").toUri().toString(), png, 1100, 700);
        assertTrue(Files.size(png) > 5_000, "the summary page renders");
        // a second run into the same folder is refused without --force, and nothing is replaced
        long before = Files.getLastModifiedTime(out.resolve("summary.json")).toMillis();
        assertEquals(1, Main.commandLine().execute("demo", "--synthetic", "--out", out.toString()));
        assertEquals(before, Files.getLastModifiedTime(out.resolve("summary.json")).toMillis());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void anExistingJsonFileIsRefusedBeforeAnyWork() throws Exception {
        Path json = Files.writeString(tmp.resolve("earlier.json"), "{}");
        Path out = tmp.resolve("demo");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute("demo", "--out", out.toString(), "--json", json.toString()));
        assertTrue(err.toString().contains("--force"), err.toString());
        assertFalse(Files.exists(out), "nothing was built or written");
        assertEquals("{}", Files.readString(json));
    }

    @Test
    void withJsonOnStandardOutputItPrintsTheJsonAlone() throws Exception {
        Path model = BenchTinyModels.write(BenchTinyModels.floatConvResize(), tmp, "tiny.onnx");
        Path out = tmp.resolve("demo");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            cl.setOut(new PrintWriter(System.out, true));
            rc = cl.execute("demo", "--model", model.toString(), "--out", out.toString(), "--subset", "4", "--images", "2",
                    "--seconds", "0.4", "--rounds", "1", "--json", "-");
        } finally {
            System.setOut(saved);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, err + printed);
        DemoPage.Figures s = Json.gson().fromJson(printed, DemoPage.Figures.class);
        assertFalse(s.synthetic());
        assertEquals(2, s.comparedImages());
        assertEquals(out.resolve("index.html").toAbsolutePath().normalize().toString(), s.index());
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
    }
}
