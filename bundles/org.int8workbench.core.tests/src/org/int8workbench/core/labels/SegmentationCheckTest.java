package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.core.Ort;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one "is this a segmentation model" check ({@link LabelDecoders#notSegmentation}) on real ONNX Runtime sessions of
 * generated graphs: a classifier is refused with one line (the same from the session and from the model's summary), a
 * segmentation model passes, and an output without height and width is never read as class scores.
 */
class SegmentationCheckTest {

    @TempDir
    Path dir;

    private static final String CLASSIFIER_LINE = "classifier.onnx is not a segmentation model: its output (scores [1,3]) has no height "
            + "and width, so no label map can be read from it; give a model with a per-pixel output ([N,C,H,W], [N,H,W,C] or [N,H,W])";

    @Test
    void aClassifierIsRefusedWithOneLineFromTheSessionAndFromTheSummary() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, 1);
        b.node("Flatten", b.node("GlobalAveragePool", KindGraphs.conv(b, "x", 3)).output()).outputs("scores");
        b.output("scores", DataType.FLOAT, 1, 3);
        Path model = Files.write(dir.resolve("classifier.onnx"), b.toBytes());
        try (OrtSession s = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions())) {
            assertEquals(CLASSIFIER_LINE, LabelDecoders.notSegmentation("classifier.onnx", s));
            // the decoders never read it as class scores either
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LabelDecoders.forModel(model, s, null, OutputSelection.AUTO));
            assertTrue(e.getMessage().contains("'scores' has no height and width ([1,3])"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LabelDecoders.forSession(s, null));
        }
        assertEquals(CLASSIFIER_LINE, LabelDecoders.notSegmentation(ModelSummary.of(model)));
    }

    @Test
    void aClassifierEndingInArgMaxAndSeveralOutputsAreNamedEach() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, "N");
        String flat = b.node("Flatten", b.node("GlobalAveragePool", KindGraphs.conv(b, "x", 3)).output()).output();
        b.node("Identity", flat).outputs("probabilities");
        b.output("probabilities", DataType.FLOAT, "N", 3);
        b.node("Identity", b.argmax(flat, 1)).outputs("label");
        b.output("label", DataType.INT64, "N", 1);
        Path model = Files.write(dir.resolve("two.onnx"), b.toBytes());
        String expected = "two.onnx is not a segmentation model: its outputs (probabilities [?,3], label [?,1]) have no height and "
                + "width, so no label map can be read from them; give a model with a per-pixel output ([N,C,H,W], [N,H,W,C] or [N,H,W])";
        try (OrtSession s = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions())) {
            assertEquals(expected, LabelDecoders.notSegmentation("two.onnx", s));
        }
        // the summary shows the symbolic batch by its name
        assertEquals(expected.replace("[?,", "[N,"), LabelDecoders.notSegmentation(ModelSummary.of(model)));
    }

    @Test
    void aSegmentationModelPassesAndAnExtraPerImageOutputIsNotReadAsScores() throws Exception {
        // per-pixel logits [1,3,H,W] and, beside them, per-image scores [1,3] (an auxiliary classifier head)
        GraphBuilder b = KindGraphs.graph(false, 1);
        String logits = KindGraphs.conv(b, "x", 3);
        KindGraphs.output(b, b.node("Flatten", b.node("GlobalAveragePool", logits).output()).output(), "aux", DataType.FLOAT, 1, 3);
        KindGraphs.output(b, logits, "logits", DataType.FLOAT, 1, 3, KindGraphs.H, KindGraphs.W);
        Path model = Files.write(dir.resolve("seg.onnx"), b.toBytes());
        try (OrtSession s = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions())) {
            assertNull(LabelDecoders.notSegmentation("seg.onnx", s));
            List<LabelDecoder> ds = LabelDecoders.forModel(model, s, null, OutputSelection.AUTO);
            assertEquals(List.of("logits"), ds.stream().map(d -> d.output().name()).toList(), "only the per-pixel output is read");
            assertEquals(OutputKind.CLASS_SCORES, ds.get(0).kind());
            List<ModelOutput> described = LabelDecoders.describe(model, s, null);
            assertNull(described.get(0).kind(), "aux is no output kind");
            assertTrue(described.get(0).reason().startsWith("has no height and width ([1,3])"), described.get(0).reason());
        }
        assertNull(LabelDecoders.notSegmentation(ModelSummary.of(model)));
        assertTrue(OutputShapes.perPixel(new long[0]) && OutputShapes.perPixel(null), "an unknown shape gets the benefit of the doubt");
        assertTrue(!OutputShapes.perPixel(new long[] {1, 1000}) && OutputShapes.perPixel(new long[] {1, -1, -1}));
    }
}
