package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A working copy of a model as exporters write them, in the form the quantizer and the summary read: never the
 * input file, always a new {@link OnnxModel} in memory.
 * <ul>
 * <li>{@code Constant} nodes holding a tensor (Paddle2ONNX writes every weight so) become initializers of the same
 * name.</li>
 * <li>Initializers that old exporters (IR &lt; 4) also list as graph inputs are removed from the inputs (IR raised to
 * 4), so ONNX Runtime may treat them as constants.</li>
 * <li>With an input shape (from the user's preprocessing, batch 1): an image input with a dynamic or symbolic
 * dimension other than the batch gets the fixed shape; inputs that are already fixed keep theirs.</li>
 * <li>{@link Options#foldBatchNorm}: a BatchNormalization that is the only reader of a Conv's (or a group-1
 * ConvTranspose's) output, with constant float parameters, is folded into the weights and bias.</li>
 * <li>{@link Options#arithmetic}: {@code Div(x, c)} and {@code Sub(x, c)} by a float constant become
 * {@code Mul(x, 1/c)} and {@code Add(x, -c)} (ONNX Runtime has integer kernels for Mul and Add only; hard-swish is
 * written as Add, Clip, Mul, Div); a ConvTranspose whose kernel equals its stride becomes a 1x1 Conv and a
 * DepthToSpace ({@link ConvTransposeRewrite}).</li>
 * <li>{@link Options#foldShapes}: integer shape computations whose values are known once the input shape is fixed
 * ({@code Shape → Slice → Cast → Concat} feeding a Reshape or a Resize's sizes, as exporters write them for dynamic
 * inputs) become int64/int32 initializers, so the Resize of a segmentation head has static sizes (the exact fast label
 * head needs them) and ONNX Runtime has less to do.</li>
 * <li>{@link Options#upgradeOpset}: an opset 10–12 model is raised to opset 13 when every node means the same there
 * (Squeeze, Unsqueeze, Split and ReduceSum get their attribute lists as inputs; Dropout loses its ratio attribute;
 * Softmax, LogSoftmax and Hardmax only over their last axis), so that weights can be quantized per channel
 * (DequantizeLinear's {@code axis} needs opset 13).</li>
 * </ul>
 * What was done is listed in {@link Result#notes()}; each BatchNormalization left unfolded in
 * {@link Result#unfolded()} with the reason.
 */
public final class ExporterGraphs {

    private ExporterGraphs() {
    }

    /**
     * What to rewrite besides the lossless steps (constants, initializer inputs, input shape).
     *
     * @param inputShape fixed shape for a dynamic image input (batch 1), or {@code null}
     */
    public record Options(long[] inputShape, boolean foldBatchNorm, boolean arithmetic, boolean upgradeOpset, boolean foldShapes) {
        /** Only the lossless steps (for inspecting). */
        public static Options inspect(long[] inputShape) {
            return new Options(inputShape, false, false, false, false);
        }

        /** Everything (for quantizing). */
        public static Options quantize(long[] inputShape) {
            return new Options(inputShape, true, true, true, true);
        }
    }

    /**
     * The working copy.
     *
     * @param model the rewritten model (same file name for messages)
     * @param notes one line per kind of rewrite done, e.g. {@code 412 Constant nodes read as initializers}
     * @param unfolded BatchNormalization node name → why it stays float
     * @param opsetNote why an opset 10–12 model was not raised to 13 ({@code null} when raised or not needed)
     */
    public record Result(OnnxModel model, List<String> notes, Map<String, String> unfolded, String opsetNote) {
        public Result {
            notes = List.copyOf(notes);
            unfolded = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unfolded));
        }
    }

    /** Rewrites {@code source} as described above. */
    public static Result normalize(OnnxModel source, Options options) throws IOException {
        List<String> notes = new ArrayList<>();
        ModelProto m = source.withInternalData();
        m = constantsToInitializers(m, notes);
        m = initializerInputs(m, notes);
        if (options.inputShape() != null) {
            m = fixInputShape(m, options.inputShape(), notes);
        }
        Map<String, String> unfolded = new LinkedHashMap<>();
        OnnxModel work = OnnxModel.of(m, source.file());
        if (options.foldBatchNorm()) {
            work = BatchNormFolding.fold(work, unfolded, notes);
        }
        if (options.arithmetic()) {
            work = OnnxModel.of(arithmetic(work, notes), source.file());
            work = OnnxModel.of(ConvTransposeRewrite.rewrite(work, notes), source.file());
        }
        if (options.foldShapes()) {
            work = OnnxModel.of(foldShapes(work, notes), source.file());
        }
        String opsetNote = null;
        if (options.upgradeOpset() && work.graph().onnxOpset() >= 10 && work.graph().onnxOpset() < 13) {
            String why = OpsetUpgrade.blocker(work);
            if (why == null) {
                notes.add("opset " + work.graph().onnxOpset() + " raised to 13 (per-channel weights need DequantizeLinear-13)");
                work = OnnxModel.of(OpsetUpgrade.to13(work), source.file());
            } else {
                opsetNote = why;
            }
        }
        return new Result(work, notes, unfolded, opsetNote);
    }

    /**
     * Why {@code model} cannot be quantized as it is because it computes in float16, or {@code null}: a float16
     * graph input, or float16 weights of its Conv, ConvTranspose, Gemm or MatMul.
     */
    public static String float16Problem(OnnxModel model) {
        OnnxGraph g = model.graph();
        String what = null;
        for (ValueInfoProto v : g.inputs()) {
            if (v.getType().hasTensorType() && v.getType().getTensorType().getElemType() == TensorProto.DataType.FLOAT16_VALUE) {
                what = "its input '" + v.getName() + "' is float16";
            }
        }
        if (what == null && ModelSummary.precision(g) == ModelSummary.Precision.FP16) {
            what = "its weights are float16";
        }
        if (what == null) {
            return null;
        }
        return "the model is FP16 (" + what + "); INT8 Workbench quantizes FP32 models: export it in FP32 (or convert its "
                + "float16 tensors to float32) and optimize that";
    }

    /** A {@code Constant} node's value as a tensor named {@code name}, or {@code null} (sparse or string values). */
    static TensorProto constantValue(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    if (a.hasT() && a.getT().getDataType() != TensorProto.DataType.STRING_VALUE) {
                        return a.getT().toBuilder().setName(name).build();
                    }
                }
                case "value_float" -> {
                    return Tensors.floats(name, new float[] {a.getF()});
                }
                case "value_floats" -> {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    return Tensors.floats(name, v, v.length);
                }
                case "value_int" -> {
                    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                            .addInt64Data(a.getI()).build();
                }
                case "value_ints" -> {
                    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                            .addDims(a.getIntsCount()).addAllInt64Data(a.getIntsList()).build();
                }
                default -> {
                    // sparse_value, value_string(s): left as a node
                }
            }
        }
        return null;
    }

    private static ModelProto constantsToInitializers(ModelProto m, List<String> notes) {
        GraphProto g = m.getGraph();
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto v : g.getOutputList()) {
            outputs.add(v.getName());
        }
        GraphProto.Builder b = g.toBuilder().clearNode();
        int moved = 0;
        for (NodeProto n : g.getNodeList()) {
            TensorProto t = n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getOutputCount() == 1
                    && !outputs.contains(n.getOutput(0)) ? constantValue(n, n.getOutput(0)) : null;
            if (t != null) {
                b.addInitializer(t);
                moved++;
            } else {
                b.addNode(n);
            }
        }
        if (moved == 0) {
            return m;
        }
        notes.add(moved + " Constant nodes read as initializers");
        return m.toBuilder().setGraph(b).build();
    }

    private static ModelProto initializerInputs(ModelProto m, List<String> notes) {
        GraphProto g = m.getGraph();
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        List<ValueInfoProto> keep = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                keep.add(v);
            }
        }
        if (keep.size() == g.getInputCount()) {
            return m;
        }
        notes.add((g.getInputCount() - keep.size()) + " initializers listed as graph inputs read as constants");
        ModelProto.Builder b = m.toBuilder().setGraph(g.toBuilder().clearInput().addAllInput(keep));
        if (b.getIrVersion() < 4) {
            b.setIrVersion(4);
        }
        return b.build();
    }

    /**
     * NHWC when the model's single input has 4 dimensions, the last 3 and the second not (or 3 dimensions, the last 3
     * and the first not: [H,W,3]), else NCHW.
     */
    public static org.int8workbench.core.dataset.Preprocessing.Layout imageLayout(OnnxModel model) {
        return model.graph().inputs().size() == 1 ? org.int8workbench.core.dataset.Preprocessing.layoutOf(imageInputShape(model))
                : org.int8workbench.core.dataset.Preprocessing.Layout.NCHW;
    }

    /**
     * The declared shape of the model's single image input (an initializer listed as input does not count), dynamic
     * axes as -1; {@code null} when there is none, several, or it has no shape.
     */
    public static long[] imageInputShape(OnnxModel model) {
        return imageInputShape(model.proto().getGraph());
    }

    /** {@link #imageInputShape(OnnxModel)} of a graph. */
    public static long[] imageInputShape(GraphProto g) {
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        ValueInfoProto image = null;
        for (ValueInfoProto v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                if (image != null) {
                    return null;
                }
                image = v;
            }
        }
        if (image == null || !image.getType().getTensorType().hasShape()) {
            return null;
        }
        List<TensorShapeProto.Dimension> d = image.getType().getTensorType().getShape().getDimList();
        long[] s = new long[d.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = d.get(i).hasDimValue() && d.get(i).getDimValue() > 0 ? d.get(i).getDimValue() : -1;
        }
        return s;
    }

    /** True when a dimension other than the first of {@code v} is not a fixed positive number (or it has no shape). */
    public static boolean hasDynamicImageDims(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return true;
        }
        TensorShapeProto s = v.getType().getTensorType().getShape();
        for (int i = 1; i < s.getDimCount(); i++) {
            if (!s.getDim(i).hasDimValue() || s.getDim(i).getDimValue() <= 0) {
                return true;
            }
        }
        return false;
    }

    private static ModelProto fixInputShape(ModelProto m, long[] shape, List<String> notes) {
        GraphProto g = m.getGraph();
        List<ValueInfoProto> inputs = new ArrayList<>(g.getInputList());
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        int image = -1;
        for (int i = 0; i < inputs.size(); i++) {
            if (!inits.contains(inputs.get(i).getName())) {
                if (image >= 0) {
                    return m; // several inputs: not an image model this tool feeds
                }
                image = i;
            }
        }
        if (image < 0) {
            return m;
        }
        ValueInfoProto v = inputs.get(image);
        var tt = v.getType().getTensorType();
        if (tt.hasShape() && tt.getShape().getDimCount() != shape.length) {
            String rank = org.int8workbench.core.dataset.Preprocessing.rankProblem(tt.getShape().getDimCount());
            throw new IllegalArgumentException(rank != null ? rank.replace("the model's input", "the model's input '" + v.getName() + "'")
                    : "the model's input '" + v.getName() + "' has " + tt.getShape().getDimCount() + " dimensions, but the"
                            + " preprocessing gives " + java.util.Arrays.toString(shape));
        }
        // a rank-3 input [3,H,W] or [H,W,3] has no batch axis: every axis counts
        boolean rank3 = shape.length == 3;
        boolean dynamic = hasDynamicImageDims(v) || rank3 && tt.hasShape()
                && (!tt.getShape().getDim(0).hasDimValue() || tt.getShape().getDim(0).getDimValue() <= 0);
        if (!dynamic) {
            return m;
        }
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        List<String> was = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = tt.hasShape() ? tt.getShape().getDim(i) : TensorShapeProto.Dimension.getDefaultInstance();
            if (d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() != shape[i] && (i > 0 || rank3)) {
                throw new IllegalArgumentException("the model's input '" + v.getName() + "' fixes dimension " + i + " to "
                        + d.getDimValue() + ", but the preprocessing gives " + shape[i] + "; check --size and --layout");
            }
            was.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i]));
        }
        ValueInfoProto fixed = v.toBuilder().setType(v.getType().toBuilder().setTensorType(tt.toBuilder().setShape(s))).build();
        inputs.set(image, fixed);
        notes.add("input '" + v.getName() + "' [" + String.join(",", was) + "] fixed to " + java.util.Arrays.toString(shape)
                + " from the preprocessing");
        return m.toBuilder().setGraph(g.toBuilder().clearInput().addAllInput(inputs)).build();
    }

    private static ModelProto arithmetic(OnnxModel model, List<String> notes) throws IOException {
        OnnxGraph g = model.graph();
        GraphProto.Builder b = g.proto().toBuilder().clearNode();
        Set<String> names = new HashSet<>(g.initializers().keySet());
        for (NodeProto n : g.proto().getNodeList()) {
            names.addAll(n.getOutputList());
        }
        int div = 0;
        int sub = 0;
        int means = 0;
        ShapeInference si = null;
        for (NodeProto n : g.proto().getNodeList()) {
            String op = n.getOpType();
            if (op.equals("ReduceMean") && n.getDomain().isEmpty()) {
                if (si == null) {
                    si = ShapeInference.of(model);
                }
                if (isSpatialMean(model, n, si)) {
                    b.addNode(NodeProto.newBuilder().setOpType("GlobalAveragePool").setName(n.getName()).addInput(n.getInput(0))
                            .addOutput(n.getOutput(0)));
                    means++;
                    continue;
                }
            }
            TensorProto c = (op.equals("Div") || op.equals("Sub")) && n.getDomain().isEmpty() && n.getInputCount() == 2
                    ? g.initializer(n.getInput(1)) : null;
            if (c == null || c.getDataType() != TensorProto.DataType.FLOAT_VALUE || g.initializer(n.getInput(0)) != null) {
                b.addNode(n);
                continue;
            }
            float[] v = model.floats(c).clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = op.equals("Div") ? 1f / v[i] : -v[i];
            }
            String name = n.getInput(1) + (op.equals("Div") ? "_reciprocal" : "_negated");
            for (int i = 1; names.contains(name); i++) {
                name = n.getInput(1) + (op.equals("Div") ? "_reciprocal_" : "_negated_") + i;
            }
            names.add(name);
            b.addInitializer(Tensors.floats(name, v, c.getDimsList().stream().mapToLong(Long::longValue).toArray()));
            b.addNode(n.toBuilder().setOpType(op.equals("Div") ? "Mul" : "Add").setInput(1, name));
            if (op.equals("Div")) {
                div++;
            } else {
                sub++;
            }
        }
        if (means > 0) {
            notes.add(means + " ReduceMean over the spatial axes written as GlobalAveragePool (it has an integer kernel)");
        }
        if (div + sub + means == 0) {
            return model.proto();
        }
        if (div + sub == 0) {
            return model.proto().toBuilder().setGraph(b).build();
        }
        notes.add((div > 0 ? div + " Div by a constant written as Mul" : "") + (div > 0 && sub > 0 ? ", " : "")
                + (sub > 0 ? sub + " Sub of a constant written as Add" : "") + " (integer kernels exist for Mul and Add only)");
        return model.proto().toBuilder().setGraph(b).build();
    }

    private static ModelProto foldShapes(OnnxModel model, List<String> notes) {
        OnnxGraph g = model.graph();
        ShapeInference si = ShapeInference.of(model);
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto v : g.outputs()) {
            outputs.add(v.getName());
        }
        List<TensorProto> added = new ArrayList<>();
        Set<NodeProto> folded = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (NodeProto n : g.nodes()) {
            if (n.getOutputCount() != 1 || outputs.contains(n.getOutput(0)) || !n.getDomain().isEmpty()) {
                continue;
            }
            String o = n.getOutput(0);
            long[] v = si.values(o);
            long[] dims = si.shape(o);
            int type = si.type(o);
            if (v == null || dims == null || ShapeInference.prod(dims) != v.length || dims.length > 1
                    || !(type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.INT32_VALUE)) {
                continue;
            }
            TensorProto.Builder t = TensorProto.newBuilder().setName(o).setDataType(type);
            for (long d : dims) {
                t.addDims(d);
            }
            for (long x : v) {
                if (type == TensorProto.DataType.INT64_VALUE) {
                    t.addInt64Data(x);
                } else {
                    t.addInt32Data((int) x);
                }
            }
            added.add(t.build());
            folded.add(n);
        }
        if (folded.isEmpty()) {
            return model.proto();
        }
        // drop the folded nodes, then nodes none of whose outputs is read any more (the Shape nodes that fed them)
        List<NodeProto> kept = new ArrayList<>();
        for (NodeProto n : g.nodes()) {
            if (!folded.contains(n)) {
                kept.add(n);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<String> read = new HashSet<>(outputs);
            for (NodeProto n : kept) {
                read.addAll(n.getInputList());
            }
            for (java.util.Iterator<NodeProto> it = kept.iterator(); it.hasNext();) {
                NodeProto n = it.next();
                boolean used = false;
                for (String o : n.getOutputList()) {
                    used |= !o.isEmpty() && read.contains(o);
                }
                if (!used && !n.getOpType().equals("Constant")) {
                    it.remove();
                    changed = true;
                }
            }
        }
        int removed = g.nodes().size() - kept.size();
        Set<String> read = new HashSet<>(outputs);
        for (NodeProto n : kept) {
            read.addAll(n.getInputList());
        }
        GraphProto.Builder b = g.proto().toBuilder().clearNode().addAllNode(kept);
        for (TensorProto t : added) {
            if (read.contains(t.getName())) {
                b.addInitializer(t);
            }
        }
        notes.add(removed + " nodes of shape computations folded into constants for the fixed input size");
        return model.proto().toBuilder().setGraph(b).build();
    }

    /** A ReduceMean over axes 2 and 3 of a 4-D NCHW tensor with keepdims: the same as GlobalAveragePool. */
    private static boolean isSpatialMean(OnnxModel model, NodeProto n, ShapeInference si) throws IOException {
        long[] x = si.shape(n.getInput(0));
        if (x == null || x.length != 4 || ShapeInference.Attrs.i(n, "keepdims", 1) != 1) {
            return false;
        }
        long[] axes = ShapeInference.Attrs.ints(n, "axes", null);
        if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            TensorProto c = model.graph().initializer(n.getInput(1));
            axes = c == null ? null : model.longs(c);
        }
        if (axes == null || axes.length != 2) {
            return false;
        }
        java.util.Set<Long> a = new java.util.HashSet<>();
        for (long v : axes) {
            a.add(v < 0 ? v + 4 : v);
        }
        return a.equals(java.util.Set.of(2L, 3L));
    }

    /** Sets the default-domain opset import of {@code m} to {@code version}. */
    static ModelProto withOpset(ModelProto m, long version) {
        ModelProto.Builder b = m.toBuilder().clearOpsetImport();
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                b.addOpsetImport(o.toBuilder().setVersion(version));
            } else {
                b.addOpsetImport(o);
            }
        }
        return b.build();
    }

    /** Tensor names used in {@code g} (for unique new names). */
    static Map<String, Boolean> usedNames(GraphProto g) {
        Map<String, Boolean> names = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            names.put(t.getName(), true);
        }
        for (NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                names.put(o, true);
            }
            names.put(n.getName(), true);
        }
        return names;
    }
}
