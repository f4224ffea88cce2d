package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.int8workbench.core.Ort;

/**
 * The graph ONNX Runtime actually executes for a model on this machine: ONNX Runtime is asked to write its
 * optimized graph ({@code SessionOptions.setOptimizedModelFilePath}) to a temporary file, which is parsed and
 * deleted. Tells how many nodes became integer kernels and which nodes still compute in float, and why.
 *
 * <p>About optimization levels: at {@code ALL} (the default, the level the benchmark times) ONNX Runtime's
 * CPU provider rewrites float convolutions into its NCHWc layout ({@code com.microsoft.nchwc} domain) and
 * integer convolutions into NHWC {@code com.microsoft:QLinearConv}; the saved graph is then specific to this
 * CPU but is exactly what runs. ONNX Runtime 1.29 with the CPU provider saves such graphs (with a warning
 * that they are hardware specific). When saving at the requested level fails (e.g. a provider that compiles
 * nodes), the graph is saved at {@code EXTENDED} instead, where all QDQ fusions to integer kernels have
 * already happened but no layout rewrite; {@link #savedLevel} and {@link #note} then say so.
 *
 * @param model the model file, or a description when analysed from bytes
 * @param requestedLevel the optimization level asked for
 * @param savedLevel the level of the graph that was saved and analysed
 * @param note why {@code savedLevel} differs from {@code requestedLevel}, else empty
 * @param nodeCount nodes in the optimized graph
 * @param opHistogram node count per operator, keyed {@code OpType} for the ONNX domain and
 *        {@code domain:OpType} otherwise (e.g. {@code com.microsoft:QLinearConv}); sorted by key
 * @param integerNodes nodes that run an integer kernel (see {@link #isIntegerOp})
 * @param floatComputeNodes nodes that compute on float tensors (cost-free reshapes excluded); in an INT8
 *        model these are the nodes that did not become integer kernels
 * @param conversionNodes QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear nodes left in the graph
 */
