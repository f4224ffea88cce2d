package org.int8workbench.core.labels;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.int8workbench.core.Json;

/**
 * The segmentation head that was cut off a model: a {@code Resize} (or {@code Upsample}) of class logits,
 * optionally followed by {@code ArgMax} or {@code Softmax}; or a {@code Resize} of sigmoid maps (see {@link Sigmoid}:
 * logits followed by a {@code Sigmoid}, with the INT8 model's quantize/dequantize pairs around it, or probabilities),
 * thresholded per channel. Stored as JSON under {@link #METADATA_KEY} in the cut model's {@code metadata_props};
 * {@link ExactLabelHead} recomputes the labels from it.
 *
 * @param version format version of this record ({@link #FORMAT_VERSION})
 * @param op {@code Resize} or {@code Upsample}
 * @param opset the default-domain opset the operator was read under (decides defaults such as the
 *        coordinate transformation of opset 10)
 * @param mode {@code linear} or {@code nearest}
 * @param coordinateTransformation the effective {@code coordinate_transformation_mode} ({@code asymmetric} for
 *        opset 10 and {@code Upsample})
 * @param nearestMode the effective rounding of nearest mode ({@code round_prefer_floor}, {@code round_prefer_ceil},
 *        {@code floor}, {@code ceil}, or {@code simple} for opset 10 and {@code Upsample}); null in linear mode
 * @param scales scales for every axis of the logits as read from the graph, or null when sizes were given
 * @param sizes output size for every axis of the logits as read from the graph, or null when scales were given
 * @param keepAspectRatioPolicy opset 18+ {@code keep_aspect_ratio_policy} ({@code stretch} otherwise)
 * @param layout {@code NCHW} (classes on axis 1) or {@code NHWC} (classes on axis 3)
 * @param classAxis axis of the classes in the logits (1 or 3)
 * @param numClasses number of classes, or -1 when the cut graph does not declare it
 * @param logitsShape the low-resolution logits shape the graph declares (-1 for a dynamic dimension), or null
 * @param outputHeight label map height for {@code logitsShape} (-1 when it depends on a dynamic dimension)
 * @param outputWidth label map width for {@code logitsShape} (-1 when dynamic)
 * @param followedBy what came after the resize: {@code none}, {@code argmax}, {@code softmax}, {@code softmax+argmax}
 *        or {@code sigmoid} (a {@code Sigmoid}, with quantize/dequantize pairs in an INT8 model)
 * @param selectLastIndex whether the removed ArgMax let the last maximum win ({@code select_last_index=1});
 *        false means the first maximum wins, as ONNX ArgMax does by default
 * @param logitsOutput name of the cut model's output that carries the low-resolution logits
 * @param originalOutput name of the removed graph output
 * @param removedOps op types of the removed nodes, in graph order
 * @param kernel which ONNX Runtime CPU kernel's arithmetic reproduced the removed Resize when it was cut:
 *        {@link #KERNEL_STANDARD} (its Resize/Upsample kernel) or {@link #KERNEL_NCHWC} (the NCHWc upsample that its
 *        layout optimisation substitutes for integer scales after NCHWc convolutions); null reads as standard
 * @param sigmoid for a head of sigmoid maps (binary or multi-label outputs), how the resized values become 0/1 maps;
 *        null for a head of class scores
 */
