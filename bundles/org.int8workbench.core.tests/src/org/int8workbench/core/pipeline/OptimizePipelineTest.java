package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on a tiny network with a cuttable head and generated images: quantize, cut the head, benchmark
 * both modes, compare; which models are measured; the names of the outputs; refusing existing outputs before any
 * work and never writing over an input; measuring an existing INT8 model (with the head model cut from it) as the
 * workbench's Benchmark and Evaluate actions do.
 */
class OptimizePipelineTest {
    private static final int S = PipelineTinyModel.SIZE;

    private static SegmentationDataset images(int n, long seed) {
        return Datasets.generated(n, S, S, seed, GeneratedDataset.Kind.PATTERN);
    }

    @Test
    void quantizesCutsBenchmarksAndComparesTheFastestModel() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-full");
        Path model = PipelineTinyModel.write(dir.resolve("in"), "tiny.onnx");
        String sha = Sha256.of(model);
        Path out = dir.resolve("out");
        SegmentationDataset compare = images(4, 3);
        PipelineRequest request = PipelineRequest.optimize(model, images(8, 1))
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY, Mode.THROUGHPUT).withSeconds(0.3).withRounds(2).withImages(compare))
                .withCompare(PipelineRequest.Compare.on(compare).withLimit(3).withPictures(false))
                .withOutputs(OutputFiles.reportFolder(out, model));
        PipelineResult r = new OptimizePipeline(request).run(new NullProgressMonitor());

        assertEquals(sha, Sha256.of(model), "the parent is never written");
        assertEquals(out.resolve("tiny.int8.onnx"), r.int8());
        assertEquals(ModelSummary.Precision.INT8_QDQ, ModelSummary.of(r.int8()).precision());
        assertEquals(8, r.quantization().calibrationImages());
        assertNotNull(r.headCut());
        assertTrue(r.headCut().cut(), r.headCut().reason());
        assertEquals(out.resolve("tiny.int8.head.onnx"), r.head());
        assertEquals(r.head(), r.measured(), "with a head, the model with the exact head is the one measured");

        // one interleaved run per mode: parent, INT8, INT8 with the head
        assertEquals(List.of(Mode.LATENCY, Mode.THROUGHPUT), List.copyOf(r.benchmarks().keySet()));
        for (Mode m : Mode.values()) {
            BenchmarkResult b = r.benchmark(m);
            assertEquals(List.of(model.toAbsolutePath().normalize().toString(), r.int8().toString(), r.head().toString()),
                    b.models().stream().map(x -> x.path()).toList());
            Path json = out.resolve("benchmark-" + m.name().toLowerCase(java.util.Locale.ROOT)).resolve(BenchmarkReportWriter.JSON);
            assertEquals(json, r.benchmarkFiles().get(m));
            assertEquals(3, BenchmarkReportWriter.read(json).models().size());
            assertTrue(Files.isRegularFile(json.resolveSibling(BenchmarkReportWriter.HTML)));
        }

        // the comparison judges the model with the exact head against the parent
        AccuracyReport acc = r.accuracy();
        assertEquals(3, acc.images().size());
        assertEquals(r.head().toString(), acc.model().path());
        assertEquals(model.toAbsolutePath().normalize().toString(), acc.parentModel().path());
        assertEquals(out.resolve("accuracy").resolve(AccuracyReportWriter.JSON), r.accuracyReport());
        assertEquals(r.head().toString(), AccuracyReportWriter.read(r.accuracyReport()).model().path());

        assertEquals(List.of(r.int8(), r.head(), out.resolve("benchmark-latency"), out.resolve("benchmark-throughput"),
                out.resolve("accuracy")), r.written());
        assertFalse(PipelineTinyModel.tree(out).stream().anyMatch(n -> n.contains(".part") || n.contains(".tmp")),
                PipelineTinyModel.tree(out).toString());

        // the same request again, without replacing: refused before any work, nothing touched
        String int8Sha = Sha256.of(r.int8());
        CoreException e = assertThrows(CoreException.class, () -> new OptimizePipeline(request).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().contains(r.int8().toString()) && e.getMessage().contains("exists"), e.getMessage());
        assertEquals(int8Sha, Sha256.of(r.int8()));
        // allowed to replace, without a head this time: INT8 is measured and compared
        PipelineResult again = new OptimizePipeline(request.withReplace(true).withCutHead(false).withBenchmark(null))
                .run(new NullProgressMonitor());
        assertNull(again.head());
        assertFalse(Files.exists(out.resolve("tiny.int8.head.onnx")), "the head of the replaced INT8 model went with it");
        assertEquals(again.int8(), again.measured());
        assertEquals(again.int8().toString(), again.accuracy().model().path());
        assertTrue(again.benchmarks().isEmpty());
    }

    @Test
    void measuresAnExistingInt8ModelBesideIt() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-existing");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        PipelineResult made = new OptimizePipeline(PipelineRequest.optimize(model, images(6, 1)).withCutHead(false))
                .run(new NullProgressMonitor());
        assertEquals(List.of(dir.resolve("tiny.int8.onnx")), made.written());
        assertEquals(List.of("tiny.int8.onnx", "tiny.onnx"), PipelineTinyModel.tree(dir));

        // as the workbench's Benchmark and Evaluate actions: the pair from the INT8 model's metadata, reports beside it
        ModelPair pair = ModelPair.of(made.int8());
        assertEquals(model.toAbsolutePath().normalize(), pair.parent().toAbsolutePath().normalize());
        assertEquals(pair, ModelPair.of(model), "from the FP32 model: the INT8 model made from it");
        PipelineResult r = new OptimizePipeline(pair.request()
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0.2).withRounds(1))
                .withCompare(PipelineRequest.Compare.on(images(2, 5)).withPictures(false))).run(new NullProgressMonitor());
        assertNull(r.quantization());
        assertNull(r.headCut());
        assertEquals(made.int8(), r.measured());
        assertEquals(dir.resolve("tiny.int8.benchmark.json"), r.firstBenchmarkFile());
        assertEquals(2, r.benchmark(Mode.LATENCY).models().size());
        assertEquals(dir.resolve("tiny.int8.accuracy/report.json"), r.accuracyReport());
        assertEquals(List.of("tiny.int8.accuracy", "tiny.int8.benchmark.json", "tiny.int8.onnx", "tiny.onnx"),
                PipelineTinyModel.tree(dir).stream().filter(n -> !n.contains("/")).toList());

        // a model alone is measured alone
        PipelineResult alone = new OptimizePipeline(PipelineRequest.measure(null, model)
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.THROUGHPUT).withSeconds(0.2).withRounds(1)).withReplace(true))
                .run(new NullProgressMonitor());
        assertEquals(1, alone.benchmark(Mode.THROUGHPUT).models().size());
        assertEquals(dir.resolve("tiny.benchmark.json"), alone.firstBenchmarkFile());
    }

    @Test
    void measuresAnExistingInt8ModelWithItsHead() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-existing-head");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        PipelineResult made = new OptimizePipeline(PipelineRequest.optimize(model, images(6, 1))).run(new NullProgressMonitor());
        assertTrue(made.hasHead(), made.headCut().reason());
        Path head = dir.resolve("tiny.int8.head.onnx");
        assertEquals(head, made.head());

        // as the workbench's Benchmark and Evaluate actions: from the INT8 model or its parent, the head model comes along
        ModelPair pair = ModelPair.of(made.int8());
        assertEquals(head, pair.head());
        assertEquals(pair, ModelPair.of(model));
        assertNull(ModelPair.of(head).head(), "a head model has no head of its own");
        PipelineResult r = new OptimizePipeline(pair.request()
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0.2).withRounds(1))
                .withCompare(PipelineRequest.Compare.on(images(2, 5)).withPictures(false))).run(new NullProgressMonitor());
        assertEquals(head, r.measured());
        assertEquals(List.of(model.toAbsolutePath().normalize().toString(), made.int8().toString(), head.toString()),
                BenchmarkReportWriter.read(dir.resolve("tiny.int8.benchmark.json")).models().stream().map(m -> m.path()).toList());
        assertEquals(head.toString(), AccuracyReportWriter.read(dir.resolve("tiny.int8.accuracy/report.json")).model().path());

        // a head left from an earlier INT8 model is not taken for the head of a new one
        Path old = dir.resolve("old-head.onnx");
        Files.copy(head, old);
        new OptimizePipeline(PipelineRequest.optimize(model, images(4, 2)).withCutHead(false).withReplace(true)).run(new NullProgressMonitor());
        assertFalse(Files.exists(head), "re-optimizing without a head removes the head of the replaced model");
        Files.copy(old, head);
        assertNull(ModelPair.of(made.int8()).head(), "the head was cut from another INT8 model");
        assertNull(ModelPair.of(made.int8()).request().existingHead());
    }

    @Test
    void neverWritesOverAnInput() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-inputs");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        String sha = Sha256.of(model);
        // the INT8 model named like the parent, replacing allowed
        CoreException same = assertThrows(CoreException.class, () -> new OptimizePipeline(PipelineRequest.optimize(model, images(2, 1))
                .withOutputs(OutputFiles.besideInt8(model)).withReplace(true)).run(new NullProgressMonitor()));
        assertTrue(same.getMessage().contains("is an input of this run"), same.getMessage());
        // a benchmark file that is the model measured
        CoreException measured = assertThrows(CoreException.class, () -> new OptimizePipeline(PipelineRequest.measure(null, model)
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0.2).withRounds(1))
                .withOutputs(OutputFiles.besideInt8(model).withBenchmarkFile(model)).withReplace(true)).run(new NullProgressMonitor()));
        assertTrue(measured.getMessage().contains("is an input of this run"), measured.getMessage());
        assertEquals(sha, Sha256.of(model));

        // outputs inside the folder of the images read, or a folder holding them (an earlier report's pictures as data)
        Path photos = writeImages(dir.resolve("photos"));
        CoreException inside = assertThrows(CoreException.class, () -> new OptimizePipeline(PipelineRequest.optimize(model, Datasets.open(photos))
                .withOutputs(OutputFiles.reportFolder(photos.resolve("out"), model)).withReplace(true)).run(new NullProgressMonitor()));
        assertTrue(inside.getMessage().contains("lies inside the input folder"), inside.getMessage());
        Path pictures = writeImages(dir.resolve("tiny.int8.accuracy/pictures"));
        CoreException contains = assertThrows(CoreException.class, () -> new OptimizePipeline(PipelineRequest.optimize(model, images(2, 1))
                .withCompare(PipelineRequest.Compare.on(Datasets.open(pictures))).withReplace(true)).run(new NullProgressMonitor()));
        assertTrue(contains.getMessage().contains("contains " + pictures.toRealPath()), contains.getMessage());
        assertEquals(List.of("photos", "photos/img0.png", "photos/img1.png", "tiny.int8.accuracy", "tiny.int8.accuracy/pictures",
                "tiny.int8.accuracy/pictures/img0.png", "tiny.int8.accuracy/pictures/img1.png", "tiny.onnx"), PipelineTinyModel.tree(dir));
        assertEquals(sha, Sha256.of(model));
    }

    private static Path writeImages(Path folder) throws java.io.IOException {
        Files.createDirectories(folder);
        SegmentationDataset generated = images(2, 4);
        for (var sample : generated.samples()) {
            javax.imageio.ImageIO.write(generated.readImage(sample), "png", folder.resolve("img" + sample.index() + ".png").toFile());
        }
        return folder;
    }

    @Test
    void requestsSayWhatIsMissing() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-requests");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        CoreException noImages = assertThrows(CoreException.class,
                () -> new OptimizePipeline(PipelineRequest.optimize(model, null)).run(new NullProgressMonitor()));
        assertTrue(noImages.getMessage().contains("no calibration images"), noImages.getMessage());
        CoreException noModel = assertThrows(CoreException.class, () -> new OptimizePipeline(
                PipelineRequest.optimize(dir.resolve("missing.onnx"), images(2, 1))).run(new NullProgressMonitor()));
        assertTrue(noModel.getMessage().contains("missing.onnx"), noModel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineRequest.Benchmark.of(Mode.LATENCY, Mode.LATENCY));
        assertThrows(IllegalArgumentException.class, () -> PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0));
        assertThrows(IllegalArgumentException.class,
                () -> PipelineRequest.measure(null, model).withExistingHead(model).withCutHead(true));
        // one benchmark file cannot hold two modes: refused when the request is made, before anything runs
        IllegalArgumentException twoModes = assertThrows(IllegalArgumentException.class, () -> PipelineRequest.measure(null, model)
                .withOutputs(OutputFiles.besideInt8(model).withBenchmarkFile(dir.resolve("b.json")))
                .withBenchmark(PipelineRequest.Benchmark.bothModes()));
        assertTrue(twoModes.getMessage().contains("two modes"), twoModes.getMessage());
        assertEquals(List.of("tiny.onnx"), PipelineTinyModel.tree(dir));
    }
}
