package org.int8workbench.core.quantize;

import java.util.List;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.OrtOptimizedGraph;

/**
 * The outcome of a {@link QuantizeOperation}.
 *
 * @param sourceModel the FP32 model
 * @param sourceSha256 its SHA-256
 * @param outputModel the INT8 model written
 * @param outputSha256 its SHA-256
 * @param settings the settings used
 * @param preprocessing the preprocessing used for calibration (recorded in the INT8 model)
 * @param calibration description of the calibration images
 * @param calibrationImages images the statistics came from
 * @param quantizedNodes nodes of the FP32 model that run in INT8 by the plan
 * @param floatNodes nodes of the FP32 model that stayed FP32 by the plan
 * @param integerNodes integer kernels in ONNX Runtime's optimized graph of the written model (-1 when not verified)
 * @param convNodes Conv nodes of the FP32 model as quantized (a ConvTranspose written as Conv + DepthToSpace counts)
 * @param integerConvNodes convolutions that run as integer kernels in ONNX Runtime's optimized graph
 * @param ortFloatNodes nodes of ONNX Runtime's optimized graph that compute in float, with reasons
 * @param optimizedGraph ONNX Runtime's optimized graph analysis ({@code null} when not verified)
 * @param seconds wall time of the whole operation
 * @param calibrationSeconds wall time of the calibration passes
 * @param nodes per node of the FP32 model: quantized or not and why, scale, zero point, ranges
 * @param warnings things the user should know (e.g. few calibration images)
 * @param provenance machine, runtime and time
 * @param notes how the graph was read, for the record (e.g. the working copy's rewrites of an exporter's graph: weights
 *        held in Constant nodes, BatchNormalization folded); nothing to act on, unlike {@code warnings}
 */
public record QuantizationResult(String sourceModel, String sourceSha256, String outputModel, String outputSha256,
        QuantizationSettings settings, Preprocessing preprocessing, String calibration, int calibrationImages,
        int quantizedNodes, int floatNodes, int integerNodes, int convNodes, int integerConvNodes,
        List<OrtOptimizedGraph.FloatNode> ortFloatNodes, OrtOptimizedGraph optimizedGraph, double seconds,
        double calibrationSeconds, List<NodeReport> nodes, List<String> warnings, Provenance provenance,
        List<String> notes) {

    public QuantizationResult {
        ortFloatNodes = List.copyOf(ortFloatNodes);
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A few lines for the command line. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("wrote ").append(outputModel).append('\n');
        b.append(String.format(java.util.Locale.ROOT, "  %d of %d nodes INT8 (%s, %s), calibrated on %d images of %s%n",
                quantizedNodes, quantizedNodes + floatNodes, settings.preset().cliName(), settings.method().cliName(),
                calibrationImages, calibration));
        if (integerNodes >= 0) {
            b.append(String.format(java.util.Locale.ROOT, "  ONNX Runtime runs %d integer kernels; %d of %d Conv as integer; %d float compute nodes%n",
                    integerNodes, integerConvNodes, convNodes, ortFloatNodes.size()));
            for (OrtOptimizedGraph.FloatNode f : ortFloatNodes) {
                b.append("    float: ").append(f.name()).append(" (").append(f.opType()).append("): ").append(f.reason()).append('\n');
            }
        }
        for (NodeReport n : nodes) {
            if (!n.quantized() && !n.opType().equals("Identity")) {
                b.append("  FP32: ").append(n.name()).append(" (").append(n.opType()).append("): ").append(n.reason()).append('\n');
            }
        }
        for (String n : notes) {
            b.append("  note: ").append(n).append('\n');
        }
        for (String w : warnings) {
            b.append("  warning: ").append(w).append('\n');
        }
        b.append(String.format(java.util.Locale.ROOT, "  %.1f s (calibration %.1f s)%n", seconds, calibrationSeconds));
        return b.toString();
    }
}
