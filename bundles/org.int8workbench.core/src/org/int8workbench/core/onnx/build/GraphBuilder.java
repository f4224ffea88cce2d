package org.int8workbench.core.onnx.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.int8workbench.core.Version;

/**
 * A small fluent builder of ONNX models ({@link ModelProto}) for tests, the demo network and graph rewrites.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("tiny").opset(13);
 * b.input("x", DataType.FLOAT, 1, 3, "H", "W");
 * String y = b.relu6(b.conv("x", weights, new long[] {8, 3, 3, 3}, bias, 1, 1, 1, 1));
 * b.node("Identity", y).outputs("y");
 * b.output("y", DataType.FLOAT, 1, 8, "H", "W");
 * byte[] bytes = b.toBytes();
 * }</pre>
 *
 * Nodes are emitted in the order they were created. Names given as {@code null} are generated ({@code prefix_N})
 * and are unique within the builder. The default-domain opset is 13 unless {@link #opset(int)} says otherwise;
 * layer helpers such as {@link #clip} and {@link #resize} emit the form that opset defines. The IR version
 * defaults to the lowest one that supports the highest opset used.
 */
public final class GraphBuilder {

    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private Long irVersion;
    private String docString = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    /** A builder of a graph named {@code graphName}. */
    public GraphBuilder(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    // ---------------------------------------------------------------- model level

    /** Sets the default-domain ({@code ai.onnx}) opset version. */
    public GraphBuilder opset(int version) {
        return opset("", version);
    }

    /** Sets the opset version of a domain ({@code ""} is the default domain). */
    public GraphBuilder opset(String domain, int version) {
        opsets.put(domain, (long) version);
        return this;
    }

    /** The default-domain opset version in effect (13 unless set). */
    public int opsetVersion() {
        return opsets.getOrDefault("", 13L).intValue();
    }

    /** Sets the IR version explicitly (otherwise derived from the opsets). */
    public GraphBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    /** Sets the model's doc string. */
    public GraphBuilder docString(String text) {
        this.docString = Objects.requireNonNull(text);
        return this;
    }

    /** Adds (or replaces) a {@code metadata_props} entry. */
    public GraphBuilder metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    // ---------------------------------------------------------------- graph inputs and outputs

    /**
     * Declares a graph input.
     *
     * @param dims each a {@link Number} (fixed size) or a {@link String} (symbolic dimension)
     */
    public GraphBuilder input(String name, DataType type, Object... dims) {
        inputs.add(valueInfo(name, type, dims));
        usedNames.add(name);
        return this;
    }

    /** Declares a graph output with element type and shape (see {@link #input} for {@code dims}). */
    public GraphBuilder output(String name, DataType type, Object... dims) {
        outputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** Declares a graph output whose shape is left unspecified. */
    public GraphBuilder output(String name, DataType type) {
        outputs.add(valueInfo(name, type, (Object[]) null));
        return this;
    }

    /** Adds a shape hint for an intermediate value. */
    public GraphBuilder valueInfo(String name, DataType type, long... dims) {
        Object[] d = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i];
        }
        valueInfos.add(valueInfo(name, type, d));
        return this;
    }

