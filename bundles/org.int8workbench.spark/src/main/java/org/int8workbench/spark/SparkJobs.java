package org.int8workbench.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.CoreStatus;

/**
 * Starting a Spark context for a command and running its jobs with progress and cancellation: for the evaluation
 * ({@link SparkEvaluator}) and the scoring of candidates ({@link SparkScorer}).
 */
final class SparkJobs {

    private SparkJobs() {
    }

    /** A started Spark context and whether its executors run in this JVM ({@code local[N]}). */
    record Started(JavaSparkContext context, boolean local) {
    }

    /**
     * Starts Spark on {@code master} ({@code local[N]}, {@code spark://host:port}, or {@link SparkEvaluator#SUBMIT_MASTER}
     * for the master spark-submit gives): a local master binds to 127.0.0.1; a cluster started from here gets
     * {@code int8wb-spark.jar} for its executors.
     */
    static Started start(String master, String appName) throws CoreException {
        SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.ui.showConsoleProgress", "false");
        if (!SparkEvaluator.SUBMIT_MASTER.equals(master)) {
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
        try {
            JavaSparkContext sc = new JavaSparkContext(conf);
            sc.setLogLevel("WARN");
            return new Started(sc, local);
        } catch (RuntimeException e) {
            throw CoreStatus.exception("Spark did not start on " + master + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the job {@code job} starts in a new job group of {@code sc}: the monitor counts its tasks ({@code total}) and
     * cancels it, and so does the JVM's exit (Ctrl-C on the command line: the job on the cluster is cancelled first).
     *
     * @throws OperationCanceledException when cancelled
     * @throws CoreException when the job fails (the message of the deepest cause)
     */
    static <T> List<T> run(JavaSparkContext sc, String description, int total, IProgressMonitor monitor,
            Supplier<JavaFutureAction<List<T>>> job) throws CoreException {
        String group = "int8wb-" + UUID.randomUUID();
        TaskProgress progress = new TaskProgress(group, monitor, total);
        sc.sc().addSparkListener(progress);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            sc.cancelJobGroup(group);
        }, "int8wb-spark-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            sc.setJobGroup(group, description, true);
            return await(sc, group, job.get(), monitor, interrupted);
        } finally {
            sc.clearJobGroup();
            sc.sc().removeSparkListener(progress);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    static <T> List<T> await(JavaSparkContext sc, String group, JavaFutureAction<List<T>> job, IProgressMonitor monitor,
            AtomicBoolean interrupted) throws CoreException {
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
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() != null ? c.getMessage() : c.toString();
        if (c == t) {
            return m;
        }
        String first = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return m + " (" + first + ")";
    }

    /**
     * The jar the executors of a cluster need: {@code int8wb-spark.jar} (this module with the core, the command line
     * and ONNX Runtime, without Spark), beside this module's jar in its build folder, or this jar itself.
     */
    private static String[] ourJars() throws CoreException {
        try {
            Path self = Path.of(SparkJobs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path shaded = self.getFileName().toString().equals(SparkEvaluator.SUBMIT_JAR) ? self
                    : self.resolveSibling(SparkEvaluator.SUBMIT_JAR);
            if (Files.isRegularFile(shaded)) {
                return new String[] {shaded.toString()};
            }
            throw CoreStatus.exception(shaded + " is missing: the executors of a cluster need it; build it with "
                    + "./mvnw -DskipTests verify", null);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw CoreStatus.exception("cannot find the jar for the executors: " + e.getMessage(), e);
        }
    }
}