public record OrtOptimizedGraph(String model, String requestedLevel, String savedLevel, String note, int nodeCount,
        Map<String, Integer> opHistogram, int integerNodes, List<FloatNode> floatComputeNodes, int conversionNodes) {

    public OrtOptimizedGraph {
        opHistogram = Collections.unmodifiableMap(new TreeMap<>(opHistogram));
        floatComputeNodes = List.copyOf(floatComputeNodes);
    }

    /**
     * A node of the optimized graph that computes in float.
     *
     * @param name node name (ONNX Runtime names fused nodes itself)
     * @param opType operator, {@code domain:OpType} outside the ONNX domain
     * @param reason why it is float, as far as the graph tells (e.g. {@code DequantizeLinear → Resize →
     *        QuantizeLinear: Resize has no integer QDQ fusion in ONNX Runtime's CPU provider})
     */
    public record FloatNode(String name, String opType, String reason) {
    }

    /** Integer kernels of the ONNX domain. */
    private static final Set<String> ONNX_INTEGER = Set.of("QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger");

    /**
     * Integer kernels of ONNX Runtime's contrib domain {@code com.microsoft} (names as registered by its CPU
     * provider: quantization/*.cc under contrib_ops/cpu).
     */
    private static final Set<String> MS_INTEGER = Set.of("QLinearConv", "QLinearAdd", "QLinearMul", "QLinearConcat",
            "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearSigmoid", "QLinearLeakyRelu", "QLinearSoftmax",
            "QLinearReduceMean", "QLinearWhere", "QLinearMatMul", "QGemm", "QAttention", "QEmbedLayerNormalization",
            "DynamicQuantizeMatMul", "DynamicQuantizeLSTM", "MatMulIntegerToFloat", "QLinearConvTranspose",
            "NhwcMaxPool");

    private static final Set<String> CONVERSIONS = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear");

    /** Operators that only reinterpret a tensor's shape: they cost nothing and are never listed. */
    private static final Set<String> FREE = Set.of("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Shape",
            "Size", "Constant", "Cast", "ConstantOfShape");

    /** Ops whose output has the element type of their first input unless stated otherwise below. */
    private static final Map<String, Integer> FIXED_OUTPUT_TYPE = Map.of("Shape", OnnxMl.TensorProto.DataType.INT64_VALUE,
            "Size", OnnxMl.TensorProto.DataType.INT64_VALUE, "ArgMax", OnnxMl.TensorProto.DataType.INT64_VALUE,
            "ArgMin", OnnxMl.TensorProto.DataType.INT64_VALUE, "ConvInteger", OnnxMl.TensorProto.DataType.INT32_VALUE,
            "MatMulInteger", OnnxMl.TensorProto.DataType.INT32_VALUE, "NonZero", OnnxMl.TensorProto.DataType.INT64_VALUE);

    private static final Set<String> FLOAT_OUTPUT = Set.of("DequantizeLinear", "MatMulIntegerToFloat",
            "DynamicQuantizeMatMul", "DynamicQuantizeLSTM", "QAttention", "QEmbedLayerNormalization");

    /** True when {@code opType} of {@code domain} is an integer kernel of ONNX Runtime's CPU provider. */
    public static boolean isIntegerOp(String domain, String opType) {
        if (domain == null || domain.isEmpty() || domain.equals("ai.onnx")) {
            return ONNX_INTEGER.contains(opType);
        }
        return domain.equals("com.microsoft") && MS_INTEGER.contains(opType);
    }

    /**
     * True when a node of {@code opType} (any domain) that reads a float tensor does float compute: not an integer
     * kernel, not a Quantize/Dequantize conversion, not a cost-free reshape. Used to classify profiled nodes.
     */
    public static boolean isFloatComputeOp(String opType) {
        return !ONNX_INTEGER.contains(opType) && !MS_INTEGER.contains(opType) && !CONVERSIONS.contains(opType)
                && !FREE.contains(opType);
    }

    /** Analyses {@code model} at optimization level {@code ALL}. */
    public static OrtOptimizedGraph analyze(Path model) throws OrtException, IOException {
        return analyze(model, OptLevel.ALL_OPT);
    }

    /** Analyses {@code model} at the given optimization level (the level used for timing it). */
    public static OrtOptimizedGraph analyze(Path model, OptLevel level) throws OrtException, IOException {
        if (!Files.isRegularFile(model)) {
            throw new java.nio.file.NoSuchFileException(model.toString());
        }
        return analyze(model.toString(), null, level);
    }

    /** Analyses a model given as bytes (e.g. one built in memory) at the given optimization level. */
    public static OrtOptimizedGraph analyze(byte[] model, String description, OptLevel level) throws OrtException, IOException {
        return analyze(description, model, level);
    }

    private static OrtOptimizedGraph analyze(String name, byte[] bytes, OptLevel level) throws OrtException, IOException {
        Path dir = Files.createTempDirectory("int8wb-optimized-");
        try {
            Path out = dir.resolve("optimized.onnx");
            OptLevel saved = level;
            String note = "";
            try {
                save(name, bytes, level, out);
            } catch (OrtException e) {
                if (level != OptLevel.ALL_OPT && level != OptLevel.LAYOUT_OPT) {
                    throw e;
                }
                saved = OptLevel.EXTENDED_OPT;
                note = "ONNX Runtime could not save the graph optimized at " + levelName(level) + " (" + e.getMessage()
                        + "); analysed the graph at EXTENDED instead: integer fusions are the same, layout rewrites are missing";
                Files.deleteIfExists(out);
                save(name, bytes, saved, out);
            }
            OnnxMl.ModelProto proto;
            try (var in = Files.newInputStream(out)) {
                proto = OnnxMl.ModelProto.parseFrom(in);
            }
            return of(proto, name == null ? "(in memory)" : name, levelName(level), levelName(saved), note);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void save(String name, byte[] bytes, OptLevel level, Path out) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(level);
            o.setOptimizedModelFilePath(out.toString());
            o.setIntraOpNumThreads(1);
            try (OrtSession s = bytes != null ? Ort.env().createSession(bytes, o) : Ort.env().createSession(name, o)) {
                // the optimized graph is written while the session is created
            }
        }
    }

    /** The level's name as the CLI spells it: ALL, LAYOUT, EXTENDED, BASIC, NONE. */
    public static String levelName(OptLevel level) {
        return switch (level) {
            case ALL_OPT -> "ALL";
            case LAYOUT_OPT -> "LAYOUT";
            case EXTENDED_OPT -> "EXTENDED";
            case BASIC_OPT -> "BASIC";
            case NO_OPT -> "NONE";
        };
    }

    /**
     * Analyses an already optimized graph (or any graph): histogram, integer kernels and float compute nodes.
     * Element types are propagated from graph inputs, initializers and value_info through the nodes.
     */
    public static OrtOptimizedGraph of(OnnxMl.ModelProto proto, String model, String requestedLevel, String savedLevel,
            String note) {
        OnnxMl.GraphProto g = proto.getGraph();
        Map<String, Integer> types = new HashMap<>();
        Set<String> initializers = new HashSet<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            types.put(t.getName(), t.getDataType());
            initializers.add(t.getName());
        }
        for (List<OnnxMl.ValueInfoProto> vis : List.of(g.getInputList(), g.getValueInfoList(), g.getOutputList())) {
            for (OnnxMl.ValueInfoProto vi : vis) {
                if (vi.getType().hasTensorType()) {
                    types.putIfAbsent(vi.getName(), vi.getType().getTensorType().getElemType());
                }
            }
        }
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
            for (String i : n.getInputList()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        // ONNX Runtime saves nodes in topological order; propagate element types in that order
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            inferOutputTypes(n, types);
        }
        Map<String, Integer> histogram = new LinkedHashMap<>();
        int integer = 0;
        int conversions = 0;
        List<FloatNode> floats = new ArrayList<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            String key = key(n);
            histogram.merge(key, 1, Integer::sum);
            if (isIntegerOp(n.getDomain(), n.getOpType())) {
                integer++;
            } else if (CONVERSIONS.contains(n.getOpType())) {
                conversions++;
            } else if (!FREE.contains(n.getOpType()) && hasFloatActivation(n, types, initializers)) {
                floats.add(new FloatNode(n.getName(), key, reason(n, producer, consumers, types)));
            }
        }
        return new OrtOptimizedGraph(model, requestedLevel, savedLevel, note, g.getNodeCount(), histogram, integer, floats,
                conversions);
    }

    /** Nodes of operator {@code opType} in any domain (e.g. {@code count("QLinearConv")}). */
    public int count(String opType) {
        int n = 0;
        for (Map.Entry<String, Integer> e : opHistogram.entrySet()) {
            String k = e.getKey();
            if (k.equals(opType) || k.endsWith(":" + opType)) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** Convolutions that run as integer kernels: {@code QLinearConv} (any domain) plus {@code ConvInteger}. */
    public int integerConvCount() {
        return count("QLinearConv") + count("ConvInteger");
    }

    /** Convolutions that run in float (plain, fused or NCHWc {@code Conv}, {@code FusedConv}). */
    public int floatConvCount() {
        return (int) floatComputeNodes.stream().filter(f -> f.opType().equals("Conv") || f.opType().endsWith(":Conv")
                || f.opType().endsWith("FusedConv")).count();
    }

    private static String key(OnnxMl.NodeProto n) {
        String d = n.getDomain();
        return d.isEmpty() || d.equals("ai.onnx") ? n.getOpType() : d + ":" + n.getOpType();
    }

    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

    private static boolean isFloat(Integer t) {
        return t != null && (t == FLOAT || t == OnnxMl.TensorProto.DataType.FLOAT16_VALUE
                || t == OnnxMl.TensorProto.DataType.DOUBLE_VALUE || t == OnnxMl.TensorProto.DataType.BFLOAT16_VALUE);
    }

    /** True when an input that is not an initializer (an activation) is float; unknown types count as float. */
    private static boolean hasFloatActivation(OnnxMl.NodeProto n, Map<String, Integer> types, Set<String> initializers) {
        boolean any = false;
        for (String in : n.getInputList()) {
            if (in.isEmpty() || initializers.contains(in)) {
                continue;
            }
            any = true;
            Integer t = types.get(in);
            if (t == null || isFloat(t)) {
                return true;
            }
        }
        return !any && n.getOutputCount() > 0 && isFloat(types.get(n.getOutput(0)));
    }

    private static void inferOutputTypes(OnnxMl.NodeProto n, Map<String, Integer> types) {
        String op = n.getOpType();
        Integer t;
        if (op.equals("QuantizeLinear")) {
            t = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? types.get(n.getInput(2)) : null;
            Integer attr = intAttr(n, "output_dtype");
            if (attr != null && attr != 0) {
                t = attr;
            }
            if (t == null) {
                t = OnnxMl.TensorProto.DataType.UINT8_VALUE;
            }
        } else if (op.equals("DynamicQuantizeLinear")) {
            setIfAbsent(types, n, 0, OnnxMl.TensorProto.DataType.UINT8_VALUE);
            setIfAbsent(types, n, 1, FLOAT);
            setIfAbsent(types, n, 2, OnnxMl.TensorProto.DataType.UINT8_VALUE);
            return;
        } else if (FLOAT_OUTPUT.contains(op)) {
            t = FLOAT;
        } else if (op.equals("Cast")) {
            t = intAttr(n, "to");
        } else if (FIXED_OUTPUT_TYPE.containsKey(op)) {
            t = FIXED_OUTPUT_TYPE.get(op);
        } else if (op.equals("QLinearConcat")) {
            // inputs: Y_scale, Y_zero_point, then (X, scale, zero point) per input: the output has the zero point's type
            t = n.getInputCount() > 1 ? types.get(n.getInput(1)) : null;
            if (t == null) {
                t = OnnxMl.TensorProto.DataType.UINT8_VALUE;
            }
        } else if (op.equals("QGemm")) {
            t = n.getInputCount() > 8 && !n.getInput(8).isEmpty() ? types.get(n.getInput(8)) : Integer.valueOf(FLOAT);
        } else {
            t = n.getInputCount() > 0 ? types.get(n.getInput(0)) : null;
        }
        if (t != null) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                setIfAbsent(types, n, i, t);
            }
        }
    }

    private static void setIfAbsent(Map<String, Integer> types, OnnxMl.NodeProto n, int output, int type) {
        if (output < n.getOutputCount() && !n.getOutput(output).isEmpty()) {
            types.putIfAbsent(n.getOutput(output), type);
        }
    }

    private static Integer intAttr(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return (int) a.getI();
            }
        }
        return null;
    }

    /** Why a float node is float, from its neighbours (QDQ pattern) and element types. */
    private static String reason(OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer,
            Map<String, List<OnnxMl.NodeProto>> consumers, Map<String, Integer> types) {
        String op = n.getOpType();
        OnnxMl.NodeProto dqIn = null;
        for (String in : n.getInputList()) {
            OnnxMl.NodeProto p = producer.get(in);
            if (p != null && p.getOpType().equals("DequantizeLinear")) {
                dqIn = p;
                break;
            }
        }
        boolean qOut = false;
        for (String o : n.getOutputList()) {
            for (OnnxMl.NodeProto c : consumers.getOrDefault(o, List.of())) {
                if (c.getOpType().equals("QuantizeLinear")) {
                    qOut = true;
                }
            }
        }
        if (dqIn != null) {
            Integer quantType = dqIn.getInputCount() > 0 ? types.get(dqIn.getInput(0)) : null;
            boolean s8 = quantType != null && quantType == OnnxMl.TensorProto.DataType.INT8_VALUE;
            String pattern = "DequantizeLinear → " + op + (qOut ? " → QuantizeLinear" : "");
            if ((op.equals("Conv") || op.equals("MatMul") || op.equals("Gemm")) && s8) {
                return pattern + ": int8 (S8S8) activations; ONNX Runtime's x86 QDQ selectors fuse " + op
                        + " only with uint8 activations";
            }
            if (op.equals("Resize")) {
                return pattern + ": Resize has no integer QDQ fusion in ONNX Runtime's CPU provider"
                        + (qOut ? " (it stays float between the pair)" : "; its output stays float");
            }
            if (!qOut) {
                return pattern + ": the output is not quantized (no QuantizeLinear after it), so ONNX Runtime keeps it float";
            }
            return pattern + ": ONNX Runtime's CPU provider has no integer QDQ fusion for " + op
                    + (s8 ? " with int8 activations" : " in this form");
        }
        String domain = n.getDomain();
        if (domain.equals("com.microsoft.nchwc")) {
            return "float model part: " + op + " in ONNX Runtime's NCHWc float layout (not quantized)";
        }
        if (op.equals("ReorderInput") || op.equals("ReorderOutput") || op.equals("Transpose")) {
            return "layout change of a float tensor";
        }
        return "not quantized: no DequantizeLinear feeds it";
    }

    /** One line, e.g. {@code 55 integer / 3 float compute nodes of 70 (ALL)}. */
    public String describe() {
        return integerNodes + " integer / " + floatComputeNodes.size() + " float compute nodes of " + nodeCount + " ("
                + savedLevel + ")";
    }
}
