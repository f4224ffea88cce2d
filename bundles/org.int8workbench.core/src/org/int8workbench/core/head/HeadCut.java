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
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.onnx.Tensors;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * Recognises a segmentation head at the end of an ONNX graph and cuts it off.
 *
 * <p>A head is a {@code Resize} (opset 10, 11, 13, 18, 19 forms) or {@code Upsample} of rank-4 float class logits in
 * {@code linear} or {@code nearest} mode, with static scales or sizes, that changes only the two spatial axes,
 * optionally followed by {@code Softmax} and/or {@code ArgMax} over the class axis (and {@code Identity} renames,
 * and a {@code Cast} of the labels), ending in a graph output; or a Resize of sigmoid maps: followed by a
 * {@code Sigmoid} (or {@code HardSigmoid}), with the INT8 model's per-tensor {@code QuantizeLinear}/{@code DequantizeLinear}
 * pairs around it, or of values a Sigmoid produced before it (probabilities), read as one binary map or as multi-label
 * maps by the channel count, as {@code LabelDecoders} reads the full model's output (see
 * {@link SegmentationHead.Sigmoid}). A Resize of one channel that no Sigmoid produced (values) has no head. The cut
 * model ends before the Resize: its output is
 * the low-resolution logits, and the head is recorded as {@link SegmentationHead} JSON under
 * {@link SegmentationHead#METADATA_KEY}. Not supported (reported with a reason): {@code cubic} mode,
 * {@code antialias}, {@code tf_crop_and_resize}, {@code keep_aspect_ratio_policy} other than {@code stretch},
 * scales or sizes computed at run time, heads whose intermediate values are used elsewhere, per-channel quantization
 * after the Resize, and upsampling learned by a convolution (ConvTranspose, or Conv + DepthToSpace) instead of a final
 * Resize.
 *
 * <p>Before a head is accepted, the original model and the cut model run once on a seeded random input (default
 * session options) and {@link ExactLabelHead#resize} must reproduce ONNX Runtime's Resize output bit for bit; the
 * matching arithmetic (ONNX Runtime's standard kernel, or the NCHWc kernel its layout optimisation substitutes for
 * integer scales after NCHWc convolutions) is recorded as {@link SegmentationHead#kernel}. The graph's float inputs
 * must therefore have a known shape (unknown dimensions are taken as 1). For a head of sigmoid maps the removed nodes
 * after the Resize are recorded as a small model ({@link SegmentationHead.Sigmoid#tail}); the lowest foreground value
 * at the default threshold is found by running it, and the full model's output thresholded at 0.5 must equal the
 * head's maps on the same input, value for value.
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
        NodeProto sigmoid = null;
        boolean qdq = false;
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
                    if (sigmoid != null || qdq) {
                        throw new NoHead("graph output '" + output + "' has a Sigmoid or quantize/dequantize nodes after a Softmax");
                    }
                    softmax = n;
                    break;
                case "Sigmoid":
                case "HardSigmoid":
                    if (argmax != null || softmax != null || sigmoid != null) {
                        throw new NoHead("graph output '" + output + "' has a " + op + " together with another ArgMax, Softmax or Sigmoid"
                                + " after the Resize");
                    }
                    if (op.equals("HardSigmoid") && !(floatAttr(attributes(n), "alpha", 0.2f) > 0)) {
                        throw new NoHead("the HardSigmoid after the Resize has a non-positive alpha (it does not increase)");
                    }
                    sigmoid = n;
                    break;
                case "QuantizeLinear":
                case "DequantizeLinear":
                    // an INT8 model's Q/DQ pairs around the final Sigmoid; checked with the tail below
                    if (argmax != null || softmax != null) {
                        throw new NoHead("graph output '" + output + "' quantizes values after an ArgMax or Softmax");
                    }
                    qdq = true;
                    break;
                default:
                    if (RESIZE_OPS.contains(op)) {
                        resize = n;
                    } else {
                        String shown = behindQdq(g, n, producer);
                        boolean afterHeadNodes = chain.stream().limit(chain.size() - 1L).map(i -> g.getNode(i).getOpType())
                                .anyMatch(o -> !Set.of("Identity", "QuantizeLinear", "DequantizeLinear").contains(o));
                        throw new NoHead("graph output '" + output + "' is produced by " + shown + (afterHeadNodes ? " before the head nodes" : "")
                                + ", not by a Resize of class logits or sigmoid maps (optionally followed by ArgMax, Softmax or Sigmoid)"
                                + path(g, output, producer));
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
        if (qdq && sigmoid == null) {
            throw new NoHead("graph output '" + output + "' quantizes the resized values without a Sigmoid after the Resize; "
                    + "the exact label head reads float class scores, or sigmoid maps");
        }

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
        // sigmoid maps: a Sigmoid after the Resize (logits), or before it (probabilities, as the full model's decoder
        // finds them looking through the Resize); one channel that is neither is a value map with no labels
        SegmentationHead.Sigmoid sigmoidMap = null;
        int channels = (int) shape[classAxis];
        if (sigmoid == null && argmax == null && softmax == null) {
            String last = LabelDecoders.lastOperator(model, output);
            boolean probabilities = "Sigmoid".equals(last) || "HardSigmoid".equals(last) || (channels == 1 && "Softmax".equals(last));
            if (probabilities) {
                sigmoidMap = new SegmentationHead.Sigmoid(channels == 1 ? "binary" : "multilabel", SegmentationHead.Sigmoid.PROBABILITIES,
                        OutputSelection.DEFAULT_THRESHOLD, Math.nextUp((float) OutputSelection.DEFAULT_THRESHOLD), null, List.of());
            } else if (channels == 1 || channels < 0) {
                throw new NoHead("graph output '" + output + "' resizes " + (channels == 1 ? "one channel" : "an unknown number of channels")
                        + " that no Sigmoid produced (last: " + last + "): values, not class scores or a sigmoid map, so no labels to compute");
            }
        }
        String followedBy = softmax != null && argmax != null ? "softmax+argmax"
                : argmax != null ? "argmax" : softmax != null ? "softmax" : sigmoid != null ? "sigmoid" : "none";
        boolean selectLast = argmax != null && intAttr(attributes(argmax), "select_last_index", 0) != 0;
        List<String> removed = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            removed.add(g.getNode(chain.get(i)).getOpType());
        }
        SegmentationHead head = new SegmentationHead(SegmentationHead.CLASSES_VERSION, op, opset, mode, transform, nearestMode, scales,
                sizes, policy, layout, classAxis, (int) shape[classAxis], shape, outH, outW, followedBy, selectLast, logits, output,
                removed, SegmentationHead.KERNEL_STANDARD);
        if (sigmoid != null) {
            sigmoidMap = sigmoidTail(model, chain, channels, output);
        }
        head = head.withSigmoid(sigmoidMap);
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
            SegmentationHead found = null;
            if (mismatches == 0) {
                found = head;
            } else if (head.mode().equals("linear")) {
                SegmentationHead nchwc = head.withKernel(SegmentationHead.KERNEL_NCHWC);
                if (mismatches(nchwc, lowShape, logits, expected) == 0) {
                    found = nchwc;
                }
            }
            if (found == null) {
                throw new NoHead("ONNX Runtime's Resize output on this model is not reproduced bit for bit (" + mismatches + " of "
                        + expected.length + " values differ); the head is left in place");
            }
            if (found.sigmoid() != null) {
                checkMaps(model, found, inputs, logits, lowShape, options);
            }
            return found;
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

    /**
     * For a head of sigmoid maps: the unchanged model's output thresholded at the default threshold, as the binary and
     * multi-label decoders read it, must equal the head's maps from the cut model's values, pixel for pixel.
     */
    private static void checkMaps(ModelProto model, SegmentationHead head, Map<String, OnnxTensor> inputs, float[] logits, long[] lowShape,
            OrtSession.SessionOptions options) throws NoHead, OrtException {
        float[] probabilities;
        try (OrtSession full = Ort.env().createSession(model.toByteArray(), options);
                OrtSession.Result r = full.run(inputs, Set.of(head.originalOutput()))) {
            probabilities = floats((OnnxTensor) r.get(0));
        }
        ExactLabelHead h = ExactLabelHead.of(head, lowShape);
        int pixels = h.labelsPerImage();
        int classes = h.classes();
        if ((long) h.batch() * classes * pixels != probabilities.length) {
            throw new NoHead("the model's output '" + head.originalOutput() + "' holds " + probabilities.length
                    + " values, not the resized maps' " + (long) h.batch() * classes * pixels);
        }
        float floor = (float) head.sigmoid().threshold(); // 0.5 is a float: the decoders compare p > 0.5f
        int[] masks = new int[classes * pixels];
        long differ = 0;
        for (int n = 0; n < h.batch(); n++) {
            h.threshold(logits, n * h.logitsPerImage(), head.sigmoid().lowest(), masks, 0);
            int base = n * classes * pixels;
            for (int c = 0; c < classes; c++) {
                for (int p = 0; p < pixels; p++) {
                    float v = head.channelsLast() ? probabilities[base + p * classes + c] : probabilities[base + c * pixels + p];
                    if ((v > floor ? 1 : 0) != masks[c * pixels + p]) {
                        differ++;
                    }
                }
            }
        }
        if (differ > 0) {
            throw new NoHead("the thresholded maps of the head differ from the model's on " + differ + " of " + masks.length * h.batch()
                    + " values; the head is left in place");
        }
    }

    /**
     * The removed nodes after the Resize (the Sigmoid, Identity renames, and an INT8 model's quantize/dequantize pairs) as
     * a small one-dimensional model that ONNX Runtime runs as the full model does, with the lowest resized value that is
     * foreground at the default threshold. Everything in it is element-wise; a sweep checks that it does not decrease.
     */
    private static SegmentationHead.Sigmoid sigmoidTail(ModelProto model, List<Integer> chain, int channels, String output) throws NoHead {
        GraphProto g = model.getGraph();
        String in = g.getNode(chain.get(chain.size() - 1)).getOutput(0);
        Set<String> known = new HashSet<>(Set.of(in));
        GraphProto.Builder tg = GraphProto.newBuilder().setName("sigmoid_tail");
        List<String> ops = new ArrayList<>();
        for (int i = chain.size() - 2; i >= 0; i--) {
            NodeProto n = g.getNode(chain.get(i));
            for (int k = 1; k < n.getInputCount(); k++) {
                String name = n.getInput(k);
                if (name.isEmpty() || known.contains(name)) {
                    continue;
                }
                TensorProto c = constantOrNull(g, name);
                if (c == null) {
                    throw new NoHead("the " + n.getOpType() + " after the Resize reads '" + name + "', which is not a constant");
                }
                long count = 1;
                for (long d : c.getDimsList()) {
                    count *= d;
                }
                if (count != 1) {
                    throw new NoHead("the " + n.getOpType() + " after the Resize quantizes per channel; per-tensor quantization is supported");
                }
                tg.addInitializer(c.toBuilder().setName(name).clearDims());
                known.add(name);
            }
            tg.addNode(n);
            known.addAll(n.getOutputList());
            ops.add(n.getOpType());
        }
        TypeProto oneDim = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n")))).build();
        tg.addInput(ValueInfoProto.newBuilder().setName(in).setType(oneDim));
        tg.addOutput(ValueInfoProto.newBuilder().setName(output).setType(oneDim));
        byte[] tail = ModelProto.newBuilder().setIrVersion(model.getIrVersion()).addAllOpsetImport(model.getOpsetImportList())
                .setProducerName("int8workbench head tail").setGraph(tg).build().toByteArray();
        float lowest;
        try {
            lowest = ExactLabelHead.lowestAtThreshold(tail, OutputSelection.DEFAULT_THRESHOLD);
            checkIncreasing(tail, lowest);
        } catch (OrtException e) {
            throw new NoHead("ONNX Runtime cannot run the nodes after the Resize on their own: " + e.getMessage());
        }
        return new SegmentationHead.Sigmoid(channels == 1 ? "binary" : "multilabel", SegmentationHead.Sigmoid.LOGITS,
                OutputSelection.DEFAULT_THRESHOLD, lowest, java.util.Base64.getEncoder().encodeToString(tail), ops);
    }

    /**
     * Refuses a tail whose output decreases, on a sweep over [-64, 64] and around the lowest foreground value, anywhere
     * but among values all below {@link ExactLabelHead#MIN_THRESHOLD} or all above {@link ExactLabelHead#MAX_THRESHOLD}
     * (ONNX Runtime's float sigmoid is not monotone below about 1e-7, near its clamp at -18): thresholds between those
     * cut it once.
     */
    private static void checkIncreasing(byte[] tail, float lowest) throws NoHead, OrtException {
        int n = 8192;
        float[] sweep = new float[n + 512];
        for (int i = 0; i < n; i++) {
            sweep[i] = -64f + 128f * i / (n - 1);
        }
        float start = Float.isFinite(lowest) ? lowest : 0f;
        for (int i = 0; i < 256; i++) {
            start = Math.nextDown(start);
        }
        for (int i = n; i < sweep.length; i++) {
            sweep[i] = start;
            start = Math.nextUp(start);
        }
        Arrays.sort(sweep);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(tail, o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(sweep), new long[] {sweep.length});
                OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            float[] out = floats((OnnxTensor) r.get(0));
            for (int i = 1; i < out.length; i++) {
                boolean allLow = Math.max(out[i], out[i - 1]) < ExactLabelHead.MIN_THRESHOLD;
                boolean allHigh = Math.min(out[i], out[i - 1]) > ExactLabelHead.MAX_THRESHOLD;
                if (!(out[i] >= out[i - 1]) && !allLow && !allHigh) {
                    throw new NoHead("the nodes after the Resize do not increase with their input (at " + sweep[i] + "); "
                            + "a threshold on them is not a threshold on the resized values");
                }
            }
        }
    }

    /** An initializer (not overridable) or a Constant node's value named {@code name}, or {@code null}. */
    private static TensorProto constantOrNull(GraphProto g, String name) {
        try {
            return constant(g, name, "value");
        } catch (NoHead e) {
            return null;
        }
    }

    /**
     * Where a graph output's values come from, for the reason there is no head: the operators behind it (quantize,
     * dequantize and Identity nodes skipped), e.g. {@code ; it ends in Reshape <- Sigmoid <- Add <- DepthToSpace}.
     */
    private static String path(GraphProto g, String output, Map<String, Integer> producer) {
        List<String> ops = new ArrayList<>();
        boolean resize = false;
        String t = output;
        for (int guard = 0; guard < 32 && ops.size() < 5; guard++) {
            Integer i = producer.get(t);
            if (i == null) {
                break;
            }
            NodeProto n = g.getNode(i);
            String op = n.getOpType();
            if (!Set.of("QuantizeLinear", "DequantizeLinear", "Identity").contains(op)) {
                ops.add(op);
                resize |= RESIZE_OPS.contains(op);
            }
            if (n.getInputCount() == 0 || n.getInput(0).isEmpty()) {
                break;
            }
            t = n.getInput(0);
        }
        if (ops.size() < 2) {
            return "";
        }
        return "; it ends in " + String.join(" <- ", ops) + (resize ? "" : " (no final Resize: upsampling learned by a convolution has no exact label head)");
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

    private static float floatAttr(Map<String, AttributeProto> a, String name, float dflt) {
        AttributeProto p = a.get(name);
        return p == null ? dflt : p.getF();
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
