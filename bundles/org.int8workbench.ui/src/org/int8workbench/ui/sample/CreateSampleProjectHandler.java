package org.int8workbench.ui.sample;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.wizards.newresource.BasicNewResourceWizard;
import org.int8workbench.ui.UiJobs;

/**
 * Help › Create the INT8 Workbench Sample Project: creates the {@link SampleProject} in a job, then shows it in the
 * Project Explorer with the model selected and opens its README. When the project (or its folder) exists it says so and
 * changes nothing.
 */
public final class CreateSampleProjectHandler extends AbstractHandler {

    /** The Project Explorer's view id. */
    static final String PROJECT_EXPLORER = "org.eclipse.ui.navigator.ProjectExplorer";

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        String problem = SampleProject.problem();
        if (problem != null) {
            MessageDialog.openInformation(window == null ? null : window.getShell(), "INT8 Workbench Sample Project", problem);
            return null;
        }
        Display display = Display.getCurrent();
        UiJobs.schedule("Creating the INT8 Workbench sample project", monitor -> {
            IFile model = SampleProject.create(monitor);
            if (window != null && display != null && !display.isDisposed()) {
                display.asyncExec(() -> reveal(window, model));
            }
        });
        return null;
    }

    /** Opens the README, then shows the model selected in the Project Explorer. */
    static void reveal(IWorkbenchWindow window, IFile model) {
        IWorkbenchPage page = window.getActivePage();
        if (page == null || window.getShell().isDisposed()) {
            return;
        }
        try {
            IDE.openEditor(page, model.getProject().getFile(SampleProject.README), "org.eclipse.ui.DefaultTextEditor", true);
            page.showView(PROJECT_EXPLORER);
        } catch (PartInitException e) {
            // the project exists and the model is selected below; a README that cannot be shown is no failure
        }
        BasicNewResourceWizard.selectAndReveal(model, window);
    }
}
