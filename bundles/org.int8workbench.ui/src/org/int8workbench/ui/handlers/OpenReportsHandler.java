package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.jobs.OptimizeJob;

/** Open Reports: the latest benchmark and accuracy report of the selected model (or of the INT8 model made from it). */
public final class OpenReportsHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) {
        openLatest(HandlerUtil.getActiveWorkbenchWindow(event).getActivePage(), model);
    }

    /** Opens the latest reports of {@code model}; says so when there are none. */
    public static void openLatest(IWorkbenchPage page, IFile model) {
        List<IFile> files = new ArrayList<>();
        try {
            Path p = ModelFiles.path(model);
            for (Path r : new Path[] {ModelFiles.latest(p, true), ModelFiles.latest(p, false)}) {
                IFile f = r == null ? null : ModelFiles.file(r);
                if (f != null) {
                    files.add(f);
                }
            }
        } catch (CoreException e) {
            Activator.showError(e.getStatus());
            return;
        }
        if (files.isEmpty()) {
            MessageDialog.openInformation(page.getWorkbenchWindow().getShell(), "No reports yet",
                    model.getName() + " has no benchmark or accuracy report yet. Use Optimize INT8\u2026, Benchmark or Evaluate.");
            return;
        }
        OptimizeJob.openFiles(files);
    }
}
