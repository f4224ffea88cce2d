package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.wizards.newresource.BasicNewProjectResourceWizard;
import org.junit.jupiter.api.Test;

/**
 * The platform's own New Project wizard, the first step of the user story, finishes in the INT8 Workbench product
 * without logging anything (the Error Log guard checks).
 */
class PlatformWizardTest {

    @Test
    void theNewProjectWizardFinishesWithoutLogging() throws Exception {
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("wizard-made");
        if (project.exists()) {
            project.delete(true, true, null);
        }
        BasicNewProjectResourceWizard wizard = ui(() -> {
            BasicNewProjectResourceWizard w = new BasicNewProjectResourceWizard();
            w.init(PlatformUI.getWorkbench(), StructuredSelection.EMPTY);
            return w;
        });
        TestWizardDialog dialog = ui(() -> {
            TestWizardDialog d = new TestWizardDialog(PlatformUI.getWorkbench().getWorkbenchWindows()[0].getShell(), wizard);
            d.open();
            return d;
        });
        try {
            run(() -> {
                Text name = firstText(wizard.getPage("basicNewProjectPage").getControl());
                assertNotNull(name, "the project name field");
                name.setText("wizard-made");
            });
            UiTestSupport.settle(200);
            assertTrue(ui(dialog::finish), "Finish is enabled once the project has a name");
        } finally {
            run(() -> {
                if (dialog.getShell() != null && !dialog.getShell().isDisposed()) {
                    dialog.close();
                }
            });
        }
        UiTestSupport.settle(500);
        try {
            assertTrue(project.exists(), "the wizard made the project");
        } finally {
            project.delete(true, true, null);
        }
    }

    private static Text firstText(Control c) {
        if (c instanceof Text t) {
            return t;
        }
        if (c instanceof Composite parent) {
            for (Control child : parent.getChildren()) {
                Text t = firstText(child);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }
}
