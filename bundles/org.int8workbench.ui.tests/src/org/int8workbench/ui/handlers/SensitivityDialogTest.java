package org.int8workbench.ui.handlers;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.UiTestSupport;
import org.int8workbench.ui.jobs.SensitivityJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.int8workbench.ui.TestProjects;

/**
 * Layer Sensitivity…'s dialog: prefilled from the model's last optimization, checked as the user types, and the
 * command is on the model's INT8 Workbench menu.
 */
class SensitivityDialogTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;
    private SensitivityDialog dialog;

    @Test
    void prefilledFromTheLastOptimizationAndCheckedAsYouType() throws Exception {
        project = projects.create("sensitivity-dialog");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        Path path = model.getLocation().toPath();
        String voc = UiTestSupport.vocVal().toString();
        String photos = UiTestSupport.calibrationPhotos().toString();
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, voc, photos, 8, OptimizeSettings.preprocessingOf(path), "performance",
                "minmax", true, List.of(), false, true, "latency", 2, 0, true, 4);
        s.remember(path);
        assertEquals(new SensitivityJob.Request(photos, voc, SensitivityHandler.DEFAULT_RANKING), SensitivityHandler.initial(path),
                "separate calibration images: the dataset validates");
        String other = UiTestSupport.vocVal().resolveSibling("voc2012-val-vainf-samples").toString();
        s.withAccuracyAware(new OptimizeSettings.AccuracyAware(0.3, "auto", other)).remember(path);
        assertEquals(other, SensitivityHandler.initial(path).validation(), "the Accuracy-aware validation dataset first");

        dialog = projects.closeAfter(ui(() -> new SensitivityDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "deeplab.onnx", "", "",
                8)));
        run(() -> {
            dialog.setBlockOnOpen(false);
            dialog.open();
        });
        assertFalse(ui(dialog::okEnabled), "no calibration folder yet");
        assertEquals("Choose the folder of calibration images", ui(dialog::getErrorMessage));
        run(() -> dialog.setFolders("/no/such/folder", ""));
        assertTrue(ui(dialog::getErrorMessage).contains("does not exist"), ui(dialog::getErrorMessage));
        run(() -> dialog.setFolders(photos, "/no/such/validation"));
        assertTrue(ui(dialog::getErrorMessage).startsWith("The validation dataset"), ui(dialog::getErrorMessage));
        assertFalse(ui(dialog::okEnabled));
        run(() -> dialog.setFolders(photos, voc));
        assertTrue(ui(dialog::okEnabled));
        UiTestSupport.screenshot(ui(dialog::getShell), "sensitivity-dialog");
        run(dialog::pressOk);
        assertEquals(photos, dialog.calibration());
        assertEquals(voc, dialog.validation());
        assertEquals(8, dialog.ranking());
        dialog = null;
    }
}
