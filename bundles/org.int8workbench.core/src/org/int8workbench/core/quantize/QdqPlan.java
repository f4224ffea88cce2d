package org.int8workbench.core.quantize;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.onnx.OnnxGraph;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.ShapeInference;

/**
 * Where Q/DQ pairs go, decided from the graph alone (before calibration), so that ONNX Runtime's CPU graph optimizer
 * fuses each quantized node into an integer kernel:
 * <ul>
 * <li>Conv, Gemm, MatMul, Add, Mul, Concat, AveragePool, GlobalAveragePool, Sigmoid, LeakyRelu, Softmax (opset 13+,
 * not at a model output) ("compute" nodes; measured with ONNX Runtime 1.29's CPU provider to become QLinearConv,
 * QLinearMatMul, QLinearAdd, QLinearMul, QLinearConcat, QLinearAveragePool, QLinearGlobalAveragePool, QLinearSigmoid,
 * QLinearLeakyRelu, QLinearSoftmax in its saved optimized graph):
 * every float activation input is read through DequantizeLinear and the output goes through QuantizeLinear (the
 * {@code DQ → op → Q} pattern its QDQ selectors match); weights of Conv/Gemm/MatMul are int8 initializers behind a
 * per-channel DequantizeLinear, biases int32 ones.</li>
 * <li>A Relu, or a Clip with lower bound 0, that is the only reader of a compute node's output is folded: the Q/DQ
 * pair goes after it and its range is cut to the clip range, so ONNX Runtime removes it (ReluQuantFusion /
 * ClipQuantFusion) and the compute node's Q follows directly.</li>
 * <li>Data-movement nodes (Reshape, Transpose, Squeeze, Unsqueeze, Flatten, MaxPool, Slice, Pad, Gather, ...) whose
 * input is quantized are quantized with their input's parameters, so the runtime drops their Q/DQ and moves
 * uint8 data.</li>
 * <li>Everything else stays float, without Q/DQ of its own. Measured there (ExporterGraphsTest): ConvTranspose, Sub,
 * Div, HardSigmoid, Clip not after a compute node, PRelu, ReduceMean and BatchNormalization stay
 * DequantizeLinear → float op → QuantizeLinear, so Q/DQ around them would only add work (the working copy writes
 * Div and Sub by a constant as Mul and Add, and folds BatchNormalization into the Conv before it). In particular Resize, whose integer form measured slower
 * than float (ONNX Runtime's uint8 bilinear kernel: 3.4–5.9 ms against 2.1 ms for the final upsample; whole model
 * 1.3–1.6x instead of 1.8x; see {@code shared/notes/ort-int8.md}). A float node sits between a DequantizeLinear
 * and a QuantizeLinear only where its neighbours need them.</li>
 * </ul>
 */
final class QdqPlan {

    /** What a node of the FP32 model becomes. */
    public enum Role {
        /** Integer kernel with its own output range. */
        COMPUTE,
        /** Relu/Clip folded into the preceding compute node's output range. */
        FOLDED,
        /** Moves uint8 data with its input's parameters. */
        DATA_MOVEMENT,
        /** Stays float. */
        FLOAT
    }

    static final Set<String> COMPUTE_OPS = Set.of("Conv", "Gemm", "MatMul", "Add", "Mul", "Concat", "AveragePool",
            "GlobalAveragePool", "Sigmoid", "LeakyRelu", "Softmax");
    static final Set<String> WEIGHTED_OPS = Set.of("Conv", "Gemm", "MatMul");
    static final Set<String> DATA_MOVEMENT_OPS = Set.of("Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten",
            "MaxPool", "Slice", "Pad", "Gather", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "Split");

    /** The plan of one node. */
    public static final class NodePlan {
        public final NodeProto node;
        public final String name;
        public Role role = Role.FLOAT;
        public String reason;
        /** Kept in FP32 on request (ignored scope, keep first/last layer). */
        public boolean keptFloat;
        /** Tensor whose quantization represents this node's output (its own output, or its folded activation's). */
        public String rangeTensor;
        /** For weighted compute nodes: the weight initializer, the channel axis, the bias initializer (or null). */
        public String weight;
        public int weightAxis;
        public String bias;
        /** For weighted nodes: the activation input whose scale the bias scale uses. */
        public String activationInput;

        NodePlan(NodeProto node, String name) {
            this.node = node;
            this.name = name;
        }

        public boolean quantized() {
            return role != Role.FLOAT;
        }
    }

