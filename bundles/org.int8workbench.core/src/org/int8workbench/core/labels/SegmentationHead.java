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
 * optionally followed by {@code ArgMax} or {@code Softmax}. Stored as JSON under {@link #METADATA_KEY} in the
 * cut model's {@code metadata_props}; {@link ExactLabelHead} recomputes the labels from it.
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
 * @param followedBy what came after the resize: {@code none}, {@code argmax}, {@code softmax} or {@code softmax+argmax}
 * @param selectLastIndex whether the removed ArgMax let the last maximum win ({@code select_last_index=1});
 *        false means the first maximum wins, as ONNX ArgMax does by default
 * @param logitsOutput name of the cut model's output that carries the low-resolution logits
 * @param originalOutput name of the removed graph output
 * @param removedOps op types of the removed nodes, in graph order
 * @param kernel which ONNX Runtime CPU kernel's arithmetic reproduced the removed Resize when it was cut:
 *        {@link #KERNEL_STANDARD} (its Resize/Upsample kernel) or {@link #KERNEL_NCHWC} (the NCHWc upsample that its
 *        layout optimisation substitutes for integer scales after NCHWc convolutions); null reads as standard
 */
public record SegmentationHead(int version, String op, int opset, String mode, String coordinateTransformation,
        String nearestMode, float[] scales, long[] sizes, String keepAspectRatioPolicy, String layout, int classAxis,
        int numClasses, long[] logitsShape, long outputHeight, long outputWidth, String followedBy, boolean selectLastIndex,
        String logitsOutput, String originalOutput, List<String> removedOps, String kernel) {

    /** Metadata key of the JSON form in an ONNX model's {@code metadata_props}. */
    public static final String METADATA_KEY = "int8workbench.head";

    /** {@link #kernel} of ONNX Runtime's standard CPU Resize kernel. */
    public static final String KERNEL_STANDARD = "standard";

    /** {@link #kernel} of ONNX Runtime's NCHWc upsample kernel. */
    public static final String KERNEL_NCHWC = "nchwc";

    /** The current {@link #version}. */
    public static final int FORMAT_VERSION = 1;

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
                selectLastIndex, logitsOutput, originalOutput, removedOps, k);
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
                default -> followedBy;
            });
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
