package org.int8workbench.ui.editors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.QuantizationMetadata;

/**
 * The nodes an INT8 model keeps in FP32 by name (its ignored scope: the nodes the Accuracy-aware method reverted, or
 * those kept with "Keep in FP32 and optimize again"), read from the quantization metadata the model records; shown in
 * the Performance editor so that a result says what it kept in float.
 */
public final class KeptInFp32 {
    private static final String BY_NAME = "ignored scope: node name";

    private KeptInFp32() {
    }

    /** The nodes {@code model} keeps in FP32 by name, in graph order; empty when none or when it records no quantization. */
    public static List<String> nodes(Path model) {
        if (model == null || !Files.isRegularFile(model)) {
            return List.of();
        }
        try {
            Map<String, String> meta = OnnxModel.load(model).metadata();
            String json = meta.get(QuantizationMetadata.METADATA_KEY);
            if (json == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String f : QuantizationMetadata.fromJson(json).floatNodes()) {
                // "Conv_105 (Conv): ignored scope: node name Conv_105"
                int paren = f.indexOf(" (");
                if (f.contains(BY_NAME) && paren > 0) {
                    out.add(f.substring(0, paren));
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * One line per model of {@code paths} that keeps nodes in FP32 by name, e.g.
     * {@code B deeplab.int8.onnx keeps 2 nodes in FP32 (ignored scope or Accuracy-aware): Conv_105, Conv_89}; {@code labels}
     * name the models as the editor does.
     */
    public static List<String> lines(List<Path> paths, List<String> labels) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            List<String> kept = nodes(paths.get(i));
            if (!kept.isEmpty()) {
                out.add(labels.get(i) + " keeps " + kept.size() + (kept.size() == 1 ? " node" : " nodes")
                        + " in FP32 (ignored scope, or reverted by the Accuracy-aware method): " + String.join(", ", kept));
            }
        }
        return out;
    }
}
