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

    /**
     * The evaluation of {@code recipe} in this JVM, opened on first use.
     *
     * @param hadoop the Hadoop configuration for a dataset URI ({@link EvaluationRecipe#remote()}); unused otherwise
     */
    static ItemEvaluation of(EvaluationRecipe recipe, org.apache.hadoop.conf.Configuration hadoop) throws CoreException {
        ItemEvaluation e = OPEN.get(recipe);
        if (e != null) {
            return e;
        }
        synchronized (OPEN) {
            e = OPEN.get(recipe);
            if (e == null) {
                try {
                    e = HadoopFiles.operation(recipe, hadoop).open(new NullProgressMonitor());
                } catch (java.io.IOException x) {
                    throw org.int8workbench.core.CoreStatus.exception("cannot open the dataset " + recipe.dataset() + ": "
                            + x.getMessage(), x);
                }
                OPENED.incrementAndGet();
                quiesceAtExit();
                OPEN.put(recipe, e);
            }
            return e;
        }
    }

    /**
     * Held while an item is evaluated; {@link #closeAll} takes the write lock, so that no session is closed under a
     * run (a cancelled Spark task goes on in ONNX Runtime until its run ends).
     */
    static final java.util.concurrent.locks.ReadWriteLock RUNNING = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /**
     * Closes every evaluation of this JVM (when a local Spark stops: its executors are this JVM), once the items being
     * evaluated are done.
     */
    static void closeAll() {
        whenIdle(ExecutorEvaluations::closeOpen);
    }

    /**
     * Runs {@code close} once no run holds {@link #RUNNING} (at most 30 s), letting none start meanwhile; not when the
     * JVM is exiting ({@link #quiesce} holds the lock).
     */
    static void whenIdle(Runnable close) {
        try {
            if (!RUNNING.writeLock().tryLock(30, java.util.concurrent.TimeUnit.SECONDS)) {
                return; // the JVM is exiting: quiesce() holds the lock
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            close.run();
        } finally {
            RUNNING.writeLock().unlock();
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Quiesces ONNX Runtime at the JVM's exit ({@link #quiesce}), once per JVM: called when sessions are first opened
     * here (evaluations, and the candidate scorings of {@link ExecutorScorings}, which run under {@link #RUNNING} too).
     */
    static void quiesceAtExit() {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEvaluations::quiesce, "int8wb-onnxruntime-quiesce"));
        }
    }

    /**
     * At the JVM's exit (Ctrl-C on the command line, an executor stopped): waits for the runs going on to end and lets
     * no other start, since ONNX Runtime's native state is torn down when the process exits and a run still inside it
     * then crashes the JVM. At most 30 s (a run takes well under that).
     */
    private static void quiesce() {
        try {
            RUNNING.writeLock().tryLock(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeOpen() {
        synchronized (OPEN) {
            for (ItemEvaluation e : OPEN.values()) {
                e.close();
            }
            OPEN.clear();
        }
    }
}
