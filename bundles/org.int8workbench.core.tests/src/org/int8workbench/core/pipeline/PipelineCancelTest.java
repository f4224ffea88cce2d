package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelling from another thread at a known step (latches, no sleeps): the run stops, and afterwards the folder holds what
 * it held before — the parent model, unchanged, and nothing else, or the earlier outputs a replacing run was about to
 * replace; no INT8 model without its reports, no half-written file, no backup.
 */
class PipelineCancelTest {

    /** Announces each step; at {@code at} it tells the test and waits until the test has cancelled. */
    private static final class StepMonitor extends NullProgressMonitor {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);
        private final OptimizePipeline.Step at;

        StepMonitor(OptimizePipeline.Step at) {
            this.at = at;
        }

        @Override
        public void subTask(String name) {
            if (at.label().equals(name) && reached.getCount() > 0) {
                reached.countDown();
                try {
                    cancelled.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The steps of the Default method's pipeline (the Accuracy-aware step's cancel is AccuracyAwareDeeplabTest's). */
    @ParameterizedTest
    @EnumSource(value = OptimizePipeline.Step.class, names = "ACCURACY_CONTROL", mode = EnumSource.Mode.EXCLUDE)
    void cancelAtAStepLeavesOnlyTheParent(OptimizePipeline.Step step) throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-cancel-" + step);
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        String sha = Sha256.of(model);
        SegmentationDataset data = Datasets.generated(4, PipelineTinyModel.SIZE, PipelineTinyModel.SIZE, 2, GeneratedDataset.Kind.PATTERN);
        PipelineRequest request = PipelineRequest.optimize(model, data)
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0.2).withRounds(1))
                .withCompare(PipelineRequest.Compare.on(data));
        StepMonitor monitor = new StepMonitor(step);
        CompletableFuture<PipelineResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new OptimizePipeline(request).run(monitor);
            } catch (org.eclipse.core.runtime.CoreException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(monitor.reached.await(60, TimeUnit.SECONDS), "the pipeline reaches " + step);
        if (step == OptimizePipeline.Step.CUT_HEAD) {
            // the new INT8 model waits under a hidden name until its head is cut, then both move into place together
            assertTrue(PipelineTinyModel.tree(dir).stream().anyMatch(n -> n.startsWith(".tiny.int8.onnx.new-")),
                    "the INT8 model was written (staged) before " + step + ": " + PipelineTinyModel.tree(dir));
            assertTrue(!PipelineTinyModel.tree(dir).contains("tiny.int8.onnx"), "and is not in place yet");
        } else if (step != OptimizePipeline.Step.QUANTIZE) {
            assertTrue(PipelineTinyModel.tree(dir).contains("tiny.int8.onnx"), "the INT8 model was written before " + step);
        }
        monitor.setCanceled(true);
        monitor.cancelled.countDown();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertInstanceOf(OperationCanceledException.class, e.getCause(), String.valueOf(e.getCause()));
        assertEquals(List.of("tiny.onnx"), PipelineTinyModel.tree(dir));
        assertEquals(sha, Sha256.of(model));
    }

    static Stream<Arguments> stepsAndLayouts() {
        return Stream.of(OptimizePipeline.Step.values()).filter(s -> s != OptimizePipeline.Step.ACCURACY_CONTROL).flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    /**
     * Re-optimizing over earlier outputs and cancelling at each step puts the earlier outputs back, byte for byte, and
     * leaves no backup or temporary file. In the report folder a benchmark folder holding a file of the user's keeps it.
     */
    @ParameterizedTest
    @MethodSource("stepsAndLayouts")
    void cancelWhileReplacingRestoresTheEarlierOutputs(OptimizePipeline.Step step, boolean reportFolder) throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-cancel-replace-" + step + (reportFolder ? "-folder" : ""));
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        Path out = dir.resolve("report");
        OutputFiles outputs = reportFolder ? OutputFiles.reportFolder(out, model) : OutputFiles.besideModel(model);
        SegmentationDataset data = Datasets.generated(4, PipelineTinyModel.SIZE, PipelineTinyModel.SIZE, 2, GeneratedDataset.Kind.PATTERN);
        PipelineRequest first = PipelineRequest.optimize(model, data).withOutputs(outputs)
                .withBenchmark(PipelineRequest.Benchmark.of(Mode.LATENCY).withSeconds(0.2).withRounds(1))
                .withCompare(PipelineRequest.Compare.on(data).withPictures(false));
        PipelineResult earlier = new OptimizePipeline(first).run(new NullProgressMonitor());
        assertTrue(earlier.hasHead(), "the earlier run cut the head");
        if (reportFolder) {
            Files.writeString(out.resolve("benchmark-latency/notes.txt"), "the user's notes");
        }
        Map<String, String> before = contents(dir);
        assertTrue(before.keySet().containsAll(reportFolder ? List.of("report/tiny.int8.onnx", "report/tiny.int8.head.onnx",
                "report/benchmark-latency/benchmark.json", "report/accuracy/report.json")
                : List.of("tiny.int8.onnx", "tiny.int8.head.onnx", "tiny.int8.benchmark.json", "tiny.int8.accuracy/report.json")),
                before.keySet().toString());

        // again, replacing, with other calibration images (another INT8 model): cancelled at the step
        SegmentationDataset other = Datasets.generated(3, PipelineTinyModel.SIZE, PipelineTinyModel.SIZE, 9, GeneratedDataset.Kind.PATTERN);
        PipelineRequest again = first.withCalibration(other).withReplace(true);
        StepMonitor monitor = new StepMonitor(step);
        CompletableFuture<PipelineResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new OptimizePipeline(again).run(monitor);
            } catch (org.eclipse.core.runtime.CoreException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(monitor.reached.await(60, TimeUnit.SECONDS), "the pipeline reaches " + step);
        if (step == OptimizePipeline.Step.CUT_HEAD) {
            // the new INT8 model waits under a hidden name until its head is cut; the earlier one is set aside
            assertTrue(!Files.exists(outputs.int8()), "the earlier INT8 model is set aside before " + step);
        } else if (step != OptimizePipeline.Step.QUANTIZE) {
            assertNotEquals(before.get(reportFolder ? "report/tiny.int8.onnx" : "tiny.int8.onnx"),
                    Sha256.of(outputs.int8()), "the new INT8 model was written before " + step);
        }
        monitor.setCanceled(true);
        monitor.cancelled.countDown();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertInstanceOf(OperationCanceledException.class, e.getCause(), String.valueOf(e.getCause()));
        assertEquals(PipelineTinyModel.tree(dir).stream().filter(n -> !n.startsWith(".") && !n.contains("/.")).toList(),
                PipelineTinyModel.tree(dir), "no backup or temporary file remains");
        assertEquals(before, contents(dir), "the earlier outputs are back, unchanged");
    }

    /** Every regular file under {@code dir} (relative name) with its SHA-256. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String name : PipelineTinyModel.tree(dir)) {
            Path p = dir.resolve(name);
            m.put(name, Files.isRegularFile(p) ? Sha256.of(p) : "folder");
        }
        return m;
    }
}
