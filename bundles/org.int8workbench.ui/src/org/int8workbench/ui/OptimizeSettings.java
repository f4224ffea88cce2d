package org.int8workbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.int8workbench.core.Json;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.core.quantize.Preset;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.core.quantize.RangeMethod;

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
 * @param method the range estimator (the wizard's "Range", the command line's {@code --range}): {@code minmax},
 *        {@code percentile}, {@code entropy}, {@code mse} (the name predates the Accuracy-aware method; remembered files
 *        keep it)
 * @param fastBiasCorrection correct biases after quantization
 * @param ignoredScope entries kept in FP32 (node names, operator types, globs, {@code re:} patterns)
 * @param fastLabelHead also write the INT8 model with its label head cut off and measure it with the exact head
 * @param benchmark measure speed afterwards
 * @param benchmarkMode {@code latency} or {@code throughput}
 * @param benchmarkSeconds total timed duration of the benchmark
 * @param threads intra-op threads (0: automatic)
 * @param compare compare the predictions of both models afterwards
 * @param compareImages images of the dataset to compare (0: all)
 * @param outputKind how the model's outputs are read: {@code auto} (found from the graph), {@code classes},
 *        {@code binary}, {@code multilabel}, {@code labels} or {@code regression}
 * @param outputName the one output to read, or {@code ""} for every output of the kind found for the first
 * @param threshold probability above which a binary or multi-label pixel is foreground, in (0, 1)
 * @param accuracyAware the Accuracy-aware method's settings, or {@code null} for the Default method
 */
