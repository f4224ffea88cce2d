package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of an ONNX graph shared by the quantizer and the UI: nodes in topological order, the producer
 * and consumers of each tensor, initializers, value infos and the model's opset imports. Building it checks the
 * graph: a cycle, a node input that nothing provides (a dangling input or a missing initializer) or a tensor
 * produced twice is refused with an {@link IllegalArgumentException} naming the problem.
 *
 * <p>Nodes without a name get a stable display name {@code OpType_i} ({@code i} = position in the file), used in
 * reports and in the quantizer's ignored scope.
 */
public final class OnnxGraph {

    /** Operators whose inputs after the first are normally weights: a missing one is a missing initializer. */
    private static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization",
            "InstanceNormalization", "LayerNormalization", "PRelu", "QLinearConv", "QLinearMatMul", "DequantizeLinear",
            "QuantizeLinear", "Resize", "Reshape", "Clip", "Pad", "Slice");

    private final GraphProto graph;
    private final Map<String, Long> opsets;
    private final List<NodeProto> topological;
    private final Map<NodeProto, String> names = new IdentityHashMap<>();
    private final Map<String, NodeProto> byName = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> valueInfos = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final Set<String> outputNames;
    private final Set<String> inputNames = new java.util.HashSet<>();

    private OnnxGraph(GraphProto graph, Map<String, Long> opsets) {
        this.graph = graph;
        this.opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : graph.getInputList()) {
            inputNames.add(v.getName());
            valueInfos.put(v.getName(), v);
            if (!initializers.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            valueInfos.putIfAbsent(v.getName(), v);
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            valueInfos.putIfAbsent(v.getName(), v);
        }
        outputNames = new java.util.LinkedHashSet<>();
        for (ValueInfoProto v : graph.getOutputList()) {
            outputNames.add(v.getName());
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            String name = n.getName().isEmpty() ? n.getOpType() + "_" + i : n.getName();
            int dup = seen.merge(name, 1, Integer::sum);
            if (dup > 1) {
                name = name + "#" + dup;
            }
            names.put(n, name);
            byName.put(name, n);
            for (String o : n.getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                NodeProto other = producers.put(o, n);
                if (other != null) {
                    throw new IllegalArgumentException("tensor '" + o + "' is produced twice (by node '" + names.get(other)
                            + "' and node '" + name + "')");
                }
                if (initializers.containsKey(o) || (valueInfos.containsKey(o) && isGraphInput(o))) {
                    throw new IllegalArgumentException("node '" + name + "' (" + n.getOpType() + ") writes '" + o
                            + "', which is already a graph input or initializer");
                }
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            for (int k = 0; k < n.getInputCount(); k++) {
                String in = n.getInput(k);
                if (in.isEmpty() || producers.containsKey(in) || initializers.containsKey(in) || isGraphInput(in)) {
                    continue;
                }
                String where = "input " + k + " of node '" + names.get(n) + "' (" + n.getOpType() + ")";
                if (k > 0 && WEIGHTED.contains(n.getOpType())) {
                    throw new IllegalArgumentException("missing initializer '" + in + "' (" + where
                            + "): no initializer, graph input or node provides it");
                }
                throw new IllegalArgumentException("dangling input '" + in + "' (" + where
                        + "): no node, graph input or initializer provides it");
            }
        }
        for (String o : outputNames) {
            if (!producers.containsKey(o) && !initializers.containsKey(o) && !isGraphInput(o)) {
                throw new IllegalArgumentException("graph output '" + o + "' is not produced by any node");
            }
        }
        topological = Collections.unmodifiableList(sort());
    }

    private boolean isGraphInput(String name) {
        return inputNames.contains(name);
    }

    /** Kahn's algorithm, stable: among ready nodes the one earlier in the file comes first. */
    private List<NodeProto> sort() {
        int count = graph.getNodeCount();
        Map<NodeProto, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            index.put(graph.getNode(i), i);
        }
        int[] pending = new int[count];
        for (int i = 0; i < count; i++) {
            for (String in : graph.getNode(i).getInputList()) {
                if (producers.containsKey(in)) {
                    pending[i]++;
                }
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < count; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(count);
        while (!ready.isEmpty()) {
            NodeProto n = graph.getNode(ready.poll());
            order.add(n);
            for (String o : n.getOutputList()) {
                for (NodeProto c : consumers.getOrDefault(o, List.of())) {
                    for (String in : c.getInputList()) {
                        if (in.equals(o)) {
                            int ci = index.get(c);
                            if (--pending[ci] == 0) {
                                ready.add(ci);
                            }
                        }
                    }
                }
            }
        }
        if (order.size() < count) {
            Deque<String> stuck = new ArrayDeque<>();
            for (int i = 0; i < count && stuck.size() < 3; i++) {
                if (pending[i] > 0) {
                    stuck.add("'" + names.get(graph.getNode(i)) + "'");
                }
            }
            throw new IllegalArgumentException("the graph has a cycle: " + (count - order.size())
                    + " nodes depend on their own outputs, e.g. " + String.join(", ", stuck));
        }
        return order;
    }

    /**
     * The view of {@code graph}.
     *
     * @param opsets the model's opset imports (domain {@code ""} is the default ONNX domain)
     * @throws IllegalArgumentException on a cycle, a dangling input or a missing initializer
     */
    public static OnnxGraph of(GraphProto graph, Map<String, Long> opsets) {
        return new OnnxGraph(graph, opsets);
    }

    public GraphProto proto() {
        return graph;
    }

    /** Opset version per domain ({@code ""} = ai.onnx). */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /** The default-domain opset version, 0 when not imported. */
    public long onnxOpset() {
        Long v = opsets.get("");
        if (v == null) {
            v = opsets.get("ai.onnx");
        }
        return v == null ? 0 : v;
    }

    /** All nodes, producers before consumers (ties in file order). */
    public List<NodeProto> nodes() {
        return topological;
    }

    /** The display name of a node of this graph: its name, or {@code OpType_i} when it has none. */
    public String name(NodeProto node) {
        String n = names.get(node);
        return n != null ? n : node.getName();
    }

    /** The node with the given display name, or {@code null}. */
    public NodeProto node(String displayName) {
        return byName.get(displayName);
    }

    /** The node writing {@code tensor}, or {@code null} for graph inputs, initializers and unknown names. */
    public NodeProto producer(String tensor) {
        return producers.get(tensor);
    }

    /** The nodes reading {@code tensor} (a node reading it twice is listed twice). */
    public List<NodeProto> consumers(String tensor) {
        return Collections.unmodifiableList(consumers.getOrDefault(tensor, List.of()));
    }

    /** Initializers by name, in file order. */
    public Map<String, TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    public TensorProto initializer(String name) {
        return initializers.get(name);
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    /** Declared types of graph inputs, value_info entries and graph outputs, by tensor name. */
    public Map<String, ValueInfoProto> valueInfos() {
        return Collections.unmodifiableMap(valueInfos);
    }

    /** Graph inputs that are not initializers (the inputs a caller feeds). */
    public List<ValueInfoProto> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<ValueInfoProto> outputs() {
        return graph.getOutputList();
    }

    public boolean isGraphOutput(String tensor) {
        return outputNames.contains(tensor);
    }

    /** The tensor {@code tensor} is a constant: an initializer or the output of a {@code Constant} node. */
    public boolean isConstant(String tensor) {
        if (initializers.containsKey(tensor)) {
            return true;
        }
        NodeProto p = producers.get(tensor);
        return p != null && p.getOpType().equals("Constant");
    }

    /** The constant tensor {@code tensor} (initializer or {@code Constant} node value), or {@code null}. */
    public TensorProto constant(String tensor) {
        TensorProto t = initializers.get(tensor);
        if (t != null) {
            return t;
        }
        NodeProto p = producers.get(tensor);
        if (p != null && p.getOpType().equals("Constant")) {
            for (var a : p.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    return a.getT();
                }
            }
        }
        return null;
    }

    /** Node count per operator type ({@code domain:OpType} outside the default domain), most frequent first. */
    public Map<String, Integer> opHistogram() {
        Map<String, Integer> h = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            String d = n.getDomain();
            h.merge(d.isEmpty() || d.equals("ai.onnx") ? n.getOpType() : d + ":" + n.getOpType(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(h.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(sorted);
    }
}
