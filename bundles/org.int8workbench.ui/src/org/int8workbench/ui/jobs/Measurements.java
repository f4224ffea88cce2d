package org.int8workbench.ui.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.Json;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.QuantizationMetadata;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;

/**
 * The measurements the UI starts: a benchmark of a model against its parent and the comparison of their predictions,
 * each written beside the model through the core's writers. Only glue: every figure is computed by the core.
 */
public final class Measurements {
    private Measurements() {
    }

    /**
     * A model and the model it is compared with.
     *
     * @param parent the FP32 parent, or {@code null} when the model is measured alone
     * @param model the model whose reports these are
     */
    public record Pair(Path parent, Path model) {
    }

    /**
     * Which models to compare for {@code model}: an INT8 model with its parent (named in its metadata, beside it); an
     * FP32 model with the INT8 model made from it when there is one; otherwise the model alone.
     */
    public static Pair pairFor(Path model) {
        try {
            String q = OnnxModel.load(model).metadata().get(QuantizationMetadata.METADATA_KEY);
            if (q != null) {
                Path parent = model.resolveSibling(QuantizationMetadata.fromJson(q).sourceModel());
                if (Files.isRegularFile(parent)) {
                    return new Pair(parent, model);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable model is measured alone, and the core reports why it cannot be read
        }
        Path child = ModelFiles.int8(model);
        if (Files.isRegularFile(child)) {
            return new Pair(model, child);
        }
        return new Pair(null, model);
    }

    /** The dataset of the settings: the folder, or generated images of the input size. */
    public static SegmentationDataset data(OptimizeSettings s, int count) throws CoreException {
        if (s.dataKind() == OptimizeSettings.DataKind.GENERATED) {
            Preprocessing p = s.preprocessing();
            return Datasets.generated(Math.max(1, count), p.width(), p.height(), 0, GeneratedDataset.Kind.PATTERN);
        }
        return open(s.dataFolder());
    }

    /** The calibration images of the settings: the separate folder, else the dataset. */
    public static SegmentationDataset calibration(OptimizeSettings s) throws CoreException {
        return s.calibrationFolder().isBlank() ? data(s, s.subset()) : open(s.calibrationFolder());
    }

    /** Opens a dataset folder, with the core's message when it cannot. */
    public static SegmentationDataset open(String folder) throws CoreException {
        try {
            return Datasets.open(Path.of(folder));
        } catch (IOException | RuntimeException e) {
            throw new CoreException(Status.error("Cannot open the dataset " + folder + ": " + e.getMessage(), e));
        }
    }

    /**
     * Benchmarks {@code pair} (the parent first) and writes the result to {@code out} (by default
     * {@link ModelFiles#benchmark} of the model), replacing an earlier one.
     *
     * @return the JSON file written
     */
    public static Path benchmark(Pair pair, OptimizeSettings s, SegmentationDataset images, Path out,
            IProgressMonitor monitor) throws CoreException {
        List<Path> models = pair.parent() != null ? List.of(pair.parent(), pair.model()) : List.of(pair.model());
        return benchmark(models, s, images, out, monitor);
    }

    /**
     * Benchmarks {@code models} in one interleaved run (the first, usually the FP32 parent, is the one every other
     * model is compared with, e.g. parent, INT8, INT8 with the exact label head) and writes the result to
     * {@code out}, replacing an earlier one.
     *
     * @return the JSON file written
     */
    public static Path benchmark(List<Path> models, OptimizeSettings s, SegmentationDataset images, Path out,
            IProgressMonitor monitor) throws CoreException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to benchmark");
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Benchmarking", 10);
        BenchmarkOperation op = new BenchmarkOperation(models.get(0)).mode(BenchmarkOperation.Mode.parse(s.benchmarkMode()))
                .seconds(s.benchmarkSeconds()).endToEnd(true).profile(true).decoderFactory(LabelDecoders.FROM_MODEL)
                .others(models.subList(1, models.size()));
        if (s.threads() > 0) {
            op.threads(s.threads());
        }
        if (images != null) {
            op.dataset(images).preprocessing(s.preprocessing());
        }
        BenchmarkResult r = op.run(sub.split(9));
        try {
            Json.write(out, r, true);
        } catch (IOException e) {
            throw new CoreException(Status.error("Cannot write the benchmark result " + out + ": " + e.getMessage(), e));
        }
        sub.split(1);
        return out;
    }

    /**
     * Evaluates the model against its parent (and the ground truth when the data has masks) on up to {@code limit}
     * images and writes the report folder {@link ModelFiles#accuracyDir} of the model, replacing an earlier one.
     *
     * @return the report's JSON file
     */
    public static Path evaluate(Pair pair, SegmentationDataset data, Preprocessing preprocessing, int limit,
            IProgressMonitor monitor) throws CoreException {
        Path dir = ModelFiles.accuracyDir(pair.model());
        EvaluateOperation op = new EvaluateOperation().model(pair.model()).dataset(data).reportDir(dir).overwrite(true)
                .limit(Math.max(0, limit));
        if (pair.parent() != null) {
            op.parent(pair.parent());
        }
        if (preprocessing != null) {
            op.preprocessing(preprocessing);
        }
        op.run(monitor);
        return ModelFiles.accuracyReport(pair.model());
    }

    /** The preprocessing a model records, else the defaults for its input; {@code null} when neither is known. */
    public static Preprocessing preprocessingOf(Path model) {
        try {
            return QuantizeOperation.defaultPreprocessing(OnnxModel.load(model));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
