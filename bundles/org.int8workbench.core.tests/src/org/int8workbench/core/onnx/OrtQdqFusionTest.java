package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.function.BiFunction;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;

/**
 * What ONNX Runtime 1.29's CPU provider makes of {@code DQ → op → Q} for each operator the quantizer has to decide about,
 * counted in its saved optimized graph (opsets 13 and 21): the facts behind {@code QdqPlan}'s compute set and its
 * float reasons. Fused: Conv, MatMul, Gemm (its input read straight from a DequantizeLinear), Add, Mul, Sigmoid, LeakyRelu, AveragePool, GlobalAveragePool, Concat, Softmax;
 * MaxPool, Transpose and DepthToSpace move uint8 data. Not fused: ConvTranspose, Sub, Div, HardSigmoid, Clip (alone), PRelu,
 * ReduceMean, BatchNormalization.
 */
class OrtQdqFusionTest {
    final java.util.Map<String, OrtOptimizedGraph> seen = new java.util.HashMap<>();

    static int k;

    static String q(GraphBuilder b, String x) {
        String s = b.initializer("s" + k, new float[] {0.05f});
        String z = b.initializerUint8("z" + k++, new byte[] {(byte) 128});
        String qq = b.node("QuantizeLinear", x, s, z).output();
        return b.node("DequantizeLinear", qq, s, z).output();
    }

