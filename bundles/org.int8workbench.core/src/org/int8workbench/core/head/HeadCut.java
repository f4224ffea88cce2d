package org.int8workbench.core.head;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.int8workbench.core.Ort;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.Tensors;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * Recognises a segmentation head at the end of an ONNX graph and cuts it off.
 *
 * <p>A head is a {@code Resize} (opset 10, 11, 13, 18, 19 forms) or {@code Upsample} of rank-4 float class logits in
 * {@code linear} or {@code nearest} mode, with static scales or sizes, that changes only the two spatial axes,
 * optionally followed by {@code Softmax} and/or {@code ArgMax} over the class axis (and {@code Identity} renames,
 * and a {@code Cast} of the labels), ending in a graph output. The cut model ends before the Resize: its output is
 * the low-resolution logits, and the head is recorded as {@link SegmentationHead} JSON under
 * {@link SegmentationHead#METADATA_KEY}. Not supported (reported with a reason): {@code cubic} mode,
 * {@code antialias}, {@code tf_crop_and_resize}, {@code keep_aspect_ratio_policy} other than {@code stretch},
 * scales or sizes computed at run time, and heads whose intermediate values are used elsewhere.
 *
 * <p>Before a head is accepted, the original model and the cut model run once on a seeded random input (default
 * session options) and {@link ExactLabelHead#resize} must reproduce ONNX Runtime's Resize output bit for bit; the
 * matching arithmetic (ONNX Runtime's standard kernel, or the NCHWc kernel its layout optimisation substitutes for
 * integer scales after NCHWc convolutions) is recorded as {@link SegmentationHead#kernel}. The graph's float inputs
 * must therefore have a known shape (unknown dimensions are taken as 1).
 */
public final class HeadCut {

    private static final Set<String> RESIZE_OPS = Set.of("Resize", "Upsample");

    private HeadCut() {
    }

    /**
     * The outcome of {@link #cut}.
     *
     * @param model the cut model when a head was found, otherwise the input model unchanged
     * @param head the head that was cut off, if any
     * @param reason why the model was (not) cut, for users
     */
    public record Result(ModelProto model, Optional<SegmentationHead> head, String reason) {
        public Result {
            Objects.requireNonNull(model);
            Objects.requireNonNull(head);
            Objects.requireNonNull(reason);
        }

        public boolean found() {
            return head.isPresent();
        }
    }

    /** Thrown inside detection to stop with a user-facing reason. */
    private static final class NoHead extends Exception {
        private static final long serialVersionUID = 1L;

        NoHead(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Detects and cuts the head. A model that already carries a head record is returned unchanged with that head.
     * Shapes the graph does not declare are inferred by loading the cut graph in ONNX Runtime (no optimisation).
     */
    public static Result cut(ModelProto model) {
        Optional<SegmentationHead> existing;
        try {
            existing = SegmentationHead.fromModel(model);
        } catch (RuntimeException e) {
            return new Result(model, Optional.empty(), "the model carries an unreadable head record: " + e.getMessage());
        }
        if (existing.isPresent()) {
            return new Result(model, existing, "the head was already cut off (" + existing.get().describe() + ")");
        }
        try {
            return detect(model);
        } catch (NoHead e) {
            return new Result(model, Optional.empty(), e.getMessage());
        }
    }

    private static Result detect(ModelProto model) throws NoHead {
        GraphProto g = model.getGraph();
        int opset = defaultOpset(model);
        Map<String, Integer> producer = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (String o : n.getOutputList()) {
                producer.put(o, i);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
        }
        Set<String> graphOutputs = new HashSet<>();
        for (ValueInfoProto v : g.getOutputList()) {
            graphOutputs.add(v.getName());
        }
        if (g.getOutputCount() == 0) {
            throw new NoHead("the graph has no outputs");
        }

        // Find a graph output that ends in Resize [Identity*] [Softmax] [Identity*] [ArgMax [Cast]] [Identity*].
        String firstReason = null;
        for (ValueInfoProto out : g.getOutputList()) {
            try {
                return cutAt(model, opset, out.getName(), producer, consumers, graphOutputs);
            } catch (NoHead e) {
                if (firstReason == null) {
                    firstReason = e.getMessage();
                }
            }
        }
        throw new NoHead(firstReason);
    }

    /**
     * The operator a node stands for in messages: itself, or for a QuantizeLinear/DequantizeLinear of the INT8 model
     * the first other operator behind it (e.g. {@code Sigmoid (behind its Q/DQ)}).
     */
    private static String behindQdq(GraphProto g, NodeProto n, Map<String, Integer> producer) {
        NodeProto m = n;
        for (int guard = 0; guard < 4 && (m.getOpType().equals("DequantizeLinear") || m.getOpType().equals("QuantizeLinear"))
                && m.getInputCount() > 0 && producer.get(m.getInput(0)) != null; guard++) {
            m = g.getNode(producer.get(m.getInput(0)));
        }
        return m == n ? n.getOpType() : m.getOpType() + " (behind its Q/DQ)";
    }

    private static Result cutAt(ModelProto model, int opset, String output, Map<String, Integer> producer,
            Map<String, List<Integer>> consumers, Set<String> graphOutputs) throws NoHead {
        GraphProto g = model.getGraph();
        List<Integer> chain = new ArrayList<>(); // from the output backwards
        String t = output;
        NodeProto resize = null;
        NodeProto argmax = null;
        NodeProto softmax = null;
        while (true) {
            Integer idx = producer.get(t);
            if (idx == null) {
                throw new NoHead("graph output '" + output + "' is not produced by a Resize of class logits"
                        + (chain.isEmpty() ? " (it is a graph input or initializer)" : ""));
            }
            NodeProto n = g.getNode(idx);
            String op = n.getOpType();
            boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!defaultDomain) {
                throw new NoHead("graph output '" + output + "' is produced by " + n.getDomain() + "." + op
                        + ", not by a Resize of class logits");
            }
            if (chain.isEmpty()) {
                if (!consumers.getOrDefault(t, List.of()).isEmpty()) {
                    throw new NoHead("graph output '" + output + "' is also read by other nodes; cutting would break them");
                }
            } else {
                // t is an intermediate value of the head: it must feed only the next head node
                List<Integer> uses = consumers.getOrDefault(t, List.of());
                if (uses.size() != 1 || graphOutputs.contains(t)) {
                    throw new NoHead("the value '" + t + "' between the Resize and graph output '" + output
                            + "' is also used elsewhere (" + uses.size() + " uses" + (graphOutputs.contains(t) ? ", graph output" : "")
                            + "); cutting would change the model's outputs");
                }
            }
            chain.add(idx);
            switch (op) {
                case "Identity":
                    break;
                case "Cast":
                    // walking backwards: a Cast must come after (so be met before) the ArgMax
                    if (argmax != null || softmax != null) {
                        throw new NoHead("unexpected Cast inside the head of '" + output + "'");
                    }
                    break;
                case "ArgMax":
                    if (argmax != null || softmax != null) {
                        throw new NoHead("graph output '" + output + "' has more than one ArgMax/Softmax after the Resize");
                    }
                    argmax = n;
                    break;
                case "Softmax":
                    if (softmax != null) {
                        throw new NoHead("graph output '" + output + "' has more than one Softmax after the Resize");
                    }
                    softmax = n;
                    break;
                default:
                    if (RESIZE_OPS.contains(op)) {
                        resize = n;
                    } else {
                        String shown = behindQdq(g, n, producer);
                        throw new NoHead("graph output '" + output + "' is produced by " + shown + (chain.size() > 1 ? " before the head nodes" : "")
                                + ", not by a Resize of class logits (optionally followed by ArgMax or Softmax)"
                                + (shown.startsWith("Sigmoid") || shown.startsWith("HardSigmoid")
                                        ? "; the exact label head does not read sigmoid maps yet" : ""));
                    }
            }
            if (resize != null) {
                break;
            }
            if (n.getInputCount() == 0 || n.getInput(0).isEmpty()) {
                throw new NoHead("node " + n.getName() + " (" + op + ") has no data input");
            }
            t = n.getInput(0);
        }
        // a Cast is allowed only right after the ArgMax (labels to another integer type)
        checkCastPlacement(g, chain, output);

        Map<String, AttributeProto> attrs = attributes(resize);
        String op = resize.getOpType();
        String mode = stringAttr(attrs, "mode", "nearest");
        if (mode.equals("cubic")) {
            throw new NoHead("the Resize uses cubic interpolation, whose weights can be negative: the corner test is not exact");
        }
        if (!mode.equals("linear") && !mode.equals("nearest")) {
            throw new NoHead("unsupported Resize mode '" + mode + "'");
        }
        boolean isResize11 = op.equals("Resize") && opset >= 11;
        String transform = isResize11 ? stringAttr(attrs, "coordinate_transformation_mode", "half_pixel") : "asymmetric";
        if (transform.equals("tf_crop_and_resize")) {
            throw new NoHead("coordinate_transformation_mode tf_crop_and_resize (region of interest with extrapolation) is not supported");
        }
        if (!Set.of("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn")
                .contains(transform)) {
            throw new NoHead("unknown coordinate_transformation_mode '" + transform + "'");
        }
        String nearestMode = null;
        if (mode.equals("nearest")) {
            nearestMode = isResize11 ? stringAttr(attrs, "nearest_mode", "round_prefer_floor") : "simple";
            if (!Set.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple").contains(nearestMode)) {
                throw new NoHead("unknown nearest_mode '" + nearestMode + "'");
            }
        }
        if (intAttr(attrs, "antialias", 0) != 0) {
            throw new NoHead("the Resize uses antialias, which ONNX Runtime computes with different weights");
        }
        String policy = stringAttr(attrs, "keep_aspect_ratio_policy", "stretch");
        if (!policy.equals("stretch")) {
            throw new NoHead("keep_aspect_ratio_policy '" + policy + "' is not supported");
        }
        if (intAttr(attrs, "exclude_outside", 0) != 0) {
            throw new NoHead("exclude_outside is set");
        }

        // scales / sizes
        float[] scales = null;
        long[] sizes = null;
        if (op.equals("Upsample")) {
            if (attrs.containsKey("scales")) {
                scales = toFloatArray(attrs.get("scales").getFloatsList());
            } else if (resize.getInputCount() > 1) {
                scales = constantFloats(g, resize.getInput(1), "scales");
            }
        } else if (opset < 11) {
            scales = resize.getInputCount() > 1 ? constantFloats(g, resize.getInput(1), "scales") : null;
        } else {
            if (resize.getInputCount() > 2 && !resize.getInput(2).isEmpty()) {
                float[] s = constantFloats(g, resize.getInput(2), "scales");
                scales = s.length == 0 ? null : s;
            }
            if (scales == null && resize.getInputCount() > 3 && !resize.getInput(3).isEmpty()) {
                sizes = constantLongs(g, resize.getInput(3), "sizes");
            }
        }
        if (scales == null && sizes == null) {
            throw new NoHead("the Resize has neither scales nor sizes");
        }

        String logits = resize.getInput(0);
        ModelProto cutModel = buildCut(model, chain, logits);
        TensorInfo logitsInfo = logitsInfo(cutModel, logits);
        if (logitsInfo.type != OnnxJavaType.FLOAT) {
            throw new NoHead("the resized logits '" + logits + "' are " + logitsInfo.type + ", not float");
        }
        long[] shape = logitsInfo.getShape();
        int rank = shape.length;
        if (rank != 4) {
            throw new NoHead("the resized logits '" + logits + "' have rank " + rank + " " + Arrays.toString(shape) + "; rank 4 is supported");
        }
        long[] axes = attrs.containsKey("axes") && opset >= 18 ? toLongArray(attrs.get("axes").getIntsList()) : null;
        if (scales != null) {
            scales = expandFloats(scales, axes, rank, 1f, "scales");
        } else {
            long[] full = new long[rank];
            for (int i = 0; i < rank; i++) {
                full[i] = shape[i];
            }
            sizes = expandLongs(sizes, axes, full, "sizes");
        }

        // class axis
        int classAxis;
        if (argmax != null) {
            classAxis = normalize((int) intAttr(attributes(argmax), "axis", 0), rank);
        } else if (softmax != null && opset >= 13) {
            classAxis = normalize((int) intAttr(attributes(softmax), "axis", -1), rank);
        } else {
            boolean[] resized = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                resized[i] = scales != null ? scales[i] != 1f : (shape[i] < 0 || sizes[i] != shape[i]);
            }
            if (!resized[0] && !resized[1]) {
                classAxis = 1;
            } else if (!resized[0] && !resized[3]) {
                classAxis = 3;
            } else {
                throw new NoHead("the Resize changes more than the two spatial axes " + Arrays.toString(shape) + " -> "
                        + (scales != null ? Arrays.toString(scales) : Arrays.toString(sizes)));
            }
        }
        if (classAxis != 1 && classAxis != 3) {
            throw new NoHead("the classes are on axis " + classAxis + "; axis 1 (NCHW) or 3 (NHWC) is supported");
        }
        String layout = classAxis == 1 ? "NCHW" : "NHWC";
        for (int axis : new int[] {0, classAxis}) {
            boolean changed = scales != null ? scales[axis] != 1f : (shape[axis] < 0 ? false : sizes[axis] != shape[axis]);
            if (changed) {
                throw new NoHead("the Resize changes axis " + axis + " (" + (axis == 0 ? "batch" : "classes") + ")");
            }
        }
        if (mode.equals("linear") && scales != null) {
            for (float s : scales) {
                if (!(s > 0)) {
                    throw new NoHead("the Resize has a non-positive scale " + Arrays.toString(scales));
                }
            }
        }
        long outH = -1;
        long outW = -1;
        int hAxis = classAxis == 1 ? 2 : 1;
        int wAxis = hAxis + 1;
        if (sizes != null) {
            outH = sizes[hAxis];
            outW = sizes[wAxis];
        } else {
            if (shape[hAxis] > 0) {
                outH = (long) (scales[hAxis] * (float) shape[hAxis]);
            }
            if (shape[wAxis] > 0) {
                outW = (long) (scales[wAxis] * (float) shape[wAxis]);
            }
        }
        String followedBy = softmax != null && argmax != null ? "softmax+argmax"
                : argmax != null ? "argmax" : softmax != null ? "softmax" : "none";
        boolean selectLast = argmax != null && intAttr(attributes(argmax), "select_last_index", 0) != 0;
        List<String> removed = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            removed.add(g.getNode(chain.get(i)).getOpType());
        }
        SegmentationHead head = new SegmentationHead(SegmentationHead.FORMAT_VERSION, op, opset, mode, transform, nearestMode, scales,
                sizes, policy, layout, classAxis, (int) shape[classAxis], shape, outH, outW, followedBy, selectLast, logits, output,
                removed, SegmentationHead.KERNEL_STANDARD);
        head = verify(model, cutModel, resize.getOutput(0), head);
        ModelProto withMeta = withMetadata(cutModel, SegmentationHead.METADATA_KEY, head.toJson());
        return new Result(withMeta, Optional.of(head), "cut off " + String.join(" -> ", removed) + " (" + head.describe()
                + "); the model now outputs the low-resolution logits '" + logits + "' " + Arrays.toString(shape));
    }

    private static void checkCastPlacement(GraphProto g, List<Integer> chain, String output) throws NoHead {
        // chain is from the output backwards; a Cast must come after an ArgMax (closer to the output)
        boolean seenArgmaxBelow = false;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String op = g.getNode(chain.get(i)).getOpType();
            if (op.equals("ArgMax")) {
                seenArgmaxBelow = true;
            } else if (op.equals("Cast") && !seenArgmaxBelow) {
                throw new NoHead("graph output '" + output + "' casts the resized logits before any ArgMax");
            }
        }
    }

    // ------------------------------------------------------------------ model surgery

    /** The model without the head nodes and whatever fed only them, with {@code logits} as the output. */
    private static ModelProto buildCut(ModelProto model, List<Integer> chain, String logits) throws NoHead {
        GraphProto g = model.getGraph();
        String removedOutput = g.getNode(chain.get(0)).getOutput(0);
        Set<Integer> drop = new HashSet<>(chain);
        // outputs of the cut graph: the old ones except the head's, plus the logits
        List<ValueInfoProto> outputs = new ArrayList<>();
        boolean logitsListed = false;
        for (ValueInfoProto v : g.getOutputList()) {
            if (v.getName().equals(removedOutput)) {
                continue;
            }
            outputs.add(v);
            logitsListed |= v.getName().equals(logits);
        }
        if (!logitsListed) {
            outputs.add(valueInfoFor(g, logits));
        }
        // backward reachability from the outputs
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (!drop.contains(i)) {
                for (String o : g.getNode(i).getOutputList()) {
                    producer.put(o, i);
                }
            }
        }
        boolean[] keep = new boolean[g.getNodeCount()];
        Deque<String> todo = new ArrayDeque<>();
        for (ValueInfoProto v : outputs) {
            todo.add(v.getName());
        }
        Set<String> needed = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!needed.add(name)) {
                continue;
            }
            Integer p = producer.get(name);
            if (p != null && !keep[p]) {
                keep[p] = true;
                for (String in : g.getNode(p).getInputList()) {
                    if (!in.isEmpty()) {
                        todo.add(in);
                    }
                }
                // subgraph attributes (If/Loop/Scan) may read outer values by name: keep what they mention
                for (AttributeProto a : g.getNode(p).getAttributeList()) {
                    if (a.hasG()) {
                        collectNames(a.getG(), todo);
                    }
                    for (GraphProto sg : a.getGraphsList()) {
                        collectNames(sg, todo);
                    }
                }
            }
        }
        Set<String> inputNames = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) {
            inputNames.add(v.getName());
        }
        if (inputNames.contains(logits) && producer.get(logits) == null) {
            throw new NoHead("the Resize reads graph input '" + logits + "' directly; nothing would be left to run");
        }
        GraphProto.Builder ng = g.toBuilder().clearNode().clearOutput().clearInitializer().clearValueInfo();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (keep[i]) {
                ng.addNode(g.getNode(i));
            }
        }
        ng.addAllOutput(outputs);
        for (TensorProto t : g.getInitializerList()) {
            if (needed.contains(t.getName()) || inputNames.contains(t.getName())) {
                ng.addInitializer(t);
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (needed.contains(v.getName()) && !v.getName().equals(logits)) {
                ng.addValueInfo(v);
            }
        }
        return model.toBuilder().setGraph(ng).build();
    }

    private static void collectNames(GraphProto sg, Deque<String> todo) {
        for (NodeProto n : sg.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    todo.add(in);
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    collectNames(a.getG(), todo);
                }
            }
        }
    }

    private static ValueInfoProto valueInfoFor(GraphProto g, String name) {
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (v.getName().equals(name) && v.hasType()) {
                return v;
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            if (v.getName().equals(name) && v.hasType()) {
                return v;
            }
        }
        // type only; ONNX Runtime infers the shape
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))).build();
    }

    /** The logits' type and shape: from the graph when it declares them fully, otherwise from ONNX Runtime. */
    private static TensorInfo logitsInfo(ModelProto cut, String logits) throws NoHead {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(cut.toByteArray(), o)) {
                NodeInfo info = s.getOutputInfo().get(logits);
                if (info == null || !(info.getInfo() instanceof TensorInfo ti)) {
                    throw new NoHead("ONNX Runtime reports no tensor output '" + logits + "' for the cut graph");
                }
                return ti;
            }
        } catch (OrtException e) {
            throw new NoHead("ONNX Runtime cannot load the cut graph: " + e.getMessage());
        }
    }

    /**
     * Runs the original model (with the Resize output exposed) and the cut model on one seeded random input with
     * default session options, and checks that {@link ExactLabelHead#resize} reproduces ONNX Runtime's Resize output
     * bit for bit, first with the standard kernel's arithmetic, then with the NCHWc kernel's. Returns the head with
     * the kernel that matched.
     */
    private static SegmentationHead verify(ModelProto model, ModelProto cut, String resized, SegmentationHead head) throws NoHead {
        GraphProto g = model.getGraph();
        GraphProto.Builder pg = g.toBuilder();
        if (g.getOutputList().stream().noneMatch(v -> v.getName().equals(resized))) {
            pg.addOutput(ValueInfoProto.newBuilder().setName(resized).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        ModelProto probe = model.toBuilder().setGraph(pg).build();
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
        }
        Random random = new Random(20240607L);
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession full = Ort.env().createSession(probe.toByteArray(), options);
                OrtSession low = Ort.env().createSession(cut.toByteArray(), options)) {
            for (ValueInfoProto in : g.getInputList()) {
                if (initializers.contains(in.getName())) {
                    continue;
                }
                if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                    throw new NoHead("cannot check the head against ONNX Runtime: input '" + in.getName() + "' is not a float tensor");
                }
                List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
                long[] shape = new long[dims.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    long d = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : 0;
                    shape[i] = d > 0 ? d : 1;
                    count *= shape[i];
                }
                if (count > 64L << 20) {
                    throw new NoHead("cannot check the head against ONNX Runtime: input '" + in.getName() + "' is too large");
                }
                float[] data = new float[(int) count];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) random.nextGaussian();
                }
                inputs.put(in.getName(), OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(data), shape));
            }
            float[] expected;
            float[] logits;
            long[] lowShape;
            try (OrtSession.Result a = full.run(inputs, Set.of(resized));
                    OrtSession.Result b = low.run(inputs, Set.of(head.logitsOutput()))) {
                expected = floats((OnnxTensor) a.get(0));
                OnnxTensor l = (OnnxTensor) b.get(0);
                lowShape = l.getInfo().getShape();
                logits = floats(l);
            }
            long mismatches = mismatches(head, lowShape, logits, expected);
            if (mismatches == 0) {
                return head;
            }
            if (head.mode().equals("linear")) {
                SegmentationHead nchwc = head.withKernel(SegmentationHead.KERNEL_NCHWC);
                if (mismatches(nchwc, lowShape, logits, expected) == 0) {
                    return nchwc;
                }
            }
            throw new NoHead("ONNX Runtime's Resize output on this model is not reproduced bit for bit (" + mismatches + " of "
                    + expected.length + " values differ); the head is left in place");
        } catch (OrtException e) {
            throw new NoHead("cannot check the head against ONNX Runtime: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new NoHead("the head does not fit the model's logits: " + e.getMessage());
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    private static long mismatches(SegmentationHead head, long[] lowShape, float[] logits, float[] expected) {
        ExactLabelHead h = ExactLabelHead.of(head, lowShape);
        int perImage = h.classes() * h.labelsPerImage();
        if ((long) perImage * h.batch() != expected.length) {
            return expected.length;
        }
        long n = 0;
        for (int b = 0; b < h.batch(); b++) {
            float[] mine = h.resize(logits, b * h.logitsPerImage());
            for (int i = 0; i < perImage; i++) {
                if (Float.floatToIntBits(mine[i]) != Float.floatToIntBits(expected[b * perImage + i])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer fb = t.getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    /** A copy of {@code model} with {@code key} set to {@code value} in {@code metadata_props}. */
    static ModelProto withMetadata(ModelProto model, String key, String value) {
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!e.getKey().equals(key)) {
                b.addMetadataProps(e);
            }
        }
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return b.build();
    }

    // ------------------------------------------------------------------ attributes and constants

    private static int defaultOpset(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 1;
    }

    private static Map<String, AttributeProto> attributes(NodeProto n) {
        Map<String, AttributeProto> m = new HashMap<>();
        for (AttributeProto a : n.getAttributeList()) {
            m.put(a.getName(), a);
        }
        return m;
    }

    private static String stringAttr(Map<String, AttributeProto> a, String name, String dflt) {
        AttributeProto p = a.get(name);
        return p == null ? dflt : p.getS().toStringUtf8().toLowerCase(Locale.ROOT);
    }

    private static long intAttr(Map<String, AttributeProto> a, String name, long dflt) {
        AttributeProto p = a.get(name);
        return p == null ? dflt : p.getI();
    }

    private static int normalize(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static TensorProto constant(GraphProto g, String name, String what) throws NoHead {
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().equals(name)) {
                for (ValueInfoProto in : g.getInputList()) {
                    if (in.getName().equals(name)) {
                        throw new NoHead("the Resize " + what + " '" + name + "' is an overridable graph input, not a constant");
                    }
                }
                return t;
            }
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1 && n.getOutput(0).equals(name)) {
                for (AttributeProto a : n.getAttributeList()) {
                    switch (a.getName()) {
                        case "value":
                            return a.getT();
                        case "value_floats":
                            float[] f = toFloatArray(a.getFloatsList());
                            return GraphBuilder.floatTensor(name, f, f.length);
                        case "value_ints":
                            long[] l = toLongArray(a.getIntsList());
                            return GraphBuilder.int64Tensor(name, l, l.length);
                        default:
                            break;
                    }
                }
            }
        }
        throw new NoHead("the Resize " + what + " '" + name + "' are computed at run time; only constant " + what + " are supported");
    }

    private static float[] constantFloats(GraphProto g, String name, String what) throws NoHead {
        TensorProto t = constant(g, name, what);
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new NoHead("the Resize " + what + " '" + name + "' are not float");
        }
        return Tensors.toFloats(t, t.hasRawData() ? t.getRawData() : null);
    }

    private static long[] constantLongs(GraphProto g, String name, String what) throws NoHead {
        TensorProto t = constant(g, name, what);
        if (t.getDataType() != TensorProto.DataType.INT64_VALUE) {
            throw new NoHead("the Resize " + what + " '" + name + "' are not int64");
        }
        return Tensors.toLongs(t, t.hasRawData() ? t.getRawData() : null);
    }

    private static float[] expandFloats(float[] v, long[] axes, int rank, float fill, String what) throws NoHead {
        if (axes == null) {
            if (v.length != rank) {
                throw new NoHead("the Resize has " + v.length + " " + what + " for rank " + rank);
            }
            return v;
        }
        if (axes.length != v.length) {
            throw new NoHead("the Resize has " + v.length + " " + what + " for " + axes.length + " axes");
        }
        float[] full = new float[rank];
        Arrays.fill(full, fill);
        for (int i = 0; i < axes.length; i++) {
            full[normalize((int) axes[i], rank)] = v[i];
        }
        return full;
    }

    private static long[] expandLongs(long[] v, long[] axes, long[] shape, String what) throws NoHead {
        int rank = shape.length;
        if (axes == null) {
            if (v.length != rank) {
                throw new NoHead("the Resize has " + v.length + " " + what + " for rank " + rank);
            }
            return v;
        }
        if (axes.length != v.length) {
            throw new NoHead("the Resize has " + v.length + " " + what + " for " + axes.length + " axes");
        }
        long[] full = shape.clone();
        for (int i = 0; i < axes.length; i++) {
            full[normalize((int) axes[i], rank)] = v[i];
        }
        for (long d : full) {
            if (d < 0) {
                throw new NoHead("the Resize output size depends on a dynamic dimension");
            }
        }
        return full;
    }

    private static float[] toFloatArray(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
    }

    private static long[] toLongArray(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
