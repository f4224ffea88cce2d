package org.int8workbench.ui.handlers;

import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.wizards.OptimizeWizard;

/** Optimize Again: repeats the remembered settings of the selected model, or opens the wizard when there are none. */
public final class OptimizeAgainHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        OptimizeSettings s = OptimizeSettings.remembered(pathOf(model));
        if (s == null) {
            new WizardDialog(HandlerUtil.getActiveShell(event), new OptimizeWizard(model)).open();
        } else {
            OptimizeJob.schedule(model, s);
        }
    }
}
