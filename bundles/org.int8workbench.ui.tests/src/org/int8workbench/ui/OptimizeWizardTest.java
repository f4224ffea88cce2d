package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Optimize INT8 wizard validates as the user types and enables Finish only when the settings can run. */
class OptimizeWizardTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;
    private TestWizardDialog dialog;

    @Test
    void validatesAsYouType() throws Exception {
        java.nio.file.Path source = UiTestSupport.deeplabModel();
        project = projects.create("wizard");
        IFile model = UiTestSupport.copy(project, source, "deeplab.onnx");
        dialog = projects.closeAfter(TestWizardDialog.openOptimize(model));
        OptimizeWizard wizard = dialog.wizard();

        // first run: no dataset yet, so Finish is disabled (the page shows its problems once the user types)
        assertFalse(ui(dialog::finishEnabled), "Finish without a dataset");

        run(() -> wizard.setDataset(DataKind.VOC, "/no/such/folder", "", 16));
        assertTrue(ui(wizard::currentMessage).contains("does not exist"), ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));

        // an image folder is not a VOC folder
        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.calibrationPhotos().toString(), "", 16));
        assertTrue(ui(wizard::currentMessage).startsWith("Not a Pascal VOC folder"), ui(wizard::currentMessage));

        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 0));
        assertTrue(ui(wizard::currentMessage).contains("subset size"), ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));

        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 16));
        assertTrue(ui(dialog::finishEnabled), "Finish once the dataset page is valid: " + ui(wizard::currentMessage));
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-1-dataset");

        // the preprocessing page is prefilled from the model: 257x257 NCHW, mean/std 127.5
        OptimizeSettings s = ui(wizard::settings);
        assertNotNull(s.preprocessing());
        assertTrue(s.preprocessing().width() == 257 && s.preprocessing().height() == 257, s.preprocessing().describe());
        assertTrue(s.preset().equals("performance"), s.preset());
        for (String page : new String[] {"preprocessing", "quantization", "measure"}) {
            run(() -> dialog.showPage(wizard.getPage(page)));
            UiTestSupport.screenshot(ui(dialog::getShell), "wizard-" + page);
        }

        // a bad number on the measure page blocks Finish again
        run(() -> wizard.setMeasure(true, "latency", 0, true, 8));
        assertTrue(ui(wizard::currentMessage).contains("duration"), ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));
        run(() -> wizard.setMeasure(true, "latency", 3, true, 8));
        assertTrue(ui(dialog::finishEnabled));
    }
}
