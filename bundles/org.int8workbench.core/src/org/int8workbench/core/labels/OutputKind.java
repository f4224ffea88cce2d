package org.int8workbench.core.labels;

/**
 * What a model's output holds, which decides how it becomes labels. {@link LabelDecoders#forSession} chooses the kind
 * (and with it the {@link LabelDecoder}) once per model; callers only see the decoder.
 *
 * <p>Where new kinds go: a kind such as a binary mask (one sigmoid or logit channel, thresholded), multi-label
 * masks (one independent sigmoid per class) or per-pixel regression gets a constant here, a decoder class in this
 * package that implements {@link LabelDecoder}, and a branch in {@link LabelDecoders#forSession} that recognises it
 * (from the model's metadata or its output). {@link Prediction} carries the result; a kind whose result is not a
 * label map adds a field there rather than a new interface, so that callers keep working unchanged.
 */
public enum OutputKind {

    /**
     * Float class scores (logits or probabilities) per pixel, {@code [N,C,H,W]} or {@code [N,H,W,C]}: the label is the
     * argmax over the classes ({@link ArgmaxDecoder}). A float output with a single channel holds labels as numbers
     * and is rounded.
     */
    CLASS_SCORES,

    /** Integer labels per pixel, {@code [N,H,W]}, {@code [N,1,H,W]} or {@code [N,H,W,1]}, taken as they are ({@link LabelMapDecoder}). */
    LABEL_MAP,

    /**
     * Low-resolution class scores of a model cut before its {@code Resize (+ ArgMax)} head; the recorded head computes
     * the labels exactly ({@link HeadLabelDecoder}).
     */
    CUT_HEAD;
}
