package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.ProgressMonitorWrapper;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancelling the optimization job stops it and leaves no half-written file beside the model. */
class CancelTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void cancelLeavesNoOutput() throws Exception {
        Path source = UiTestSupport.deeplabModel();
        project = projects.create("cancel");
        IFile model = UiTestSupport.copy(project, source, "deeplab.onnx");
        OptimizeSettings d = OptimizeWizard.defaults(model.getLocation().toPath());
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(),
                147, d.preprocessing(), "performance", "minmax", false, List.of(), false, true, "latency", 3, 0, true, 8);
        // cancel when the calibration pass is under way (three images in), as a person pressing Cancel would
        AtomicBoolean cancelled = new AtomicBoolean();
        UiJobs.UiJob job = UiJobs.schedule("Optimize INT8: " + model.getName(), monitor -> OptimizeJob.run(model, s,
                new ProgressMonitorWrapper(monitor) {
                    private int images = -1;

                    @Override
                    public void setTaskName(String name) {
                        super.setTaskName(name);
                        if (name.startsWith("Calibrating")) {
                            images = 0;
                        }
                    }

                    @Override
                    public void subTask(String name) {
                        super.subTask(name);
                        if (images >= 0 && ++images == 3) {
                            cancelled.set(true);
                            setCanceled(true);
                        }
                    }
                }));
        UiTestSupport.joinUiJobs();
        assertTrue(cancelled.get(), "the calibration pass was reached and cancelled");
        assertEquals(IStatus.CANCEL, job.outcome().getSeverity(), job.outcome().toString());
        try (Stream<Path> files = Files.list(model.getLocation().toPath().getParent())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            assertEquals(List.of("deeplab.onnx"), names, "a cancelled run leaves no file, not even its settings");
        }
    }
}
