package org.int8workbench.core.quantize;

/**
 * What the quantizer did with one node of the FP32 model. Values that do not apply are {@code NaN} (numbers) or
 * {@code null} (text).
 *
 * @param name node display name
 * @param opType operator
 * @param quantized true when the node runs in INT8 in the written model (its inputs come through
 *        DequantizeLinear and its output goes through QuantizeLinear, or it was folded into its producer's
 *        output range)
 * @param reason why it is or is not quantized
 * @param output the node's output tensor whose quantization is reported (for a folded Relu/Clip the folded output)
 * @param scale output scale
 * @param zeroPoint output zero point (uint8), -1 when not quantized
 * @param rangeMin lower end of the range used for the output
 * @param rangeMax upper end of the range used for the output
 * @param observedMin smallest output value seen in calibration
 * @param observedMax largest output value seen in calibration
 * @param weightMin smallest weight value
 * @param weightMax largest weight value
 * @param weightScaleMin smallest per-channel weight scale
 * @param weightScaleMax largest per-channel weight scale
 * @param biasShift largest absolute bias change of fast bias correction
 */
public record NodeReport(String name, String opType, boolean quantized, String reason, String output, double scale,
        int zeroPoint, double rangeMin, double rangeMax, double observedMin, double observedMax, double weightMin,
        double weightMax, double weightScaleMin, double weightScaleMax, double biasShift) {
}
