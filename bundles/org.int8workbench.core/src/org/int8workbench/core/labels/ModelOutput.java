package org.int8workbench.core.labels;

import java.util.List;

/**
 * One model output as a decoder reads it: its name, its kind, and why that kind (found from the graph, or chosen by
 * the user). Immutable; reports state it.
 *
 * @param name the graph output's name
 * @param kind how it is read
 * @param channels channels (classes or labels) of the output, 1 for binary and label maps, -1 when not known
 * @param labelNames names of the multi-label channels ({@code label 0}, ... when the graph does not say), empty for
 *        other kinds
 * @param probabilities true when the values are probabilities (a final {@code Sigmoid} or {@code Softmax}), false for
 *        logits or other values
 * @param threshold the threshold applied (binary, multi-label), else {@code null}
 * @param reason why this kind, e.g. {@code final Sigmoid, 1 channel} or {@code --output-kind binary}
 */
public record ModelOutput(String name, OutputKind kind, int channels, List<String> labelNames, boolean probabilities,
        Double threshold, String reason) {
    public ModelOutput {
        labelNames = List.copyOf(labelNames);
    }
}
