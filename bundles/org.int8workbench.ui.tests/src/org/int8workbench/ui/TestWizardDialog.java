package org.int8workbench.ui;

import org.eclipse.jface.wizard.IWizard;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;

/** A wizard dialog tests can open without blocking and finish as the Finish button does. */
final class TestWizardDialog extends WizardDialog {
    TestWizardDialog(Shell parent, IWizard wizard) {
        super(parent, wizard);
        setBlockOnOpen(false);
    }

    /** Presses Finish (only when enabled, like a user). */
    boolean finish() {
        if (!getButton(org.eclipse.jface.dialogs.IDialogConstants.FINISH_ID).isEnabled()) {
            return false;
        }
        finishPressed();
        return true;
    }

    boolean buttonEnabled(int id) {
        return getButton(id).isEnabled();
    }

    boolean finishEnabled() {
        return getButton(org.eclipse.jface.dialogs.IDialogConstants.FINISH_ID).isEnabled();
    }
}
