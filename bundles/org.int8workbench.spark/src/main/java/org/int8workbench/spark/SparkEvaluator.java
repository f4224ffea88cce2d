package org.int8workbench.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
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
        SparkConf conf = new SparkConf().setAppName("INT8 Workbench: evaluate " + Path.of(recipe.model()).getFileName())
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (!SUBMIT_MASTER.equals(master)) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw CoreStatus.exception("--spark submit takes the master from spark-submit, but none was given; "
                    + "give --spark MASTER (e.g. local[2] or spark://host:7077)", null);
        }
        boolean local = conf.get("spark.master").startsWith("local");
        if (local) {
            // one JVM: no network address needed (the machine's may be unreachable or firewalled)
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!local && !conf.contains("spark.jars")) {
            // a cluster started by ./int8wb: its executors get this JVM's jars (the core, ONNX Runtime, ...), not Spark's
            conf.setJars(ourJars());
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw CoreStatus.exception("Spark did not start on " + master + ": " + e.getMessage(), e);
        }
        try {
            sc.setLogLevel("WARN");
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
        try {
            while (true) {
                try {
                    return job.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (monitor != null && monitor.isCanceled()) {
                        sc.cancelJobGroup(group);
                        throw new OperationCanceledException();
                    }
                }
            }
        } catch (InterruptedException e) {
            sc.cancelJobGroup(group);
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        } catch (ExecutionException e) {
            if (interrupted.get() || (monitor != null && monitor.isCanceled())) {
                throw new OperationCanceledException();
            }
            throw CoreStatus.exception("the Spark job failed: " + rootMessage(e.getCause()), e.getCause());
        }
    }

    /** The message of the deepest cause: the item's problem rather than Spark's task-failure wrapper. */
    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() != null ? c.getMessage() : c.toString();
        return c == t ? m : m + " (" + firstLine(t.getMessage()) + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * The jar the executors of a cluster need: {@code int8wb-spark.jar} (this module with the core, the command line
     * and ONNX Runtime, without Spark), beside this module's jar in its build folder, or this jar itself.
     */
    private static String[] ourJars() throws CoreException {
        try {
            Path self = Path.of(SparkEvaluator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path shaded = self.getFileName().toString().equals(SUBMIT_JAR) ? self : self.resolveSibling(SUBMIT_JAR);
            if (java.nio.file.Files.isRegularFile(shaded)) {
                return new String[] {shaded.toString()};
            }
            throw CoreStatus.exception(shaded + " is missing: the executors of a cluster need it; build it with "
                    + "./mvnw -DskipTests verify", null);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw CoreStatus.exception("cannot find the jar for the executors: " + e.getMessage(), e);
        }
    }

    /** The file name of the jar for spark-submit and the executors. */
    static final String SUBMIT_JAR = "int8wb-spark.jar";
}
