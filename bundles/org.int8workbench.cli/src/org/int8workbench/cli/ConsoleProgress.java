package org.int8workbench.cli;

import java.io.PrintStream;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * A progress bar on standard error for the command line: {@code [#####.....] 45% Calibrating: 2007_000033}.
 * Quiet when standard error is not a terminal (scripts, CI), apart from task names. Ctrl-C is not needed to
 * cancel: the JVM exits; {@link #setCanceled} exists for embedding.
 */
public final class ConsoleProgress implements IProgressMonitor {
    private final PrintStream out;
    private final boolean interactive;
    private volatile boolean canceled;
    private double total = 1;
    private double worked;
    private String task = "";
    private String subTask = "";
    private long lastDraw;
    private int lastLength;

    public ConsoleProgress() {
        this(System.err, System.console() != null && System.getenv("INT8WB_NO_PROGRESS") == null);
    }

    public ConsoleProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void beginTask(String name, int totalWork) {
        task = name == null ? "" : name;
        total = totalWork <= 0 ? 1 : totalWork;
        worked = 0;
        if (!interactive && !task.isEmpty()) {
            out.println(task + "...");
        }
        draw(true);
    }

    @Override
    public void done() {
        worked = total;
        draw(true);
        if (interactive && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }

    @Override
    public void internalWorked(double work) {
        worked += work;
        draw(false);
    }

    @Override
    public boolean isCanceled() {
        return canceled;
    }

    @Override
    public void setCanceled(boolean value) {
        canceled = value;
    }

    @Override
    public void setTaskName(String name) {
        task = name == null ? "" : name;
        if (!interactive && !task.isEmpty()) {
            out.println(task + "...");
        }
        draw(true);
    }

    @Override
    public void subTask(String name) {
        subTask = name == null ? "" : name;
        draw(false);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    private synchronized void draw(boolean force) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double f = Math.max(0, Math.min(1, worked / total));
        int filled = (int) Math.round(f * 30);
        String line = "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + String.format("%3d%% ", Math.round(f * 100))
                + org.int8workbench.core.Printable.of(task + (subTask.isEmpty() ? "" : ": " + subTask));
        if (line.length() > 110) {
            line = line.substring(0, 110);
        }
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }
}