public record SegmentationHead(int version, String op, int opset, String mode, String coordinateTransformation,
        String nearestMode, float[] scales, long[] sizes, String keepAspectRatioPolicy, String layout, int classAxis,
        int numClasses, long[] logitsShape, long outputHeight, long outputWidth, String followedBy, boolean selectLastIndex,
        String logitsOutput, String originalOutput, List<String> removedOps, String kernel, Sigmoid sigmoid) {

    /**
     * How a head of sigmoid maps thresholds: each channel of the resized values on its own, a pixel being foreground
     * where the full model's output is above the threshold, as {@link BinaryDecoder} and {@link MultiLabelDecoder} read
     * it. Because everything after the {@code Resize} is element-wise and non-decreasing, this is the same as the resized
     * value being at least {@link #lowest}, the smallest float the removed nodes take above the threshold; the head
     * compares with it and builds no full-resolution probability.
     *
     * @param kind {@code binary} (one channel) or {@code multilabel} (several channels, each thresholded on its own)
     * @param source {@code logits} when the removed nodes hold the sigmoid (the head reads logits), {@code probabilities}
     *        when the sigmoid came before the Resize and stays in the cut model
     * @param threshold the probability threshold {@link #lowest} was found for when the head was cut (the decoders'
     *        default, 0.5); a decoder with another threshold finds its own from {@link #tail}
     * @param lowest the smallest resized value that is foreground at {@link #threshold} ({@code NaN}: none is)
     * @param tail for {@code logits}: the removed nodes after the Resize ({@code Sigmoid}, and in an INT8 model the
     *        {@code QuantizeLinear}/{@code DequantizeLinear} pairs around it) as a small ONNX model, base64, input
     *        {@code r} and output {@code p} of one dimension; ONNX Runtime runs it to find the lowest foreground value for
     *        a threshold, so that the quantized sigmoid of an INT8 model is reproduced as it rounds; null for
     *        {@code probabilities}
     * @param tailOps op types of the tail, in order, for people reading the record
     */
    public record Sigmoid(String kind, String source, double threshold, float lowest, String tail, List<String> tailOps) {

        /** {@link #source} of a head that applies the removed sigmoid itself. */
        public static final String LOGITS = "logits";

        /** {@link #source} of a head that resizes probabilities. */
        public static final String PROBABILITIES = "probabilities";

        public Sigmoid {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(source, "source");
            if (LOGITS.equals(source) && tail == null) {
                throw new IllegalArgumentException("a sigmoid head of logits records its tail");
            }
            tailOps = tailOps == null ? List.of() : List.copyOf(tailOps);
        }

        /** Whether the output is read as one binary map ({@link OutputKind#BINARY}), else as multi-label maps. */
        public boolean binary() {
            return "binary".equals(kind);
        }

        /** The output kind the full model's output is read as. */
        public OutputKind outputKind() {
            return binary() ? OutputKind.BINARY : OutputKind.MULTILABEL;
        }

        /** The tail model's bytes, or null. */
        public byte[] tailModel() {
            return tail == null ? null : java.util.Base64.getDecoder().decode(tail);
        }
    }

    /** A head of class scores (no {@link #sigmoid}). */
    public SegmentationHead(int version, String op, int opset, String mode, String coordinateTransformation, String nearestMode,
            float[] scales, long[] sizes, String keepAspectRatioPolicy, String layout, int classAxis, int numClasses,
            long[] logitsShape, long outputHeight, long outputWidth, String followedBy, boolean selectLastIndex,
            String logitsOutput, String originalOutput, List<String> removedOps, String kernel) {
        this(version, op, opset, mode, coordinateTransformation, nearestMode, scales, sizes, keepAspectRatioPolicy, layout, classAxis,
                numClasses, logitsShape, outputHeight, outputWidth, followedBy, selectLastIndex, logitsOutput, originalOutput, removedOps,
                kernel, null);
    }

    /** Metadata key of the JSON form in an ONNX model's {@code metadata_props}. */
    public static final String METADATA_KEY = "int8workbench.head";

    /** {@link #kernel} of ONNX Runtime's standard CPU Resize kernel. */
    public static final String KERNEL_STANDARD = "standard";

    /** {@link #kernel} of ONNX Runtime's NCHWc upsample kernel. */
    public static final String KERNEL_NCHWC = "nchwc";

    /** The newest {@link #version} this build reads. */
    public static final int FORMAT_VERSION = 2;

    /**
     * The {@link #version} written for heads of class scores: 1, which builds before sigmoid heads read too. A head
     * of sigmoid maps is written as version 2, which those builds refuse rather than read as class scores.
     */
    public static final int CLASSES_VERSION = 1;

    public SegmentationHead {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(coordinateTransformation, "coordinateTransformation");
        Objects.requireNonNull(layout, "layout");
        if ((scales == null) == (sizes == null)) {
            throw new IllegalArgumentException("exactly one of scales and sizes must be given");
        }
        removedOps = removedOps == null ? List.of() : List.copyOf(removedOps);
    }

    /** Whether the removed Resize ran as ONNX Runtime's NCHWc upsample kernel. */
    public boolean nchwcKernel() {
        return KERNEL_NCHWC.equals(kernel);
    }

    /** The same head with another {@link #kernel}. */
    public SegmentationHead withKernel(String k) {
        return new SegmentationHead(version, op, opset, mode, coordinateTransformation, nearestMode, scales, sizes,
                keepAspectRatioPolicy, layout, classAxis, numClasses, logitsShape, outputHeight, outputWidth, followedBy,
                selectLastIndex, logitsOutput, originalOutput, removedOps, k, sigmoid);
    }

    /** The same head with sigmoid maps thresholded as {@code s} says. */
    public SegmentationHead withSigmoid(Sigmoid s) {
        return new SegmentationHead(s == null ? version : Math.max(version, 2), op, opset, mode, coordinateTransformation, nearestMode, scales, sizes,
                keepAspectRatioPolicy, layout, classAxis, numClasses, logitsShape, outputHeight, outputWidth, followedBy,
                selectLastIndex, logitsOutput, originalOutput, removedOps, kernel, s);
    }

    /** The kind of output the head gives back: {@link OutputKind#CUT_HEAD} for class scores, else binary or multi-label. */
    public OutputKind outputKind() {
        return sigmoid == null ? OutputKind.CUT_HEAD : sigmoid.outputKind();
    }

    /** Whether the classes are the last axis. */
    public boolean channelsLast() {
        return "NHWC".equals(layout);
    }

    /** JSON form, as stored in model metadata. */
    public String toJson() {
        return Json.gson().toJson(this);
    }

    public static SegmentationHead fromJson(String json) {
        SegmentationHead h = Json.gson().fromJson(json, SegmentationHead.class);
        if (h == null || h.version() > FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported head record (version " + (h == null ? "?" : h.version())
                    + "; this build reads up to " + FORMAT_VERSION + ")");
        }
        return h;
    }

    /** The head recorded in a model's metadata, if any. */
    public static Optional<SegmentationHead> fromModel(ModelProto model) {
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (METADATA_KEY.equals(e.getKey())) {
                return Optional.of(fromJson(e.getValue()));
            }
        }
        return Optional.empty();
    }

    /** The head recorded in custom metadata as ONNX Runtime reports it ({@code OnnxModelMetadata.getCustomMetadata()}). */
    public static Optional<SegmentationHead> fromMetadata(Map<String, String> customMetadata) {
        String json = customMetadata.get(METADATA_KEY);
        return json == null ? Optional.empty() : Optional.of(fromJson(json));
    }

    /** A one-line description, e.g. {@code Resize linear/align_corners to 257x257, then ArgMax}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(op).append(' ').append(mode).append('/').append(coordinateTransformation);
        if (nearestMode != null) {
            sb.append('/').append(nearestMode);
        }
        if (outputHeight > 0 && outputWidth > 0) {
            sb.append(" to ").append(outputWidth).append('x').append(outputHeight);
        } else if (scales != null) {
            sb.append(" by ").append(Arrays.toString(scales));
        }
        sb.append(", ").append(layout);
        if (!"none".equals(followedBy)) {
            sb.append(", then ").append(switch (followedBy) {
                case "argmax" -> "ArgMax";
                case "softmax" -> "Softmax";
                case "softmax+argmax" -> "Softmax and ArgMax";
                case "sigmoid" -> "Sigmoid";
                default -> followedBy;
            });
        }
        if (sigmoid != null) {
            sb.append(Sigmoid.PROBABILITIES.equals(sigmoid.source()) ? ", of sigmoid probabilities" : "").append(", ")
                    .append(sigmoid.binary() ? "binary" : "multi-label, each channel")
                    .append(" thresholded");
            if (sigmoid.tailOps().contains("QuantizeLinear")) {
                sb.append(" as its quantized sigmoid rounds");
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentationHead h && toJson().equals(h.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "SegmentationHead[" + describe() + "]";
    }
}
