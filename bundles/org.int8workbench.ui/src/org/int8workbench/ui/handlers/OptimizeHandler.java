package org.int8workbench.ui.handlers;

import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.wizards.OptimizeWizard;

/** Optimize INT8…: opens the wizard for the selected model. */
public final class OptimizeHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) {
        WizardDialog dialog = new WizardDialog(HandlerUtil.getActiveShell(event), new OptimizeWizard(model));
        dialog.open();
    }
}
