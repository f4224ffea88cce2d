package org.int8workbench.core.labels;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.ShapeInference;

/**
 * The last meaningful operator before each graph output: walking back from the output through operators that do
 * not change what the values mean (layout and shape changes, resizing, casts, quantize/dequantize pairs, so that an
 * INT8 model reads like its parent) to the operator that gave them their meaning ({@code Sigmoid}, {@code Softmax},
 * {@code ArgMax}, a convolution, ...). A {@code Concat} whose inputs all end in the same meaningful operator ends in
 * it too. Immutable.
 *
 * @param lastOps per graph output name, the op type of its last meaningful operator ({@code Sigmoid},
 *        {@code Conv}, ...), or {@code input} when the output comes straight from a graph input or constant
 * @param channels per graph output name, the channel count that shape inference finds, for outputs whose declared
 *        shape leaves the channel axis open (absent when not known)
 */
record OutputTrace(Map<String, String> lastOps, Map<String, Integer> channels) {

    /** Operators that keep the meaning of their first input's values. */
    static final Set<String> PASS_THROUGH = Set.of("Identity", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten",
            "Resize", "Upsample", "Cast", "CastLike", "QuantizeLinear", "DequantizeLinear", "Dropout", "Slice", "Pad",
            "Expand", "Tile", "DepthToSpace", "SpaceToDepth");

    /** Final operators whose outputs are independent probabilities. */
    static final Set<String> SIGMOIDS = Set.of("Sigmoid", "HardSigmoid");

    /** Final operators whose outputs are class probabilities (or their logarithms). */
    static final Set<String> SOFTMAXES = Set.of("Softmax", "LogSoftmax");

    OutputTrace {
        lastOps = Map.copyOf(lastOps);
        channels = Map.copyOf(channels);
    }

    /** No graph at hand: nothing known. */
    static final OutputTrace NONE = new OutputTrace(Map.of(), Map.of());

    /** The last meaningful operator of an output, or {@code null} when not known. */
    String lastOp(String output) {
        return lastOps.get(output);
    }

    /** The trace of a model file's outputs; the weights are parsed but not checked. */
    static OutputTrace of(java.nio.file.Path modelFile, Preprocessing input) throws java.io.IOException {
        ModelProto m;
        try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(modelFile), 1 << 16)) {
            var coded = com.google.protobuf.CodedInputStream.newInstance(in);
            coded.setRecursionLimit(1000);
            coded.setSizeLimit(Integer.MAX_VALUE);
            m = ModelProto.parseFrom(coded);
        }
        return of(m, modelFile, input);
    }

    /** The trace of a model's outputs. */
    static OutputTrace of(ModelProto model, java.nio.file.Path nameForMessages, Preprocessing input) {
        GraphProto g = model.getGraph();
        Map<String, NodeProto> producers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    producers.put(o, n);
                }
            }
        }
        Map<String, String> ops = new LinkedHashMap<>();
        List<String> open = new ArrayList<>();
        for (var o : g.getOutputList()) {
            ops.put(o.getName(), lastOp(o.getName(), producers, new HashSet<>()));
            if (channelAxisOpen(o, input)) {
                open.add(o.getName());
            }
        }
        Map<String, Integer> channels = new HashMap<>();
        if (!open.isEmpty()) {
            try {
                ShapeInference si = ShapeInference.of(OnnxModel.of(model, nameForMessages));
                int axis = input != null ? ScoreLayout.of(input.layout()).classAxis() : 1;
                for (String name : open) {
                    long[] s = si.shape(name);
                    if (s != null && s.length == 4 && s[axis] > 0) {
                        channels.put(name, (int) s[axis]);
                    } else if (s != null && s.length == 3) {
                        channels.put(name, 1);
                    }
                }
            } catch (RuntimeException | java.io.IOException e) {
                // a graph the light inference cannot read: the channels stay as declared
            }
        }
        return new OutputTrace(ops, channels);
    }

    private static String lastOp(String tensor, Map<String, NodeProto> producers, Set<String> seen) {
        String t = tensor;
        while (seen.add(t)) {
            NodeProto p = producers.get(t);
            if (p == null || p.getOpType().equals("Constant")) {
                return "input";
            }
            String op = p.getOpType();
            if (op.equals("Concat")) {
                String common = null;
                for (String in : p.getInputList()) {
                    String o = in.isEmpty() ? null : lastOp(in, producers, new HashSet<>(seen));
                    if (o == null || (common != null && !common.equals(o))) {
                        return "Concat";
                    }
                    common = o;
                }
                return common != null ? common : "Concat";
            }
            if (!PASS_THROUGH.contains(op) || p.getInputCount() == 0 || p.getInput(0).isEmpty()) {
                return op;
            }
            t = p.getInput(0);
        }
        return "input";
    }

    /** Whether the declared shape of an output leaves its channel count open. */
    private static boolean channelAxisOpen(ai.onnx.proto.OnnxMl.ValueInfoProto v, Preprocessing input) {
        var type = v.getType();
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) {
            return true;
        }
        var s = type.getTensorType().getShape();
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.getDim(i).hasDimValue() ? s.getDim(i).getDimValue() : -1;
        }
        return OutputShapes.channels(d, input) < 0;
    }
}
