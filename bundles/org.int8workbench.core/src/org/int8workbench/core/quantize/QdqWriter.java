package org.int8workbench.core.quantize;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.onnx.OnnxGraph;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.Tensors;
import org.int8workbench.core.quantize.Quantization.QuantizedWeights;
import org.int8workbench.core.quantize.QdqPlan.NodePlan;
import org.int8workbench.core.quantize.QdqPlan.Role;

/**
 * Writes the QDQ model of a {@link QdqPlan} with the activation parameters found by calibration: inserts
 * QuantizeLinear/DequantizeLinear pairs, replaces weights by int8 initializers with a per-channel DequantizeLinear
 * and biases by int32 ones ({@code scale = input scale × weight scale}), keeps everything else of the model
 * (other fields, unknown fields, metadata) and adds metadata entries.
 */
final class QdqWriter {

    private final QdqPlan plan;
    private final OnnxModel model;
    private final OnnxGraph graph;
    private final Map<String, QuantParams> params;
    private final Map<String, float[]> biasShift;
    private final Set<String> names = new HashSet<>();
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private final Map<String, String> dqName = new HashMap<>();
    private final Map<String, String> renamedOutputs = new HashMap<>();
    /** Tensor → its QuantizeLinear output (or quantized initializer), for the private DequantizeLinear of a kept Conv. */
    private final Map<String, String> quantizedName = new HashMap<>();
    private final Map<String, WeightInfo> weightInfo = new LinkedHashMap<>();
    private final boolean perChannel;

    /** Per weighted node: what its weights became. */
    public record WeightInfo(float weightMin, float weightMax, float scaleMin, float scaleMax, float biasShift) {
    }

    /**
     * @param params activation parameters of every tensor in {@link QdqPlan#qdqTensors()} (resolved, shared ones
     *        included)
     * @param biasShift per node name, a per-channel correction added to the float bias before quantizing it
     */
    public QdqWriter(QdqPlan plan, Map<String, QuantParams> params, Map<String, float[]> biasShift) {
        this.plan = plan;
        this.model = plan.model();
        this.graph = model.graph();
        this.params = params;
        this.biasShift = biasShift;
        this.perChannel = graph.onnxOpset() >= 13;
        for (NodeProto n : graph.proto().getNodeList()) {
            names.addAll(n.getOutputList());
            names.add(n.getName());
        }
        for (TensorProto t : graph.proto().getInitializerList()) {
            names.add(t.getName());
        }
        for (ValueInfoProto v : graph.proto().getInputList()) {
            names.add(v.getName());
        }
        for (ValueInfoProto v : graph.proto().getValueInfoList()) {
            names.add(v.getName());
        }
    }

    private String unique(String base) {
        String n = base;
        for (int i = 1; names.contains(n); i++) {
            n = base + "_" + i;
        }
        names.add(n);
        return n;
    }

    /**
     * The name of {@code tensor}'s dequantized value in the written model (after {@link #write}): what its readers see;
     * the tensor itself when it is a graph output or not quantized.
     */
    public String dequantized(String tensor) {
        return dqName.getOrDefault(tensor, tensor);
    }

    /** What the weights of each weighted node became, by node name (after {@link #write}). */
    public Map<String, WeightInfo> weightInfo() {
        return weightInfo;
    }

