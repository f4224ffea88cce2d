package org.int8workbench.core.accuracy;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.int8workbench.core.dataset.DatasetRecipe;
import org.int8workbench.core.labels.OutputKind;

/**
 * A {@link Validation} as plain values, so that another JVM (a Spark executor) opens the same validation
 * ({@link Validation#open}): the parent model by absolute path, the data by absolute path or by URI
 * ({@link DatasetRecipe#remote()}: reopened through a {@code DatasetUris}), the preprocessing and the output selection as
 * JSON, and what the driver decided on all the images (metric, output kind, classes, ignore label, the images that
 * could be read). Serializable; equal recipes open the same validation.
 *
 * @param parent the parent (FP32) model file, absolute
 * @param data how to open the validation data again
 * @param preprocessing {@code Preprocessing.toJson()}
 * @param selection the output selection as JSON ({@code OutputSelection}), or {@code null} for auto
 * @param metric the metric
 * @param kind how the parent's output is read
 * @param classes the classes of the confusion matrices (found on all images by the driver)
 * @param ignore the ignore label, or -1
 * @param imageIds the ids of the validation images, in order ({@link Validation#imageIds})
 * @param description one line naming the validation data
 * @param skipped the items the driver could not read, with the reason
 */
public record ValidationRecipe(String parent, DatasetRecipe data, String preprocessing, String selection,
        AccuracyMetric metric, OutputKind kind, int classes, int ignore, List<String> imageIds, String description,
        List<String> skipped) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public ValidationRecipe {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        imageIds = List.copyOf(imageIds);
        skipped = List.copyOf(skipped);
    }
}
