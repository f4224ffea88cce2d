package org.int8workbench.core.labels;

import static org.int8workbench.core.labels.KindGraphs.H;
import static org.int8workbench.core.labels.KindGraphs.PIXELS;
import static org.int8workbench.core.labels.KindGraphs.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's {@link OutputSelection} in {@link LabelDecoders#forModel}: a kind that overrides the one found, one output
 * by name, the threshold; and the one-line errors when the choice does not fit, each saying what to choose instead.
 */
class OutputSelectionOverrideTest {

    private static final Preprocessing NCHW = Preprocessing.defaults(W, H, Preprocessing.Layout.NCHW);

    @TempDir
    Path dir;

    /** Outputs: "depth" 1-ch conv (regression), "mask" 1-ch sigmoid (binary), "scores" 3-ch logits, "labels" int64. */
    private Path model() throws Exception {
        GraphBuilder b = KindGraphs.graph(false, 1);
        String one = KindGraphs.conv(b, "x", 1);
        String three = KindGraphs.conv(b, "x", 3);
        KindGraphs.output(b, one, "depth", DataType.FLOAT, 1, 1, H, W);
        KindGraphs.output(b, KindGraphs.sigmoid(b, one), "mask", DataType.FLOAT, 1, 1, H, W);
        KindGraphs.output(b, three, "scores", DataType.FLOAT, 1, 3, H, W);
        KindGraphs.output(b, b.argmax(three, 1), "labels", DataType.INT64, 1, 1, H, W);
        return KindGraphs.write(b, dir, "four.onnx");
    }

    @Test
    void aKindAndAnOutputChosenByTheUser() throws Exception {
        Path model = model();
        float[] in = KindGraphs.input(21, 1);
        float[] v = KindGraphs.convChannel(in, 0, 0, false);
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            // auto: the first output's kind, regression; only it has that kind
            List<LabelDecoder> auto = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO);
            assertEquals(List.of("depth"), auto.stream().map(d -> d.output().name()).toList());
            assertEquals(OutputKind.REGRESSION, auto.get(0).kind());

            // binary on the values: a logit against ln(T/(1-T)); T 0.5 -> 0
            LabelDecoder logit = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO.withKind(OutputKind.BINARY)).get(0);
            assertEquals(new ModelOutput("depth", OutputKind.BINARY, 1, List.of(), false, 0.5, "--output-kind binary"), logit.output());
            assertArrayEquals(KindGraphs.positive(v), logit.decode(r).labels().labels());
            // T = 0.8: the logit must exceed ln 4
            LabelDecoder high = LabelDecoders.forModel(model, s, NCHW,
                    OutputSelection.AUTO.withKind(OutputKind.BINARY).withThreshold(0.8)).get(0);
            int[] expected = new int[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                expected[i] = v[i] > Math.log(4) ? 1 : 0;
            }
            assertArrayEquals(expected, high.decode(r).labels().labels());

            // one output by name: its own kind, the selected threshold on its probabilities
            LabelDecoder mask = LabelDecoders.forModel(model, s, NCHW, OutputSelection.AUTO.withOutputName("mask").withThreshold(0.8))
                    .get(0);
            assertEquals(new ModelOutput("mask", OutputKind.BINARY, 1, List.of(), true, 0.8, "final Sigmoid, 1 channel"), mask.output());
            for (int i = 0; i < PIXELS; i++) {
                expected[i] = KindGraphs.sigmoid(v[i]) > 0.8 ? 1 : 0;
            }
            assertArrayEquals(expected, mask.decode(r).labels().labels());
            assertTrue(java.util.Arrays.stream(expected).anyMatch(x -> x == 0) && java.util.Arrays.stream(expected).anyMatch(x -> x == 1));

            // multilabel over the 3 logits channels; labels on a 1-channel float output (rounded)
            LabelDecoder multi = LabelDecoders.forModel(model, s, NCHW,
                    new OutputSelection(OutputKind.MULTILABEL, "scores", 0.5, 0)).get(0);
            assertEquals(OutputKind.MULTILABEL, multi.kind());
            assertFalse(multi.output().probabilities());
            for (int m = 0; m < 3; m++) {
                assertArrayEquals(KindGraphs.positive(KindGraphs.convChannel(in, 0, m, false)), multi.decode(r).channels().get(m).labels());
            }
            LabelDecoder rounded = LabelDecoders.forModel(model, s, NCHW, new OutputSelection(OutputKind.LABEL_MAP, "mask", 0.5, 0)).get(0);
            for (int i = 0; i < PIXELS; i++) {
                expected[i] = Math.round(KindGraphs.sigmoid(v[i]));
            }
            assertArrayEquals(expected, rounded.decode(r).labels().labels());
            assertEquals("--output-kind labels", rounded.output().reason());
        }
    }

    @Test
    void choicesThatDoNotFitSayWhatToChoose() throws Exception {
        Path model = model();
        try (OrtSession s = KindGraphs.session(model)) {
            String e = error(model, s, OutputSelection.AUTO.withOutputName("edges"));
            assertTrue(e.contains("no output 'edges'") && e.contains("'depth' (regression, [1, 1, 4, 6])")
                    && e.contains("'scores' (classes, [1, 3, 4, 6])") && e.contains("--output-name"), e);
            e = error(model, s, new OutputSelection(OutputKind.MULTILABEL, "mask", 0.5, 0));
            assertTrue(e.contains("'mask'") && e.contains("one channel") && e.contains("choose binary"), e);
            e = error(model, s, new OutputSelection(OutputKind.CLASS_SCORES, "depth", 0.5, 0));
            assertTrue(e.contains("always 0") && e.contains("choose binary"), e);
            e = error(model, s, new OutputSelection(OutputKind.LABEL_MAP, "scores", 0.5, 0));
            assertTrue(e.contains("3 float channels, not labels") && e.contains("choose classes"), e);
            e = error(model, s, new OutputSelection(OutputKind.BINARY, "scores", 0.5, 0));
            assertTrue(e.contains("choose multilabel"), e);
            e = error(model, s, new OutputSelection(OutputKind.REGRESSION, "scores", 0.5, 0));
            assertTrue(e.contains("one value per pixel"), e);
            e = error(model, s, new OutputSelection(OutputKind.BINARY, "labels", 0.5, 0));
            assertTrue(e.contains("integer labels") && e.contains("choose labels"), e);
        }
    }

    @Test
    void aNegativeLabelFromAFloatOutputSaysItIsNoLabelMap() throws Exception {
        Path model = model();
        float[] in = KindGraphs.input(23, 1);
        try (OrtSession s = KindGraphs.session(model); OrtSession.Result r = KindGraphs.run(s, in, 1, 3, H, W)) {
            LabelDecoder d = LabelDecoders.forModel(model, s, NCHW, new OutputSelection(OutputKind.LABEL_MAP, "depth", 0.5, 0)).get(0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.decode(r));
            assertTrue(e.getMessage().contains("negative label") && e.getMessage().contains("'depth'")
                    && e.getMessage().contains("regression"), e.getMessage());
        }
    }

    private static String error(Path model, OrtSession s, OutputSelection sel) {
        return assertThrows(IllegalArgumentException.class, () -> LabelDecoders.forModel(model, s, NCHW, sel)).getMessage();
    }
}