    private final OnnxModel model;
    private final OnnxGraph graph;
    private final ShapeInference types;
    private final Map<NodeProto, NodePlan> plans = new LinkedHashMap<>();
    /** Tensors that get a Q/DQ pair (or, for constants, a quantized initializer and a DequantizeLinear). */
    private final Set<String> qdq = new LinkedHashSet<>();
    /** Tensor → tensor whose parameters it reuses (data movement). */
    private final Map<String, String> shared = new HashMap<>();
    /** Tensor → {min, max} clip range of a folded Relu/Clip. */
    private final Map<String, float[]> clips = new HashMap<>();

    private QdqPlan(OnnxModel model) {
        this.model = model;
        this.graph = model.graph();
        this.types = ShapeInference.of(model);
    }

    /** Plans the quantization of {@code model}. */
    public static QdqPlan of(OnnxModel model, IgnoredScope ignored, boolean keepFirstLast) throws IOException {
        QdqPlan p = new QdqPlan(model);
        p.build(ignored, keepFirstLast);
        return p;
    }

    private void build(IgnoredScope ignored, boolean keepFirstLast) throws IOException {
        List<NodeProto> nodes = graph.nodes();
        for (NodeProto n : nodes) {
            plans.put(n, new NodePlan(n, graph.name(n)));
        }
        NodeProto first = null;
        NodeProto last = null;
        for (NodeProto n : nodes) {
            if (WEIGHTED_OPS.contains(n.getOpType())) {
                if (first == null) {
                    first = n;
                }
                last = n;
            }
        }
        // 1. compute nodes
        for (NodeProto n : nodes) {
            NodePlan p = plans.get(n);
            String ign = ignored.match(n, p.name);
            if (ign != null) {
                p.reason = ign;
                p.keptFloat = true;
                continue;
            }
            if (keepFirstLast && (n == first || n == last)) {
                p.reason = "kept FP32: " + (n == first ? "first" : "last") + " layer (keep first/last layer)";
                p.keptFloat = true;
                continue;
            }
            if (COMPUTE_OPS.contains(n.getOpType())) {
                String why = checkCompute(n, p);
                if (why == null) {
                    p.role = Role.COMPUTE;
                    p.rangeTensor = n.getOutput(0);
                    p.reason = "integer kernel (" + integerName(n.getOpType()) + ")";
                } else {
                    p.reason = why;
                }
            } else if (!DATA_MOVEMENT_OPS.contains(n.getOpType()) && !n.getOpType().equals("Relu") && !n.getOpType().equals("Clip")) {
                p.reason = floatReason(n.getOpType());
            }
        }
        // 2. fold Relu / Clip(0, max) into the compute node before it
        for (NodeProto n : nodes) {
            NodePlan p = plans.get(n);
            if (p.role != Role.FLOAT || p.reason != null || !(n.getOpType().equals("Relu") || n.getOpType().equals("Clip"))) {
                continue;
            }
            NodeProto prod = graph.producer(n.getInput(0));
            NodePlan pp = prod == null ? null : plans.get(prod);
            float[] clip = clipRange(n);
            if (pp == null || pp.role != Role.COMPUTE) {
                p.reason = "float: " + n.getOpType() + " does not follow a quantized node (ONNX Runtime folds it only into a preceding quantized output)";
            } else if (graph.consumers(n.getInput(0)).size() != 1 || graph.isGraphOutput(n.getInput(0))) {
                p.reason = "float: the output of " + pp.name + " is also read elsewhere, so this " + n.getOpType() + " cannot be folded";
            } else if (clip == null) {
                p.reason = "float: Clip bounds are not constant or its lower bound is not 0";
            } else {
                p.role = Role.FOLDED;
                p.rangeTensor = n.getOutput(0);
                pp.rangeTensor = n.getOutput(0);
                clips.put(n.getOutput(0), clip);
                p.reason = "folded into " + pp.name + "'s quantized output range [" + fmt(clip[0]) + ", " + fmt(clip[1]) + "]";
            }
        }
        // 3. tensors needing Q/DQ: activation inputs and range outputs of compute nodes
        for (NodeProto n : nodes) {
            NodePlan p = plans.get(n);
            if (p.role != Role.COMPUTE) {
                continue;
            }
            for (String in : activationInputs(n, p)) {
                qdq.add(in);
            }
            qdq.add(p.rangeTensor);
        }
        // 4. data movement: quantized when the input is, with the input's parameters
        for (NodeProto n : nodes) {
            NodePlan p = plans.get(n);
            if (p.reason != null || !DATA_MOVEMENT_OPS.contains(n.getOpType())) {
                continue;
            }
            String in = n.getInput(0);
            if (qdq.contains(in) && types.isFloat(n.getOutput(0)) && !n.getOutput(0).isEmpty()) {
                p.role = Role.DATA_MOVEMENT;
                p.rangeTensor = n.getOutput(0);
                p.reason = "moves uint8 data with its input's scale and zero point";
                // Split: every output with the input's parameters (ONNX Runtime drops the Q/DQ only then)
                int outs = n.getOpType().equals("Split") ? n.getOutputCount() : 1;
                for (int i = 0; i < outs; i++) {
                    if (!n.getOutput(i).isEmpty()) {
                        qdq.add(n.getOutput(i));
                        shared.put(n.getOutput(i), in);
                    }
                }
            } else {
                p.reason = "float: its input is not quantized";
            }
        }
    }

