package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds an inference-mode BatchNormalization into the Conv (or group-1 ConvTranspose) before it:
 * {@code W'[c] = W[c]·s[c]}, {@code b'[c] = (b[c] − mean[c])·s[c] + beta[c]} with {@code s = scale / sqrt(var + eps)},
 * computed in double. The Conv then writes the BatchNormalization's output tensor. See {@link ExporterGraphs}.
 */
final class BatchNormFolding {

    private BatchNormFolding() {
    }

    static OnnxModel fold(OnnxModel model, Map<String, String> unfolded, List<String> notes) throws IOException {
        OnnxGraph g = model.graph();
        Map<NodeProto, NodeProto> replaced = new IdentityHashMap<>();
        Map<NodeProto, Boolean> dropped = new IdentityHashMap<>();
        List<TensorProto> added = new ArrayList<>();
        Map<String, Boolean> names = ExporterGraphs.usedNames(g.proto());
        int folded = 0;
        for (NodeProto bn : g.nodes()) {
            if (!bn.getOpType().equals("BatchNormalization") || !bn.getDomain().isEmpty()) {
                continue;
            }
            String why = foldOne(model, bn, replaced, added, names);
            if (why == null) {
                dropped.put(bn, true);
                folded++;
            } else {
                unfolded.put(g.name(bn), why);
            }
        }
        if (folded == 0) {
            return model;
        }
        GraphProto.Builder b = g.proto().toBuilder().clearNode();
        for (NodeProto n : g.proto().getNodeList()) {
            if (dropped.containsKey(n)) {
                continue;
            }
            b.addNode(replaced.getOrDefault(n, n));
        }
        b.addAllInitializer(added);
        notes.add(folded + " BatchNormalization folded into the Conv before it");
        return OnnxModel.of(model.proto().toBuilder().setGraph(b).build(), model.file());
    }

    private static String foldOne(OnnxModel model, NodeProto bn, Map<NodeProto, NodeProto> replaced, List<TensorProto> added,
            Map<String, Boolean> names) throws IOException {
        OnnxGraph g = model.graph();
        String x = bn.getInput(0);
        NodeProto conv = g.producer(x);
        if (conv == null || !(conv.getOpType().equals("Conv") || conv.getOpType().equals("ConvTranspose")) || replaced.containsKey(conv)) {
            return "float: BatchNormalization does not follow a Conv, so it cannot be folded into one (ONNX Runtime has no "
                    + "integer BatchNormalization)";
        }
        if (g.consumers(x).size() != 1 || g.isGraphOutput(x)) {
            return "float: the Conv output it normalizes is also read elsewhere, so it cannot be folded";
        }
        if (ShapeInference.Attrs.i(bn, "training_mode", 0) != 0) {
            return "float: BatchNormalization in training mode cannot be folded";
        }
        for (int i = 1; i < bn.getOutputCount(); i++) {
            if (!bn.getOutput(i).isEmpty() && !g.consumers(bn.getOutput(i)).isEmpty()) {
                return "float: BatchNormalization's running statistics are read, so it cannot be folded";
            }
        }
        boolean transpose = conv.getOpType().equals("ConvTranspose");
        long group = ShapeInference.Attrs.i(conv, "group", 1);
        if (transpose && group != 1) {
            return "float: BatchNormalization after a grouped ConvTranspose is not folded";
        }
        TensorProto wt = g.initializer(conv.getInputCount() > 1 ? conv.getInput(1) : "");
        if (wt == null || wt.getDataType() != TensorProto.DataType.FLOAT_VALUE || wt.getDimsCount() < 3) {
            return "float: the Conv weight is not a float32 constant, so BatchNormalization cannot be folded into it";
        }
        float[][] p = new float[4][];
        for (int i = 0; i < 4; i++) {
            TensorProto t = bn.getInputCount() > i + 1 ? g.initializer(bn.getInput(i + 1)) : null;
            if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return "float: BatchNormalization parameters are not float32 constants";
            }
            p[i] = model.floats(t);
        }
        int axis = transpose ? 1 : 0;
        int channels = (int) wt.getDims(axis);
        for (float[] a : p) {
            if (a.length != channels) {
                return "float: BatchNormalization has " + a.length + " channels, the Conv " + channels;
            }
        }
        float[] bias = null;
        if (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()) {
            TensorProto bt = g.initializer(conv.getInput(2));
            if (bt == null || bt.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return "float: the Conv bias is not a float32 constant";
            }
            bias = model.floats(bt);
            if (bias.length != channels) {
                return "float: the Conv bias has " + bias.length + " values for " + channels + " channels";
            }
        }
        double eps = ShapeInference.Attrs.f(bn, "epsilon", 1e-5f);
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = p[0][c] / Math.sqrt(p[3][c] + eps);
        }
        float[] w = model.floats(wt).clone();
        long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        for (int i = 0; i < w.length; i++) {
            int c = (int) ((i / inner) % channels);
            w[i] = (float) (w[i] * s[c]);
        }
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            double b0 = bias == null ? 0 : bias[c];
            b[c] = (float) ((b0 - p[2][c]) * s[c] + p[1][c]);
        }
        String wn = unique(names, conv.getInput(1) + "_bn_folded");
        String bname = unique(names, (bias == null ? wn + "_bias" : conv.getInput(2) + "_bn_folded"));
        added.add(Tensors.floats(wn, w, dims));
        added.add(Tensors.floats(bname, b, channels));
        NodeProto.Builder nb = conv.toBuilder().setInput(1, wn).setOutput(0, bn.getOutput(0));
        if (conv.getInputCount() > 2) {
            nb.setInput(2, bname);
        } else {
            nb.addInput(bname);
        }
        replaced.put(conv, nb.build());
        return null;
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
