package org.int8workbench.ui.views;

import static org.int8workbench.ui.TestProjects.page;
import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.core.runs.RunComparison;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.UiTestSupport;
import org.int8workbench.ui.editors.PerformanceEditor;
import org.int8workbench.ui.editors.RunComparisonEditor;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.int8workbench.ui.TestProjects;

/**
 * The Runs view in the real workbench: a tiny Conv + Resize model optimized twice by the Optimize job (MinMax, then
 * Percentile; each with a short benchmark and a comparison on generated images), its runs listed when the model is
 * selected in the Model Explorer, two rows checked and compared: the Performance editor shows the parent and both
 * runs' models from one benchmark, the Run Comparison editor both runs side by side.
 */
class RunsViewTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    private static OptimizeSettings settings(Path model, String method) {
        return new OptimizeSettings(DataKind.GENERATED, "", "", 8, OptimizeSettings.preprocessingOf(model), "performance", method, true,
                List.of(), true, true, "throughput", 0.5, 0, true, 4);
    }

    @Test
    void listsTwoOptimizationsAndComparesThemSideBySide() throws Exception {
        project = projects.create("runs");
        Path dir = project.getLocation().toFile().toPath();
        BenchTinyModels.write(BenchTinyModels.floatConvResize(), dir, "tiny.onnx");
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        IFile model = project.getFile("tiny.onnx");
        Path path = model.getLocation().toFile().toPath();
        OptimizeJob.run(model, settings(path, "minmax"), new NullProgressMonitor());
        OptimizeJob.run(model, settings(path, "percentile"), new NullProgressMonitor());
        List<RunHistory.Run> recorded = RunHistory.besideModels().list(path).runs();
        assertEquals(2, recorded.size(), "each Optimize is remembered");
        project.refreshLocal(IResource.DEPTH_INFINITE, null);

        // the Runs view follows the model selected in the Model Explorer
        RunsView view = ui(() -> (RunsView) page().showView(RunsView.ID));
        ModelExplorerView explorer = ui(() -> (ModelExplorerView) page().showView(ModelExplorerView.ID));
        UiTestSupport.waitUntil("the model in the Model Explorer", () -> explorer.shownModels().contains(model), 20);
        run(() -> explorer.select(model));
        UiTestSupport.waitUntil("the runs of the selected model", () -> view.table().getItemCount() == 2, 20);
        assertEquals(path, ui(view::parentModel));
        assertEquals(List.of(), ui(view::warnings));
        List<String> headers = ui(() -> {
            List<String> out = new ArrayList<>();
            for (var c : view.table().getColumns()) {
                out.add(c.getText());
            }
            return out;
        });
        assertEquals(List.of("Time", "Method", "Preset / range", "Ignored nodes", "Speedup throughput", "Speedup latency", "Agreement",
                "mIoU drop (points)", "Id"), headers);
        // newest first: the Percentile run on top, with its recorded speedup and agreement
        List<String> top = ui(() -> row(view, 0));
        assertEquals("performance / percentile", top.get(2), top.toString());
        assertTrue(top.get(4).endsWith("x"), "throughput speedup recorded: " + top);
        assertTrue(top.get(6).endsWith("%"), "agreement recorded: " + top);
        assertEquals("performance / minmax", ui(() -> row(view, 1)).get(2));

        // every column sorts: by preset / range ascending puts MinMax first
        run(() -> view.table().getColumn(2).notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event()));
        assertEquals("performance / minmax", ui(() -> row(view, 0)).get(2));

        assertFalse(ui(view::canCompare));
        run(() -> view.check(List.of(recorded.get(0).id(), recorded.get(1).id())));
        assertTrue(ui(view::canCompare));
        UiTestSupport.screenshot(view, "runs-view");
        UiJobs.UiJob job = ui(view::compareChecked);
        assertNotNull(job);
        job.join();
        assertEquals(IStatus.OK, job.outcome().getSeverity(), job.outcome().toString());
        UiTestSupport.joinUiJobs();

        UiTestSupport.waitUntil("the Run Comparison editor", () -> editor(RunComparisonEditor.class) != null, 20);
        RunComparisonEditor comparison = ui(() -> editor(RunComparisonEditor.class));
        RunComparison c = ui(comparison::comparison);
        assertEquals(List.of(recorded.get(1).id(), recorded.get(0).id()), c.columns().stream().map(RunComparison.Column::id).toList(),
                "both checked runs, in the table's order");
        assertEquals(3, c.benchmark().models().size(), "the parent and both runs' models in one benchmark");
        for (RunComparison.Column col : c.columns()) {
            assertTrue(col.speed().throughput() > 0, col.toString());
            assertEquals(4, col.accuracy().images(), "evaluated now on the remembered data");
        }
        List<String> titles = ui(() -> {
            List<String> out = new ArrayList<>();
            for (var col : comparison.table().getColumns()) {
                out.add(col.getText());
            }
            return out;
        });
        assertEquals(List.of("Figure", "Parent tiny.onnx", "Run " + recorded.get(1).id(), "Run " + recorded.get(0).id()), titles);
        List<String> range = ui(() -> rowOf(comparison.table(), "Preset / range"));
        assertEquals(List.of("Preset / range", "", "performance / minmax", "performance / percentile"), range);
        List<String> agreement = ui(() -> rowOf(comparison.table(), "Pixel agreement with parent (now)"));
        assertTrue(agreement.get(2).endsWith("%") && agreement.get(3).endsWith("%"), agreement.toString());

        PerformanceEditor perf = ui(() -> editor(PerformanceEditor.class));
        assertNotNull(perf, "the comparison's benchmark opens in the Performance editor");
        assertEquals(4, ui(perf::columnTitles).size(), "Figure, the parent and both runs' models: " + ui(perf::columnTitles));
        UiTestSupport.screenshot(comparison, "run-comparison");
        UiTestSupport.screenshot(perf, "run-comparison-performance");

        // a run's own reports, as it recorded them (the next run beside the model replaced the files there)
        run(() -> page().closeAllEditors(false));
        run(() -> view.openReports(recorded.get(1)));
        UiTestSupport.waitUntil("the run's reports", () -> editor(org.int8workbench.ui.editors.AccuracyReportEditor.class) != null
                && editor(PerformanceEditor.class) != null, 20);
        PerformanceEditor own = ui(() -> editor(PerformanceEditor.class));
        assertEquals(recorded.get(1).benchmarkReports().get(0), ui(() -> own.file()));
    }

    private static List<String> row(RunsView view, int index) {
        var item = view.table().getItem(index);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < view.table().getColumnCount(); i++) {
            out.add(item.getText(i));
        }
        return out;
    }

    private static List<String> rowOf(org.eclipse.swt.widgets.Table table, String metric) {
        for (var item : table.getItems()) {
            if (item.getText(0).equals(metric)) {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < table.getColumnCount(); i++) {
                    out.add(item.getText(i));
                }
                return out;
            }
        }
        return List.of();
    }

    private static <T> T editor(Class<T> type) {
        for (IEditorReference r : page().getEditorReferences()) {
            var e = r.getEditor(true);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }
}
