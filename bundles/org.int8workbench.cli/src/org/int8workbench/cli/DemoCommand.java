package org.int8workbench.cli;

import static org.int8workbench.core.report.DemoPage.percent;
import static org.int8workbench.core.report.DemoPage.speedup;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Json;
import org.int8workbench.core.Ort;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.demo.DeepLabV3Network;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.pipeline.PipelineResult;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.core.quantize.Preset;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.DemoPage;
import org.int8workbench.sample.EmbeddedSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code int8wb demo}: the whole story in one command — inspect, calibrate and quantize (Default method, Performance
 * preset), cut the exact fast label head, benchmark parent against optimized in latency and throughput mode, compare
 * predictions (and ground truth when the dataset has masks), and write one folder with the INT8 model and the reports.
 * Steps 2 to 5 are one {@link OptimizePipeline} run (outputs named by {@link OutputFiles#reportFolder}); the benchmark
 * times the compared images, and the comparison judges the model with the exact head when it was cut.
 *
 * <p>Without arguments it needs nothing but the product: it extracts the {@link EmbeddedSample} (the real VOC DeepLabV3,
 * MobileNetV2 0.5, 257x257, and 10 real VOC 2012 val image/mask pairs) into {@code OUT/sample}, calibrates on 5 of the
 * images and compares on the other 5 (the hold-out split), so its speed and accuracy figures are real ones.
 *
 * <p>With {@code --synthetic} the model is the reference tool's architecture (DeepLabV3, full-width MobileNetV2, 513x513,
 * 21 classes) built by {@link DeepLabV3Network} with seeded weights, and the images are generated: its speed figures are
 * real (the seed architecture's speed); its accuracy figures only show the mechanics, and every output says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline: inspect, optimize to INT8, benchmark parent vs optimized, compare predictions.",
            "Without --model it uses the embedded sample: the real VOC DeepLabV3 (MobileNetV2 0.5, 257x257, Apache-2.0) and"
                + " 10 real VOC 2012 val images with masks (calibrated on 5, compared on the other 5).",
            "--synthetic builds a DeepLabV3 (MobileNetV2, 513x513) with seeded random weights on generated images instead:"
                + " the speed is real, the accuracy figures only show the mechanics.",
            "With your inputs: demo --model M.onnx --dataset VOCDIR --calibration DIR"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "int8wb-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL", description = "An FP32 ONNX segmentation model (default: the embedded sample's VOC DeepLabV3).")
    Path model;

    @Option(names = "--synthetic", description = "Use the synthetic DeepLabV3 (full-width MobileNetV2, 513x513, seeded random weights)"
            + " on generated images: the seed architecture's speed; its accuracy figures only show the mechanics.")
    boolean syntheticModel;

    @Option(names = "--dataset", paramLabel = "DIR", description = "Images to compare on, with masks for accuracy (VOC or folder;"
            + " default: the sample's 5 hold-out images, or generated with --synthetic).")
    Path dataset;

    @Option(names = "--split", paramLabel = "NAME", description = "Pascal VOC split of --dataset (default: val).")
    String split;

    @Option(names = "--calibration", paramLabel = "DIR", description = "Calibration images (default: the sample's 5 calibration"
            + " images, --dataset's images when --dataset is given, or generated with --synthetic).")
    Path calibration;

    @Option(names = "--subset", paramLabel = "N", description = "Calibration images to use (default: 300, or all if fewer).")
    Integer subset;

    @Option(names = "--images", paramLabel = "N", description = "Compare on the first N images only (default: all; 8 generated).")
    Integer images;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "40",
            description = "Benchmark time in total, split between latency and throughput mode (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Interleaved benchmark rounds per mode (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--no-fast-head", negatable = false, description = "Do not cut the exact fast label head.")
    boolean noFastHead;

    @Option(names = "--seed", defaultValue = "20261127", description = "Seed of the synthetic weights and images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PreprocessingOptions preprocessing;

    @Option(names = "--force", description = "Replace the output folder's earlier results.")
    boolean force;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON ('-' for standard output).")
    Path json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        // every option and the output policy before any work (a run of minutes must not end in a refusal)
        Checks.atLeast("--rounds", rounds, 1);
        Checks.positive("--seconds", seconds, "seconds");
        Checks.atLeast("--subset", subset, 1);
        Checks.atLeast("--images", images, 1);
        if (model != null && !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no model at " + model.toAbsolutePath().normalize() + "; give an FP32 .onnx file with --model");
        }
        OutputPolicy inputs = OutputPolicy.inputs().model(model).folder(dataset).folder(calibration);
        inputs.checkFolderNotInput(out);
        CliSupport.refuseExistingJson(json, force, inputs);
        // with --json - standard output carries the JSON alone
        boolean quiet = json != null && json.toString().equals("-");
        PrintWriter o = quiet ? new PrintWriter(Writer.nullWriter()) : spec.commandLine().getOut();
        Path dir = out.toAbsolutePath().normalize();
        if (syntheticModel && model != null) {
            throw new IllegalArgumentException("--synthetic and --model exclude each other: give one of them");
        }
        prepareOutputFolder(dir);
        boolean synthetic = syntheticModel;
        boolean useSample = !synthetic && model == null;
        ConsoleProgress progress = new ConsoleProgress();

        // 1. the model
        Path parent;
        Preprocessing pre;
        EmbeddedSample.Extracted sample = null;
        if (useSample) {
            sample = extractSample(dir.resolve("sample"), o);
            parent = sample.model();
            pre = preprocessing.resolve(parent);
        } else if (synthetic) {
            DeepLabV3Network net = new DeepLabV3Network().atrousRates();
            parent = dir.resolve("deeplabv3_mnv2_513_synthetic.onnx");
            o.println("Building " + net.describe() + " with seeded weights (seed " + seed + ")");
            net.write(parent, seed, true);
            pre = preprocessing.apply(net.preprocessing());
        } else {
            parent = model.toAbsolutePath().normalize();
            if (!Files.isRegularFile(parent)) {
                throw new IllegalArgumentException("no model at " + parent + "; give an FP32 .onnx file with --model");
            }
            pre = preprocessing.resolve(parent);
        }
        ModelSummary summary = ModelSummary.of(parent);
        o.printf(Locale.ROOT, "Model: %s (%s, %d Conv, %.2f GMAC, %,d parameters)%n", parent.getFileName(), summary.precision(),
                summary.opHistogram().getOrDefault("Conv", 0), summary.macs() / 1e9, summary.parameters());
        o.println("Preprocessing: " + pre.describe());

        // 2. the data
        SegmentationDataset compare = dataset != null ? Datasets.open(dataset, split)
                : sample != null ? Datasets.open(sample.dataset(), EmbeddedSample.HOLDOUT_SPLIT)
                : Datasets.generated(8, pre.width(), pre.height(), seed + 1, GeneratedDataset.Kind.PATTERN);
        SegmentationDataset calib = calibration != null ? Datasets.open(calibration)
                : dataset != null ? compare
                : sample != null ? Datasets.open(sample.calibration())
                : Datasets.generated(32, pre.width(), pre.height(), seed + 2, GeneratedDataset.Kind.PATTERN);
        String calibrationNote;
        if (calibration == null && dataset != null) {
            calibrationNote = "calibrated on the compared images themselves; give --calibration DIR to keep them apart";
            o.println("note: " + calibrationNote);
        } else if (sample != null && calibration == null && dataset == null) {
            calibrationNote = "the sample's 10 VOC 2012 val images are split in two: calibrated on 5, compared on the other 5"
                    + " (none of them used for calibration)";
            o.println("Sample: " + calibrationNote);
        } else {
            calibrationNote = null;
        }

        // 3. to 6.: quantize, cut the exact fast label head, benchmark both modes (parent, INT8 and INT8 with the head
        // interleaved in one run each, on the compared images), compare the fastest model's predictions with the parent's
        OutputFiles files = OutputFiles.reportFolder(dir, parent);
        QuantizationSettings qs = new QuantizationSettings(Preset.PERFORMANCE, QuantizationSettings.defaults().method(), QuantizationSettings.DEFAULT_PERCENTILE,
                subset != null ? subset : QuantizationSettings.DEFAULT_SUBSET, 0, seed, IgnoredScope.none(), false, true);
        PipelineRequest request = PipelineRequest.optimize(parent, calib).withPreprocessing(pre).withQuantization(qs)
                .withCutHead(!noFastHead)
                .withBenchmark(PipelineRequest.Benchmark.bothModes()
                        .withSeconds(seconds / 2).withRounds(rounds).withSeed(seed).withImages(compare))
                .withCompare(PipelineRequest.Compare.on(compare).withLimit(images != null ? images : 0))
                .withOutputs(files).withReplace(true);
        PipelineResult result = new OptimizePipeline(request).run(progress);
        QuantizationResult qr = result.quantization();
        o.print(qr.describe());
        String headNote;
        if (result.headCut() == null) {
            headNote = "not cut (--no-fast-head)";
        } else {
            var cut = result.headCut();
            headNote = cut.cut() ? "cut: " + cut.head().describe() : "not cut: " + cut.reason();
            o.println("Exact fast label head: " + headNote);
        }
        result.outputLines().forEach(l -> o.println("Model " + l));
        BenchmarkResult latency = result.latency();
        BenchmarkResult throughput = result.throughput();
        AccuracyReport acc = result.accuracy();
        Path int8 = result.int8();
        Path head = result.head();
        int last = latency.comparisons().size() - 1;

        DemoPage.Figures s = new DemoPage.Figures(synthetic, parent.toString(), int8.toString(), head == null ? null : head.toString(),
                headNote, calib.description(), qr.calibrationImages(), compare.description(), acc.images().size(), qr.integerConvNodes(),
                qr.convNodes(), latency.comparisons().get(0).speedup(), throughput.comparisons().get(0).speedup(),
                latency.comparisons().get(last).endToEndSpeedup(), throughput.comparisons().get(last).endToEndSpeedup(),
                throughput.models().get(0).fps(), throughput.models().get(1).fps(), acc.agreement().pixelAgreement(),
                acc.agreement().meanIoU(), acc.reference() == null ? null : acc.reference().meanIoU(),
                acc.groundTruth() == null ? null : acc.groundTruth().meanIoU(), files.index().toString(),
                files.accuracyDir().resolve(AccuracyReportWriter.HTML).toString(),
                result.latencyFile().resolveSibling(BenchmarkReportWriter.HTML).toString(),
                result.throughputFile().resolveSibling(BenchmarkReportWriter.HTML).toString(),
                CpuInfo.current().describe(), Ort.version(), (System.nanoTime() - start) / 1e9, useSample, calibrationNote,
                DemoPage.worstImages(acc, files.accuracyDir(), WORST_IMAGES), DemoPage.speeds(throughput, latency));
        Json.write(files.summary(), s, true);
        AtomicOutput.write(files.index(), true, DemoPage.html(s).getBytes(StandardCharsets.UTF_8));
        printSummary(o, s);
        CliSupport.writeJson(json, s, force);
        return 0;
    }

    /** The worst images the page shows side by side. */
    private static final int WORST_IMAGES = 3;

    /** The sample in {@code dir}: reused when an earlier demo extracted it completely, else written anew. */
    private static EmbeddedSample.Extracted extractSample(Path dir, PrintWriter o) throws IOException {
        if (EmbeddedSample.isExtractedAt(dir)) {
            o.println("Sample: " + dir + " (extracted earlier)");
            return EmbeddedSample.Extracted.at(dir);
        }
        if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " exists but is not a complete INT8 Workbench sample: move it away or give another --out");
        }
        EmbeddedSample.Extracted s = EmbeddedSample.extractTo(dir);
        o.println("Sample: extracted the VOC DeepLabV3 and 10 VOC 2012 val images to " + dir + " (origin and licenses: "
                + s.notice().getFileName() + ")");
        return s;
    }

    private void prepareOutputFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    if (!force) {
                        throw new IllegalArgumentException(dir + " is not empty: give another --out, or --force to replace its results");
                    }
                    // --force replaces only an earlier demo's results (the marker, or the summary of a demo before it)
                    if (!Files.isRegularFile(dir.resolve(AtomicFolder.MARKER)) && !OutputPolicy.isOwnFile(dir.resolve(OutputFiles.SUMMARY))) {
                        throw new IllegalArgumentException(dir + " holds files that INT8 Workbench did not write; the demo replaces only"
                                + " an earlier demo's results, even with --force. Give another --out");
                    }
                }
            }
        }
        Files.createDirectories(dir);
        AtomicFolder.writeMarker(dir);
    }

    private static void printSummary(PrintWriter o, DemoPage.Figures s) {
        o.println();
        o.println("INT8 Workbench demo — " + (s.synthetic()
                ? "SYNTHETIC model and images: the speed is real, the accuracy figures only show the mechanics"
                : s.embeddedSample() ? "the embedded sample: the real VOC DeepLabV3 on real VOC 2012 val images" : "real model and data"));
        if (s.calibrationNote() != null) {
            o.println("  Calibration:           " + s.calibrationImages() + " images; " + s.calibrationNote());
        }
        o.println("  CPU: " + s.cpu() + ", ONNX Runtime " + s.onnxRuntime());
        o.println("  INT8 model:            " + s.int8Model());
        o.printf(Locale.ROOT, "  Conv as integer:       %d of %d%n", s.integerConvNodes(), s.convNodes());
        o.println("  Throughput speedup:    " + speedup(s.throughputSpeedup()) + " INT8 vs FP32, model only");
        o.println("  Latency speedup:       " + speedup(s.latencySpeedup()) + " INT8 vs FP32, model only");
        if (s.headModel() != null) {
            o.println("  End to end (labels/s): " + speedup(s.endToEndThroughputSpeedup()) + " throughput, "
                    + speedup(s.endToEndLatencySpeedup()) + " latency — INT8 with the exact fast label head vs FP32 + argmax");
        }
        o.println("  Pixel agreement:       " + percent(s.pixelAgreement()) + " of pixels keep the parent's class ("
                + s.comparedImages() + " images)");
        o.println("  Mean IoU vs parent:    " + percent(s.agreementMeanIoU()));
        if (s.parentMeanIoU() != null) {
            o.println("  Ground truth mIoU:     FP32 " + percent(s.parentMeanIoU()) + ", INT8 " + percent(s.int8MeanIoU())
                    + (s.int8MeanIoU() == null ? "" : " (" + DemoPage.points(s.int8MeanIoU() - s.parentMeanIoU()) + ")")
                    + "; mean over classes of total intersection / total union");
        }
        o.println("  Report:                " + s.index());
        o.printf(Locale.ROOT, "  Took %.0f s%n", s.seconds());
    }
}
