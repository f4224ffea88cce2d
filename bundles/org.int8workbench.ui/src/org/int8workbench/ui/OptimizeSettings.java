package org.int8workbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * Everything the Optimize INT8 wizard asks, remembered beside the model ({@link ModelFiles#settings}) so that
 * "Optimize again" repeats it.
 *
 * @param dataKind what the dataset folder holds
 * @param dataFolder the dataset folder ({@code ""} for a generated set)
 * @param calibrationFolder a separate folder of calibration images, or {@code ""} to calibrate on the dataset
 * @param subset calibration images to use at most
 * @param preprocessing how images become model inputs
 * @param preset {@code performance} or {@code mixed}
 * @param method range estimator: {@code minmax}, {@code percentile}, {@code entropy}, {@code mse}
 * @param fastBiasCorrection correct biases after quantization
 * @param ignoredScope entries kept in FP32 (node names, operator types, globs, {@code re:} patterns)
 * @param fastLabelHead also write the INT8 model with its label head cut off and measure it with the exact head
 * @param benchmark measure speed afterwards
 * @param benchmarkMode {@code latency} or {@code throughput}
 * @param benchmarkSeconds total timed duration of the benchmark
 * @param threads intra-op threads (0: automatic)
 * @param compare compare the predictions of both models afterwards
 * @param compareImages images of the dataset to compare (0: all)
 */
public record OptimizeSettings(DataKind dataKind, String dataFolder, String calibrationFolder, int subset,
        Preprocessing preprocessing, String preset, String method, boolean fastBiasCorrection, List<String> ignoredScope,
        boolean fastLabelHead, boolean benchmark, String benchmarkMode, double benchmarkSeconds, int threads,
        boolean compare, int compareImages) {

    /** What a dataset folder holds. */
    public enum DataKind {
        /** A Pascal VOC folder (JPEGImages, SegmentationClass, ImageSets/Segmentation). */
        VOC("Pascal VOC folder"),
        /** images/ and masks/ with matching names. */
        IMAGES_AND_MASKS("Image + mask folder"),
        /** Images without ground truth. */
        IMAGE_FOLDER("Unannotated image folder"),
        /** Seeded synthetic images (speed only; accuracy figures are not meaningful). */
        GENERATED("Generated set");

        private final String label;

        DataKind(String label) {
            this.label = label;
        }

        /** Text shown in the wizard. */
        public String label() {
            return label;
        }
    }

    public OptimizeSettings {
        ignoredScope = ignoredScope == null ? List.of() : List.copyOf(ignoredScope);
        dataFolder = dataFolder == null ? "" : dataFolder;
        calibrationFolder = calibrationFolder == null ? "" : calibrationFolder;
    }

    /** The settings remembered for {@code model}, or {@code null} when there are none (or they cannot be read). */
    public static OptimizeSettings remembered(Path model) {
        Path file = ModelFiles.settings(model);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            OptimizeSettings s = Json.read(file, OptimizeSettings.class);
            return s != null && s.dataKind() != null && s.preprocessing() != null ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Remembers these settings for {@code model}. */
    public void remember(Path model) throws IOException {
        Json.write(ModelFiles.settings(model), this, true);
    }
}
