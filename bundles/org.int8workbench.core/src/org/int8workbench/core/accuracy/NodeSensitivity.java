package org.int8workbench.core.accuracy;

import java.util.List;

/**
 * What one revertible group of an INT8 model costs (a quantized compute node with the activation folded into it, see
 * {@code Calibration.Group}).
 *
 * @param node the group's compute node (display name in the FP32 working model)
 * @param opType its operator
 * @param nodes the nodes reverted to FP32 together (the compute node and its folded activation)
 * @param outputTensor the tensor whose quantization noise {@link #sqnrDb} measures
 * @param shape that tensor's shape in the working model, empty when not known
 * @param integerKernel whether ONNX Runtime runs the node as an integer kernel in the full INT8 model (when not, it
 *        computes in float between a DequantizeLinear and a QuantizeLinear and reverting it costs no speed)
 * @param sqnrDb signal-to-quantization-noise ratio of the output tensor in the full INT8 model against FP32, in dB:
 *        10 log10(sum x^2 / sum (x - x_int8)^2) over the analysed images; NaN when the tensor is not quantized
 * @param revertedMetric the metric on the ranking images with only this group in FP32; NaN when not measured
 * @param gainPoints metric points gained on the ranking images by reverting only this group (positive: it helps);
 *        NaN when not measured
 * @param revertedOutputError the normalised output error on the ranking images with only this group in FP32
 * @param revertedAgreement pixel agreement with FP32 on the ranking images with only this group in FP32
 * @param agreementGainPoints agreement points gained on the ranking images by reverting only this group
 * @param revertedRunsFloat whether ONNX Runtime really runs the node in float in the model with it kept in FP32 (it
 *        may not: its WeightBiasQuantization pass gives a float Conv/Gemm that reads a DequantizeLinear per-tensor
 *        int8 weights, and the QDQ fusion then makes it an integer kernel again); {@code null} when not checked
 */
public record NodeSensitivity(String node, String opType, List<String> nodes, String outputTensor, List<Long> shape,
        boolean integerKernel, double sqnrDb, double revertedMetric, double gainPoints, double revertedOutputError,
        double revertedAgreement, double agreementGainPoints, Boolean revertedRunsFloat) {

    public NodeSensitivity {
        nodes = List.copyOf(nodes);
        shape = List.copyOf(shape);
    }

    /** The gain in the figure the ranking uses ({@code rankedBy}), in points. */
    public double gain(AccuracyMetric rankedBy) {
        return rankedBy == AccuracyMetric.AGREEMENT ? agreementGainPoints : gainPoints;
    }
}
