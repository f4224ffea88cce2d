package org.int8workbench.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.accuracy.CandidateKernels;
import org.int8workbench.core.accuracy.ScoringRecipe;
import org.int8workbench.core.accuracy.Validation;
import org.int8workbench.core.dataset.DatasetUris;
import org.int8workbench.core.quantize.Calibration;

/**
 * The scorings open in this JVM (an executor's, or the driver's in local mode), one per {@link ScoringRecipe#key}: the
 * calibration restored from its state and the validation opened from its recipe (sessions with the task's cores as
 * intra-op threads) by the first task that needs them,
 * reused by every later task and job of the JVM, also by tasks running at once. Closed as {@link ExecutorEvaluations}
 * closes its evaluations: never under a run, quiesced at the JVM's exit.
 */
final class ExecutorScorings {

    private static final Map<String, Scoring> OPEN = new ConcurrentHashMap<>();
    /** How many times a recipe was opened in this JVM (for tests: once per recipe). */
    static final AtomicInteger OPENED = new AtomicInteger();

    private ExecutorScorings() {
    }

    /** One recipe's calibration and validation in this JVM, with the last candidates written. */
    static final class Scoring {
        private static final int WRITTEN = 4;
        final Calibration calibration;
        final Validation validation;
        /** The last candidates written (keepFloat → model bytes): the image slices of one candidate write it once. */
        private final Map<List<String>, byte[]> written = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<String>, byte[]> eldest) {
                return size() > WRITTEN;
            }
        };
        /** The integer kernels of the full INT8 model ({@link CandidateKernels#integerNodes}), found on first use. */
        private Integer fullIntegerNodes;

        Scoring(Calibration calibration, Validation validation) {
            this.calibration = calibration;
            this.validation = validation;
        }

        /** The candidate with {@code keepFloat} kept in FP32 ({@code Calibration.write}), written once for its slices. */
        synchronized byte[] write(List<String> keepFloat) throws CoreException {
            byte[] b = written.get(keepFloat);
            if (b == null) {
                try {
                    b = calibration.write(keepFloat).bytes();
                } catch (IOException | RuntimeException e) {
                    throw CoreStatus.exception("cannot write the INT8 model with " + keepFloat.size() + " nodes kept in FP32: "
                            + e.getMessage(), e);
                }
                written.put(keepFloat, b);
            }
            return b;
        }

        /** Whether ONNX Runtime runs the candidate's kept group in float, as the local scorer finds it. */
        Boolean runsFloat(byte[] candidate, String label) throws CoreException {
            int full;
            synchronized (this) {
                if (fullIntegerNodes == null) {
                    fullIntegerNodes = CandidateKernels.integerNodes(write(List.of()));
                }
                full = fullIntegerNodes;
            }
            return CandidateKernels.runsFloat(candidate, label, full);
        }
    }

    /**
     * The scoring of {@code recipe} in this JVM, opened on first use; validation data named by a URI is reopened through
     * Hadoop with {@code hadoop} (the driver's configuration; {@code null}: a local folder).
     */
    static Scoring of(ScoringRecipe recipe, Configuration hadoop) throws CoreException {
        Scoring s = OPEN.get(recipe.key());
        if (s != null) {
            return s;
        }
        synchronized (OPEN) {
            s = OPEN.get(recipe.key());
            if (s == null) {
                Calibration c = recipe.restoreCalibration();
                // each task's sessions on the cores Spark gives a task (spark.task.cpus, default 1): the tasks running at
                // once share the executor's cores (one intra-op thread scores the same bits as several)
                TaskContext task = TaskContext.get();
                DatasetUris uris = hadoop != null ? HadoopFiles.uris(hadoop) : DatasetUris.NONE;
                s = new Scoring(c, Validation.open(recipe.validation(), task != null ? Math.max(1, task.cpus()) : 0, uris));
                OPENED.incrementAndGet();
                ExecutorEvaluations.quiesceAtExit();
                OPEN.put(recipe.key(), s);
            }
            return s;
        }
    }

    /**
     * Closes every scoring of this JVM (when a local Spark stops: its executors are this JVM), once the candidates being
     * scored are done.
     */
    static void closeAll() {
        ExecutorEvaluations.whenIdle(() -> {
            synchronized (OPEN) {
                OPEN.values().forEach(s -> s.validation.close());
                OPEN.clear();
            }
        });
    }
}
