package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline reads the outputs the request selects: the benchmark's end-to-end figures and the comparison use the
 * request's {@link OutputSelection}, the result names each output's kind and why, and a selection that does not fit
 * the model fails before any work with the decoders' message.
 */
class PipelineOutputKindsTest {
    @TempDir
    Path tmp;

    /** X [1,3,16,16] → 1x1 Conv to one channel → Sigmoid: a binary mask; {@code bias} shifts the "optimized" copy. */
    private Path sigmoidModel(String name, float bias) throws Exception {
        GraphBuilder b = new GraphBuilder("mask").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, 16, 16);
        String conv = b.node("Conv", "X", b.initializer(null, new float[] {0.8f, -0.5f, 0.3f}, 1, 3, 1, 1),
                b.initializer(null, new float[] {bias}, 1)).output();
        b.node("Sigmoid", conv).outputs("mask");
        b.output("mask", DataType.FLOAT, 1, 1, 16, 16);
        Path p = tmp.resolve(name);
        Files.write(p, b.build().toByteArray());
        return p;
    }

    @Test
    void benchmarkAndComparisonReadTheKindFoundAndTheResultNamesIt() throws Exception {
        Path parent = sigmoidModel("mask.onnx", 0);
        Path model = sigmoidModel("mask.int8.onnx", 0.05f);
        var images = Datasets.generated(3, 16, 16, 1, GeneratedDataset.Kind.PATTERN);
        PipelineRequest request = PipelineRequest.measure(parent, model)
                .withBenchmark(PipelineRequest.Benchmark.of(org.int8workbench.core.bench.BenchmarkOperation.Mode.LATENCY).withSeconds(1)
                        .withRounds(1))
                .withCompare(PipelineRequest.Compare.on(images).withPictures(false));
        PipelineResult r = new OptimizePipeline(request).run(new NullProgressMonitor());
        assertEquals(1, r.outputs().size());
        assertEquals(OutputKind.BINARY, r.outputs().get(0).kind());
        assertTrue(r.outputLines().get(0).startsWith("output 'mask': binary"), r.outputLines().toString());
        assertEquals("binary", r.accuracy().outputKind());
        String decoder = r.latency().models().get(0).endToEnd().decoder();
        assertTrue(decoder.contains("[binary"), decoder);

        // the user's selection reaches both steps: the comparison and the benchmark read the output as regression
        PipelineRequest chosen = request.withOutputSelection(OutputSelection.AUTO.withKind(OutputKind.REGRESSION)).withReplace(true);
        PipelineResult rr = new OptimizePipeline(chosen).run(new NullProgressMonitor());
        assertEquals("regression", rr.accuracy().outputKind());
        assertEquals(OutputKind.REGRESSION, rr.outputs().get(0).kind());
        assertTrue(rr.latency().models().get(0).endToEnd().decoder().contains("[regression"), rr.latency().models().get(0).endToEnd().decoder());
    }

    @Test
    void aSelectionThatDoesNotFitFailsBeforeAnyWork() throws Exception {
        Path parent = sigmoidModel("m.onnx", 0);
        Path model = sigmoidModel("m.int8.onnx", 0.05f);
        var images = Datasets.generated(2, 16, 16, 1, GeneratedDataset.Kind.PATTERN);
        PipelineRequest request = PipelineRequest.measure(parent, model).withCompare(PipelineRequest.Compare.on(images).withPictures(false))
                .withOutputSelection(OutputSelection.AUTO.withOutputName("no_such_output"));
        CoreException e = assertThrows(CoreException.class, () -> new OptimizePipeline(request).run(new NullProgressMonitor()));
        assertTrue(e.getStatus().getMessage().contains("no_such_output"), e.getStatus().getMessage());
        assertFalse(Files.exists(tmp.resolve("m.int8.accuracy")), "nothing written");
    }
}
