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

    /**
     * Opens the dialog; for the Optimize INT8 wizard, which reads its model in a background job, returns once the pages
     * show what it read (the event loop runs meanwhile), so that tests fill the pages as a user would after waiting.
     */
    @Override
    public int open() {
        int r = super.open();
        if (getWizard() instanceof org.int8workbench.ui.wizards.OptimizeWizard w) {
            awaitModel(w);
        }
        return r;
    }

    /** Opens the dialog and returns at once, while the wizard may still be reading its model. */
    int openWhileReading() {
        return super.open();
    }

    /** Runs the event loop until the wizard shows what it read from its model (at most a minute). */
    void awaitModel(org.int8workbench.ui.wizards.OptimizeWizard w) {
        org.eclipse.swt.widgets.Display d = getShell().getDisplay();
        long end = System.currentTimeMillis() + 60_000;
        while (!w.modelShown() && System.currentTimeMillis() < end) {
            if (!d.readAndDispatch()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
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
