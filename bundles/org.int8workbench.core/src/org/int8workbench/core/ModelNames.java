package org.int8workbench.core;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How the models INT8 Workbench makes are named after the model they are made from; the one place of that rule, used
 * by the quantization and the head cut for their default outputs and by the pipeline's output names:
 * {@code NAME.onnx} gives the INT8 model {@code NAME.int8.onnx}, and a model {@code M.onnx} cut before its head is
 * {@code M.head.onnx} (so {@code NAME.int8.head.onnx} for the INT8 model).
 */
public final class ModelNames {
    /** Suffix of an INT8 model made from {@code NAME.onnx}. */
    public static final String INT8_SUFFIX = ".int8.onnx";
    /** Suffix of a model cut before its segmentation head, after the name of the model it was cut from. */
    public static final String HEAD_SUFFIX = ".head.onnx";

    private ModelNames() {
    }

    /** {@code NAME} of {@code NAME.onnx} (the file name without a final {@code .onnx}, in any case). */
    public static String baseName(Path model) {
        String name = model.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }

    /** The INT8 model made from {@code model}: {@code NAME.int8.onnx} beside it (absolute, normalized). */
    public static Path int8Of(Path model) {
        return sibling(model, INT8_SUFFIX);
    }

    /** The model cut before its head from {@code model}: {@code NAME.head.onnx} beside it (absolute, normalized). */
    public static Path headOf(Path model) {
        return sibling(model, HEAD_SUFFIX);
    }

    /** {@code NAME} + {@code suffix} beside {@code model} (absolute, normalized). */
    public static Path sibling(Path model, String suffix) {
        Path abs = model.toAbsolutePath().normalize();
        return abs.resolveSibling(baseName(abs) + suffix);
    }
}
