package org.int8workbench.core.labels;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.int8workbench.core.Ort;

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
 * <p>A head of sigmoid maps ({@link SegmentationHead#sigmoid}) thresholds each channel of the resized values on its
 * own ({@link #threshold}) against the lowest value that is foreground ({@link #lowest}): the full model's sigmoid, and
 * in an INT8 model the quantize/dequantize pairs around it, are element-wise and non-decreasing, so "the model's
 * probability is above T" is "the resized logit is at least the smallest float whose probability is above T". That
 * float is found by running the removed nodes themselves in ONNX Runtime ({@link #lowestAbove}), not from
 * {@code ln(T/(1-T))}: ONNX Runtime's float sigmoid rounds to exactly 0.5 for logits up to about {@code 1e-7}, and an
 * INT8 model's quantized sigmoid moves the cut to the edge of a quantization step.
 *
 * <p>Instances are immutable and thread-safe; each call allocates only grid-sized scratch arrays.
 */
public final class ExactLabelHead {

    /**
     * The lowest threshold of a head of sigmoid logits: below it, ONNX Runtime's float sigmoid (not monotone under about
     * 1e-7, near its clamp at -18) is not cut once by a threshold.
     */
    public static final double MIN_THRESHOLD = 1e-3;

    /** The highest threshold of a head of sigmoid logits (see {@link #MIN_THRESHOLD}). */
    public static final double MAX_THRESHOLD = 1 - 1e-3;

    /** Values per run of the tail model when searching the lowest foreground value. */
    private static final int PROBES = 4096;

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
     * The 0/1 maps of one image's channels of a sigmoid head, channel after channel; see {@link ResizeArgmax#threshold}.
     *
     * @param lowest the lowest foreground value ({@link #lowest})
     * @return the number of values that were interpolated (near the threshold)
     */
    public int threshold(float[] logits, int logitsOffset, float lowest, int[] masks, int masksOffset) {
        return kernel.threshold(logits, logitsOffset, lowest, masks, masksOffset);
    }

    /** The resized value of one channel at one pixel; see {@link ResizeArgmax#value}. */
    public float value(float[] logits, int logitsOffset, int channel, int oy, int ox) {
        return kernel.value(logits, logitsOffset, channel, oy, ox);
    }

    /**
     * The lowest resized value that is foreground when the full model's output must be above {@code threshold}, for a
     * head of sigmoid maps: for resized probabilities the float after the threshold's float floor (the comparison
     * {@link BinaryDecoder} makes), for logits the recorded {@link SegmentationHead.Sigmoid#lowest} at the recorded
     * threshold, else {@link #lowestAbove} of the recorded tail.
     *
     * @throws IllegalArgumentException when the head is not of sigmoid maps or the threshold is not in (0, 1)
     * @throws OrtException when ONNX Runtime cannot run the tail
     */
    public static float lowest(SegmentationHead head, double threshold) throws OrtException {
        SegmentationHead.Sigmoid s = head.sigmoid();
        if (s == null) {
            throw new IllegalArgumentException("the head reads class scores, not sigmoid maps");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        float floor = BinaryDecoder.floatFloor(threshold);
        if (SegmentationHead.Sigmoid.PROBABILITIES.equals(s.source())) {
            return Math.nextUp(floor);
        }
        if (threshold == s.threshold()) {
            return s.lowest();
        }
        if (threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("the exact label head of a model cut before its Sigmoid reads thresholds from "
                    + MIN_THRESHOLD + " to " + MAX_THRESHOLD + ", got " + threshold + "; use the full model for this threshold");
        }
        return lowestAbove(s.tailModel(), floor);
    }


    /**
     * {@link #lowestAbove} for a probability threshold: the smallest float the tail takes above {@code threshold} as the
     * decoders compare it (above the threshold's float floor).
     */
    public static float lowestAtThreshold(byte[] tail, double threshold) throws OrtException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        return lowestAbove(tail, BinaryDecoder.floatFloor(threshold));
    }

    /**
     * The smallest float {@code r} for which the one-input, one-output element-wise model {@code tail} (input {@code r},
     * output {@code p}, 1-D float) gives a value above {@code floor}, assuming that the tail does not decrease: the first
     * of {@link #PROBES} values evenly spread over the floats between the last known below and the first known above,
     * in 3 or 4 runs of the tail, with ONNX Runtime's default session options (as the full model runs). {@code -Infinity}
     * when every float is above, {@code NaN} when none is.
     *
     * @throws OrtException when ONNX Runtime cannot load or run the tail
     */
    public static float lowestAbove(byte[] tail, float floor) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(tail, o)) {
            if (above(s, new float[] {Float.NEGATIVE_INFINITY}, floor)[0]) {
                return Float.NEGATIVE_INFINITY;
            }
            if (!above(s, new float[] {Float.POSITIVE_INFINITY}, floor)[0]) {
                return Float.NaN;
            }
            long lo = sortKey(Float.NEGATIVE_INFINITY); // below
            long hi = sortKey(Float.POSITIVE_INFINITY); // above
            while (hi - lo > 1) {
                int k = (int) Math.min(PROBES, hi - lo - 1);
                long[] keys = new long[k];
                float[] values = new float[k];
                for (int i = 0; i < k; i++) {
                    keys[i] = lo + (hi - lo) * (i + 1) / (k + 1);
                    values[i] = fromSortKey(keys[i]);
                }
                boolean[] up = above(s, values, floor);
                int first = k;
                for (int i = 0; i < k; i++) {
                    if (up[i]) {
                        first = i;
                        break;
                    }
                }
                long newLo = first == 0 ? lo : keys[first - 1];
                long newHi = first == k ? hi : keys[first];
                lo = newLo;
                hi = newHi;
            }
            return fromSortKey(hi);
        }
    }

    /** Whether the tail gives a value above {@code floor} for each value (padded to a multiple of 16 with the last). */
    private static boolean[] above(OrtSession tail, float[] values, float floor) throws OrtException {
        int n = (values.length + 15) / 16 * 16;
        float[] in = java.util.Arrays.copyOf(values, n);
        java.util.Arrays.fill(in, values.length, n, values[values.length - 1]);
        String input = tail.getInputNames().iterator().next();
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(in), new long[] {n});
                OrtSession.Result r = tail.run(Map.of(input, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            boolean[] up = new boolean[values.length];
            for (int i = 0; i < up.length; i++) {
                up[i] = fb.get(i) > floor;
            }
            return up;
        }
    }

    /** The float's position in the order of floats (-0 just before +0), as an int in a long. */
    static long sortKey(float f) {
        int b = Float.floatToRawIntBits(f);
        return b < 0 ? b ^ 0x7FFFFFFF : b;
    }

    static float fromSortKey(long key) {
        int k = (int) key;
        return Float.intBitsToFloat(k < 0 ? k ^ 0x7FFFFFFF : k);
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
