package org.int8workbench.core.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.QuantizationMetadata;
import org.int8workbench.core.labels.SegmentationHead;

/**
 * The models measured from one chosen model, by the pipeline's rule: an INT8 model with the parent its metadata names
 * (beside it); an FP32 model with the INT8 model made from it ({@link OutputFiles#int8Of}) when there is one; otherwise
 * the model alone. With them the model cut before its head from that model ({@link OutputFiles#headOf}), when one lies
 * beside it and was cut from it: the head model carries the metadata of the model it was cut from, so when that model
 * records its quantization the two records must be the same; a model without that record is trusted only with a head
 * model written after it. A chosen model that is itself a head model has no head of its own. Reading the models
 * parses them: call it off the UI thread.
 *
 * @param parent the FP32 parent, or {@code null} when the model is measured alone
 * @param model the model whose reports these are
 * @param head the model cut before its head from {@code model}, measured as the fastest model; {@code null} for none
 */
public record ModelPair(Path parent, Path model, Path head) {

    public ModelPair {
        Objects.requireNonNull(model, "model");
    }

    /** The pair for the chosen {@code model} (see the class comment). */
    public static ModelPair of(Path model) {
        Map<String, String> meta = metadata(model);
        String q = meta.get(QuantizationMetadata.METADATA_KEY);
        if (q != null) {
            try {
                Path parent = model.resolveSibling(QuantizationMetadata.fromJson(q).sourceModel());
                if (Files.isRegularFile(parent)) {
                    return new ModelPair(parent, model, headOf(model, meta));
                }
            } catch (RuntimeException e) {
                // unreadable metadata: no parent from it
            }
        }
        Path child = OutputFiles.int8Of(model);
        if (Files.isRegularFile(child)) {
            return new ModelPair(model, child, headOf(child, metadata(child)));
        }
        return new ModelPair(null, model, headOf(model, meta));
    }

    /** The head model cut from {@code model} beside it, or {@code null} (see the class comment). */
    private static Path headOf(Path model, Map<String, String> modelMeta) {
        if (modelMeta.containsKey(SegmentationHead.METADATA_KEY)) {
            return null; // the model is a head model itself
        }
        Path head = OutputFiles.headOf(model);
        if (!Files.isRegularFile(head) || head.equals(model.toAbsolutePath().normalize())) {
            return null;
        }
        Map<String, String> headMeta = metadata(head);
        if (!headMeta.containsKey(SegmentationHead.METADATA_KEY)) {
            return null; // not a model cut before its head
        }
        String q = modelMeta.get(QuantizationMetadata.METADATA_KEY);
        if (q != null) {
            return q.equals(headMeta.get(QuantizationMetadata.METADATA_KEY)) ? head : null;
        }
        try {
            return Files.getLastModifiedTime(head).compareTo(Files.getLastModifiedTime(model)) >= 0 ? head : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The metadata of a model, empty when it cannot be read (the measurement then reports why). */
    private static Map<String, String> metadata(Path model) {
        try {
            return OnnxModel.load(model).metadata();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** The request that measures this pair: the model (and its head model) against the parent, outputs beside the model. */
    public PipelineRequest request() {
        return PipelineRequest.measure(parent, model).withExistingHead(head);
    }
}
