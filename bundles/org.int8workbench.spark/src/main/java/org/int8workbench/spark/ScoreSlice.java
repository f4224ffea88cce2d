package org.int8workbench.spark;

import java.io.Serial;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.accuracy.Candidate;
import org.int8workbench.core.accuracy.ScorePart;
import org.int8workbench.core.accuracy.ScoringRecipe;

/**
 * A Spark task: scores one candidate on one slice of the images with this JVM's scoring of the broadcast recipe
 * ({@link ExecutorScorings}): writes the candidate (once per JVM for all its slices), runs it on the slice's images
 * ({@code Validation.scorePart}) and, when asked, finds whether ONNX Runtime runs its kept group in float.
 */
final class ScoreSlice implements Function<ScoreSlice.Task, ScoreSlice.Result> {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * One task: the slice {@code slice} of candidate number {@code index}.
     *
     * @param images the validation image indices of the slice, in order
     * @param kernels also find {@code runsFloat} (once per candidate: on its first slice)
     */
    record Task(int index, int slice, Candidate candidate, int[] images, boolean kernels) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** What a task found: the part of the candidate's score, and {@code runsFloat} when asked ({@code null} otherwise or unknown). */
    record Result(int index, int slice, ScorePart part, Boolean runsFloat) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    private final Broadcast<ScoringRecipe> recipe;
    /** The driver's Hadoop configuration when the validation data is a URI, else {@code null}. */
    private final Broadcast<SerializableConfiguration> hadoop;

    ScoreSlice(Broadcast<ScoringRecipe> recipe, Broadcast<SerializableConfiguration> hadoop) {
        this.recipe = recipe;
        this.hadoop = hadoop;
    }

    @Override
    public Result call(Task t) throws Exception {
        ExecutorScorings.Scoring s = ExecutorScorings.of(recipe.value(), hadoop == null ? null : hadoop.value().value());
        TaskContext task = TaskContext.get();
        // a cancelled job interrupts its tasks: stop at the next image
        NullProgressMonitor monitor = new NullProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return super.isCanceled() || (task != null && task.isInterrupted());
            }
        };
        ExecutorEvaluations.RUNNING.readLock().lock();
        try {
            byte[] model = s.write(t.candidate().keepFloat());
            ScorePart part = s.validation.scorePart(model, t.images(), monitor);
            Boolean runsFloat = t.kernels() ? s.runsFloat(model, t.candidate().label()) : null;
            return new Result(t.index(), t.slice(), part, runsFloat);
        } finally {
            ExecutorEvaluations.RUNNING.readLock().unlock();
        }
    }
}