    /**
     * A {@link ValueInfoProto} of a tensor; {@code dims == null} leaves the shape unspecified.
     *
     * @param dims each a {@link Number} or a {@link String} (symbolic)
     */
    public static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims != null) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (Object d : dims) {
                if (d instanceof Number n) {
                    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue()));
                } else if (d instanceof String s) {
                    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
                } else {
                    throw new IllegalArgumentException("dimension of '" + name + "' must be a number or a symbolic name, got " + d);
                }
            }
            t.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    // ---------------------------------------------------------------- initializers

    /** Adds a float initializer; {@code name == null} generates one. Returns the name. */
    public String initializer(String name, float[] data, long... dims) {
        return addInitializer(floatTensor(uniqueOrGiven(name, "init"), data, dims));
    }

    /** Adds an int64 initializer; returns the name. */
    public String initializer(String name, long[] data, long... dims) {
        return addInitializer(int64Tensor(uniqueOrGiven(name, "init"), data, dims));
    }

    /** Adds an int32 initializer; returns the name. */
    public String initializer(String name, int[] data, long... dims) {
        return addInitializer(int32Tensor(uniqueOrGiven(name, "init"), data, dims));
    }

    /** Adds an int8 initializer; returns the name. */
    public String initializerInt8(String name, byte[] data, long... dims) {
        return addInitializer(byteTensor(uniqueOrGiven(name, "init"), DataType.INT8, data, dims));
    }

    /** Adds a uint8 initializer (bytes taken as unsigned); returns the name. */
    public String initializerUint8(String name, byte[] data, long... dims) {
        return addInitializer(byteTensor(uniqueOrGiven(name, "init"), DataType.UINT8, data, dims));
    }

    /** Adds a ready-made initializer (its name must be unique). Returns the name. */
    public String initializer(TensorProto tensor) {
        usedNames.add(tensor.getName());
        return addInitializer(tensor);
    }

    private String addInitializer(TensorProto t) {
        initializers.add(t);
        return t.getName();
    }

    /** A float tensor (little-endian raw data). */
    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return tensor(name, DataType.FLOAT, buf.array(), dims);
    }

    /** An int64 tensor. */
    public static TensorProto int64Tensor(String name, long[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return tensor(name, DataType.INT64, buf.array(), dims);
    }

    /** An int32 tensor. */
    public static TensorProto int32Tensor(String name, int[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(data);
        return tensor(name, DataType.INT32, buf.array(), dims);
    }

    /** An int8 or uint8 tensor. */
    public static TensorProto byteTensor(String name, DataType type, byte[] data, long... dims) {
        if (type != DataType.INT8 && type != DataType.UINT8) {
            throw new IllegalArgumentException("byte tensor '" + name + "' must be INT8 or UINT8, got " + type);
        }
        checkCount(name, data.length, dims);
        return tensor(name, type, data.clone(), dims);
    }

    private static TensorProto tensor(String name, DataType type, byte[] raw, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(raw)).build();
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + count + " values but dims " + Arrays.toString(dims)
                    + " need " + n);
        }
    }

    // ---------------------------------------------------------------- nodes

    /**
     * Adds a node of the default domain with the given inputs ({@code ""} for an omitted optional input).
     * Set outputs with {@link Node#outputs} or take a generated one with {@link Node#output()}.
     */
    public Node node(String opType, String... inputs) {
        Node n = new Node(opType, inputs);
        nodes.add(n);
        return n;
    }

    /** A node under construction; it belongs to the builder from creation on. */
    public final class Node {
        private final NodeProto.Builder proto = NodeProto.newBuilder();
        private boolean named;

        private Node(String opType, String[] in) {
            proto.setOpType(opType);
            for (String s : in) {
                proto.addInput(Objects.requireNonNull(s, "input name (use \"\" for an omitted optional input)"));
            }
        }

        /** Sets the node name (generated otherwise). */
        public Node name(String name) {
            proto.setName(name);
            named = true;
            return this;
        }

        /** Sets the operator domain. */
        public Node domain(String domain) {
            proto.setDomain(domain);
            return this;
        }

        /** Sets the output names. */
        public Node outputs(String... names) {
            proto.clearOutput();
            for (String s : names) {
                proto.addOutput(s);
                usedNames.add(s);
            }
            return this;
        }

        /** The first output's name, generated (from the op type) when none was set. */
        public String output() {
            if (proto.getOutputCount() == 0) {
                outputs(unique(proto.getOpType().toLowerCase(java.util.Locale.ROOT)));
            }
            return proto.getOutput(0);
        }

        public Node attr(String name, long value) {
            proto.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
            return this;
        }

        public Node attr(String name, float value) {
            proto.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value));
            return this;
        }

        public Node attr(String name, String value) {
            proto.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(value)));
            return this;
        }

        public Node attr(String name, TensorProto value) {
            proto.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value));
            return this;
        }

        public Node attrInts(String name, long... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            proto.addAttribute(a);
            return this;
        }

        public Node attrInts(String name, int... values) {
            return attrInts(name, Arrays.stream(values).asLongStream().toArray());
        }

        public Node attrFloats(String name, float... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
            for (float v : values) {
                a.addFloats(v);
            }
            proto.addAttribute(a);
            return this;
        }

        private NodeProto build() {
            output();
            if (!named) {
                proto.setName(unique(proto.getOpType()));
                named = true;
            }
            return proto.build();
        }
    }

    // ---------------------------------------------------------------- layers

    /**
     * A 2-D convolution with a float weight {@code [M, C/group, kH, kW]}, optional bias {@code [M]}
     * ({@code null} for none), and per-axis strides, pads {@code [top, left, bottom, right]} and dilations.
     * Returns the output name.
     */
    public String conv(String input, float[] weight, long[] weightShape, float[] bias, int group, int[] strides, int[] pads,
            int[] dilations) {
        if (weightShape.length != 4) {
            throw new IllegalArgumentException("conv weight must be [M, C/group, kH, kW], got " + Arrays.toString(weightShape));
        }
        String w = initializer(null, weight, weightShape);
        Node n;
        if (bias != null) {
            if (bias.length != weightShape[0]) {
                throw new IllegalArgumentException("conv bias has " + bias.length + " values for " + weightShape[0] + " output channels");
            }
            n = node("Conv", input, w, initializer(null, bias, bias.length));
        } else {
            n = node("Conv", input, w);
        }
        n.attrInts("kernel_shape", weightShape[2], weightShape[3]);
        n.attr("group", group);
        n.attrInts("strides", strides);
        n.attrInts("pads", pads);
        n.attrInts("dilations", dilations);
        return n.output();
    }

    /**
     * A square-kernel convolution with the same stride and dilation on both axes and symmetric padding
     * {@code pad} on all sides.
     */
    public String conv(String input, float[] weight, long[] weightShape, float[] bias, int group, int stride, int pad,
            int dilation) {
        return conv(input, weight, weightShape, bias, group, new int[] {stride, stride}, new int[] {pad, pad, pad, pad},
                new int[] {dilation, dilation});
    }

    /** {@code Clip(x, min, max)}: min/max as inputs from opset 11, as attributes before. */
    public String clip(String x, float min, float max) {
        if (opsetVersion() >= 11) {
            return node("Clip", x, initializer(null, new float[] {min}), initializer(null, new float[] {max})).output();
        }
        return node("Clip", x).attr("min", min).attr("max", max).output();
    }

    /** ReLU6 as {@code Clip(x, 0, 6)}. */
    public String relu6(String x) {
        return clip(x, 0f, 6f);
    }

    public String relu(String x) {
        return node("Relu", x).output();
    }

    public String add(String a, String b) {
        return node("Add", a, b).output();
    }

    public String concat(int axis, String... inputs) {
        return node("Concat", inputs).attr("axis", axis).output();
    }

    public String globalAveragePool(String x) {
        return node("GlobalAveragePool", x).output();
    }

    /** {@code ArgMax} (int64 output); {@code select_last_index} is emitted only when true (opset 12+). */
    public String argmax(String x, int axis, boolean keepdims, boolean selectLastIndex) {
        Node n = node("ArgMax", x).attr("axis", axis).attr("keepdims", keepdims ? 1 : 0);
        if (selectLastIndex) {
            n.attr("select_last_index", 1);
        }
        return n.output();
    }

    /** {@code ArgMax} keeping the reduced axis, first maximum wins. */
    public String argmax(String x, int axis) {
        return argmax(x, axis, true, false);
    }

    public String softmax(String x, int axis) {
        return node("Softmax", x).attr("axis", axis).output();
    }

    public String identity(String x) {
        return node("Identity", x).output();
    }

    /**
     * A {@code Resize} in the form the builder's opset defines (opset 10: {@code X, scales} and {@code mode} only;
     * 11: {@code X, roi, scales[, sizes]} with empty tensors for unused ones; 13+: omitted optional inputs;
     * {@code antialias}, {@code axes} and {@code keep_aspect_ratio_policy} from 18). Returns the output name.
     */
    public String resize(String x, ResizeSpec spec) {
        int opset = opsetVersion();
        if (spec.sizes() == null && spec.scales() == null) {
            throw new IllegalArgumentException("resize needs sizes or scales");
        }
        if (opset < 10) {
            throw new IllegalArgumentException("Resize needs opset 10 or later (builder has " + opset + ")");
        }
        if (opset == 10) {
            if (spec.scales() == null) {
                throw new IllegalArgumentException("Resize opset 10 takes scales only");
            }
            return node("Resize", x, initializer(null, spec.scales(), spec.scales().length)).attr("mode", spec.mode()).output();
        }
        String roi;
        if (spec.roi() != null) {
            roi = initializer(null, spec.roi(), spec.roi().length);
        } else {
            roi = opset == 11 ? initializer(null, new float[0], 0) : "";
        }
        String scales;
        String sizes = null;
        if (spec.scales() != null) {
            scales = initializer(null, spec.scales(), spec.scales().length);
        } else {
            scales = opset == 11 ? initializer(null, new float[0], 0) : "";
            sizes = initializer(null, spec.sizes(), spec.sizes().length);
        }
        Node n = sizes == null ? node("Resize", x, roi, scales) : node("Resize", x, roi, scales, sizes);
        n.attr("mode", spec.mode());
        n.attr("coordinate_transformation_mode", spec.coordinateTransformation());
        if (spec.mode().equals("nearest")) {
            n.attr("nearest_mode", spec.nearestMode());
        }
        if (spec.mode().equals("cubic")) {
            n.attr("cubic_coeff_a", spec.cubicCoeffA());
            if (spec.excludeOutside()) {
                n.attr("exclude_outside", 1);
            }
        }
        if (spec.coordinateTransformation().equals("tf_crop_and_resize")) {
            n.attr("extrapolation_value", spec.extrapolationValue());
        }
        if (opset >= 18) {
            if (spec.antialias()) {
                n.attr("antialias", 1);
            }
            if (spec.axes() != null) {
                n.attrInts("axes", spec.axes());
            }
            if (spec.keepAspectRatioPolicy() != null) {
                n.attr("keep_aspect_ratio_policy", spec.keepAspectRatioPolicy());
            }
        }
        return n.output();
    }

    /**
     * Settings of a {@code Resize} node. Build with {@link #linear()}, {@link #nearest()} or {@link #cubic()} and
     * the {@code with...} methods; exactly one of sizes/scales must be set.
     *
     * @param mode {@code nearest}, {@code linear} or {@code cubic}
     * @param coordinateTransformation one of ONNX's {@code coordinate_transformation_mode} values
     * @param nearestMode {@code round_prefer_floor}, {@code round_prefer_ceil}, {@code floor} or {@code ceil}
     * @param sizes output sizes (all axes, or those in {@code axes}), or null
     * @param scales scales (all axes, or those in {@code axes}), or null
     * @param roi region of interest for {@code tf_crop_and_resize} ({@code [starts..., ends...]}), or null
     * @param axes opset 18+ axes, or null
     * @param keepAspectRatioPolicy opset 18+ policy ({@code stretch}, {@code not_larger}, {@code not_smaller}), or null
     */
    public record ResizeSpec(String mode, String coordinateTransformation, String nearestMode, long[] sizes, float[] scales,
            float[] roi, float cubicCoeffA, boolean excludeOutside, float extrapolationValue, boolean antialias, long[] axes,
            String keepAspectRatioPolicy) {

        public static ResizeSpec linear() {
            return new ResizeSpec("linear", "half_pixel", "round_prefer_floor", null, null, null, -0.75f, false, 0f, false, null,
                    null);
        }

        public static ResizeSpec nearest() {
            return linear().withMode("nearest");
        }

        public static ResizeSpec cubic() {
            return linear().withMode("cubic");
        }

        public ResizeSpec withMode(String m) {
            return new ResizeSpec(m, coordinateTransformation, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withTransform(String ctm) {
            return new ResizeSpec(mode, ctm, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside, extrapolationValue,
                    antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withNearestMode(String nm) {
            return new ResizeSpec(mode, coordinateTransformation, nm, sizes, scales, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, axes, keepAspectRatioPolicy);
        }

        /** Output sizes (clears scales). */
        public ResizeSpec withSizes(long... s) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, s.clone(), null, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, axes, keepAspectRatioPolicy);
        }

        /** Scales (clears sizes). */
        public ResizeSpec withScales(float... s) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, null, s.clone(), roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withRoi(float... r) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, r.clone(), cubicCoeffA,
                    excludeOutside, extrapolationValue, antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withCubic(float a, boolean exclude) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, roi, a, exclude, extrapolationValue,
                    antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withExtrapolationValue(float v) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside, v,
                    antialias, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withAntialias(boolean a) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, a, axes, keepAspectRatioPolicy);
        }

        public ResizeSpec withAxes(long... a) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, a.clone(), keepAspectRatioPolicy);
        }

        public ResizeSpec withKeepAspectRatioPolicy(String p) {
            return new ResizeSpec(mode, coordinateTransformation, nearestMode, sizes, scales, roi, cubicCoeffA, excludeOutside,
                    extrapolationValue, antialias, axes, p);
        }
    }

    // ---------------------------------------------------------------- naming

    /** A fresh name {@code prefix_N} not used by anything in this builder. */
    public String unique(String prefix) {
        while (true) {
            int n = counters.merge(prefix, 1, Integer::sum) - 1;
            String name = prefix + "_" + n;
            if (usedNames.add(name)) {
                return name;
            }
        }
    }

    private String uniqueOrGiven(String name, String prefix) {
        if (name == null) {
            return unique(prefix);
        }
        usedNames.add(name);
        return name;
    }

    // ---------------------------------------------------------------- output

    /** The model. Can be called repeatedly; later changes to the builder show in later builds. */
    public ModelProto build() {
        Map<String, Long> ops = new LinkedHashMap<>(opsets);
        ops.putIfAbsent("", 13L);
        long maxOpset = ops.getOrDefault("", 13L);
        GraphProto.Builder g = GraphProto.newBuilder().setName(graphName);
        g.addAllInput(inputs);
        g.addAllOutput(outputs);
        g.addAllValueInfo(valueInfos);
        g.addAllInitializer(initializers);
        for (Node n : nodes) {
            g.addNode(n.build());
        }
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersion != null ? irVersion : irVersionFor(maxOpset))
                .setProducerName("INT8 Workbench").setProducerVersion(Version.PRODUCT)
                .setDocString(docString)
                .setGraph(g);
        for (Map.Entry<String, Long> e : ops.entrySet()) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /** The serialized model. */
    public byte[] toBytes() {
        return build().toByteArray();
    }

    /** The lowest IR version that supports a default-domain opset. */
    static long irVersionFor(long opset) {
        if (opset <= 8) {
            return 3;
        }
        if (opset <= 10) {
            return 5;
        }
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        return 10;
    }
}
