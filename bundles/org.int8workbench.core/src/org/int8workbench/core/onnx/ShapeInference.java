package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A light element-type and shape inference over a graph, for the operators segmentation and classification
 * networks use (convolutions, pooling, element-wise ops, Concat, Resize, Reshape, Transpose, Gemm, MatMul, ...).
 * It feeds the summary's MAC estimate and tells the quantizer which tensors are float. Symbolic input dimensions
 * are taken as 1 (one image). Where an operator is not covered, the shape declared in the model's value_info is
 * used if present; otherwise the shape stays unknown ({@code null}) and so do the shapes after it.
 */
public final class ShapeInference {

    private static final Set<String> SAME_SHAPE = Set.of("Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid",
            "HardSwish", "Identity", "Dropout", "BatchNormalization", "Softmax", "LogSoftmax", "Cast", "Erf", "Exp", "Log",
            "Neg", "Abs", "Sqrt", "QuantizeLinear", "DequantizeLinear", "PRelu", "InstanceNormalization",
            "LayerNormalization", "Not", "Floor", "Ceil", "Round", "Sign", "Reciprocal", "Gelu", "Mish", "Elu", "Selu",
            "Softplus", "Softsign", "CastLike", "LRN", "Sin", "Cos", "IsNaN", "IsInf", "Shrink", "ThresholdedRelu",
            "Celu", "LpNormalization", "MeanVarianceNormalization", "DynamicQuantizeLinear");
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean",
            "Where", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor", "Mod",
            "BitShift", "QLinearAdd", "QLinearMul");
    private static final Set<String> BOOL_OUT = Set.of("Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And",
            "Or", "Xor", "Not", "IsNaN", "IsInf");
    private static final Set<String> POOL = Set.of("MaxPool", "AveragePool", "LpPool", "QLinearAveragePool");
    private static final Set<String> GLOBAL_POOL = Set.of("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
            "QLinearGlobalAveragePool");

    private final OnnxModel model;
    private final OnnxGraph graph;
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<String, Integer> types = new HashMap<>();
    /** Values of small integer tensors computed from shapes. */
    private final Map<String, long[]> values = new HashMap<>();
    /** Tensors whose shape holds a symbolic dimension taken as 1, and everything computed from them. */
    private final java.util.Set<String> assumed = new java.util.HashSet<>();

    private ShapeInference(OnnxModel model) {
        this.model = model;
        this.graph = model.graph();
    }

    /** Infers element types and shapes of every tensor of {@code model}'s main graph. */
    public static ShapeInference of(OnnxModel model) {
        ShapeInference s = new ShapeInference(model);
        s.run();
        return s;
    }

    /** The inferred shape of {@code tensor} (dims &ge; 0), or {@code null} when unknown. */
    public long[] shape(String tensor) {
        long[] s = shapes.get(tensor);
        return s == null ? null : s.clone();
    }

    /** The inferred ONNX element type of {@code tensor}, or 0 when unknown. */
    public int type(String tensor) {
        return types.getOrDefault(tensor, 0);
    }

    /** True when {@code tensor} is known or assumed to be float32 (unknown types count as float). */
    public boolean isFloat(String tensor) {
        int t = type(tensor);
        return t == 0 || t == TensorProto.DataType.FLOAT_VALUE;
    }

    /** All known shapes, by tensor name. */
    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** Dims of a declared value type, symbolic or unknown dims as 1 (one image); {@code null} without a shape. */
    static long[] declared(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType() || !t.getTensorType().hasShape()) {
            return null;
        }
        TensorShapeProto s = t.getTensorType().getShape();
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            TensorShapeProto.Dimension dim = s.getDim(i);
            d[i] = dim.hasDimValue() && dim.getDimValue() > 0 ? dim.getDimValue() : 1;
        }
        return d;
    }

    /** True when every dimension but the batch (first) is a fixed number: a symbolic batch is one image. */
    private static boolean fullyDeclared(ValueInfoProto v) {
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        for (TensorProto t : graph.initializers().values()) {
            shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            types.put(t.getName(), t.getDataType());
        }
        for (ValueInfoProto v : graph.proto().getInputList()) {
            if (!graph.isInitializer(v.getName())) {
                long[] d = declared(v);
                if (d != null) {
                    shapes.put(v.getName(), d);
                    if (!fullyDeclared(v)) {
                        assumed.add(v.getName());
                    }
                }
                if (v.getType().hasTensorType()) {
                    types.put(v.getName(), v.getType().getTensorType().getElemType());
                }
            }
        }
        for (NodeProto n : graph.nodes()) {
            try {
                infer(n);
                propagate(n);
            } catch (RuntimeException | IOException e) {
                // an unusual attribute combination: leave the outputs unknown
            }
            for (String i : n.getInputList()) {
                if (assumed.contains(i) && !n.getOpType().equals("Shape")) {
                    assumed.addAll(n.getOutputList());
                    break;
                }
            }
            for (String o : n.getOutputList()) {
                ValueInfoProto v = graph.valueInfos().get(o);
                if (v != null) {
                    if (!shapes.containsKey(o)) {
                        long[] d = declared(v);
                        if (d != null) {
                            shapes.put(o, d);
                        }
                    }
                    if (!types.containsKey(o) && v.getType().hasTensorType() && v.getType().getTensorType().getElemType() != 0) {
                        types.put(o, v.getType().getTensorType().getElemType());
                    }
                }
            }
        }
    }

    private long[] in(NodeProto n, int i) {
        return i < n.getInputCount() ? shapes.get(n.getInput(i)) : null;
    }

    private void set(NodeProto n, int output, long[] shape, int type) {
        if (output < n.getOutputCount() && !n.getOutput(output).isEmpty()) {
            if (shape != null) {
                shapes.put(n.getOutput(output), shape);
            }
            if (type != 0) {
                types.put(n.getOutput(output), type);
            }
        }
    }

    private int inType(NodeProto n, int i) {
        return i < n.getInputCount() ? types.getOrDefault(n.getInput(i), 0) : 0;
    }

    private void infer(NodeProto n) throws IOException {
        String op = n.getOpType();
        int t0 = inType(n, 0);
        long[] x = in(n, 0);
        if (op.equals("Constant")) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    set(n, 0, a.getT().getDimsList().stream().mapToLong(Long::longValue).toArray(), a.getT().getDataType());
                } else if (a.getName().equals("value_float")) {
                    set(n, 0, new long[0], TensorProto.DataType.FLOAT_VALUE);
                } else if (a.getName().equals("value_int")) {
                    set(n, 0, new long[0], TensorProto.DataType.INT64_VALUE);
                }
            }
            return;
        }
        if (op.equals("QuantizeLinear")) {
            int zt = inType(n, 2);
            set(n, 0, x, zt != 0 ? zt : TensorProto.DataType.UINT8_VALUE);
            return;
        }
        if (op.equals("DequantizeLinear")) {
            set(n, 0, x, TensorProto.DataType.FLOAT_VALUE);
            return;
        }
        if (op.equals("Cast")) {
            set(n, 0, x, (int) Attrs.i(n, "to", 0));
            return;
        }
        if (SAME_SHAPE.contains(op)) {
            set(n, 0, x, BOOL_OUT.contains(op) ? TensorProto.DataType.BOOL_VALUE : t0);
            return;
        }
        if (BROADCAST.contains(op)) {
            int first = 0;
            int step = op.startsWith("QLinear") ? 3 : 1;
            long[] s = in(n, first);
            for (int i = first + step; i < n.getInputCount() && s != null; i += step) {
                s = broadcast(s, in(n, i));
            }
            int type = BOOL_OUT.contains(op) ? TensorProto.DataType.BOOL_VALUE : op.equals("Where") ? inType(n, 1) : t0;
            set(n, 0, s, type);
            return;
        }
        switch (op) {
            case "Conv", "ConvInteger", "QLinearConv", "ConvTranspose" -> {
                int wi = op.equals("QLinearConv") ? 3 : 1;
                long[] w = in(n, wi);
                int type = op.equals("ConvInteger") ? TensorProto.DataType.INT32_VALUE : op.equals("QLinearConv") ? inType(n, 7) : t0;
                if (x == null || w == null) {
                    return;
                }
                int sp = x.length - 2;
                long[] k = Attrs.ints(n, "kernel_shape", Arrays.copyOfRange(w, 2, w.length));
                long[] out = new long[x.length];
                out[0] = x[0];
                if (op.equals("ConvTranspose")) {
                    out[1] = w[1] * Attrs.i(n, "group", 1);
                    long[] strides = Attrs.ints(n, "strides", ones(sp));
                    long[] dil = Attrs.ints(n, "dilations", ones(sp));
                    long[] pads = Attrs.ints(n, "pads", new long[2 * sp]);
                    long[] outPad = Attrs.ints(n, "output_padding", new long[sp]);
                    long[] outShape = Attrs.ints(n, "output_shape", null);
                    for (int i = 0; i < sp; i++) {
                        out[2 + i] = outShape != null ? outShape[outShape.length - sp + i]
                                : strides[i] * (x[2 + i] - 1) + outPad[i] + ((k[i] - 1) * dil[i] + 1) - pads[i] - pads[sp + i];
                    }
                } else {
                    out[1] = w[0];
                    long[] spatial = window(n, Arrays.copyOfRange(x, 2, x.length), k, false);
                    System.arraycopy(spatial, 0, out, 2, sp);
                }
                set(n, 0, out, type);
            }
            case "MaxPool", "AveragePool", "LpPool", "QLinearAveragePool" -> {
                if (x == null) {
                    return;
                }
                long[] k = Attrs.ints(n, "kernel_shape", null);
                long[] out = x.clone();
                long[] spatial = window(n, Arrays.copyOfRange(x, 2, x.length), k, Attrs.i(n, "ceil_mode", 0) != 0);
                System.arraycopy(spatial, 0, out, 2, spatial.length);
                set(n, 0, out, t0);
                if (op.equals("MaxPool")) {
                    set(n, 1, out, TensorProto.DataType.INT64_VALUE);
                }
            }
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "QLinearGlobalAveragePool" -> {
                if (x == null) {
                    return;
                }
                long[] out = x.clone();
                boolean channelsLast = Attrs.i(n, "channels_last", 0) != 0;
                for (int i = channelsLast ? 1 : 2; i < out.length - (channelsLast ? 1 : 0); i++) {
                    out[i] = 1;
                }
                set(n, 0, out, t0);
            }
            case "Concat", "QLinearConcat" -> {
                int start = op.equals("QLinearConcat") ? 2 : 0;
                int step = op.equals("QLinearConcat") ? 3 : 1;
                long[] first = in(n, start);
                if (first == null) {
                    return;
                }
                int axis = axis(Attrs.i(n, "axis", 0), first.length);
                long[] out = first.clone();
                for (int i = start + step; i < n.getInputCount(); i += step) {
                    long[] s = in(n, i);
                    if (s == null) {
                        return;
                    }
                    out[axis] += s[axis];
                }
                set(n, 0, out, inType(n, start));
            }
            case "Resize", "Upsample" -> {
                if (x == null) {
                    return;
                }
                long[] out = x.clone();
                long[] axes = Attrs.ints(n, "axes", null);
                float[] scales = null;
                long[] sizes = null;
                long opset = graph.onnxOpset();
                int scaleInput = op.equals("Upsample") || opset < 11 ? 1 : 2;
                if (n.getInputCount() > 3 && !n.getInput(3).isEmpty() && op.equals("Resize")) {
                    sizes = longsOf(n.getInput(3));
                    if (sizes == null) {
                        return;
                    }
                }
                if (sizes == null && n.getInputCount() > scaleInput && !n.getInput(scaleInput).isEmpty()) {
                    TensorProto c = graph.constant(n.getInput(scaleInput));
                    if (c == null) {
                        return;
                    }
                    scales = model.floats(c);
                }
                if (sizes == null && scales == null) {
                    float[] attr = Attrs.floats(n, "scales");
                    if (attr == null) {
                        return;
                    }
                    scales = attr;
                }
                int count = sizes != null ? sizes.length : scales.length;
                if (count == 0) {
                    return;
                }
                for (int i = 0; i < count; i++) {
                    int a = axes != null ? axis(axes[i], x.length) : i;
                    out[a] = sizes != null ? sizes[i] : (long) Math.floor(x[a] * (double) scales[i]);
                }
                set(n, 0, out, t0);
            }
            case "Reshape" -> {
                long[] target = longsOf(n.getInput(1));
                if (target == null || x == null) {
                    return;
                }
                boolean allowZero = Attrs.i(n, "allowzero", 0) != 0;
                long known = 1;
                int infer = -1;
                long total = prod(x);
                long[] out = new long[target.length];
                for (int i = 0; i < target.length; i++) {
                    out[i] = target[i] == 0 && !allowZero ? x[i] : target[i];
                    if (out[i] == -1) {
                        infer = i;
                    } else {
                        known *= out[i];
                    }
                }
                if (infer >= 0) {
                    out[infer] = known == 0 ? 0 : total / known;
                }
                set(n, 0, out, t0);
            }
            case "Flatten" -> {
                if (x == null) {
                    return;
                }
                int a = axis(Attrs.i(n, "axis", 1), x.length);
                set(n, 0, new long[] {prod(Arrays.copyOfRange(x, 0, a)), prod(Arrays.copyOfRange(x, a, x.length))}, t0);
            }
            case "Transpose" -> {
                if (x == null) {
                    return;
                }
                long[] perm = Attrs.ints(n, "perm", null);
                long[] out = new long[x.length];
                for (int i = 0; i < x.length; i++) {
                    out[i] = x[perm == null ? x.length - 1 - i : (int) perm[i]];
                }
                set(n, 0, out, t0);
            }
            case "Squeeze", "Unsqueeze" -> {
                if (x == null) {
                    return;
                }
                long[] axes = Attrs.ints(n, "axes", null);
                if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
                    TensorProto c = graph.constant(n.getInput(1));
                    if (c == null) {
                        return;
                    }
                    axes = model.longs(c);
                }
                List<Long> out = new ArrayList<>();
                if (op.equals("Squeeze")) {
                    for (int i = 0; i < x.length; i++) {
                        boolean drop = false;
                        if (axes == null) {
                            drop = x[i] == 1;
                        } else {
                            for (long a : axes) {
                                drop |= axis(a, x.length) == i;
                            }
                        }
                        if (!drop) {
                            out.add(x[i]);
                        }
                    }
                } else {
                    int rank = x.length + (axes == null ? 0 : axes.length);
                    boolean[] inserted = new boolean[rank];
                    for (long a : axes) {
                        inserted[axis(a, rank)] = true;
                    }
                    int j = 0;
                    for (int i = 0; i < rank; i++) {
                        out.add(inserted[i] ? 1L : x[j++]);
                    }
                }
                set(n, 0, out.stream().mapToLong(Long::longValue).toArray(), t0);
            }
            case "Gemm", "QGemm" -> {
                int bi = op.equals("QGemm") ? 3 : 1;
                long[] a = x;
                long[] b = in(n, bi);
                if (a == null || b == null) {
                    return;
                }
                long m = Attrs.i(n, "transA", 0) != 0 ? a[1] : a[0];
                long nn = Attrs.i(n, "transB", 0) != 0 ? b[0] : b[1];
                set(n, 0, new long[] {m, nn}, op.equals("QGemm") ? 0 : t0);
            }
            case "MatMul", "MatMulInteger", "QLinearMatMul", "MatMulIntegerToFloat" -> {
                int bi = op.equals("QLinearMatMul") ? 3 : 1;
                long[] out = matmul(x, in(n, bi));
                int type = op.equals("MatMulInteger") ? TensorProto.DataType.INT32_VALUE
                        : op.equals("MatMulIntegerToFloat") ? TensorProto.DataType.FLOAT_VALUE : op.equals("QLinearMatMul") ? inType(n, 7) : t0;
                set(n, 0, out, type);
            }
            case "ArgMax", "ArgMin", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL2" -> {
                if (x == null) {
                    return;
                }
                boolean keep = Attrs.i(n, "keepdims", 1) != 0;
                long[] axes = op.startsWith("Arg") ? new long[] {Attrs.i(n, "axis", 0)} : Attrs.ints(n, "axes", null);
                if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
                    TensorProto c = graph.constant(n.getInput(1));
                    if (c == null) {
                        return;
                    }
                    axes = model.longs(c);
                }
                boolean[] reduced = new boolean[x.length];
                if (axes == null || axes.length == 0) {
                    Arrays.fill(reduced, true);
                } else {
                    for (long a : axes) {
                        reduced[axis(a, x.length)] = true;
                    }
                }
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < x.length; i++) {
                    if (!reduced[i]) {
                        out.add(x[i]);
                    } else if (keep) {
                        out.add(1L);
                    }
                }
                set(n, 0, out.stream().mapToLong(Long::longValue).toArray(),
                        op.startsWith("Arg") ? TensorProto.DataType.INT64_VALUE : t0);
            }
            case "Pad" -> {
                if (x == null) {
                    return;
                }
                long[] pads = Attrs.ints(n, "pads", null);
                if (pads == null && n.getInputCount() > 1) {
                    TensorProto c = graph.constant(n.getInput(1));
                    if (c == null) {
                        return;
                    }
                    pads = model.longs(c);
                }
                long[] axes = null;
                if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
                    TensorProto c = graph.constant(n.getInput(3));
                    if (c == null) {
                        return;
                    }
                    axes = model.longs(c);
                }
                long[] out = x.clone();
                int count = pads.length / 2;
                for (int i = 0; i < count; i++) {
                    int a = axes != null ? axis(axes[i], x.length) : i;
                    out[a] += pads[i] + pads[i + count];
                }
                set(n, 0, out, t0);
            }
            case "Slice" -> {
                if (x == null || n.getInputCount() < 3) {
                    return;
                }
                long[] starts = constLongs(n, 1);
                long[] ends = constLongs(n, 2);
                long[] axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? constLongs(n, 3) : null;
                long[] steps = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? constLongs(n, 4) : null;
                if (starts == null || ends == null) {
                    return;
                }
                long[] out = x.clone();
                for (int i = 0; i < starts.length; i++) {
                    int a = axes != null ? axis(axes[i], x.length) : i;
                    long step = steps != null ? steps[i] : 1;
                    long dim = x[a];
                    long s = clampIndex(starts[i], dim, step > 0);
                    long e = clampIndex(ends[i], dim, step > 0);
                    out[a] = step > 0 ? Math.max(0, (e - s + step - 1) / step) : Math.max(0, (s - e - step - 1) / -step);
                }
                set(n, 0, out, t0);
            }
            case "Shape" -> set(n, 0, x == null ? null : new long[] {x.length}, TensorProto.DataType.INT64_VALUE);
            case "Expand" -> {
                long[] target = longsOf(n.getInput(1));
                if (x != null && target != null) {
                    set(n, 0, broadcast(x, target), t0);
                }
            }
            case "Split" -> {
                if (x == null) {
                    return;
                }
                int a = axis(Attrs.i(n, "axis", 0), x.length);
                long[] split = Attrs.ints(n, "split", null);
                if (split == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
                    split = constLongs(n, 1);
                }
                int outs = n.getOutputCount();
                for (int i = 0; i < outs; i++) {
                    long[] s = x.clone();
                    s[a] = split != null ? split[i] : x[a] / outs;
                    set(n, i, s, t0);
                }
            }
            default -> {
                // not covered: value_info (if any) is used by the caller
            }
        }
    }

    private long[] constLongs(NodeProto n, int i) throws IOException {
        return longsOf(n.getInput(i));
    }

    /** The integer values of {@code tensor}: a constant, or a shape computation propagated from known shapes. */
    private long[] longsOf(String tensor) throws IOException {
        long[] v = values.get(tensor);
        if (v != null) {
            return v.clone();
        }
        TensorProto c = graph.constant(tensor);
        return c == null ? null : model.longs(c);
    }

    /** The integer values of a small integer tensor (shape arithmetic), or {@code null}. */
    public long[] values(String tensor) {
        long[] v = values.get(tensor);
        return v == null ? null : v.clone();
    }

    private static final Set<String> INTEGER_TYPES = Set.of("INT64", "INT32", "INT16", "INT8", "UINT8", "UINT16", "UINT32",
            "UINT64");

    private boolean isIntegerValued(String tensor) {
        int t = type(tensor);
        TensorProto.DataType dt = TensorProto.DataType.forNumber(t);
        return dt != null && INTEGER_TYPES.contains(dt.name());
    }

    private long[] intInput(NodeProto n, int i) throws IOException {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            return null;
        }
        String t = n.getInput(i);
        if (values.containsKey(t)) {
            return values.get(t);
        }
        TensorProto c = graph.constant(t);
        if (c == null || !isIntegerValued(t) || Tensors.elementCount(c) > 64) {
            return null;
        }
        return model.longs(c);
    }

    /**
     * Propagates the values of shape computations ({@code Shape}, {@code Cast}, {@code Slice}, {@code Gather},
     * {@code Concat}, {@code Squeeze}/{@code Unsqueeze}, integer arithmetic) so that Reshape targets and Resize sizes
     * computed at run time are known once the input shape is.
     */
    private void propagate(NodeProto n) throws IOException {
        String op = n.getOpType();
        if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
            return;
        }
        long[] out = null;
        switch (op) {
            case "Shape" -> {
                long[] x = shapes.get(n.getInput(0));
                if (x != null && declaredComplete(n.getInput(0))) {
                    int r = x.length;
                    int start = (int) Attrs.i(n, "start", 0);
                    int end = (int) Attrs.i(n, "end", r);
                    start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
                    end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
                    out = Arrays.copyOfRange(x, start, Math.max(start, end));
                }
            }
            case "Cast", "Identity", "Squeeze", "Unsqueeze", "Flatten", "Reshape" -> {
                long[] v = intInput(n, 0);
                boolean intTarget = !op.equals("Cast") || isIntegerValued(n.getOutput(0));
                out = v != null && intTarget ? v : null;
            }
            case "Slice" -> {
                long[] v = intInput(n, 0);
                long[] starts = intInput(n, 1);
                long[] ends = intInput(n, 2);
                long[] steps = intInput(n, 4);
                if (v != null && starts != null && ends != null && starts.length == 1) {
                    long step = steps == null ? 1 : steps[0];
                    long s = clampIndex(starts[0], v.length, step > 0);
                    long e = clampIndex(ends[0], v.length, step > 0);
                    List<Long> r = new ArrayList<>();
                    for (long i = s; step > 0 ? i < e : i > e; i += step) {
                        r.add(v[(int) i]);
                    }
                    out = r.stream().mapToLong(Long::longValue).toArray();
                }
            }
            case "Gather" -> {
                long[] v = intInput(n, 0);
                long[] idx = intInput(n, 1);
                if (v != null && idx != null && Attrs.i(n, "axis", 0) == 0) {
                    out = new long[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        out[i] = v[(int) (idx[i] < 0 ? idx[i] + v.length : idx[i])];
                    }
                }
            }
            case "Concat" -> {
                List<Long> r = new ArrayList<>();
                for (int i = 0; i < n.getInputCount(); i++) {
                    long[] v = intInput(n, i);
                    if (v == null) {
                        return;
                    }
                    for (long x : v) {
                        r.add(x);
                    }
                }
                out = r.stream().mapToLong(Long::longValue).toArray();
            }
            case "Add", "Sub", "Mul", "Div" -> {
                long[] a = intInput(n, 0);
                long[] b = intInput(n, 1);
                if (a != null && b != null && (a.length == b.length || a.length == 1 || b.length == 1)) {
                    out = new long[Math.max(a.length, b.length)];
                    for (int i = 0; i < out.length; i++) {
                        long x = a[a.length == 1 ? 0 : i];
                        long y = b[b.length == 1 ? 0 : i];
                        out[i] = switch (op) {
                            case "Add" -> x + y;
                            case "Sub" -> x - y;
                            case "Mul" -> x * y;
                            default -> y == 0 ? 0 : Math.floorDiv(x, y);
                        };
                    }
                }
            }
            default -> {
                // not a shape computation
            }
        }
        if (out != null && out.length <= 64) {
            values.put(n.getOutput(0), out);
        }
    }

    /** True when every dimension of {@code tensor}'s shape is known rather than assumed 1 for a symbolic one. */
    private boolean declaredComplete(String tensor) {
        return !assumed.contains(tensor);
    }

    private static long clampIndex(long v, long dim, boolean forward) {
        if (v < 0) {
            v += dim;
        }
        return forward ? Math.max(0, Math.min(dim, v)) : Math.max(-1, Math.min(dim - 1, v));
    }

    /** Output spatial size of a sliding window (Conv, pooling) with the node's strides, pads, dilations, auto_pad. */
    private static long[] window(NodeProto n, long[] in, long[] k, boolean ceil) {
        int sp = in.length;
        long[] strides = Attrs.ints(n, "strides", ones(sp));
        long[] dil = Attrs.ints(n, "dilations", ones(sp));
        long[] pads = Attrs.ints(n, "pads", new long[2 * sp]);
        String autoPad = Attrs.s(n, "auto_pad", "NOTSET");
        long[] out = new long[sp];
        for (int i = 0; i < sp; i++) {
            long eff = (k[i] - 1) * dil[i] + 1;
            if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
                out[i] = (in[i] + strides[i] - 1) / strides[i];
            } else if (autoPad.equals("VALID")) {
                out[i] = (in[i] - eff) / strides[i] + 1;
            } else {
                long num = in[i] + pads[i] + pads[sp + i] - eff;
                out[i] = (ceil ? Math.floorDiv(num + strides[i] - 1, strides[i]) : Math.floorDiv(num, strides[i])) + 1;
            }
        }
        return out;
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        return a;
    }

    private static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    static long prod(long[] s) {
        long p = 1;
        for (long d : s) {
            p *= d;
        }
        return p;
    }

    private static long[] broadcast(long[] a, long[] b) {
        if (a == null || b == null) {
            return null;
        }
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private static long[] matmul(long[] a, long[] b) {
        if (a == null || b == null || a.length == 0 || b.length == 0) {
            return null;
        }
        long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
        long[] batch = broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        List<Long> out = new ArrayList<>();
        for (long d : batch) {
            out.add(d);
        }
        if (a.length > 1) {
            out.add(a2[a2.length - 2]);
        }
        if (b.length > 1) {
            out.add(b2[b2.length - 1]);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Multiply-accumulates of one node with the inferred shapes: Conv, ConvTranspose, Gemm, MatMul and their
     * integer forms ({@code QLinearConv}, {@code ConvInteger}, {@code QLinearMatMul}, ...); 0 for other operators,
     * -1 when a shape is unknown.
     */
    public long macs(NodeProto n) {
        String op = n.getOpType();
        if (n.getOutputCount() == 0) {
            return op.matches("Conv|ConvInteger|QLinearConv|ConvTranspose|Gemm|QGemm|MatMul.*|QLinearMatMul") ? -1 : 0;
        }
        // shapes come from the file: a rank the operator cannot have makes the count unknown, not a crash
        switch (op) {
            case "Conv", "ConvInteger", "QLinearConv" -> {
                long[] w = in(n, op.equals("QLinearConv") ? 3 : 1);
                long[] y = shapes.get(n.getOutput(0));
                if (w == null || y == null || w.length < 1) {
                    return -1;
                }
                // per output element: C/group * prod(kernel)
                return prod(y) * prod(Arrays.copyOfRange(w, 1, w.length));
            }
            case "ConvTranspose" -> {
                long[] x = in(n, 0);
                long[] w = in(n, 1);
                if (x == null || w == null || w.length < 1) {
                    return -1;
                }
                return prod(x) * prod(Arrays.copyOfRange(w, 1, w.length));
            }
            case "Gemm", "QGemm" -> {
                long[] a = in(n, 0);
                long[] y = shapes.get(n.getOutput(0));
                if (a == null || y == null || a.length != 2) {
                    return -1;
                }
                long k = Attrs.i(n, "transA", 0) != 0 ? a[0] : a[1];
                return prod(y) * k;
            }
            case "MatMul", "MatMulInteger", "QLinearMatMul", "MatMulIntegerToFloat" -> {
                long[] a = in(n, 0);
                long[] y = shapes.get(n.getOutput(0));
                if (a == null || y == null || a.length == 0) {
                    return -1;
                }
                return prod(y) * a[a.length - 1];
            }
            default -> {
                return 0;
            }
        }
    }

    /** Reading node attributes with defaults. */
    public static final class Attrs {
        private Attrs() {
        }

        public static AttributeProto get(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a;
                }
            }
            return null;
        }

        public static long i(NodeProto n, String name, long def) {
            AttributeProto a = get(n, name);
            return a == null ? def : a.getI();
        }

        public static float f(NodeProto n, String name, float def) {
            AttributeProto a = get(n, name);
            return a == null ? def : a.getF();
        }

        public static String s(NodeProto n, String name, String def) {
            AttributeProto a = get(n, name);
            return a == null ? def : a.getS().toStringUtf8();
        }

        public static long[] ints(NodeProto n, String name, long[] def) {
            AttributeProto a = get(n, name);
            return a == null || a.getIntsCount() == 0 ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        public static float[] floats(NodeProto n, String name) {
            AttributeProto a = get(n, name);
            if (a == null || a.getFloatsCount() == 0) {
                return null;
            }
            float[] f = new float[a.getFloatsCount()];
            for (int i = 0; i < f.length; i++) {
                f[i] = a.getFloats(i);
            }
            return f;
        }
    }
}
