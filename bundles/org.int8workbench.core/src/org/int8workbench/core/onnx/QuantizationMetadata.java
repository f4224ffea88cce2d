package org.int8workbench.core.onnx;

import java.util.List;
import java.util.Map;
import org.int8workbench.core.Json;

/**
 * What INT8 Workbench recorded in the metadata of a model it quantized (key {@link #METADATA_KEY} in
 * {@code metadata_props}, as JSON), so the model tells where it came from and how it was made.
 *
 * @param tool INT8 Workbench version that wrote the model
 * @param time when it was written (UTC, ISO-8601)
 * @param sourceModel file name of the FP32 parent model
 * @param sourceSha256 SHA-256 of the parent model file
 * @param settings the quantization settings, by name (preset, method, subset, seed, ...), as shown to users
 * @param calibration description of the calibration images (folder or dataset)
 * @param calibrationImages number of images the statistics were computed from
 * @param quantizedNodes nodes of the parent model that run in INT8
 * @param floatNodes nodes of the parent model that stayed FP32, each as {@code name (OpType): reason}
 */
public record QuantizationMetadata(String tool, String time, String sourceModel, String sourceSha256,
        Map<String, String> settings, String calibration, int calibrationImages, int quantizedNodes,
        List<String> floatNodes) {

    /** Metadata key of the JSON form in an ONNX model's {@code metadata_props}. */
    public static final String METADATA_KEY = "int8workbench.quantization";

    public QuantizationMetadata {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        floatNodes = floatNodes == null ? List.of() : List.copyOf(floatNodes);
    }

    public String toJson() {
        return Json.gson().toJson(this);
    }

    public static QuantizationMetadata fromJson(String json) {
        return Json.gson().fromJson(json, QuantizationMetadata.class);
    }
}
