package org.int8workbench.core.labels;

import java.util.List;
import org.int8workbench.core.dataset.LabelMask;

/**
 * A model's prediction for one image at the resolution of its output (normally the model-input size).
 *
 * @param labels the label map; for {@link OutputKind#BINARY} 0 = background, 1 = foreground; for
 *        {@link OutputKind#MULTILABEL} a map for display only (0 = no label, {@code 1 + i} = label {@code i} with the
 *        highest value among those above the threshold); {@code null} for {@link OutputKind#REGRESSION}
 * @param raw the raw output values the labels were taken from (logits, in the output's own layout), or {@code null}
 *        when the model outputs labels; used for the tensor distance between two models
 * @param channels for {@link OutputKind#MULTILABEL}: one 0/1 map per label; empty otherwise
 * @param values for {@link OutputKind#REGRESSION}: the value map; {@code null} otherwise
 */
public record Prediction(LabelMask labels, float[] raw, List<LabelMask> channels, ValueMap values) {

    public Prediction {
        channels = List.copyOf(channels);
    }

    /** A label map (with the raw scores, or {@code null}). */
    public Prediction(LabelMask labels, float[] raw) {
        this(labels, raw, List.of(), null);
    }
}
