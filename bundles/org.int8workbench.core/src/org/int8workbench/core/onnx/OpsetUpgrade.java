package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises an opset 10–12 model to opset 13 where every node means the same there (see {@link ExporterGraphs}).
 * Operators whose opset-13 form differs are rewritten (attribute lists become int64 inputs); operators whose meaning
 * changed (Softmax over several axes, Upsample, subgraphs) block the upgrade.
 */
final class OpsetUpgrade {

    private OpsetUpgrade() {
    }

    /** Attributes that became inputs in opset 13, by operator (the input index they take). */
    private static final Map<String, String> ATTR_TO_INPUT = Map.of("Squeeze", "axes", "Unsqueeze", "axes", "Split", "split",
            "ReduceSum", "axes");
    private static final Set<String> SOFTMAX = Set.of("Softmax", "LogSoftmax", "Hardmax");

    /** Why {@code model} cannot be raised to opset 13, or {@code null} when it can. */
    static String blocker(OnnxModel model) {
        OnnxGraph g = model.graph();
        ShapeInference shapes = null;
        for (NodeProto n : g.nodes()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                continue;
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    return "weights quantized per tensor: the opset " + g.onnxOpset() + " model has subgraphs ("
                            + n.getOpType() + "), so it is not raised to opset 13 for per-channel weights";
                }
            }
            if (n.getOpType().equals("Upsample")) {
                return "weights quantized per tensor: Upsample does not exist in opset 13, so the opset " + g.onnxOpset()
                        + " model is not raised to 13 for per-channel weights";
            }
            if (SOFTMAX.contains(n.getOpType())) {
                long axis = ShapeInference.Attrs.i(n, "axis", 1);
                if (axis != -1) {
                    if (shapes == null) {
                        shapes = ShapeInference.of(model);
                    }
                    long[] s = shapes.shape(n.getInput(0));
                    boolean last = s != null && (axis == s.length - 1 || trailingOnes(s, axis));
                    if (!last) {
                        return "weights quantized per tensor: " + n.getOpType() + " over axes " + axis
                                + ".. means something else in opset 13, so the opset " + g.onnxOpset()
                                + " model is not raised to 13 for per-channel weights";
                    }
                }
            }
        }
        return null;
    }

    private static boolean trailingOnes(long[] s, long axis) {
        int a = (int) (axis < 0 ? axis + s.length : axis);
        for (int i = a + 1; i < s.length; i++) {
            if (s[i] != 1) {
                return false;
            }
        }
        return a >= 0 && a < s.length;
    }

    /** The model at opset 13 (call only when {@link #blocker} is {@code null}). */
    static ModelProto to13(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        GraphProto.Builder b = g.toBuilder().clearNode();
        Map<String, Boolean> names = ExporterGraphs.usedNames(g);
        for (NodeProto n : g.getNodeList()) {
            boolean onnx = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            String attr = onnx ? ATTR_TO_INPUT.get(n.getOpType()) : null;
            if (onnx && n.getOpType().equals("Dropout")) {
                b.addNode(without(n, "ratio"));
                continue;
            }
            if (attr == null || ShapeInference.Attrs.get(n, attr) == null) {
                b.addNode(n);
                continue;
            }
            List<Long> values = ShapeInference.Attrs.get(n, attr).getIntsList();
            String name = n.getName().isEmpty() ? n.getOutput(0) + "_" + attr : n.getName() + "_" + attr;
            for (int i = 1; names.containsKey(name); i++) {
                name = (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "_" + attr + "_" + i;
            }
            names.put(name, true);
            long[] v = values.stream().mapToLong(Long::longValue).toArray();
            b.addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName(name)
                    .setDataType(ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(v.length).addAllInt64Data(values));
            NodeProto.Builder nb = without(n, attr).toBuilder();
            while (nb.getInputCount() < 1) {
                nb.addInput("");
            }
            // the new input comes right after the data input (ReduceSum, Squeeze, Unsqueeze, Split: index 1)
            List<String> ins = new java.util.ArrayList<>(nb.getInputList());
            ins.add(1, name);
            nb.clearInput().addAllInput(ins.subList(0, 2));
            b.addNode(nb);
        }
        return ExporterGraphs.withOpset(model.proto().toBuilder().setGraph(b).build(), 13);
    }

    private static NodeProto without(NodeProto n, String attr) {
        NodeProto.Builder b = n.toBuilder().clearAttribute();
        for (AttributeProto a : n.getAttributeList()) {
            if (!a.getName().equals(attr)) {
                b.addAttribute(a);
            }
        }
        return b.build();
    }
}
