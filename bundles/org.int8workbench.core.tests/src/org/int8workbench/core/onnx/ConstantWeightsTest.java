package org.int8workbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The summary ({@code inspect}) counts weights held in Constant nodes like initializers, and counts MACs of a model
 * with a dynamic input once the input size is known (given, or recorded in the metadata), following shape
 * computations (Shape, Slice, Concat, Cast) to the Reshape targets and Resize sizes they compute.
 */
class ConstantWeightsTest {

    @Test
    void constantHeldWeightsAreParameters() throws Exception {
        GraphBuilder b = new GraphBuilder("constants").opset(13);
        b.input("x", DataType.FLOAT, "N", 3, "H", "W");
        b.node("Constant").attr("value", GraphBuilder.floatTensor("w", new float[8 * 27], 8, 3, 3, 3)).outputs("w");
        b.node("Constant").attr("value", GraphBuilder.floatTensor("bias", new float[8], 8)).outputs("bias");
        String c = b.node("Conv", "x", "w", "bias").attrInts("pads", 1, 1, 1, 1).output();
        // a Reshape whose target is computed from the shape at run time: [N, 8, H*W]
        String shape = b.node("Shape", c).output();
        String nc = b.node("Slice", shape, b.initializer("s0", new long[] {0}, 1), b.initializer("e0", new long[] {2}, 1)).output();
        String hw = b.node("Slice", shape, b.initializer("s1", new long[] {2}, 1), b.initializer("e1", new long[] {4}, 1)).output();
        String prod = b.node("ReduceProd", hw).attr("keepdims", 1L).output();
        String target = b.node("Concat", nc, prod).attr("axis", 0L).output();
        String flat = b.node("Reshape", c, target).output();
        b.node("MatMul", flat, b.initializer("mm", new float[256 * 4], 256, 4)).outputs("y");
        b.output("y", DataType.FLOAT);
        OnnxModel m = OnnxModel.of(b.build(), null);

        ModelSummary dynamic = ModelSummary.of(m);
        assertEquals(8 * 27 + 8 + 256 * 4, dynamic.parameters());
        assertTrue(dynamic.notes().stream().anyMatch(n -> n.contains("--size")), dynamic.notes().toString());

        ModelSummary sized = ModelSummary.of(m, Preprocessing.defaults(16, 16, Preprocessing.Layout.NCHW));
        assertEquals(List.of(1L, 3L, 16L, 16L), sized.macsInput());
        long conv = 8L * 16 * 16 * 27;
        assertEquals(conv, sized.macs() - (sized.macsComplete() ? 8L * 256 * 4 : 0), sized.describe());
    }

    /** Paddle2ONNX's PP-HumanSeg: 0 initializers, 412 Constant nodes, dynamic [-1,3,-1,-1] input. */
    @Test
    void pphumansegParametersAndMacs() throws Exception {
        OnnxModel m = OnnxModel.load(TestData.zooModel("pphumanseg_lite_portrait.onnx"));
        ModelSummary s = ModelSummary.of(m, Preprocessing.defaults(398, 224, Preprocessing.Layout.NCHW));
        System.out.println("ZOO inspect pphumanseg 398x224:\n" + s.describe());
        assertTrue(s.parameters() > 100_000, "parameters " + s.parameters());
        assertTrue(s.macsComplete(), s.describe());
        assertTrue(s.macs() > 30_000_000L, "MACs " + s.macs());
        assertEquals(List.of(1L, 3L, 224L, 398L), s.macsInput());
        ModelSummary plain = ModelSummary.of(m);
        assertEquals(s.parameters(), plain.parameters());
        assertTrue(plain.notes().stream().anyMatch(n -> n.contains("--size")), plain.notes().toString());
    }

    @Test
    void zooModelsWithFixedInputsHaveCompleteMacs() throws Exception {
        for (String f : List.of("twinlitenet_320.onnx", "mediapipe_selfie_256_nhwc.onnx", "pan_mnv3s_skin_clothes_hair_512.onnx")) {
            ModelSummary s = ModelSummary.of(TestData.zooModel(f));
            System.out.println("ZOO inspect " + f + ": parameters " + s.parameters() + ", MACs " + s.macs() + " complete "
                    + s.macsComplete() + " of " + s.macsInput() + " " + s.notes());
            assertTrue(s.parameters() > 0 && s.macs() > 0, f);
        }
    }
}
