package org.int8workbench.ui.editors;

import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.UiTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Re-run in the Performance editor measures a third model only as the INT8 model with its exact label head: a result
 * of three models whose third records no head is refused, naming that model, before anything is measured or written.
 */
class PerformanceRerunTest {
    private boolean automatedMode;
    private IProject project;

    @BeforeEach
    void noDialogs() {
        // the failed job's status would open the workbench's (non-blocking) status dialog; keep the test workbench clean
        automatedMode = ErrorDialog.AUTOMATED_MODE;
        ErrorDialog.AUTOMATED_MODE = true;
    }

    @AfterEach
    void restore() throws Exception {
        ErrorDialog.AUTOMATED_MODE = automatedMode;
        if (project != null) {
            ui(() -> page().closeAllEditors(false));
            project.delete(true, true, null);
        }
    }

    @Test
    void aThirdModelWithoutAHeadIsRefused() throws Exception {
        project = UiTestSupport.project("rerun-three");
        Path dir = project.getLocation().toFile().toPath();
        Path a = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "a.onnx");
        Path b = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "b.onnx");
        Path c = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "c.onnx");
        BenchmarkResult measured = new BenchmarkOperation(a).others(List.of(b, c)).iterations(2).rounds(1).warmup(0)
                .run(new NullProgressMonitor());
        BenchmarkReportWriter.writeFiles(measured, dir);
        project.refreshLocal(IProject.DEPTH_INFINITE, null);
        IFile json = project.getFile(BenchmarkReportWriter.JSON);
        long written = json.getLocation().toFile().lastModified();

        PerformanceEditor editor = ui(() -> (PerformanceEditor) IDE.openEditor(page(), json, PerformanceEditor.ID));
        assertEquals(3, ui(editor::modelColumnCount));
        UiJobs.UiJob job = ui(editor::rerun);
        assertNotNull(job, "three models start the re-run job, which checks the third for a head");
        job.join();

        IStatus outcome = job.outcome();
        assertEquals(IStatus.ERROR, outcome.getSeverity(), outcome.toString());
        assertTrue(outcome.getMessage().contains("c.onnx, records no exact label head"), outcome.getMessage());
        assertEquals(written, json.getLocation().toFile().lastModified(), "nothing was measured or written");
        // the refusal goes through the status funnel (log + show)
        org.int8workbench.ui.ErrorLogGuard.expect("c.onnx, records no exact label head", 30);
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }
}
