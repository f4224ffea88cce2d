package org.int8workbench.core.labels;

/**
 * Which of a model's outputs are read, and as what: the user's {@code --output-kind}, {@code --output-name} and
 * {@code --threshold} (the wizard's fields), passed to {@link LabelDecoders#forModel}. Immutable.
 *
 * @param kind the output kind, or {@code null} to find it from the graph (auto)
 * @param outputName the one output to read, or {@code null} for every output of the kind found for the first output
 *        (each reported on its own)
 * @param threshold the probability above which a sigmoid map's pixel is foreground (binary and multi-label kinds),
 *        in (0, 1)
 * @param tolerance the absolute difference within which two regression values count as the same (the share of
 *        pixels within it is reported); {@code <= 0}: 1% of the parent's value range on each image
 */
public record OutputSelection(OutputKind kind, String outputName, double threshold, double tolerance) {

    /** The default threshold of sigmoid maps. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Everything found from the graph: every output of the first output's kind, threshold 0.5. */
    public static final OutputSelection AUTO = new OutputSelection(null, null, DEFAULT_THRESHOLD, 0);

    public OutputSelection {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        if (kind == OutputKind.CUT_HEAD) {
            throw new IllegalArgumentException("the cut-head kind is recorded by the tool in the model, not chosen");
        }
        if (outputName != null && outputName.isBlank()) {
            outputName = null;
        }
    }

    public OutputSelection withKind(OutputKind k) {
        return new OutputSelection(k, outputName, threshold, tolerance);
    }

    public OutputSelection withOutputName(String name) {
        return new OutputSelection(kind, name, threshold, tolerance);
    }

    public OutputSelection withThreshold(double t) {
        return new OutputSelection(kind, outputName, t, tolerance);
    }

    public OutputSelection withTolerance(double t) {
        return new OutputSelection(kind, outputName, threshold, t);
    }

    /** True when nothing was overridden. */
    public boolean isAuto() {
        return kind == null && outputName == null && threshold == DEFAULT_THRESHOLD && tolerance <= 0;
    }
}
