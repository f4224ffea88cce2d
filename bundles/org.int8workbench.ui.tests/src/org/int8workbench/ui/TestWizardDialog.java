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
     * The Optimize INT8 wizard on {@code model}, open over the workbench window as the command opens it, once its pages
     * show what it read from the model ({@link #wizard} gives the wizard).
     */
    static TestWizardDialog openOptimize(org.eclipse.core.resources.IFile model) {
        return open(UiTestSupport.ui(() -> new org.int8workbench.ui.wizards.OptimizeWizard(model)));
    }

    /** {@code wizard} open over the workbench window ({@link #open()}: the Optimize wizard once it read its model). */
    static TestWizardDialog open(IWizard wizard) {
        TestWizardDialog d = UiTestSupport.ui(() -> new TestWizardDialog(shell(), wizard));
        UiTestSupport.run(d::open);
        return d;
    }

    /** {@code wizard} open over the workbench window, returning at once while it may still read its model. */
    static TestWizardDialog openWhileReading(IWizard wizard) {
        TestWizardDialog d = UiTestSupport.ui(() -> new TestWizardDialog(shell(), wizard));
        UiTestSupport.run(d::openWhileReading);
        return d;
    }

    /** The Optimize INT8 wizard this dialog shows. */
    org.int8workbench.ui.wizards.OptimizeWizard wizard() {
        return (org.int8workbench.ui.wizards.OptimizeWizard) getWizard();
    }

    private static Shell shell() {
        return org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
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