public record OptimizeSettings(DataKind dataKind, String dataFolder, String calibrationFolder, int subset,
        Preprocessing preprocessing, String preset, String method, boolean fastBiasCorrection, List<String> ignoredScope,
        boolean fastLabelHead, boolean benchmark, String benchmarkMode, double benchmarkSeconds, int threads,
        boolean compare, int compareImages, String outputKind, String outputName, double threshold, AccuracyAware accuracyAware) {

    /** The wizard's name of the Default method. */
    public static final String DEFAULT_METHOD = "default";
    /** The wizard's name of the Accuracy-aware method. */
    public static final String ACCURACY_AWARE_METHOD = "accuracy-aware";

    /**
     * The Accuracy-aware method: layers are kept in FP32, most harmful first, until the metric on the validation dataset
     * drops by at most {@code maxDropPoints} from the FP32 model's.
     *
     * @param maxDropPoints the largest drop allowed, in percentage points of the metric (above 0)
     * @param metric {@code auto} (mIoU when the validation dataset has masks, else agreement), {@code miou} or
     *        {@code agreement}
     * @param validationFolder the validation dataset folder (VOC, images + masks, or images alone)
     */
    public record AccuracyAware(double maxDropPoints, String metric, String validationFolder) {
        public AccuracyAware {
            metric = metric == null || metric.isBlank() ? "auto" : metric;
            validationFolder = validationFolder == null ? "" : validationFolder;
        }
    }

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
        // settings remembered before output kinds existed read as auto
        outputKind = outputKind == null || outputKind.isBlank() ? "auto" : outputKind;
        outputName = outputName == null ? "" : outputName;
        threshold = threshold > 0 && threshold < 1 ? threshold : OutputSelection.DEFAULT_THRESHOLD;
    }

    /** Settings of the Default method. */
    public OptimizeSettings(DataKind dataKind, String dataFolder, String calibrationFolder, int subset, Preprocessing preprocessing,
            String preset, String method, boolean fastBiasCorrection, List<String> ignoredScope, boolean fastLabelHead, boolean benchmark,
            String benchmarkMode, double benchmarkSeconds, int threads, boolean compare, int compareImages, String outputKind,
            String outputName, double threshold) {
        this(dataKind, dataFolder, calibrationFolder, subset, preprocessing, preset, method, fastBiasCorrection, ignoredScope, fastLabelHead,
                benchmark, benchmarkMode, benchmarkSeconds, threads, compare, compareImages, outputKind, outputName, threshold, null);
    }

    /** Settings whose outputs are found from the graph (auto, every output of the first output's kind, threshold 0.5). */
    public OptimizeSettings(DataKind dataKind, String dataFolder, String calibrationFolder, int subset, Preprocessing preprocessing,
            String preset, String method, boolean fastBiasCorrection, List<String> ignoredScope, boolean fastLabelHead, boolean benchmark,
            String benchmarkMode, double benchmarkSeconds, int threads, boolean compare, int compareImages) {
        this(dataKind, dataFolder, calibrationFolder, subset, preprocessing, preset, method, fastBiasCorrection, ignoredScope, fastLabelHead,
                benchmark, benchmarkMode, benchmarkSeconds, threads, compare, compareImages, "auto", "", OutputSelection.DEFAULT_THRESHOLD);
    }

    /** These settings with other output settings. */
    public OptimizeSettings withOutputs(String kind, String name, double t) {
        return new OptimizeSettings(dataKind, dataFolder, calibrationFolder, subset, preprocessing, preset, method, fastBiasCorrection,
                ignoredScope, fastLabelHead, benchmark, benchmarkMode, benchmarkSeconds, threads, compare, compareImages, kind, name, t,
                accuracyAware);
    }

    /** These settings with another method: {@code null} for the Default method, else the Accuracy-aware method's settings. */
    public OptimizeSettings withAccuracyAware(AccuracyAware a) {
        return new OptimizeSettings(dataKind, dataFolder, calibrationFolder, subset, preprocessing, preset, method, fastBiasCorrection,
                ignoredScope, fastLabelHead, benchmark, benchmarkMode, benchmarkSeconds, threads, compare, compareImages, outputKind,
                outputName, threshold, a);
    }

    /** These settings with another ignored scope. */
    public OptimizeSettings withIgnoredScope(List<String> scope) {
        return new OptimizeSettings(dataKind, dataFolder, calibrationFolder, subset, preprocessing, preset, method, fastBiasCorrection,
                scope, fastLabelHead, benchmark, benchmarkMode, benchmarkSeconds, threads, compare, compareImages, outputKind, outputName,
                threshold, accuracyAware);
    }

    /** {@link #DEFAULT_METHOD} or {@link #ACCURACY_AWARE_METHOD}. */
    public String methodName() {
        return accuracyAware == null ? DEFAULT_METHOD : ACCURACY_AWARE_METHOD;
    }

    /** Which outputs the benchmark and the comparison read, and as what. */
    public OutputSelection outputSelection() {
        return new OutputSelection(OutputKind.parse(outputKind), outputName.isBlank() ? null : outputName, threshold, 0);
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

    /** The dataset of these settings: the folder, or {@code count} generated images of the input size. */
    public SegmentationDataset data(int count) throws CoreException {
        if (dataKind == DataKind.GENERATED) {
            return Datasets.generated(Math.max(1, count), preprocessing.width(), preprocessing.height(), 0, GeneratedDataset.Kind.PATTERN);
        }
        return open(dataFolder);
    }

    /** The calibration images of these settings: the separate folder, else the dataset. */
    public SegmentationDataset calibrationData() throws CoreException {
        return calibrationFolder.isBlank() ? data(subset) : open(calibrationFolder);
    }

    /** The quantization these settings ask for (percentile, seed and first/last layers at their defaults). */
    public QuantizationSettings quantization() {
        return new QuantizationSettings(Preset.parse(preset), RangeMethod.parse(method), QuantizationSettings.DEFAULT_PERCENTILE, subset, 0,
                0, IgnoredScope.parse(ignoredScope), false, fastBiasCorrection);
    }

    /**
     * The Accuracy-aware method these settings ask for (the validation dataset opened), or {@code null} for the Default
     * method.
     */
    public AccuracyControl accuracyControl() throws CoreException {
        if (accuracyAware == null) {
            return null;
        }
        AccuracyMetric metric;
        try {
            metric = "auto".equalsIgnoreCase(accuracyAware.metric()) ? null : AccuracyMetric.parse(accuracyAware.metric());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error("Accuracy-aware: " + e.getMessage(), e));
        }
        String v = accuracyAware.validationFolder();
        return AccuracyControl.maxDrop(accuracyAware.maxDropPoints()).withMetric(metric).withValidation(v.isBlank() ? null : open(v));
    }

    /**
     * The benchmark these settings ask for, with a profiled pass (time per operator type for the Performance editor), on
     * {@code images} ({@code null}: random inputs of the input shape).
     */
    public PipelineRequest.Benchmark benchmarkRequest(SegmentationDataset images) {
        return PipelineRequest.Benchmark.of(BenchmarkOperation.Mode.parse(benchmarkMode))
                .withSeconds(benchmarkSeconds > 0 ? benchmarkSeconds : BenchmarkOperation.DEFAULT_SECONDS).withThreads(threads)
                .withProfile(true).withImages(images);
    }

    /** Opens a dataset folder, with the core's message when it cannot. */
    public static SegmentationDataset open(String folder) throws CoreException {
        try {
            return Datasets.open(Path.of(folder));
        } catch (IOException | RuntimeException e) {
            throw new CoreException(Status.error("Cannot open the dataset " + folder + ": " + e.getMessage(), e));
        }
    }

    /** The preprocessing a model records, else the defaults for its input; {@code null} when neither is known. */
    public static Preprocessing preprocessingOf(Path model) {
        try {
            return preprocessingOf(OnnxModel.load(model));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@link #preprocessingOf(Path)} of a model read already. */
    public static Preprocessing preprocessingOf(OnnxModel model) {
        try {
            return QuantizeOperation.defaultPreprocessing(model);
        } catch (CoreException | RuntimeException e) {
            return null;
        }
    }
}
