package org.int8workbench.spark;

import java.io.Serial;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.metrics.ItemEvaluation;
import org.int8workbench.core.metrics.ItemResult;

/**
 * A Spark task: evaluates its partition's items (indices into the recipe's items) with this JVM's evaluation of the
 * recipe, one result per item, lazily; with {@code draw}, each result carries the item's picture and label map as the
 * recipe asks for them, as PNG bytes, for the driver to write into the report folder. The items of a dataset URI are read as bytes in the task, through Hadoop's file
 * system API ({@link HadoopFiles}) with the driver's Hadoop configuration.
 */
final class EvaluateItems implements FlatMapFunction<Iterator<Integer>, ItemResult> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final EvaluationRecipe recipe;
    /** The driver's Hadoop configuration, for a dataset URI; {@code null} for a local folder. */
    private final Broadcast<SerializableConfiguration> hadoop;
    /** Draw the pictures and label maps the recipe asks for (there is a report folder). */
    private final boolean draw;

    EvaluateItems(EvaluationRecipe recipe, Broadcast<SerializableConfiguration> hadoop, boolean draw) {
        this.recipe = recipe;
        this.hadoop = hadoop;
        this.draw = draw;
    }

    @Override
    public Iterator<ItemResult> call(Iterator<Integer> indices) throws Exception {
        ItemEvaluation e = ExecutorEvaluations.of(recipe, hadoop == null ? null : hadoop.value().value());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return indices.hasNext();
            }

            @Override
            public ItemResult next() {
                int index = indices.next();
                ExecutorEvaluations.RUNNING.readLock().lock();
                try {
                    return e.evaluate(index, draw);
                } catch (org.eclipse.core.runtime.CoreException x) {
                    throw new IllegalStateException(x.getMessage(), x);
                } finally {
                    ExecutorEvaluations.RUNNING.readLock().unlock();
                }
            }
        };
    }
}
