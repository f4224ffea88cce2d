package org.int8workbench.core.labels;

/**
 * What a model's output holds, which decides how it becomes labels. {@link LabelDecoders#forModel} finds the kind of
 * each output from the graph (or takes the user's choice) and gives a {@link LabelDecoder} per reported output; callers
 * only see the decoders, and {@link LabelDecoder#output()} says what was found and why.
 *
 * <p>Where new kinds go: a constant here, a decoder class in this package that implements {@link LabelDecoder}, and a
 * rule in {@link LabelDecoders} (its class comment lists the rules). {@link Prediction} carries the result; a kind whose
 * result is not a label map adds a field there rather than a new interface, so that callers keep working unchanged.
 */
public enum OutputKind {

    /**
     * Float class scores (logits or probabilities) per pixel, {@code [N,C,H,W]} or {@code [N,H,W,C]}: the label is the
     * argmax over the classes ({@link ArgmaxDecoder}). Never a single channel (that is {@link #BINARY},
     * {@link #REGRESSION} or, when the user says so, {@link #LABEL_MAP}).
     */
    CLASS_SCORES,

    /**
     * Labels per pixel, {@code [N,H,W]}, {@code [N,1,H,W]} or {@code [N,H,W,1]}: an integer output, or a final
     * {@code ArgMax} cast to float (rounded), taken as they are ({@link LabelMapDecoder}).
     */
    LABEL_MAP,

    /**
     * Low-resolution class scores of a model cut before its {@code Resize (+ ArgMax)} head; the recorded head computes
     * the labels exactly ({@link HeadLabelDecoder}).
     */
    CUT_HEAD,

    /**
     * One channel per pixel holding the probability (after a final {@code Sigmoid}) or the logit of a foreground
     * class, {@code [N,1,H,W]}, {@code [N,H,W,1]} or {@code [N,H,W]}: thresholded into background (0) and foreground
     * (1) ({@link OutputSelection#threshold}; a logit is compared with the threshold's logit).
     */
    BINARY,

    /**
     * Several independent sigmoid maps (probabilities or logits), one per label, {@code [N,C,H,W]} or {@code [N,H,W,C]}:
     * each channel is thresholded on its own, a pixel may carry several labels or none. {@link Prediction#channels}
     * holds one 0/1 map per label.
     */
    MULTILABEL,

    /**
     * Per-pixel values that are not labels (depth, edge strength, ...): no IoU; the two models are compared by their
     * value errors. {@link Prediction#values} holds the map; {@link Prediction#labels} is {@code null}.
     */
    REGRESSION;

    /** The name used on the command line and in reports: classes, labels, head, binary, multilabel, regression. */
    public String cliName() {
        return switch (this) {
            case CLASS_SCORES -> "classes";
            case LABEL_MAP -> "labels";
            case CUT_HEAD -> "head";
            case BINARY -> "binary";
            case MULTILABEL -> "multilabel";
            case REGRESSION -> "regression";
        };
    }

    /**
     * The kind of a command-line name ({@link #cliName}), or {@code null} for {@code auto}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static OutputKind parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("auto")) {
            return null;
        }
        for (OutputKind k : values()) {
            if (k != CUT_HEAD && k.cliName().equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown output kind '" + name + "'; use auto, classes, binary, multilabel, labels or regression");
    }
}
