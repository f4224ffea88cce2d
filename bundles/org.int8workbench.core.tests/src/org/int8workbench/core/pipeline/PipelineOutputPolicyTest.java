package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.junit.jupiter.api.Test;

/**
 * The pipeline under the output policy: an INT8 model the tool did not write is not replaced even when replacing; a
 * stale head model never stays beside a new INT8 model; a size the model cannot take is refused before any work.
 */
class PipelineOutputPolicyTest {

    private static SegmentationDataset data() {
        return Datasets.generated(4, PipelineTinyModel.SIZE, PipelineTinyModel.SIZE, 2, GeneratedDataset.Kind.PATTERN);
    }

    @Test
    void aForeignInt8ModelIsNotReplacedEvenWhenReplacing() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-policy-foreign");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        Path foreign = PipelineTinyModel.write(dir, "tiny.int8.onnx");
        String sha = Sha256.of(foreign);
        CoreException e = assertThrows(CoreException.class,
                () -> new OptimizePipeline(PipelineRequest.optimize(model, data()).withReplace(true)).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("did not write"), e.getMessage());
        assertEquals(sha, Sha256.of(foreign));
        assertEquals(List.of("tiny.int8.onnx", "tiny.onnx"), PipelineTinyModel.tree(dir));
    }

    @Test
    void aStaleHeadNeverStaysBesideANewInt8Model() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-policy-stale-head");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        PipelineResult first = new OptimizePipeline(PipelineRequest.optimize(model, data())).run(new NullProgressMonitor());
        assertTrue(first.head() != null && Files.exists(first.head()), "the first run cut a head");
        List<String> before = PipelineTinyModel.tree(dir);
        String headSha = Sha256.of(first.head());
        // without replacing, the head's name is taken: refused before any work
        CoreException e = assertThrows(CoreException.class,
                () -> new OptimizePipeline(PipelineRequest.optimize(model, data())).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertEquals(before, PipelineTinyModel.tree(dir));
        assertEquals(headSha, Sha256.of(first.head()));
        // replacing without a head: the earlier head goes with the earlier INT8 model
        new OptimizePipeline(PipelineRequest.optimize(model, data()).withCutHead(false).withReplace(true)).run(new NullProgressMonitor());
        assertEquals(List.of("tiny.int8.onnx", "tiny.onnx"), PipelineTinyModel.tree(dir));
    }

    @Test
    void aSizeTheModelCannotTakeIsRefusedBeforeAnyWork() throws Exception {
        Path dir = PipelineTinyModel.fresh("pipeline-policy-size");
        Path model = PipelineTinyModel.write(dir, "tiny.onnx");
        for (int side : new int[] {300, 100_000}) {
            Preprocessing pre = Preprocessing.defaults(side, side, Preprocessing.Layout.NCHW);
            CoreException e = assertThrows(CoreException.class,
                    () -> new OptimizePipeline(PipelineRequest.optimize(model, data()).withPreprocessing(pre)).run(new NullProgressMonitor()));
            assertTrue(e.getMessage().contains(side == 300 ? "the model's input takes 16x16" : "too large"), e.getMessage());
            assertEquals(List.of("tiny.onnx"), PipelineTinyModel.tree(dir));
        }
        // the same check for a wizard, before any work
        assertEquals(null, OptimizePipeline.sizeProblem(model, 16, 16, Preprocessing.Layout.NCHW));
        assertTrue(OptimizePipeline.sizeProblem(model, 300, 200, Preprocessing.Layout.NCHW).contains("takes 16x16"));
    }
}