    private String checkCompute(NodeProto n, NodePlan p) throws IOException {
        String op = n.getOpType();
        if (op.equals("Softmax")) {
            if (graph.onnxOpset() < 13) {
                return "float: Softmax before opset 13 flattens its input; QLinearSoftmax is used from opset 13 only";
            }
            if (graph.isGraphOutput(n.getOutput(0))) {
                return "float: Softmax writes a model output, kept in float for its precision";
            }
        }
        for (String out : n.getOutputList()) {
            if (!out.isEmpty() && !types.isFloat(out)) {
                return "float: output '" + out + "' is not float32";
            }
        }
        if (op.equals("Conv") || op.equals("Gemm") || (op.equals("MatMul") && isFloatInitializer(n.getInput(1)))) {
            if (!isFloatInitializer(n.getInput(1))) {
                return "float: the weight is not a float32 initializer";
            }
            long[] w = types.shape(n.getInput(1));
            if (op.equals("Conv")) {
                p.weightAxis = 0;
            } else if (op.equals("Gemm")) {
                if (ShapeInference.Attrs.i(n, "transA", 0) != 0) {
                    return "float: Gemm with transA=1 is not quantized";
                }
                p.weightAxis = ShapeInference.Attrs.i(n, "transB", 0) != 0 ? 0 : 1;
            } else {
                if (w == null || w.length != 2) {
                    return "float: MatMul weight is not 2-D";
                }
                p.weightAxis = 1;
            }
            p.weight = n.getInput(1);
            p.activationInput = n.getInput(0);
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                String b = n.getInput(2);
                TensorProto bt = graph.initializer(b);
                long channels = w == null ? -1 : w[p.weightAxis];
                boolean beta1 = !op.equals("Gemm") || ShapeInference.Attrs.f(n, "beta", 1f) == 1f;
                if (bt == null || bt.getDataType() != TensorProto.DataType.FLOAT_VALUE || bt.getDimsCount() != 1
                        || bt.getDims(0) != channels || !beta1) {
                    return "float: the bias is not a 1-D float32 initializer with one value per output channel";
                }
                p.bias = b;
            }
        }
        for (String in : activationInputs(n, p)) {
            if (!types.isFloat(in)) {
                return "float: input '" + in + "' is not float32 (" + types.type(in) + ")";
            }
            if (graph.isInitializer(in) && graph.initializer(in).getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return "float: constant input '" + in + "' is not float32";
            }
        }
        return null;
    }

    private boolean isFloatInitializer(String name) {
        TensorProto t = graph.initializer(name);
        return t != null && t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }

    /** The inputs of a compute node that are quantized as activations (uint8): all float inputs but weight and bias. */
    public List<String> activationInputs(NodeProto n, NodePlan p) {
        List<String> ins = new ArrayList<>();
        int count = switch (n.getOpType()) {
            case "Conv", "Gemm", "AveragePool", "GlobalAveragePool", "Sigmoid", "LeakyRelu", "Softmax" -> 1;
            case "MatMul" -> p.weight != null ? 1 : 2;
            default -> n.getInputCount();
        };
        for (int i = 0; i < count && i < n.getInputCount(); i++) {
            String in = n.getInput(i);
            if (!in.isEmpty() && !ins.contains(in)) {
                ins.add(in);
            }
        }
        return ins;
    }

    private float[] clipRange(NodeProto n) throws IOException {
        if (n.getOpType().equals("Relu")) {
            return new float[] {0f, Float.POSITIVE_INFINITY};
        }
        float lo;
        float hi;
        if (graph.onnxOpset() < 11) {
            lo = ShapeInference.Attrs.f(n, "min", -Float.MAX_VALUE);
            hi = ShapeInference.Attrs.f(n, "max", Float.MAX_VALUE);
        } else {
            lo = Float.NEGATIVE_INFINITY;
            hi = Float.POSITIVE_INFINITY;
            if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
                TensorProto t = graph.constant(n.getInput(1));
                if (t == null) {
                    return null;
                }
                lo = model.floats(t)[0];
            }
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                TensorProto t = graph.constant(n.getInput(2));
                if (t == null) {
                    return null;
                }
                hi = model.floats(t)[0];
            }
        }
        return lo == 0f && hi > 0 ? new float[] {0f, hi >= Float.MAX_VALUE ? Float.POSITIVE_INFINITY : hi} : null;
    }

    private static String integerName(String op) {
        return switch (op) {
            case "Conv" -> "QLinearConv";
            case "Gemm" -> "QGemm";
            case "MatMul" -> "QLinearMatMul";
            default -> "QLinear" + op;
        };
    }

    private static String floatReason(String op) {
        return switch (op) {
            case "Resize", "Upsample" -> "float by design: ONNX Runtime's integer Resize measured slower than float "
                    + "(uint8 bilinear kernel), so Resize keeps float data and gets no Q/DQ of its own";
            case "Identity", "Dropout" -> "float: no computation (removed by ONNX Runtime)";
            case "ArgMax" -> "float: " + op + " gains nothing from integer form here";
            case "ConvTranspose" -> "float: measured with ONNX Runtime 1.29 (CPU): DequantizeLinear → ConvTranspose → "
                    + "QuantizeLinear stays unfused (no integer ConvTranspose kernel is selected), so it keeps float data";
            case "BatchNormalization" -> "float: BatchNormalization that could not be folded into a Conv (ONNX Runtime has "
                    + "no integer BatchNormalization)";
            case "Sub", "Div", "HardSigmoid", "HardSwish", "PRelu", "ReduceMean", "Pow", "Sqrt", "Tanh", "Exp", "Erf" ->
                "float: measured with ONNX Runtime 1.29 (CPU): DequantizeLinear → " + op + " → QuantizeLinear stays "
                        + "unfused (integer kernels exist for Add, Mul, Sigmoid, LeakyRelu, Softmax, pooling and Concat only)";
            default -> "float: ONNX Runtime's CPU provider has no QDQ integer fusion for " + op;
        };
    }

    private static String fmt(float v) {
        return Float.isInfinite(v) ? "inf" : v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
    }

    public OnnxModel model() {
        return model;
    }

    public ShapeInference types() {
        return types;
    }

    /** Plans of all nodes in topological order. */
    public List<NodePlan> nodes() {
        return new ArrayList<>(plans.values());
    }

    public NodePlan plan(NodeProto n) {
        return plans.get(n);
    }

    /** Tensors that get Q/DQ, in a producer-first order. */
    public Set<String> qdqTensors() {
        return qdq;
    }

    /** Tensors whose range is measured (those not sharing another tensor's parameters, constants excluded). */
    public List<String> calibratedTensors() {
        List<String> out = new ArrayList<>();
        for (String t : qdq) {
            if (!shared.containsKey(t) && !graph.isInitializer(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The tensor whose parameters {@code tensor} reuses, following chains; {@code tensor} itself when none. */
    public String paramSource(String tensor) {
        String t = tensor;
        for (int i = 0; i < 1000 && shared.containsKey(t); i++) {
            t = shared.get(t);
        }
        return t;
    }

    /** Clip range of a folded Relu/Clip output, or {@code null}. */
    public float[] clip(String tensor) {
        return clips.get(tensor);
    }

    /** Pre-activation outputs of quantized Conv/Gemm nodes with a bias (for fast bias correction). */
    public List<String> biasCorrectionTensors() {
        List<String> out = new ArrayList<>();
        for (NodePlan p : plans.values()) {
            if (p.role == Role.COMPUTE && p.bias != null && !p.node.getOpType().equals("MatMul")) {
                out.add(p.node.getOutput(0));
            }
        }
        return out;
    }

    public int quantizedCount() {
        int n = 0;
        for (NodePlan p : plans.values()) {
            if (p.quantized()) {
                n++;
            }
        }
        return n;
    }
}
