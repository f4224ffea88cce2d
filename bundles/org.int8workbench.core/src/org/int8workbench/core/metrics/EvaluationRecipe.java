package org.int8workbench.core.metrics;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.DatasetFiles;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputSelection;

/**
 * The settings of an {@link EvaluateOperation} on a dataset folder as plain values, so that another JVM (a Spark
 * executor) builds the same operation: absolute paths, the preprocessing, classes and output selection as JSON. The
 * dataset is a local folder, or the URI of a folder on another file system ({@code hdfs://}, {@code s3a://},
 * {@code file://}; {@link #remote()}) that the cluster lists and reads through that file system's API
 * ({@link #operation(DatasetFiles, Path)}).
 * Serializable; two recipes are equal when they build the same operation, so a JVM can keep one
 * {@link ItemEvaluation} per recipe.
 *
 * @param model the model file
 * @param parent the parent model file, or {@code null}
 * @param dataset the dataset folder ({@link Datasets#open(Path, String)}), or its URI ({@link Datasets#isUri})
 * @param split the Pascal VOC split, or {@code null}
 * @param preprocessing {@link Preprocessing#toJson()}, or {@code null}: from the model
 * @param classes the classes as JSON, or {@code null}: the dataset's
 * @param outputs the output selection as JSON, or {@code null}: {@link OutputSelection#AUTO}
 * @param limit only the first {@code limit} items (0: all)
 * @param strict fail on the first unreadable item
 * @param images draw a picture per image into the report folder ({@link EvaluateOperation#renderImages}; the
 *     factories: no)
 * @param labelMaps save the model's label maps into the report folder ({@link EvaluateOperation#saveLabelMaps}; the
 *     factories: no)
 */
public record EvaluationRecipe(String model, String parent, String dataset, String split, String preprocessing, String classes,
        String outputs, int limit, boolean strict, boolean images, boolean labelMaps) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A recipe from the operation's settings ({@code null} for those not given). */
    public static EvaluationRecipe of(Path model, Path parent, Path dataset, String split, Preprocessing pre, ClassInfo classes,
            OutputSelection outputs, int limit, boolean strict) {
        return of(model, parent, abs(dataset), split, pre, classes, outputs, limit, strict);
    }

    /**
     * A recipe from the operation's settings ({@code null} for those not given) on a dataset given as a local folder or
     * as a URI ({@link Datasets#isUri}), which is kept as it is.
     */
    public static EvaluationRecipe of(Path model, Path parent, String dataset, String split, Preprocessing pre, ClassInfo classes,
            OutputSelection outputs, int limit, boolean strict) {
        return new EvaluationRecipe(abs(model), parent == null ? null : abs(parent),
                Datasets.isUri(dataset) ? dataset : abs(Path.of(dataset)), split,
                pre == null ? null : pre.toJson(), classes == null ? null : Json.gson().toJson(classes),
                outputs == null ? null : Json.gson().toJson(outputs), limit, strict, false, false);
    }

    /** This recipe, drawing a picture per image and saving label maps into the report folder or not. */
    public EvaluationRecipe withImages(boolean pictures, boolean saveLabelMaps) {
        return new EvaluationRecipe(model, parent, dataset, split, preprocessing, classes, outputs, limit, strict, pictures,
                saveLabelMaps);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** True when the dataset is a URI ({@link Datasets#isUri}): it is listed and read through another file system. */
    public boolean remote() {
        return Datasets.isUri(dataset);
    }

    /**
     * The operation (without a report folder) on a local dataset folder: opens the dataset's listing.
     *
     * @throws IOException also when the dataset is a URI ({@link #remote()}: use {@link #operation(DatasetFiles, Path)})
     */
    public EvaluateOperation operation() throws IOException {
        if (remote()) {
            throw new IOException(dataset + " is a URI: its file system is reached through Hadoop on Spark (--spark MASTER); "
                    + "give a local folder to evaluate here");
        }
        return operation(Datasets.open(Path.of(dataset), split));
    }

    /**
     * The operation (without a report folder) on the dataset listed at {@code root} of {@code files} by the local
     * listing rules ({@link Datasets#open(DatasetFiles, Path, String)}), e.g. a Hadoop file system and the path part of
     * the recipe's dataset URI.
     */
    public EvaluateOperation operation(DatasetFiles files, Path root) throws IOException {
        return operation(Datasets.open(files, root, split));
    }

    private EvaluateOperation operation(SegmentationDataset data) {
        EvaluateOperation op = new EvaluateOperation().model(Path.of(model)).parent(parent == null ? null : Path.of(parent))
                .dataset(data).limit(limit).strict(strict).renderImages(images).saveLabelMaps(labelMaps);
        if (preprocessing != null) {
            op.preprocessing(Preprocessing.fromJson(preprocessing));
        }
        if (classes != null) {
            op.classes(Json.gson().fromJson(classes, ClassInfo.class));
        }
        if (outputs != null) {
            op.outputs(Json.gson().fromJson(outputs, OutputSelection.class));
        }
        return op;
    }
}
