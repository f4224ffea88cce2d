package org.int8workbench.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.RangeMethod;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run history on a tiny Conv + Resize model optimized twice through the real pipeline (real ONNX Runtime
 * sessions, generated images): what a run records, the kept model copies surviving a later run that replaces the files
 * beside the model, newest-first listing, a half-written or corrupt run never listed (and never a crash), deleting, and
 * comparing runs side by side.
 */
class RunHistoryTest {
    private static Path dir;
    private static Path model;
    private static RunHistory.Run first;
    private static RunHistory.Run second;
    private static String firstInt8Sha;
    private static QuantizationResult quantization;

    private static SegmentationDataset images(int n, long seed) {
        return Datasets.generated(n, 8, 8, seed, GeneratedDataset.Kind.PATTERN);
    }

    @BeforeAll
    static void optimizeTwice() throws Exception {
        dir = fresh("run-history");
        model = BenchTinyModels.write(BenchTinyModels.floatConvResize(), dir, "tiny.onnx");
        SegmentationDataset compare = images(4, 3);
        PipelineRequest request = PipelineRequest.optimize(model, images(8, 1))
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.THROUGHPUT).withSeconds(0.3).withRounds(2).withImages(compare))
                .withCompare(PipelineRequest.Compare.on(compare).withLimit(3).withPictures(false)).withReplace(true);
        OptimizePipeline p1 = new OptimizePipeline(request).withHistory(RunHistory.besideModels());
        var r1 = p1.run(new NullProgressMonitor());
        assertNull(p1.historyProblem());
        first = p1.recordedRun();
        firstInt8Sha = Sha256.of(r1.int8());
        quantization = r1.quantization();

        QuantizationSettings s = QuantizationSettings.defaults();
        QuantizationSettings percentile = new QuantizationSettings(s.preset(), RangeMethod.PERCENTILE, 99.0, s.subsetSize(),
                s.subsetPercent(), s.seed(), s.ignoredScope(), s.keepFirstLast(), false);
        OptimizePipeline p2 = new OptimizePipeline(request.withQuantization(percentile)).withHistory(RunHistory.besideModels());
        p2.run(new NullProgressMonitor());
        second = p2.recordedRun();
        assertNotNull(first);
        assertNotNull(second);
    }

    @Test
    void recordsSettingsFiguresAndKeptCopies() throws Exception {
        Path folder = dir.resolve(".int8workbench/runs/tiny.onnx");
        assertEquals(folder, RunHistory.besideModels().folder(model));
        assertEquals(folder.resolve(first.id()), first.folder());
        RunRecord r = first.record();
        assertEquals(RunRecord.FORMAT, r.format());
        assertEquals(model.toAbsolutePath().normalize().toString(), r.parent().path());
        assertEquals(Sha256.of(model), r.parent().sha256());
        assertEquals("default", r.method());
        assertEquals("performance", r.preset());
        assertEquals("mean-minmax", r.range());
        assertEquals("mean-minmax", r.settings().get("method"));
        assertEquals(8, r.calibrationImages());
        assertTrue(r.quantizedNodes() >= 1, "quantized nodes: " + r.quantizedNodes());
        assertEquals(List.of(), r.ignoredNodes());

        // the kept copies: the INT8 model and the model cut before its head, as the run wrote them
        assertEquals("tiny.int8.onnx", r.int8().kept());
        assertNotNull(r.head(), "the tiny model's Resize head is cut");
        assertEquals("tiny.int8.head.onnx", r.head().kept());
        assertEquals(first.head(), first.measured());
        assertEquals(r.int8().sha256(), Sha256.of(first.int8()));
        assertEquals(r.head().sha256(), Sha256.of(first.head()));
        // the second run replaced tiny.int8.onnx beside the model; the first run's copy is still the first model
        assertEquals(firstInt8Sha, Sha256.of(first.int8()));
        assertNotEquals(firstInt8Sha, Sha256.of(dir.resolve("tiny.int8.onnx")), "percentile ranges give another model");
        assertEquals(Sha256.of(dir.resolve("tiny.int8.onnx")), Sha256.of(second.int8()));

        // the figures of the pipeline's own benchmark and comparison
        RunRecord.Speed speed = r.speed();
        assertNotNull(speed);
        assertEquals(first.record().head().path(), speed.measured());
        assertTrue(speed.throughput() > 0 && speed.fps() > 0 && speed.parentFps() > 0, speed.toString());
        assertNotNull(speed.endToEndThroughput());
        assertNull(speed.latency(), "latency mode was not measured");
        RunRecord.Accuracy acc = r.accuracy();
        assertNotNull(acc);
        assertEquals(3, acc.images());
        assertTrue(acc.pixelAgreement() > 0.5 && acc.pixelAgreement() <= 1, "agreement " + acc.pixelAgreement());
        assertEquals(1, r.reports().benchmarks().size());
        assertTrue(r.reports().benchmarks().get(0).endsWith("tiny.int8.benchmark.json"), r.reports().benchmarks().toString());
        assertNotNull(r.reports().accuracy());
        // copies of the report records, which the next run beside the model replaces
        assertEquals(List.of(first.folder().resolve("throughput.benchmark.json")), first.benchmarkReports());
        assertEquals(3, BenchmarkReportWriter.read(first.benchmarkReports().get(0)).models().size());
        assertEquals(first.folder().resolve("accuracy/report.json"), first.accuracyReport());
        assertEquals(3, org.int8workbench.core.report.AccuracyReportWriter.read(first.accuracyReport()).images().size());

        assertEquals("percentile", second.record().range());
        assertEquals("99.0", second.record().settings().get("percentile"));
        assertEquals("false", second.record().settings().get("fastBiasCorrection"));
    }

    @Test
    void listsNewestFirstAndSkipsHalfWrittenAndCorruptRuns() throws Exception {
        RunHistory h = RunHistory.besideModels();
        Path folder = h.folder(model);
        // a run being written (AtomicFolder's hidden temporary folder), a corrupt record, a record without its model copy
        Path half = folder.resolve(".20991231-000000-000.tmp");
        copyTree(first.folder(), half);
        Path corrupt = folder.resolve("20991231-000000-001");
        Files.createDirectories(corrupt);
        Files.writeString(corrupt.resolve(RunHistory.RECORD), "{\"id\": \"20991231-000000-001\", \"time\": [", StandardCharsets.UTF_8);
        Path noModel = folder.resolve(first.id() + "-copy");
        Files.createDirectories(noModel);
        Files.writeString(noModel.resolve(RunHistory.RECORD), Files.readString(first.folder().resolve(RunHistory.RECORD))
                .replace("\"id\": \"" + first.id() + "\"", "\"id\": \"" + first.id() + "-copy\""));
        try {
            RunHistory.Listing l = h.list(model);
            assertEquals(List.of(second.id(), first.id()), l.runs().stream().map(RunHistory.Run::id).toList(), "newest first");
            assertEquals(2, l.warnings().size(), l.warnings().toString());
            assertTrue(l.warnings().stream().anyMatch(w -> w.startsWith("skipped run 20991231-000000-001: run.json is not a run record")),
                    l.warnings().toString());
            assertTrue(l.warnings().stream().anyMatch(w -> w.contains(first.id() + "-copy") && w.contains("the kept model is missing")),
                    l.warnings().toString());
            assertEquals(first.record(), l.find(first.id()).record(), "run.json reads back as it was written");
        } finally {
            for (Path p : List.of(half, corrupt, noModel)) {
                deleteTree(p);
            }
        }
        assertEquals(List.of(), h.list(dir.resolve("other.onnx")).runs(), "a model without runs has none");
    }

    @Test
    void aFailedRecordLeavesNothingAndDeleteForgetsARun() throws Exception {
        Path root = fresh("run-history-root");
        RunHistory h = RunHistory.under(root);
        RunOutcome missing = new RunOutcome(model, dir.resolve("gone.int8.onnx"), null, null, null, quantization, List.of(), List.of(), null, null, List.of());
        assertThrows(IOException.class, () -> h.record(missing));
        try (Stream<Path> s = Files.list(h.folder(model))) {
            assertEquals(List.of(), s.toList(), "no run folder and no temporary folder left");
        }

        RunOutcome ok = new RunOutcome(model, first.int8(), null, null, "accuracy-aware", quantization, List.of(), List.of(), null, null,
                List.of("conv_0"));
        RunHistory.Run a = h.record(ok);
        RunHistory.Run b = h.record(ok);
        assertNotEquals(a.id(), b.id(), "two runs in the same millisecond get distinct ids");
        assertEquals(root.resolve("tiny.onnx").resolve(a.id()), a.folder());
        assertEquals("accuracy-aware, performance / mean-minmax", a.record().describeSettings());
        assertEquals(List.of("conv_0"), a.record().revertedNodes());
        assertNull(a.record().speed());
        assertNull(a.record().head());
        assertEquals(a.int8(), a.measured());
        assertEquals(2, h.list(model).runs().size());

        h.delete(model, a.id());
        assertEquals(List.of(b.id()), h.list(model).runs().stream().map(RunHistory.Run::id).toList());
        assertFalse(Files.exists(a.folder()));
        assertTrue(Files.isRegularFile(first.int8()), "deleting a run's copy leaves other runs' models alone");
        assertThrows(IllegalArgumentException.class, () -> h.delete(model, "../tiny.onnx"));
    }

    @Test
    void comparesRunsInOneBenchmarkAndEvaluatesEachAgainstTheParent() throws Exception {
        RunHistory h = RunHistory.besideModels();
        Path out = h.comparisonFolder(model);
        RunComparison c = new CompareRunsOperation(model, List.of(first, second)).seconds(0.4).rounds(2).images(images(4, 5))
                .dataset(images(3, 9)).output(out).run(new NullProgressMonitor());
        assertEquals(3, c.benchmark().models().size(), "the parent and both runs' models in one run");
        assertEquals(List.of(model.toAbsolutePath().normalize().toString(), first.measured().toString(), second.measured().toString()),
                c.benchmark().models().stream().map(m -> m.path()).toList());
        assertEquals(List.of(first.id(), second.id()), c.columns().stream().map(RunComparison.Column::id).toList());
        for (RunComparison.Column col : c.columns()) {
            assertTrue(col.speed().throughput() > 0, col.toString());
            assertEquals(3, col.accuracy().images());
            assertTrue(col.accuracy().pixelAgreement() > 0.5, col.toString());
            assertTrue(Files.isRegularFile(Path.of(col.accuracyReport())), col.accuracyReport());
        }
        assertEquals(List.of(), c.notes());
        assertEquals(out.resolve("benchmark").resolve(BenchmarkReportWriter.JSON).toString(), c.benchmarkFile());
        assertEquals(3, BenchmarkReportWriter.read(Path.of(c.benchmarkFile())).models().size());
        assertTrue(Files.isRegularFile(out.resolve(RunComparison.JSON)));
        assertEquals(List.of(first.id(), second.id()), h.list(model).runs().reversed().stream().map(RunHistory.Run::id).toList(),
                "a comparison is not a run");
    }

    private static Path fresh(String name) throws IOException {
        Path d = TestData.scratch(name);
        deleteTree(d);
        Files.createDirectories(d);
        return d;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
