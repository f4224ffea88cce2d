package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancelling from another thread at a known step (latches, no sleeps): the run stops, and afterwards the folder holds the
 * parent model, unchanged, and nothing else — no INT8 model without its reports, no half-written file.
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

    @ParameterizedTest
    @EnumSource(OptimizePipeline.Step.class)
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
        if (step != OptimizePipeline.Step.QUANTIZE) {
            assertTrue(PipelineTinyModel.tree(dir).contains("tiny.int8.onnx"), "the INT8 model was written before " + step);
        }
        monitor.setCanceled(true);
        monitor.cancelled.countDown();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertInstanceOf(OperationCanceledException.class, e.getCause(), String.valueOf(e.getCause()));
        assertEquals(List.of("tiny.onnx"), PipelineTinyModel.tree(dir));
        assertEquals(sha, Sha256.of(model));
    }
}
