package org.int8workbench.core.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.QuantizationMetadata;

/**
 * A model and the parent it is measured against, found from one chosen model: an INT8 model with the parent its
 * metadata names (beside it); an FP32 model with the INT8 model made from it ({@link OutputFiles#int8Of}) when there
 * is one; otherwise the model alone.
 *
 * @param parent the FP32 parent, or {@code null} when the model is measured alone
 * @param model the model whose reports these are
 */
public record ModelPair(Path parent, Path model) {

    /** The pair for the chosen {@code model} (see the class comment). */
    public static ModelPair of(Path model) {
        try {
            String q = OnnxModel.load(model).metadata().get(QuantizationMetadata.METADATA_KEY);
            if (q != null) {
                Path parent = model.resolveSibling(QuantizationMetadata.fromJson(q).sourceModel());
                if (Files.isRegularFile(parent)) {
                    return new ModelPair(parent, model);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable model is measured alone, and the measurement reports why it cannot be read
        }
        Path child = OutputFiles.int8Of(model);
        if (Files.isRegularFile(child)) {
            return new ModelPair(model, child);
        }
        return new ModelPair(null, model);
    }

    /** The request that measures this pair: the model against the parent, outputs beside the model. */
    public PipelineRequest request() {
        return PipelineRequest.measure(parent, model);
    }
}
