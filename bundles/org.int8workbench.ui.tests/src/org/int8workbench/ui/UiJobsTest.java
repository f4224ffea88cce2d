package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.head.CutHeadOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job run through {@link UiJobs} ends with the status of its work: the failure's error status (which the job
 * framework logs and the workbench shows), or CANCEL when it was cancelled.
 */
class UiJobsTest {
    private boolean automatedMode;
    private ILogListener listener;

    @BeforeEach
    void noDialogs() {
        // the workbench would show each failure in its (non-blocking) status dialog; keep the test workbench clean
        automatedMode = ErrorDialog.AUTOMATED_MODE;
        ErrorDialog.AUTOMATED_MODE = true;
    }

    @AfterEach
    void restore() {
        if (listener != null) {
            Platform.removeLogListener(listener);
        }
        ErrorDialog.AUTOMATED_MODE = automatedMode;
    }

    @Test
    void aFailedCoreOperationIsTheJobsErrorResultAndLogged(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.onnx");
        CountDownLatch logged = new CountDownLatch(1);
        listener = (status, plugin) -> {
            if (status.getMessage().contains(missing.toString())) {
                logged.countDown();
            }
        };
        Platform.addLogListener(listener);

        UiJobs.UiJob job = UiJobs.schedule("Cut the head of a missing model",
                monitor -> new CutHeadOperation(missing).run(monitor));
        job.join();

        IStatus result = job.getResult();
        assertEquals(IStatus.ERROR, result.getSeverity(), result.toString());
        assertEquals(CoreStatus.PLUGIN_ID, result.getPlugin());
        assertTrue(result.getMessage().startsWith("cannot read ONNX model " + missing), result.getMessage());
        assertSame(result, job.outcome());
        assertTrue(logged.await(30, TimeUnit.SECONDS), "the failed job's status was not logged");
        ErrorLogGuard.expect(missing.toString(), 30);
    }

    @Test
    void anUnexpectedExceptionBecomesAnErrorStatusWithItsCause() throws Exception {
        IllegalStateException failure = new IllegalStateException("the work broke");
        UiJobs.UiJob job = UiJobs.schedule("Failing work", monitor -> {
            throw failure;
        });
        job.join();

        IStatus result = job.getResult();
        assertEquals(IStatus.ERROR, result.getSeverity(), result.toString());
        assertEquals(Activator.PLUGIN_ID, result.getPlugin());
        assertTrue(result.getMessage().startsWith("Failing work failed: "), result.getMessage());
        assertEquals("Failing work failed: the work broke", result.getMessage(), "the message, not the exception's class name");
        assertSame(failure, result.getException());
        assertSame(failure, ErrorLogGuard.expect("Failing work failed: ", 30).status().getException(), "logged with its cause");
    }

    @Test
    void aCancelledJobEndsWithCancel() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        UiJobs.UiJob job = UiJobs.schedule("Work that is cancelled", monitor -> {
            SubMonitor sub = SubMonitor.convert(monitor, 2);
            sub.split(1);
            started.countDown();
            try {
                cancelled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sub.split(1); // throws OperationCanceledException: the monitor was cancelled meanwhile
        });
        assertTrue(started.await(30, TimeUnit.SECONDS), "the job did not start");
        job.cancel();
        cancelled.countDown();
        job.join();

        assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), job.getResult().toString());
        assertSame(job.getResult(), job.outcome());
    }
}
