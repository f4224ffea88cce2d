package org.int8workbench.core.metrics;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.OutputSelection;

/**
 * The settings of an {@link EvaluateOperation} on a dataset folder as plain values, so that another JVM (a Spark
 * executor) builds the same operation: absolute paths, the preprocessing, classes and output selection as JSON.
 * Serializable; two recipes are equal when they build the same operation, so a JVM can keep one
 * {@link ItemEvaluation} per recipe.
 *
 * @param model the model file
 * @param parent the parent model file, or {@code null}
 * @param dataset the dataset folder ({@link Datasets#open(Path, String)})
 * @param split the Pascal VOC split, or {@code null}
 * @param preprocessing {@link Preprocessing#toJson()}, or {@code null}: from the model
 * @param classes the classes as JSON, or {@code null}: the dataset's
 * @param outputs the output selection as JSON, or {@code null}: {@link OutputSelection#AUTO}
 * @param limit only the first {@code limit} items (0: all)
 * @param strict fail on the first unreadable item
 */
public record EvaluationRecipe(String model, String parent, String dataset, String split, String preprocessing, String classes,
        String outputs, int limit, boolean strict) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A recipe from the operation's settings ({@code null} for those not given). */
    public static EvaluationRecipe of(Path model, Path parent, Path dataset, String split, Preprocessing pre, ClassInfo classes,
            OutputSelection outputs, int limit, boolean strict) {
        return new EvaluationRecipe(abs(model), parent == null ? null : abs(parent), abs(dataset), split,
                pre == null ? null : pre.toJson(), classes == null ? null : Json.gson().toJson(classes),
                outputs == null ? null : Json.gson().toJson(outputs), limit, strict);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** The operation (without a report folder): opens the dataset's listing. */
    public EvaluateOperation operation() throws IOException {
        EvaluateOperation op = new EvaluateOperation().model(Path.of(model)).parent(parent == null ? null : Path.of(parent))
                .dataset(Datasets.open(Path.of(dataset), split)).limit(limit).strict(strict).renderImages(false);
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
