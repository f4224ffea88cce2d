package org.int8workbench.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.metrics.ItemEvaluation;

/**
 * The evaluations open in this JVM (an executor's, or the driver's in local mode), one per recipe: the ONNX Runtime
 * sessions of a model and its parent are created by the first task that needs them and reused by every later task and
 * job of the JVM, also by tasks running at once ({@link ItemEvaluation#evaluate} is thread-safe).
 */
final class ExecutorEvaluations {

    private static final Map<EvaluationRecipe, ItemEvaluation> OPEN = new ConcurrentHashMap<>();
    /** How many times sessions were opened in this JVM (for tests: once per recipe). */
    static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

    private ExecutorEvaluations() {
    }

    /** The evaluation of {@code recipe} in this JVM, opened on first use. */
    static ItemEvaluation of(EvaluationRecipe recipe) throws CoreException {
        ItemEvaluation e = OPEN.get(recipe);
        if (e != null) {
            return e;
        }
        synchronized (OPEN) {
            e = OPEN.get(recipe);
            if (e == null) {
                try {
                    e = recipe.operation().open(new NullProgressMonitor());
                } catch (java.io.IOException x) {
                    throw org.int8workbench.core.CoreStatus.exception("cannot open the dataset " + recipe.dataset() + ": "
                            + x.getMessage(), x);
                }
                OPENED.incrementAndGet();
                OPEN.put(recipe, e);
            }
            return e;
        }
    }

    /** Closes every evaluation of this JVM (when a local Spark stops: its executors are this JVM). */
    static void closeAll() {
        synchronized (OPEN) {
            for (ItemEvaluation e : OPEN.values()) {
                e.close();
            }
            OPEN.clear();
        }
    }
}
