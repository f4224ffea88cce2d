package org.int8workbench.spark;

import java.io.Serial;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.metrics.ItemEvaluation;
import org.int8workbench.core.metrics.ItemResult;

/**
 * A Spark task: evaluates its partition's items (indices into the recipe's items) with this JVM's evaluation of the
 * recipe, one result per item, lazily.
 */
final class EvaluateItems implements FlatMapFunction<Iterator<Integer>, ItemResult> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final EvaluationRecipe recipe;

    EvaluateItems(EvaluationRecipe recipe) {
        this.recipe = recipe;
    }

    @Override
    public Iterator<ItemResult> call(Iterator<Integer> indices) throws Exception {
        ItemEvaluation e = ExecutorEvaluations.of(recipe);
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
                    return e.evaluate(index);
                } catch (org.eclipse.core.runtime.CoreException x) {
                    throw new IllegalStateException(x.getMessage(), x);
                } finally {
                    ExecutorEvaluations.RUNNING.readLock().unlock();
                }
            }
        };
    }
}
