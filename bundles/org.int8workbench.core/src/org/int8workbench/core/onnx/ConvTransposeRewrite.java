package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a ConvTranspose whose kernel equals its stride (no overlap: the usual 2x2 stride-2 learned upsampling) as a
 * 1x1 Conv to {@code C_out·s·s} channels followed by {@code DepthToSpace(s, CRD)}, exactly: output pixel
 * {@code (h·s+i, w·s+j)} of channel {@code c} is {@code Σ x[ci,h,w]·W[ci,c,i,j] + b[c]}, which is the 1x1 Conv's
 * channel {@code c·s·s + i·s + j}. ONNX Runtime 1.29 has no integer ConvTranspose (measured), but the Conv runs as
 * QLinearConv and DepthToSpace moves uint8 data. Other ConvTranspose nodes are left as they are.
 */
final class ConvTransposeRewrite {

    private ConvTransposeRewrite() {
    }

    static ModelProto rewrite(OnnxModel model, List<String> notes) throws IOException {
        OnnxGraph g = model.graph();
        if (g.onnxOpset() < 11) {
            return model.proto();
        }
        ShapeInference si = null;
        GraphProto.Builder b = g.proto().toBuilder().clearNode();
        Map<String, Boolean> names = ExporterGraphs.usedNames(g.proto());
        int done = 0;
        for (NodeProto n : g.proto().getNodeList()) {
            if (!n.getOpType().equals("ConvTranspose") || !n.getDomain().isEmpty()) {
                b.addNode(n);
                continue;
            }
            if (si == null) {
                si = ShapeInference.of(model);
            }
            long s = stride(n, g, si);
            if (s < 1) {
                b.addNode(n);
                continue;
            }
            TensorProto wt = g.initializer(n.getInput(1));
            int ci = (int) wt.getDims(0);
            int co = (int) wt.getDims(1);
            int ss = (int) (s * s);
            float[] w = model.floats(wt);
            float[] wc = new float[co * ss * ci];
            for (int i = 0; i < ci; i++) {
                for (int c = 0; c < co; c++) {
                    for (int k = 0; k < ss; k++) {
                        wc[(c * ss + k) * ci + i] = w[(i * co + c) * ss + k];
                    }
                }
            }
            String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
            String wn = unique(names, n.getInput(1) + "_as_conv");
            b.addInitializer(Tensors.floats(wn, wc, co * ss, ci, 1, 1));
            NodeProto.Builder conv = NodeProto.newBuilder().setOpType("Conv").setName(unique(names, base + "_as_conv"))
                    .addInput(n.getInput(0)).addInput(wn);
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                float[] bias = model.floats(g.initializer(n.getInput(2)));
                float[] bc = new float[co * ss];
                for (int c = 0; c < co; c++) {
                    for (int k = 0; k < ss; k++) {
                        bc[c * ss + k] = bias[c];
                    }
                }
                String bn = unique(names, n.getInput(2) + "_as_conv");
                b.addInitializer(Tensors.floats(bn, bc, co * ss));
                conv.addInput(bn);
            }
            String mid = unique(names, n.getOutput(0) + "_before_depth_to_space");
            conv.addOutput(mid).addAttribute(ints("kernel_shape", 1, 1));
            b.addNode(conv);
            b.addNode(NodeProto.newBuilder().setOpType("DepthToSpace").setName(unique(names, base + "_depth_to_space"))
                    .addInput(mid).addOutput(n.getOutput(0))
                    .addAttribute(AttributeProto.newBuilder().setName("blocksize").setType(AttributeProto.AttributeType.INT).setI(s))
                    .addAttribute(AttributeProto.newBuilder().setName("mode").setType(AttributeProto.AttributeType.STRING)
                            .setS(com.google.protobuf.ByteString.copyFromUtf8("CRD"))));
            done++;
        }
        if (done == 0) {
            return model.proto();
        }
        notes.add(done + " ConvTranspose with kernel = stride written as Conv + DepthToSpace (ONNX Runtime has no integer "
                + "ConvTranspose; the Conv runs as QLinearConv)");
        return model.proto().toBuilder().setGraph(b).build();
    }

    /** The stride {@code s} when {@code n} is a 2-D, group-1, kernel = stride = s (both axes), unpadded ConvTranspose; else 0. */
    private static long stride(NodeProto n, OnnxGraph g, ShapeInference si) {
        TensorProto wt = n.getInputCount() > 1 ? g.initializer(n.getInput(1)) : null;
        if (wt == null || wt.getDataType() != TensorProto.DataType.FLOAT_VALUE || wt.getDimsCount() != 4) {
            return 0;
        }
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            TensorProto bt = g.initializer(n.getInput(2));
            if (bt == null || bt.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return 0;
            }
        }
        long kh = wt.getDims(2);
        long kw = wt.getDims(3);
        long[] strides = ShapeInference.Attrs.ints(n, "strides", new long[] {1, 1});
        long[] dil = ShapeInference.Attrs.ints(n, "dilations", new long[] {1, 1});
        long[] pads = ShapeInference.Attrs.ints(n, "pads", new long[4]);
        long[] outPad = ShapeInference.Attrs.ints(n, "output_padding", new long[2]);
        String autoPad = ShapeInference.Attrs.s(n, "auto_pad", "NOTSET");
        if (ShapeInference.Attrs.i(n, "group", 1) != 1 || kh != kw || strides.length != 2 || strides[0] != kh || strides[1] != kw
                || dil[0] != 1 || dil[1] != 1 || !autoPad.equals("NOTSET") || kh < 1) {
            return 0;
        }
        for (long p : pads) {
            if (p != 0) {
                return 0;
            }
        }
        for (long p : outPad) {
            if (p != 0) {
                return 0;
            }
        }
        long[] outShape = ShapeInference.Attrs.ints(n, "output_shape", null);
        if (outShape != null) {
            long[] x = si.shape(n.getInput(0));
            if (x == null || x.length != 4 || outShape.length < 2 || outShape[outShape.length - 2] != x[2] * kh
                    || outShape[outShape.length - 1] != x[3] * kw) {
                return 0;
            }
        }
        return kh;
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static String unique(Map<String, Boolean> names, String base) {
        String n = base;
        for (int i = 1; names.containsKey(n); i++) {
            n = base + "_" + i;
        }
        names.put(n, true);
        return n;
    }
}
