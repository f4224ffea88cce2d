package org.int8workbench.ui;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * The one way the UI runs core operations: a user {@link Job} (progress dialog, cancel button) of the family
 * {@link #FAMILY}, so tests can wait with {@code Job.getJobManager().join(UiJobs.FAMILY, null)}. A failure is handed
 * to {@link Activator#showError} with the operation's status and kept as the job's {@link UiJob#outcome()}.
 */
public final class UiJobs {
    /** The family of every job the UI schedules. */
    public static final Object FAMILY = UiJobs.class.getName();

    private UiJobs() {
    }

    /** Work done in a job: a core operation run with the job's monitor. */
    @FunctionalInterface
    public interface Work {
        void run(IProgressMonitor monitor) throws CoreException;
    }

    /** A job of {@link #FAMILY}. */
    public static final class UiJob extends Job {
        private final Work work;
        private volatile IStatus outcome;

        UiJob(String name, Work work) {
            super(name);
            this.work = work;
        }

        @Override
        protected IStatus run(IProgressMonitor monitor) {
            try {
                work.run(monitor);
                outcome = Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                outcome = Status.CANCEL_STATUS;
            } catch (CoreException e) {
                outcome = e.getStatus();
                Activator.showError(e.getStatus());
            } catch (RuntimeException | LinkageError e) {
                outcome = Status.error(getName() + " failed: " + e, e);
                Activator.showError(outcome);
            }
            // failures were shown and logged above; the job itself reports only cancellation
            return outcome.getSeverity() == IStatus.CANCEL ? Status.CANCEL_STATUS : Status.OK_STATUS;
        }

        /** How the work ended: OK, CANCEL or the error status; {@code null} while running. */
        public IStatus outcome() {
            return outcome;
        }

        @Override
        public boolean belongsTo(Object family) {
            return FAMILY.equals(family);
        }
    }

    /** Schedules {@code work} as a user job named {@code name}. */
    public static UiJob schedule(String name, Work work) {
        UiJob job = new UiJob(name, work);
        job.setUser(true);
        job.schedule();
        return job;
    }
}
