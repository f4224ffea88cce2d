package org.int8workbench.core.codegen;

import ai.onnxruntime.OnnxJavaType;
import java.util.Objects;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.ResizeArgmax;
import org.int8workbench.core.labels.SegmentationHead;

/**
 * Everything the generated code depends on, read from one model: names, the preprocessing, the output and how it
 * becomes labels, with every shape concrete (for the preprocessing's input size).
 *
 * @param packageName package of the generated classes
 * @param className the inference class
 * @param modelFile the model's file name, for comments
 * @param modelSha256 the model's sha256
 * @param modelResource file name of the model copy beside the class (a class-path resource)
 * @param preprocessing what the generated code applies to images
 * @param preprocessingRecorded whether the model records it
 * @param inputName the model's image input
 * @param decoding how the output becomes labels
 * @param outputName the output the labels come from
 * @param outputShape that output's concrete shape
 * @param labelType element type of a label output ({@link Decoding#LABELS}), else null
 * @param classAxis the class axis of a score output (1 or 3), or -1 for {@link Decoding#LABELS}
 * @param head the cut-off head ({@link Decoding#HEAD}), else null
 * @param labelsHeight label map height
 * @param labelsWidth label map width
 * @param inputRank rank of the image input: 4 ({@code [1,3,H,W]} or {@code [1,H,W,3]}) or 3 (no batch axis)
 */
record InferenceSpec(String packageName, String className, String modelFile, String modelSha256, String modelResource,
        Preprocessing preprocessing, boolean preprocessingRecorded, String inputName, Decoding decoding, String outputName,
        long[] outputShape, OnnxJavaType labelType, int classAxis, SegmentationHead head, int labelsHeight, int labelsWidth,
        int inputRank) {

    /** How the generated code turns the model's output into labels. */
    enum Decoding {
        /** the exact label head of a model cut before its Resize */
        HEAD,
        /** argmax over the classes of a full-resolution score output */
        ARGMAX,
        /** the model outputs labels */
        LABELS
    }

    InferenceSpec {
        Objects.requireNonNull(decoding, "decoding");
        if ((decoding == Decoding.HEAD) != (head != null)) {
            throw new IllegalArgumentException("a head is given exactly for the HEAD decoding");
        }
    }

    /** The settings of the head's kernel ({@link Decoding#HEAD} only). */
    ResizeArgmax.Resize resize() {
        return ExactLabelHead.resizeOf(head);
    }

    /** Whether the scores are {@code [1, H, W, C]}. */
    boolean channelsLast() {
        return classAxis == 3;
    }

    int classes() {
        return classAxis < 0 ? -1 : (int) outputShape[classAxis];
    }

    /** One line for users, e.g. {@code exact label head: Resize linear/align_corners to 257x257, NCHW (in Java)}. */
    String describeDecoding() {
        return switch (decoding) {
            case HEAD -> "exact label head in Java: " + head.describe();
            case ARGMAX -> "argmax over axis " + classAxis + " of output '" + outputName + "' in Java";
            case LABELS -> "labels as the model outputs them ('" + outputName + "', " + labelType + ")";
        };
    }
}
