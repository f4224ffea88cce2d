package org.int8workbench.ui;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.eclipse.ui.statushandlers.StatusManager;
import org.osgi.framework.BundleContext;

/** The UI bundle's activator: gives access to the bundle's log and preference store. */
public final class Activator extends AbstractUIPlugin {
    /** The bundle's symbolic name. */
    public static final String PLUGIN_ID = "org.int8workbench.ui";

    private static Activator plugin;

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
        // a notice, not a warning: nothing went wrong, the leftovers of a run stopped by kill -9 are gone
        org.int8workbench.core.Temporaries.onSweep(line -> getLog().log(org.eclipse.core.runtime.Status.info(line)));
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        org.int8workbench.core.Temporaries.onSweep(null);
        plugin = null;
        super.stop(context);
    }

    /** The running instance, or {@code null} before start and after stop. */
    public static Activator getDefault() {
        return plugin;
    }

    /**
     * Logs the status and shows it in the standard status dialog (with details and the cause chain), for failures
     * outside jobs (a job returns its failure as its result instead). Safe to call from any thread.
     */
    public static void showError(IStatus status) {
        StatusManager.getManager().handle(status, StatusManager.SHOW | StatusManager.LOG);
    }
}
