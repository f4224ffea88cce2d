package org.int8workbench.core.metrics;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.report.AccuracyReport;

/**
 * An evaluation whose items run on a cluster (Apache Spark, module {@code org.int8workbench.spark}) and whose report
 * is the local evaluation's: the same record, the same figures, written by the same writers. The command line finds
 * it with {@link #find()} when the module is on the class path, so that neither it nor the core depends on Spark.
 */
public interface ClusterEvaluator {

    /**
     * Evaluates the recipe's items on the cluster {@code master} (e.g. {@code local[2]} or {@code spark://host:7077})
     * and writes the report folder when {@code reportDir} is given: JSON, HTML, CSV, and the pictures and label maps the
     * recipe asks for ({@link EvaluationRecipe#images}, {@link EvaluationRecipe#labelMaps}), drawn on the cluster. Cancel
     * through the monitor, which also shows the tasks done.
     */
    AccuracyReport evaluate(String master, EvaluationRecipe recipe, Path reportDir, boolean overwrite, IProgressMonitor monitor)
            throws CoreException;

    /**
     * The cluster evaluator on the class path.
     *
     * @throws CoreException when there is none (the Spark module is not on the class path)
     */
    static ClusterEvaluator find() throws CoreException {
        return ServiceLoader.load(ClusterEvaluator.class).findFirst().orElseThrow(() -> CoreStatus.exception(
                "evaluating on Spark needs the Spark module on the class path (./int8wb adds it with --spark; "
                        + "build it with ./mvnw -DskipTests verify)", null));
    }
}
