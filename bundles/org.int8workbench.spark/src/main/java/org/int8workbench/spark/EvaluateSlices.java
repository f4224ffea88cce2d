package org.int8workbench.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.metrics.ItemEvaluation;
import org.int8workbench.core.metrics.ItemResult;

/**
 * The evaluation's items as consecutive slices of the data, one Spark job of one task per slice, all submitted at once
 * (the task slots take them in order), their results recorded on the driver slice after slice as they are done: a
 * slice's pictures are written into the report folder and dropped before the next slice is awaited, so that the driver
 * holds the pictures of the slices done ahead of an earlier one only, not those of the whole dataset.
 */
final class EvaluateSlices {

    /**
     * The most items in a slice whose pictures are drawn: about 0.4 MB of PNG per VOC-sized picture, so a slice's
     * results stay near 25 MB on the driver (far below Spark's {@code spark.driver.maxResultSize}, 1 GB by default).
     */
    static final int MAX_DRAWN_SLICE = 64;

    private EvaluateSlices() {
    }

    /**
     * How many slices {@code n} items are evaluated in: {@code parts}, or more when pictures are drawn, so that no slice
     * holds more than {@link #MAX_DRAWN_SLICE} items.
     */
    static int slices(int n, int parts, boolean draw) {
        return draw ? Math.min(n, Math.max(parts, (n + MAX_DRAWN_SLICE - 1) / MAX_DRAWN_SLICE)) : parts;
    }

    /** Waits for one job's results (with progress and cancellation). */
    interface Await {
        List<ItemResult> get(JavaFutureAction<List<ItemResult>> job) throws CoreException;
    }

    /**
     * Splits {@code indices} into {@code parts} consecutive slices of (almost) equal size, as
     * {@code sc.parallelize(indices, parts)} does, evaluates each in a job of its own and records the results in the order
     * of the data.
     */
    static void record(JavaSparkContext sc, List<Integer> indices, int parts, EvaluateItems task, ItemEvaluation.Recorder recorder,
            Await await) throws CoreException {
        int n = indices.size();
        List<JavaFutureAction<List<ItemResult>>> jobs = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            List<Integer> slice = new ArrayList<>(indices.subList((int) ((long) p * n / parts), (int) ((long) (p + 1) * n / parts)));
            jobs.add(sc.parallelize(slice, 1).mapPartitions(task).collectAsync());
        }
        for (int p = 0; p < parts; p++) {
            recorder.add(await.get(jobs.get(p)));
            jobs.set(p, null);
        }
    }
}
