package org.int8workbench.core.accuracy;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.int8workbench.core.onnx.OrtOptimizedGraph;

/**
 * Whether ONNX Runtime really runs a group kept in FP32 in float: it fuses the DequantizeLinear/QuantizeLinear around a
 * kept node into an integer kernel where it can, so keeping a node is not always running it in float. Read from the
 * optimized graphs (full optimisation, as the validation runs them), for the local and the cluster scorers alike.
 */
public final class CandidateKernels {

    private CandidateKernels() {
    }

    /**
     * The integer kernels in ONNX Runtime's optimized graph of {@code model} (the full INT8 model's is the reference of
     * {@link #runsFloat}), or -1 when the graph cannot be read.
     */
    public static int integerNodes(byte[] model) {
        try {
            return OrtOptimizedGraph.analyze(model, "INT8", OptLevel.ALL_OPT).integerNodes();
        } catch (OrtException | IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether the candidate {@code model} (written with the group of node {@code node} kept in FP32) runs that group in
     * float: its optimized graph has fewer integer kernels than the full INT8 model's ({@code fullIntegerNodes}); where
     * that is unknown (-1), whether a float compute node carries the node's name (ONNX Runtime renames the float Conv it
     * moves to its NCHWc layout, so names alone miss them). {@code null} when the graph cannot be read.
     */
    public static Boolean runsFloat(byte[] model, String node, int fullIntegerNodes) {
        try {
            Set<String> names = new HashSet<>();
            OrtOptimizedGraph kept = OrtOptimizedGraph.analyze(model, node, OptLevel.ALL_OPT);
            for (OrtOptimizedGraph.FloatNode f : kept.floatComputeNodes()) {
                names.add(f.name());
            }
            return fullIntegerNodes >= 0 ? kept.integerNodes() < fullIntegerNodes : !integerKernel(node, names);
        } catch (OrtException | IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether ONNX Runtime runs the compute node {@code node} as an integer kernel: it is not among {@code floatNodes},
     * the float compute nodes of an optimized graph (matched by name; ONNX Runtime keeps the name or adds a suffix when it
     * fuses).
     */
    public static boolean integerKernel(String node, Set<String> floatNodes) {
        for (String f : floatNodes) {
            if (f.equals(node) || f.startsWith(node + "_") || f.startsWith(node + "/")) {
                return false;
            }
        }
        return true;
    }
}
