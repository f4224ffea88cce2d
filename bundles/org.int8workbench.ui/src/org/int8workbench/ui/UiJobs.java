package org.int8workbench.ui;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * The one way the UI runs core operations: a user {@link Job} (progress dialog, cancel button) of the family
 * {@link #FAMILY}, so tests can wait with {@code Job.getJobManager().join(UiJobs.FAMILY, null)}. The job's result is
 * how the work ended: OK, {@link Status#CANCEL_STATUS} when cancelled, or the failure's error status (a
 * {@code CoreException}'s own status; anything else wrapped with its cause), which the job framework logs and the
 * workbench shows in its status dialog, the Eclipse way.
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

        UiJob(String name, Work work) {
            super(name);
            this.work = work;
        }

        @Override
        protected IStatus run(IProgressMonitor monitor) {
            try {
                work.run(monitor);
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } catch (CoreException e) {
                return e.getStatus();
            } catch (RuntimeException | LinkageError e) {
                // the user reads the message; the exception (class and stack) stays attached for the Error Log's details
                String why = e.getMessage() == null || e.getMessage().isBlank()
                        ? "an internal error (the Error Log has the details)" : e.getMessage();
                return new Status(IStatus.ERROR, Activator.PLUGIN_ID, getName() + " failed: " + why, e);
            }
        }

        /** How the work ended: OK, CANCEL or the error status; {@code null} until the job has run. */
        public IStatus outcome() {
            return getResult();
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