    /** The QDQ model with the given extra metadata entries (replacing entries of the same key). */
    public ModelProto write(Map<String, String> metadata) throws IOException {
        if (graph.onnxOpset() < 10) {
            throw new IllegalArgumentException("the model uses ONNX opset " + graph.onnxOpset()
                    + "; QuantizeLinear/DequantizeLinear need opset 10 or later (13 for per-channel weights)");
        }
        List<NodeProto> out = new ArrayList<>();
        // names of the DequantizeLinear outputs that readers use
        for (String t : plan.qdqTensors()) {
            if (graph.isGraphOutput(t)) {
                dqName.put(t, t);
                renamedOutputs.put(t, unique(t + "_prequant"));
            } else {
                dqName.put(t, unique(t + "_DequantizeLinear_Output"));
            }
        }
        // graph inputs and constants that are quantized as activations
        for (String t : plan.qdqTensors()) {
            if (graph.producer(t) == null && !graph.isInitializer(t)) {
                emitQdq(t, t, out);
            } else if (graph.isInitializer(t)) {
                emitConstant(t, out);
            }
        }
        for (NodeProto n : graph.nodes()) {
            NodePlan p = plan.plan(n);
            NodeProto.Builder b = n.toBuilder();
            if (n.getName().isEmpty()) {
                b.setName(p.name);
            }
            for (int i = 0; i < b.getInputCount(); i++) {
                String in = b.getInput(i);
                if (dqName.containsKey(in) && !graph.isGraphOutput(in)) {
                    String privateDq = p.keptFloat ? keptConvInput(n, i, in, out) : null;
                    b.setInput(i, privateDq != null ? privateDq : dqName.get(in));
                }
            }
            if (p.role == Role.COMPUTE && p.weight != null) {
                quantizeWeights(p, b, out, false);
            }
            for (int i = 0; i < b.getOutputCount(); i++) {
                String o = b.getOutput(i);
                if (renamedOutputs.containsKey(o)) {
                    b.setOutput(i, renamedOutputs.get(o));
                }
            }
            out.add(b.build());
            for (String o : n.getOutputList()) {
                if (plan.qdqTensors().contains(o)) {
                    emitQdq(o, renamedOutputs.getOrDefault(o, o), out);
                }
            }
        }
        GraphProto.Builder g = graph.proto().toBuilder().clearNode().addAllNode(out);
        // initializers: keep those still read, add the new ones
        Set<String> read = new HashSet<>();
        for (NodeProto n : out) {
            read.addAll(n.getInputList());
        }
        for (ValueInfoProto v : graph.proto().getOutputList()) {
            read.add(v.getName());
        }
        g.clearInitializer();
        for (TensorProto t : graph.proto().getInitializerList()) {
            if (read.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        g.addAllInitializer(newInitializers);
        // IR < 4 lists initializers among the inputs: drop the entries of removed initializers
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.proto().getInputList()) {
            if (!graph.isInitializer(v.getName()) || read.contains(v.getName())) {
                inputs.add(v);
            }
        }
        g.clearInput().addAllInput(inputs);
        ModelProto.Builder m = model.proto().toBuilder().setGraph(g);
        boolean hasDefault = false;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            hasDefault |= o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx");
        }
        if (!hasDefault) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13));
        }
        List<StringStringEntryProto> props = new ArrayList<>();
        for (StringStringEntryProto e : m.getMetadataPropsList()) {
            if (!metadata.containsKey(e.getKey())) {
                props.add(e);
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            props.add(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build());
        }
        m.clearMetadataProps().addAllMetadataProps(props);
        return m.build();
    }

    /**
     * The FP32 model plus, for each quantized Conv/Gemm with a bias, a "shadow" copy that reads the same FP32 input
     * through QuantizeLinear/DequantizeLinear with the calibrated parameters and uses the quantized weights and bias:
     * comparing the shadow's per-channel output mean with the original's gives the bias shift of that layer alone
     * (fast bias correction), in one pass.
     *
     * @param shadows filled with node name → name of the shadow's output tensor
     */
    public ModelProto writeShadows(Map<String, String> shadows) throws IOException {
        List<NodeProto> out = new ArrayList<>(graph.nodes());
        for (NodePlan p : plan.nodes()) {
            if (p.role != Role.COMPUTE || p.weight == null || p.bias == null || p.node.getOpType().equals("MatMul")
                    || graph.isGraphOutput(p.node.getOutput(0))) {
                continue;
            }
            String x = p.activationInput;
            QuantParams qp = paramsOf(x);
            String scale = addScalar(x + "_shadow_scale", qp.scale());
            String zp = unique(x + "_shadow_zero_point");
            newInitializers.add(Tensors.bytes(zp, DataType.UINT8, new byte[] {(byte) qp.zeroPoint()}));
            String q = unique(x + "_shadow_q");
            String dq = unique(x + "_shadow_dq");
            out.add(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(unique(q)).addInput(x).addInput(scale)
                    .addInput(zp).addOutput(q).build());
            out.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(unique(dq)).addInput(q).addInput(scale)
                    .addInput(zp).addOutput(dq).build());
            NodeProto.Builder b = p.node.toBuilder().setName(unique(p.name + "_shadow")).setInput(0, dq);
            String y = unique(p.node.getOutput(0) + "_shadow");
            b.clearOutput().addOutput(y);
            quantizeWeights(p, b, out, true);
            out.add(b.build());
            shadows.put(p.name, y);
        }
        GraphProto.Builder g = graph.proto().toBuilder().clearNode().addAllNode(out).addAllInitializer(newInitializers);
        return model.proto().toBuilder().setGraph(g).build();
    }

    /**
     * The data input of a Conv kept in FP32 through a DequantizeLinear of its own whose scale and zero point are written
     * per channel (the same values repeated): behind the shared per-tensor DequantizeLinear, ONNX Runtime's
     * WeightBiasQuantization pass would quantize the kept Conv's float weights per tensor and its QDQ fusion would run it
     * as a QLinearConv again (measured: 66 of the 67 groups of the real DeepLabV3 kept that way ran as integer kernels);
     * with this one it runs as a float Conv. Other kept operators (Add, Mul, ...) keep the shared DequantizeLinear, and
     * ONNX Runtime may still fuse them. Returns {@code null} when this does not apply.
     */
    private String keptConvInput(NodeProto n, int input, String tensor, List<NodeProto> out) {
        if (!n.getOpType().equals("Conv") || input != 0 || !perChannel || !quantizedName.containsKey(tensor)) {
            return null;
        }
        long[] shape = plan.types().shape(tensor);
        if (shape == null || shape.length != 4 || shape[1] <= 0 || shape[1] > 1 << 16) {
            return null;
        }
        int c = (int) shape[1];
        QuantParams p = paramsOf(tensor);
        float[] scales = new float[c];
        byte[] zps = new byte[c];
        java.util.Arrays.fill(scales, p.scale());
        java.util.Arrays.fill(zps, (byte) p.zeroPoint());
        String scale = unique(tensor + "_kept_scale");
        newInitializers.add(Tensors.floats(scale, scales, c));
        String zp = unique(tensor + "_kept_zero_point");
        newInitializers.add(Tensors.bytes(zp, DataType.UINT8, zps, c));
        String y = unique(tensor + "_kept_DequantizeLinear_Output");
        out.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(unique(tensor + "_kept_DequantizeLinear"))
                .addInput(quantizedName.get(tensor)).addInput(scale).addInput(zp).addOutput(y)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1))
                .build());
        return y;
    }

    private QuantParams paramsOf(String t) {
        QuantParams p = params.get(t);
        if (p == null) {
            p = params.get(plan.paramSource(t));
        }
        if (p == null) {
            throw new IllegalStateException("no quantization parameters for tensor '" + t + "'");
        }
        return p;
    }

    private void emitQdq(String tensor, String source, List<NodeProto> out) {
        QuantParams p = paramsOf(tensor);
        String scale = addScalar(tensor + "_scale", p.scale());
        String zp = unique(tensor + "_zero_point");
        newInitializers.add(Tensors.bytes(zp, DataType.UINT8, new byte[] {(byte) p.zeroPoint()}));
        String q = unique(tensor + "_QuantizeLinear_Output");
        quantizedName.put(tensor, q);
        out.add(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(unique(tensor + "_QuantizeLinear"))
                .addInput(source).addInput(scale).addInput(zp).addOutput(q).build());
        out.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(unique(tensor + "_DequantizeLinear"))
                .addInput(q).addInput(scale).addInput(zp).addOutput(dqName.get(tensor)).build());
    }

    /** A float constant read by a quantized node: a uint8 initializer with its own range, and a DequantizeLinear. */
    private void emitConstant(String tensor, List<NodeProto> out) throws IOException {
        float[] v = model.floats(graph.initializer(tensor));
        float lo = 0;
        float hi = 0;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        QuantParams p = params.containsKey(tensor) ? params.get(tensor) : Quantization.activation(lo, hi, false);
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            q[i] = (byte) p.quantize(v[i]);
        }
        TensorProto src = graph.initializer(tensor);
        long[] dims = src.getDimsList().stream().mapToLong(Long::longValue).toArray();
        String qn = unique(tensor + "_quantized");
        newInitializers.add(Tensors.bytes(qn, DataType.UINT8, q, dims));
        quantizedName.put(tensor, qn);
        String scale = addScalar(tensor + "_scale", p.scale());
        String zp = unique(tensor + "_zero_point");
        newInitializers.add(Tensors.bytes(zp, DataType.UINT8, new byte[] {(byte) p.zeroPoint()}));
        out.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(unique(tensor + "_DequantizeLinear"))
                .addInput(qn).addInput(scale).addInput(zp).addOutput(dqName.get(tensor)).build());
    }

    private String addScalar(String base, float value) {
        String n = unique(base);
        newInitializers.add(Tensors.floats(n, new float[] {value}));
        return n;
    }

    /**
     * Quantizes the weight and bias of {@code p} and points {@code b} at them: int8/int32 initializers behind
     * DequantizeLinear, or with {@code asFloat} the dequantized values as plain float initializers (the same numbers,
     * but constant, so ONNX Runtime prepacks them: used for the bias-correction shadows).
     */
    private void quantizeWeights(NodePlan p, NodeProto.Builder b, List<NodeProto> out, boolean asFloat) throws IOException {
        TensorProto wt = graph.initializer(p.weight);
        float[] w = model.floats(wt);
        long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
        QuantParams in = paramsOf(p.activationInput);
        float[] bias = null;
        float shiftMax = 0;
        if (p.bias != null) {
            bias = model.floats(graph.initializer(p.bias)).clone();
            float[] shift = biasShift.get(p.name);
            if (shift != null) {
                for (int c = 0; c < bias.length; c++) {
                    bias[c] += shift[c];
                    shiftMax = Math.max(shiftMax, Math.abs(shift[c]));
                }
            }
        }
        QuantizedWeights qw;
        int axis = p.weightAxis;
        if (perChannel) {
            float[] minScales = bias == null ? null : Quantization.minWeightScales(bias, in.scale());
            qw = Quantization.weightsPerChannel(w, dims, axis, minScales);
        } else {
            qw = Quantization.weightsPerTensor(w);
            if (bias != null) {
                float[] m = Quantization.minWeightScales(bias, in.scale());
                float need = 0;
                for (float x : m) {
                    need = Math.max(need, x);
                }
                if (need > qw.scales()[0]) {
                    qw = Quantization.weightsPerChannel(w, new long[] {1, w.length}, 0, new float[] {need});
                }
            }
        }
        float wmin = Float.POSITIVE_INFINITY;
        float wmax = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < qw.min().length; c++) {
            wmin = Math.min(wmin, qw.min()[c]);
            wmax = Math.max(wmax, qw.max()[c]);
        }
        float smin = Float.POSITIVE_INFINITY;
        float smax = 0;
        for (float s : qw.scales()) {
            smin = Math.min(smin, s);
            smax = Math.max(smax, s);
        }
        weightInfo.put(p.name, new WeightInfo(wmin, wmax, smin, smax, shiftMax));
        String base = p.weight + (graph.consumers(p.weight).size() > 1 ? "_" + p.name : "");
        int channels = qw.scales().length;
        if (asFloat) {
            long inner = 1;
            for (int i = axis + 1; i < dims.length; i++) {
                inner *= dims[i];
            }
            float[] deq = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                deq[i] = qw.dequantize(i, inner);
            }
            String wf = unique(base + "_fakequant");
            newInitializers.add(Tensors.floats(wf, deq, dims));
            b.setInput(1, wf);
            if (bias != null) {
                int[] qb = Quantization.bias(bias, in.scale(), qw.scales());
                float[] bf = new float[qb.length];
                for (int c = 0; c < qb.length; c++) {
                    bf[c] = qb[c] * (in.scale() * qw.scales()[channels == 1 ? 0 : c]);
                }
                String bn = unique(p.bias + "_fakequant");
                newInitializers.add(Tensors.floats(bn, bf, bf.length));
                b.setInput(2, bn);
            }
            return;
        }
        String qName = unique(base + "_quantized");
        newInitializers.add(Tensors.bytes(qName, DataType.INT8, qw.values(), dims));
        String sName = unique(base + "_scale");
        String zName = unique(base + "_zero_point");
        newInitializers.add(Tensors.floats(sName, qw.scales(), perChannel ? new long[] {channels} : new long[0]));
        newInitializers.add(Tensors.bytes(zName, DataType.INT8, new byte[channels], perChannel ? new long[] {channels} : new long[0]));
        String wOut = unique(base + "_DequantizeLinear_Output");
        NodeProto.Builder dq = NodeProto.newBuilder().setOpType("DequantizeLinear").setName(unique(base + "_DequantizeLinear"))
                .addInput(qName).addInput(sName).addInput(zName).addOutput(wOut);
        if (perChannel) {
            dq.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis));
        }
        out.add(dq.build());
        b.setInput(1, wOut);
        if (bias != null) {
            int[] qb = Quantization.bias(bias, in.scale(), qw.scales());
            String bb = p.bias + (graph.consumers(p.bias).size() > 1 ? "_" + p.name : "");
            String bq = unique(bb + "_quantized");
            String bsn = unique(bb + "_scale");
            String bzn = unique(bb + "_zero_point");
            newInitializers.add(Tensors.ints(bq, qb, bias.length));
            if (perChannel) {
                float[] bs = new float[bias.length];
                for (int c = 0; c < bias.length; c++) {
                    bs[c] = in.scale() * qw.scales()[channels == 1 ? 0 : c];
                }
                newInitializers.add(Tensors.floats(bsn, bs, bias.length));
                newInitializers.add(Tensors.ints(bzn, new int[bias.length], bias.length));
            } else {
                newInitializers.add(Tensors.floats(bsn, new float[] {in.scale() * qw.scales()[0]}));
                newInitializers.add(Tensors.ints(bzn, new int[1]));
            }
            String bOut = unique(bb + "_DequantizeLinear_Output");
            NodeProto.Builder bdq = NodeProto.newBuilder().setOpType("DequantizeLinear")
                    .setName(unique(bb + "_DequantizeLinear")).addInput(bq).addInput(bsn).addInput(bzn).addOutput(bOut);
            if (perChannel) {
                bdq.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0));
            }
            out.add(bdq.build());
            b.setInput(2, bOut);
        }
    }
}
