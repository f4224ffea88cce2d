package org.int8workbench.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * The driver's progress of one job group: a monitor step and "N/M tasks" per finished task of its jobs (listener
 * events arrive on Spark's listener thread).
 */
final class TaskProgress extends SparkListener {

    private final String group;
    private final IProgressMonitor monitor;
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final java.util.Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    TaskProgress(String group, IProgressMonitor monitor, int total) {
        this.group = group;
        this.monitor = monitor;
        this.total = total;
        monitor.subTask("0/" + total + " tasks");
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
            scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds()).forEach(id -> stages.add((Integer) id));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (stages.contains(end.stageId()) && end.taskInfo() != null && end.taskInfo().successful()) {
            int n = done.incrementAndGet();
            monitor.worked(1);
            monitor.subTask(n + "/" + total + " tasks");
        }
    }

    /** Tasks finished so far. */
    int done() {
        return done.get();
    }
}
