package org.int8workbench.core.labels;

/**
 * Computes the label map of a cut-off segmentation head from low-resolution logits, bit for bit equal to running
 * ONNX Runtime's CPU {@code Resize} followed by {@code ArgMax} over the classes (first maximum wins unless the
 * removed ArgMax had {@code select_last_index=1}), without a full-resolution score tensor.
 *
 * <p>The arithmetic is {@link ResizeArgmax}'s (see there), a self-contained class that generated inference code
 * ships as it is; this class reads its settings from the {@link SegmentationHead} recorded in a cut model. A head
 * recorded with {@link SegmentationHead#KERNEL_NCHWC} (see {@code org.int8workbench.core.head.HeadCut}) uses the
 * arithmetic of ONNX Runtime's NCHWc upsample kernel, which depends on the CPU's block size and the session's
 * optimisation level: a head is exact for the setup it was verified on.
 *
 * <p>Instances are immutable and thread-safe; each call allocates only grid-sized scratch arrays.
 */
public final class ExactLabelHead {

    private final SegmentationHead head;
    private final ResizeArgmax kernel;

    private ExactLabelHead(SegmentationHead head, long[] shape) {
        this.head = head;
        this.kernel = ResizeArgmax.of(resizeOf(head), shape);
        if (head.numClasses() > 0 && head.numClasses() != kernel.classes()) {
            throw new IllegalArgumentException("logits have " + kernel.classes() + " classes on axis " + (head.channelsLast() ? 3 : 1)
                    + " but the head was recorded with " + head.numClasses());
        }
    }

    /**
     * A head for logits of the given concrete shape ({@code [N,C,H,W]} or {@code [N,H,W,C]} as the head's layout
     * says).
     */
    public static ExactLabelHead of(SegmentationHead head, long[] logitsShape) {
        return new ExactLabelHead(head, logitsShape.clone());
    }

    /** The settings of {@link ResizeArgmax} that reproduce a recorded head. */
    public static ResizeArgmax.Resize resizeOf(SegmentationHead head) {
        return new ResizeArgmax.Resize(head.mode(), head.coordinateTransformation(), head.nearestMode(), head.scales(), head.sizes(),
                head.channelsLast(), head.selectLastIndex(), head.nchwcKernel());
    }

    public SegmentationHead head() {
        return head;
    }

    /** The self-contained kernel that computes the labels. */
    public ResizeArgmax kernel() {
        return kernel;
    }

    public int batch() {
        return kernel.batch();
    }

    public int classes() {
        return kernel.classes();
    }

    public int inputHeight() {
        return kernel.inputHeight();
    }

    public int inputWidth() {
        return kernel.inputWidth();
    }

    /** Label map height. */
    public int outputHeight() {
        return kernel.outputHeight();
    }

    /** Label map width. */
    public int outputWidth() {
        return kernel.outputWidth();
    }

    /** Number of floats of one image's logits. */
    public int logitsPerImage() {
        return kernel.logitsPerImage();
    }

    /** Number of labels of one image. */
    public int labelsPerImage() {
        return kernel.labelsPerImage();
    }

    /** The labels of all images in the batch, {@code [N, outH, outW]} row-major. */
    public int[] labels(float[] logits) {
        return kernel.labels(logits);
    }

    /**
     * Decodes one image; see {@link ResizeArgmax#decode}.
     *
     * @return the number of pixels that needed the per-class interpolation (boundary pixels)
     */
    public int decode(float[] logits, int logitsOffset, int[] labels, int labelsOffset, float[] scores) {
        return kernel.decode(logits, logitsOffset, labels, labelsOffset, scores);
    }

    /**
     * The full-resolution resized logits of one image, as the removed Resize computes them; see
     * {@link ResizeArgmax#resize(float[], int)}. Used to verify the recorded arithmetic against ONNX Runtime; the label
     * path never builds this tensor.
     */
    public float[] resize(float[] logits, int logitsOffset) {
        return kernel.resize(logits, logitsOffset);
    }
}
