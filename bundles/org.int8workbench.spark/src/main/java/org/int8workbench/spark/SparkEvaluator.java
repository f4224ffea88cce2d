package org.int8workbench.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.metrics.ClusterEvaluator;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.metrics.ItemEvaluation;
import org.int8workbench.core.metrics.ItemResult;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The evaluation on Apache Spark: the dataset's items are partitioned across the executors; each executor JVM opens
 * the model and the parent once ({@link ExecutorEvaluations}) and evaluates the items of its tasks; the driver
 * collects the per-item results (a few confusion matrices each, and the PNG bytes of the pictures and label maps when
 * there is a report folder) slice by slice ({@link EvaluateSlices}) and records them in the order of the data into the
 * same report a local run gives ({@link ItemEvaluation#recorder}), whatever the partitioning.
 * <p>
 * The data must be readable under the same path on the driver and on every executor (a local folder in local mode,
 * a shared file system on a cluster), or be given as a Hadoop-compatible URI ({@code hdfs://}, {@code s3a://},
 * {@code file://}): the driver and each executor then list it through Hadoop's file system API by the core's rules,
 * and the tasks read their images and masks as bytes through it ({@link HadoopFiles}). The command line reaches this class through {@link ClusterEvaluator}
 * ({@code ./int8wb evaluate ... --spark MASTER}); under {@code spark-submit} the master is spark-submit's.
 */
public final class SparkEvaluator implements ClusterEvaluator {

    /** {@code --spark} value that takes the master {@code spark-submit} gives (its {@code --master}). */
    public static final String SUBMIT_MASTER = "submit";

    @Override
    public AccuracyReport evaluate(String master, EvaluationRecipe recipe, Path reportDir, boolean overwrite, IProgressMonitor monitor)
            throws CoreException {
        SparkJobs.Started started = SparkJobs.start(master, "INT8 Workbench: evaluate " + Path.of(recipe.model()).getFileName());
        JavaSparkContext sc = started.context();
        boolean local = started.local();
        try {
            return evaluate(sc, recipe, 0, reportDir, overwrite, monitor);
        } finally {
            sc.stop();
            if (local) {
                ExecutorEvaluations.closeAll();
            }
        }
    }

    /**
     * Evaluates the recipe's items on a running Spark.
     *
     * @param partitions how many tasks (0: {@link #partitions(int, int)})
     * @param reportDir the report folder to write (JSON, HTML, CSV, and the pictures and label maps the recipe asks for), or
     *     {@code null}
     */
    public static AccuracyReport evaluate(JavaSparkContext sc, EvaluationRecipe recipe, int partitions, Path reportDir, boolean overwrite,
            IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Evaluating " + Path.of(recipe.model()).getFileName() + " on Spark " + sc.master(), 100);
        EvaluateOperation op;
        try {
            // a dataset URI is listed here and on the executors through Hadoop, with the driver's Hadoop configuration
            op = HadoopFiles.operation(recipe, sc.hadoopConfiguration()).reportDir(reportDir).overwrite(overwrite);
        } catch (IOException e) {
            throw CoreStatus.exception("cannot open the dataset " + recipe.dataset() + ": " + e.getMessage(), e);
        }
        Broadcast<SerializableConfiguration> hadoop = recipe.remote()
                ? sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration())) : null;
        try (ItemEvaluation driver = op.open(sub.split(5))) {
            int n = driver.items().size();
            boolean draw = reportDir != null && (recipe.images() || recipe.labelMaps());
            int parts = partitions > 0 ? Math.min(partitions, n) : EvaluateSlices.slices(n, partitions(n, sc.defaultParallelism()), draw);
            List<Integer> indices = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                indices.add(i);
            }
            String group = "int8wb-evaluate-" + UUID.randomUUID();
            TaskProgress progress = new TaskProgress(group, sub.split(90).setWorkRemaining(parts), parts);
            sc.sc().addSparkListener(progress);
            // Ctrl-C: the JVM exits; cancel the job on the cluster first (Spark's own hook then stops the context)
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
            Thread hook = new Thread(() -> {
                interrupted.set(true);
                sc.cancelJobGroup(group);
            }, "int8wb-spark-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            long t0 = System.nanoTime();
            ItemEvaluation.Recorder recorder = driver.recorder();
            EvaluateItems task = new EvaluateItems(recipe, hadoop, draw);
            boolean recorded = false;
            try {
                sc.setJobGroup(group, "INT8 Workbench: evaluate " + n + " items", true);
                EvaluateSlices.record(sc, indices, parts, task, recorder, job -> await(sc, group, job, monitor, interrupted));
                recorded = true;
            } finally {
                if (!recorded) {
                    sc.cancelJobGroup(group); // the slices after one that failed
                }
                sc.clearJobGroup();
                sc.sc().removeSparkListener(progress);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            sub.split(5).subTask("Writing the report");
            return recorder.report(wall, sc.defaultParallelism());
        }
    }

    /** Tasks for {@code n} items on {@code slots} task slots: four per slot (for balance and progress), at most one per item. */
    public static int partitions(int n, int slots) {
        return Math.max(1, Math.min(n, 4 * Math.max(1, slots)));
    }

    private static List<ItemResult> await(JavaSparkContext sc, String group, JavaFutureAction<List<ItemResult>> job,
            IProgressMonitor monitor, java.util.concurrent.atomic.AtomicBoolean interrupted) throws CoreException {
        return SparkJobs.await(sc, group, job, monitor, interrupted);
    }

    /** The file name of the jar for spark-submit and the executors. */
    static final String SUBMIT_JAR = "int8wb-spark.jar";
}
