package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wizard's Method list: Default first (Performance preset), Accuracy-aware with its max drop, metric and
 * validation dataset, checked as the user types; the range estimator is its own combo; the choice is remembered.
 */
class AccuracyAwareWizardTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;
    private TestWizardDialog dialog;

    @Test
    void accuracyAwareNeedsAValidationDatasetAndAPositiveDrop() throws Exception {
        Path source = UiTestSupport.deeplabModel();
        project = projects.create("wizard-aa");
        IFile model = UiTestSupport.copy(project, source, "deeplab.onnx");
        dialog = projects.closeAfter(TestWizardDialog.openOptimize(model));
        OptimizeWizard wizard = dialog.wizard();
        String voc = UiTestSupport.vocVal().toString();
        String photos = UiTestSupport.calibrationPhotos().toString();
        run(() -> wizard.setDataset(DataKind.VOC, voc, photos, 16));
        run(() -> dialog.showPage(wizard.getPage("quantization")));

        // Default first, with the Performance preset and MinMax ranges
        OptimizeSettings s = ui(wizard::settings);
        assertEquals(OptimizeSettings.DEFAULT_METHOD, s.methodName());
        assertNull(s.accuracyAware());
        assertEquals("performance", s.preset());
        assertEquals("mean-minmax", s.method());
        assertTrue(ui(dialog::finishEnabled), () -> ui(wizard::currentMessage));

        // Accuracy-aware without a validation dataset
        run(() -> wizard.setMethod("Accuracy-aware", "0.3", "Auto", ""));
        assertTrue(ui(wizard::currentMessage).contains("needs a validation dataset"), () -> ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));

        // a drop that is not above 0
        run(() -> wizard.setMethod("Accuracy-aware", "0", "Auto", voc));
        assertTrue(ui(wizard::currentMessage).contains("max drop above 0"), () -> ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));
        run(() -> wizard.setMethod("Accuracy-aware", "half a point", "Auto", voc));
        assertTrue(ui(wizard::currentMessage).contains("max drop above 0"), () -> ui(wizard::currentMessage));

        // a folder that does not exist, and mIoU on images without masks
        run(() -> wizard.setMethod("Accuracy-aware", "0.3", "Auto", "/no/such/folder"));
        assertTrue(ui(wizard::currentMessage).contains("does not exist"), () -> ui(wizard::currentMessage));
        run(() -> wizard.setMethod("Accuracy-aware", "0.3", "mIoU", photos));
        assertTrue(ui(wizard::currentMessage).contains("needs ground-truth masks"), () -> ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));
        // agreement needs no masks
        run(() -> wizard.setMethod("Accuracy-aware", "2", "Agreement", photos));
        assertTrue(ui(dialog::finishEnabled), () -> ui(wizard::currentMessage));

        // valid: the VOC val pairs, 0.3 points, auto metric; the range estimator is its own combo
        run(() -> wizard.setMethod("Accuracy-aware", "0.3", "Auto", voc));
        run(() -> wizard.setRange("Percentile"));
        assertTrue(ui(dialog::finishEnabled), () -> ui(wizard::currentMessage));
        s = ui(wizard::settings);
        assertEquals(OptimizeSettings.ACCURACY_AWARE_METHOD, s.methodName());
        assertEquals(new OptimizeSettings.AccuracyAware(0.3, "auto", voc), s.accuracyAware());
        assertEquals("percentile", s.method());
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-accuracy-aware");

        // remembered with the model and read back, as Optimize Again and the wizard's next run do
        Path path = model.getLocation().toPath();
        s.remember(path);
        assertEquals(s, OptimizeSettings.remembered(path));
        run(dialog::close);
        dialog = projects.closeAfter(TestWizardDialog.openOptimize(model));
        OptimizeWizard again = dialog.wizard();
        assertEquals(s, ui(again::settings), "the wizard reopens with the Accuracy-aware settings");

        // back to Default: the accuracy fields no longer block Finish
        run(() -> again.setMethod("Default", "", "Auto", ""));
        assertTrue(ui(dialog::finishEnabled), () -> ui(again::currentMessage));
        assertNull(ui(again::settings).accuracyAware());
    }
}