    static String w(GraphBuilder b, long[] dims, int axis, boolean perChannel) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) ((i * 7) % 50 - 25);
        }
        String wq = b.initializerInt8("w" + k, v, dims);
        int c = perChannel ? (int) dims[axis] : 1;
        float[] sc = new float[c];
        java.util.Arrays.fill(sc, 0.01f);
        String s = perChannel ? b.initializer("ws" + k, sc, c) : b.initializer("ws" + k, new float[] {0.01f});
        String z = perChannel ? b.initializerInt8("wz" + k++, new byte[c], c) : b.initializerInt8("wz" + k++, new byte[1]);
        var dq = b.node("DequantizeLinear", wq, s, z);
        if (perChannel) {
            dq.attr("axis", axis);
        }
        return dq.output();
    }

    void probe(String label, int opset, BiFunction<GraphBuilder, String, String> body) throws Exception {
        GraphBuilder b = new GraphBuilder("probe").opset(opset);
        b.input("x", DataType.FLOAT, 1, 8, 16, 16);
        String y = body.apply(b, q(b, "x"));
        String out = q(b, y);
        b.node("Identity", out).outputs("y");
        b.output("y", DataType.FLOAT);
        try {
            OrtOptimizedGraph g = OrtOptimizedGraph.analyze(b.build().toByteArray(), label, OptLevel.ALL_OPT);
            System.out.println("PROBE " + label + " opset " + opset + ": " + g.opHistogram());
            seen.put(label + "@" + opset, g);
        } catch (Exception e) {
            System.out.println("PROBE " + label + " opset " + opset + ": FAILED " + e.getMessage());
        }
    }

    void fused(String label, String integerOp) {
        for (int opset : new int[] {13, 21}) {
            OrtOptimizedGraph g = seen.get(label + "@" + opset);
            org.junit.jupiter.api.Assertions.assertEquals(1, g.count(integerOp), label + "@" + opset + " " + g.opHistogram());
        }
    }

    void unfused(String label, String op) {
        for (int opset : new int[] {13, 21}) {
            OrtOptimizedGraph g = seen.get(label + "@" + opset);
            org.junit.jupiter.api.Assertions.assertEquals(1, g.count(op), label + "@" + opset + " " + g.opHistogram());
            org.junit.jupiter.api.Assertions.assertTrue(g.count("DequantizeLinear") >= 2, label + "@" + opset + " " + g.opHistogram());
        }
    }

    @Test
    void measuredFusions() throws Exception {
        probeAll();
        fused("Conv-pc", "QLinearConv");
        fused("MatMul-pc", "QLinearMatMul");
        fused("MatMul-act", "QLinearMatMul");
        // Gemm fuses (QGemm) when its activation input comes straight from a DequantizeLinear, per channel or not
        fused("Gemm-2d", "QGemm");
        fused("Gemm-2d-pt", "QGemm");
        fused("Add", "QLinearAdd");
        fused("Mul", "QLinearMul");
        fused("MulConst", "QLinearMul");
        fused("Sigmoid", "QLinearSigmoid");
        fused("LeakyRelu", "QLinearLeakyRelu");
        fused("AveragePool", "QLinearAveragePool");
        fused("GlobalAveragePool", "QLinearGlobalAveragePool");
        fused("Concat", "QLinearConcat");
        fused("Softmax", "QLinearSoftmax");
        unfused("ConvTranspose-pc1", "ConvTranspose");
        unfused("ConvTranspose-pc1-bias", "ConvTranspose");
        unfused("Sub", "Sub");
        unfused("Div", "Div");
        unfused("HardSigmoid", "HardSigmoid");
        unfused("Clip-3-3", "Clip");
        unfused("PRelu", "PRelu");
        unfused("ReduceMean", "ReduceMean");
        unfused("BatchNormalization", "BatchNormalization");
        for (int opset : new int[] {13, 21}) {
            // data movement: the pair around MaxPool and Transpose is dropped (one DQ and one Q are the graph's ends)
            org.junit.jupiter.api.Assertions.assertEquals(1, seen.get("MaxPool@" + opset).count("DequantizeLinear"));
            org.junit.jupiter.api.Assertions.assertEquals(1, seen.get("Transpose@" + opset).count("DequantizeLinear"));
            org.junit.jupiter.api.Assertions.assertEquals(1, seen.get("DepthToSpace@" + opset).count("DequantizeLinear"),
                    seen.get("DepthToSpace@" + opset).opHistogram().toString());
        }
    }

    void probeAll() throws Exception {
        for (int opset : new int[] {13, 21}) {
            probe("ConvTranspose-pc1", opset, (b, x) -> b.node("ConvTranspose", x, w(b, new long[] {8, 4, 2, 2}, 1, true)).attrInts("strides", 2, 2).output());
            probe("ConvTranspose-pt", opset, (b, x) -> b.node("ConvTranspose", x, w(b, new long[] {8, 4, 2, 2}, 1, false)).attrInts("strides", 2, 2).output());
            probe("MatMul-pt", opset, (b, x) -> b.node("MatMul", x, w(b, new long[] {16, 4}, 1, false)).output());
            probe("MatMul-pc", opset, (b, x) -> b.node("MatMul", x, w(b, new long[] {16, 4}, 1, true)).output());
            probe("MatMul-act", opset, (b, x) -> b.node("MatMul", x, q(b, b.node("Transpose", x).attrInts("perm", 0, 1, 3, 2).output())).output());
            probe("ConvTranspose-pc1-bias", opset, (b, x) -> b.node("ConvTranspose", x, w(b, new long[] {8, 4, 2, 2}, 1, true), b.initializer("ctb" + k++, new float[4], 4)).attrInts("strides", 2, 2).output());
            probe("Conv-pc", opset, (b, x) -> b.node("Conv", x, w(b, new long[] {4, 8, 3, 3}, 0, true)).attrInts("pads", 1, 1, 1, 1).output());
            probe("Gemm", opset, (b, x) -> b.node("Gemm", b.node("Flatten", x).output(), w(b, new long[] {4, 2048}, 0, true)).attr("transB", 1L).output());
            probe("Gemm-2d", opset, (b, x) -> b.node("Gemm", q(b, b.node("Flatten", x).output()), w(b, new long[] {4, 2048}, 0, true),
                    b.initializer("gb" + k++, new float[4], 4)).attr("transB", 1L).output());
            probe("Gemm-2d-pt", opset, (b, x) -> b.node("Gemm", q(b, b.node("Flatten", x).output()), w(b, new long[] {4, 2048}, 0, false))
                    .attr("transB", 1L).output());
            probe("Add", opset, (b, x) -> b.node("Add", x, q(b, b.relu("x"))).output());
            probe("Mul", opset, (b, x) -> b.node("Mul", x, q(b, b.relu("x"))).output());
            probe("Sub", opset, (b, x) -> b.node("Sub", x, q(b, b.relu("x"))).output());
            probe("Div", opset, (b, x) -> b.node("Div", x, q(b, b.relu("x"))).output());
            probe("MulConst", opset, (b, x) -> b.node("Mul", x, q(b, b.initializer("c6", new float[] {0.1666f}))).output());
            probe("Sigmoid", opset, (b, x) -> b.node("Sigmoid", x).output());
            probe("HardSigmoid", opset, (b, x) -> b.node("HardSigmoid", x).output());
            if (opset >= 14) {
                probe("HardSwish", opset, (b, x) -> b.node("HardSwish", x).output());
            }
            probe("Clip-3-3", opset, (b, x) -> b.clip(x, -3f, 3f));
            probe("Clip0-6", opset, (b, x) -> b.clip(x, 0f, 6f));
            probe("Relu", opset, (b, x) -> b.relu(x));
            probe("LeakyRelu", opset, (b, x) -> b.node("LeakyRelu", x).output());
            probe("PRelu", opset, (b, x) -> b.node("PRelu", x, b.initializer("slope" + k++, new float[] {0.1f, 0.2f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, 8, 1, 1)).output());
            probe("AveragePool", opset, (b, x) -> b.node("AveragePool", x).attrInts("kernel_shape", 2, 2).attrInts("strides", 2, 2).output());
            probe("MaxPool", opset, (b, x) -> b.node("MaxPool", x).attrInts("kernel_shape", 2, 2).attrInts("strides", 2, 2).output());
            probe("GlobalAveragePool", opset, (b, x) -> b.node("GlobalAveragePool", x).output());
            probe("Concat", opset, (b, x) -> b.node("Concat", x, q(b, b.relu("x"))).attr("axis", 1L).output());
            probe("Softmax", opset, (b, x) -> b.node("Softmax", x).attr("axis", 1L).output());
            probe("ReduceMean", opset, (b, x) -> opset >= 18 ? b.node("ReduceMean", x, b.initializer("ax" + k++, new long[] {2, 3}, 2)).output()
                    : b.node("ReduceMean", x).attrInts("axes", 2, 3).output());
            probe("Split", opset, (b, x) -> {
                var n = b.node("Split", x).attr("axis", 1L).outputs("s1" + k, "s2" + k);
                if (opset >= 18) {
                    n.attr("num_outputs", 2L);
                }
                return n.output();
            });
            probe("DepthToSpace", opset, (b, x) -> b.node("DepthToSpace", x).attr("blocksize", 2L).attr("mode", "CRD").output());
            probe("Transpose", opset, (b, x) -> b.node("Transpose", x).attrInts("perm", 0, 2, 3, 1).output());
            probe("BatchNormalization", opset, (b, x) -> b.node("BatchNormalization", x, b.initializer("g" + k, new float[8], 8),
                    b.initializer("bb" + k, new float[8], 8), b.initializer("m" + k, new float[8], 8), b.initializer("v" + k++, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 8)).output());
        }
    }
}
