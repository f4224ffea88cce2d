package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.BenchmarkResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's end-to-end requests use the decoders {@link LabelDecoders#forModel} finds for each model file, honour
 * the {@link BenchmarkOperation#outputs} selection and decode every reported output; the end-to-end description names
 * the kind of each.
 */
class BenchmarkOutputKindsTest {

    @TempDir
    Path dir;

    /** {@code x [1,3,8,8] -> 1x1 Conv (C channels) -> [Sigmoid]} per output. */
    private Path model(String name, boolean sigmoidFirst, int channelsFirst, String second) throws Exception {
        GraphBuilder b = new GraphBuilder("bench-kinds").opset(13);
        b.input("x", DataType.FLOAT, 1, 3, 8, 8);
        String a = b.conv("x", weights(channelsFirst), new long[] {channelsFirst, 3, 1, 1}, null, 1, 1, 0, 1);
        if (sigmoidFirst) {
            a = b.node("Sigmoid", a).output();
        }
        b.node("Identity", a).outputs("a");
        b.output("a", DataType.FLOAT, 1, channelsFirst, 8, 8);
        if (second != null) {
            String c = b.conv("x", weights(channelsFirst), new long[] {channelsFirst, 3, 1, 1}, null, 1, 1, 0, 1);
            b.node("Identity", c).outputs(second);
            b.output(second, DataType.FLOAT, 1, channelsFirst, 8, 8);
        }
        Path p = dir.resolve(name);
        Files.write(p, b.toBytes());
        return p;
    }

    private static float[] weights(int channels) {
        float[] w = new float[channels * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 5) * 0.3f - 0.6f;
        }
        return w;
    }

    @Test
    void endToEndDecodesEveryReportedOutputAndNamesItsKind() throws Exception {
        Path two = model("two.onnx", false, 2, "b");
        Path binary = model("binary.onnx", true, 1, null);
        BenchmarkResult r = new BenchmarkOperation(two).other(binary).iterations(4).rounds(2).warmup(1).analyzeGraph(false)
                .run(new NullProgressMonitor());
        String d2 = r.model().endToEnd().decoder();
        assertTrue(d2.contains("[classes 'a']") && d2.contains("[classes 'b']") && d2.startsWith("argmax over axis 1"), d2);
        String d1 = r.other().endToEnd().decoder();
        assertEquals("probability > 0.5 (binary, Java) [binary 'a']", d1);
        assertEquals(4, r.other().endToEnd().requests());

        // one output chosen, and a kind
        BenchmarkResult one = new BenchmarkOperation(two).outputs(OutputSelection.AUTO.withOutputName("b")).iterations(2).rounds(1)
                .warmup(1).analyzeGraph(false).run(new NullProgressMonitor());
        assertEquals("argmax over axis 1 (NCHW, Java) [classes 'b']", one.model().endToEnd().decoder());
        BenchmarkResult multi = new BenchmarkOperation(two).outputs(OutputSelection.AUTO.withKind(OutputKind.MULTILABEL)).iterations(2)
                .rounds(1).warmup(1).analyzeGraph(false).run(new NullProgressMonitor());
        assertTrue(multi.model().endToEnd().decoder().contains("[multilabel 'a']")
                && multi.model().endToEnd().decoder().contains("[multilabel 'b']"), multi.model().endToEnd().decoder());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BenchmarkOperation(binary)
                .outputs(OutputSelection.AUTO.withKind(OutputKind.MULTILABEL)).iterations(1).rounds(1).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith("binary.onnx: ") && e.getMessage().contains("choose binary"), e.getMessage());
    }

    @Test
    void aRequestRunsEveryDecoder() throws Exception {
        Path two = model("two.onnx", false, 2, "b");
        try (OrtSession s = Ort.env().createSession(two.toString(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(new float[3 * 64]), new long[] {1, 3, 8, 8})) {
            List<LabelDecoder> both = LabelDecoders.forModel(two, s, null, null);
            assertEquals(2, both.size());
            try (SessionWorkload w = new SessionWorkload("two", s, List.of(Map.of("x", x)), 1, both)) {
                w.request(0, true);
                assertEquals(both, w.decoders());
            }
            // a decoder of an output the model lacks fails the request: every decoder runs, not only the first
            List<LabelDecoder> withMissing = List.of(both.get(0),
                    LabelDecoders.forModel(two, s, null, OutputSelection.AUTO.withOutputName("b")).get(0), new org.int8workbench.core.labels.RegressionDecoder("missing", "test"));
            try (SessionWorkload w = new SessionWorkload("two", s, List.of(Map.of("x", x)), 1, withMissing)) {
                w.request(0, false);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.request(0, true));
                assertTrue(e.getMessage().contains("no output 'missing'"), e.getMessage());
            }
        }
    }

}
