package org.int8workbench.core.labels;

import org.int8workbench.core.dataset.LabelMask;

/**
 * A model's prediction for one image at the resolution of its output (normally the model-input size).
 *
 * @param labels the label map
 * @param raw the raw output values the labels were taken from (logits, in the output's own layout), or {@code null}
 *        when the model outputs labels; used for the tensor distance between two models
 */
public record Prediction(LabelMask labels, float[] raw) {
}
