package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.editors.AccuracyReportEditor;
import org.int8workbench.ui.editors.PerformanceEditor;
import org.int8workbench.ui.notify.OptimizeNotification;
import org.int8workbench.ui.views.ModelExplorerView;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole flow on the real DeepLabV3 with short settings: the wizard's Finish runs one job (calibrate on 16 photos,
 * quantize, cut the label head, a short benchmark of parent, INT8 and INT8 with the exact head in one run, compare on
 * 8 VOC val images); the INT8 models and reports appear beside the model, both editors open with data (the Performance
 * editor with a column and a bar per model), sorting a column reorders rows, Visualize shows the pictures, and the settings are
 * remembered.
 */
class EndToEndTest {
    private IProject project;

    @AfterEach
    void cleanUp() throws Exception {
        run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false));
        run(OptimizeNotification::close);
        if (project != null) {
            project.delete(true, true, null);
        }
    }

    @Test
    void optimizeOpensBothEditorsThatSortAndVisualize() throws Exception {
        Path source = UiTestSupport.deeplabModel();
        project = UiTestSupport.project("e2e");
        IFile model = UiTestSupport.copy(project, source, "deeplab.onnx");
        ModelExplorerView view = ui(() -> (ModelExplorerView) page().showView(ModelExplorerView.ID));

        OptimizeWizard wizard = ui(() -> new OptimizeWizard(model));
        TestWizardDialog dialog = ui(() -> new TestWizardDialog(page().getWorkbenchWindow().getShell(), wizard));
        run(dialog::open);
        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 16));
        run(() -> wizard.setMeasure(true, "latency", 3, true, 8));
        assertTrue(ui(dialog::finish), () -> "Finish enabled: " + ui(wizard::currentMessage));
        assertNotNull(wizard.job());
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, wizard.job().outcome().getSeverity(), wizard.job().outcome().toString());

        // outputs beside the model, visible in the workspace
        IFile int8 = project.getFile("deeplab.int8.onnx");
        IFile bench = project.getFile("deeplab.int8.benchmark.json");
        IFile report = project.getFolder("deeplab.int8.accuracy").getFile("report.json");
        IFile settings = project.getFile("deeplab.optimize.json");
        for (IFile f : List.of(int8, bench, report, settings)) {
            assertTrue(f.exists(), f + " in the workspace");
        }
        // the notification: what was written, the speedup and the agreement, links to both editors
        OptimizeNotification.Shown note = OptimizeNotification.last();
        assertNotNull(note, "a notification when the job ended");
        assertEquals("Optimized deeplab.onnx", note.title());
        assertFalse(note.failure());
        for (String written : List.of("deeplab.int8.onnx", "deeplab.int8.head.onnx", "deeplab.int8.benchmark.json", "deeplab.int8.accuracy")) {
            assertTrue(note.text().contains(written), written + " in " + note.text());
        }
        assertTrue(note.text().contains("Speedup over deeplab.onnx: deeplab.int8.onnx "), note.text());
        assertTrue(note.text().matches("(?s).*Agreement with the parent: \\d+\\.\\d% of pixels, mean IoU \\d+\\.\\d%.*"), note.text());
        assertEquals(List.of("Performance", "Accuracy"), List.copyOf(note.links().keySet()));
        assertEquals(bench, note.links().get("Performance"));
        assertEquals(report, note.links().get("Accuracy"));
        org.eclipse.swt.widgets.Shell popup = ui(OptimizeNotification::popup);
        assertNotNull(popup, "the notification popup is open");
        assertTrue(ui(popup::isVisible));
        UiTestSupport.screenshot(popup, "optimize-notification");
        run(OptimizeNotification::close);
        ModelSummary q = ModelSummary.of(int8.getLocation().toPath());
        assertEquals(ModelSummary.Precision.INT8_QDQ, q.precision());
        assertEquals(16, q.quantization().calibrationImages());
        OptimizeSettings remembered = OptimizeSettings.remembered(model.getLocation().toPath());
        assertEquals(16, remembered.subset());
        assertEquals(8, remembered.compareImages());

        // the explorer shows the INT8 model with its parent
        UiTestSupport.waitUntil("the INT8 model in the explorer", () -> view.shownModels().contains(int8) && view.summariesReady(), 60);
        String label = ui(() -> view.labelOf(int8));
        assertTrue(label.contains("INT8 QDQ") && label.contains("deeplab.onnx"), label);
        run(() -> view.select(int8));
        UiTestSupport.settle(300);
        assertTrue(ui(view::detailLines).stream().anyMatch(l -> l.startsWith("Quantization = ")), ui(view::detailLines).toString());
        UiTestSupport.screenshot(view, "model-explorer-int8");

        // both editors are open with data, titled with the models they compare
        PerformanceEditor perf = editor(PerformanceEditor.class);
        AccuracyReportEditor acc = editor(AccuracyReportEditor.class);
        assertEquals("Performance: deeplab.int8, deeplab.int8.head vs deeplab", ui(perf::getPartName));
        assertEquals("Accuracy: " + baseName(ui(acc::report).model().path()) + " vs deeplab", ui(acc::getPartName));
        assertTrue(ui(acc::getPartName).startsWith("Accuracy: deeplab.int8"), ui(acc::getPartName));
        assertEquals(bench.getLocation().toOSString(), ui(perf::getTitleToolTip));

        // its link opens the editor (already open: it comes to the front)
        run(() -> OptimizeNotification.openEditor(note.links().get("Accuracy")));
        assertEquals(acc, ui(() -> page().getActiveEditor()));
        // parent, INT8 and INT8 with the exact head (the real DeepLabV3 has a head) measured in one run
        IFile head = project.getFile("deeplab.int8.head.onnx");
        assertTrue(head.exists(), "the INT8 model cut before its head");
        List<String> measured = ui(perf::result).models().stream().map(m -> Path.of(m.path()).getFileName().toString()).toList();
        assertEquals(List.of("deeplab.onnx", "deeplab.int8.onnx", "deeplab.int8.head.onnx"), measured);
        assertEquals(3, ui(perf::modelColumnCount));
        List<String> titles = ui(perf::columnTitles);
        assertEquals(List.of("Figure", "A deeplab.onnx", "B deeplab.int8.onnx", "C deeplab.int8.head.onnx"), titles);
        PerformanceEditor.Figure precision = ui(perf::shownFigures).get(0);
        assertEquals("Precision", precision.metric());
        assertEquals(List.of("FP32", "INT8", "INT8"), precision.values());
        assertEquals(List.of("A deeplab.onnx", "B deeplab.int8.onnx", "C deeplab.int8.head.onnx"), ui(perf::chartSeries));
        List<PerformanceEditor.Figure> figures = ui(perf::shownFigures);
        for (String metric : List.of("Speedup vs A (model only)", "Speedup vs A (end to end)")) {
            PerformanceEditor.Figure f = figures.stream().filter(x -> x.metric().equals(metric)).findFirst()
                    .orElseThrow(() -> new AssertionError(metric + " in " + figures));
            assertTrue(f.value(1).endsWith(")") && f.value(2).endsWith(")"), "B and C speedups with spread: " + f);
        }
        PerformanceEditor.Figure fps = figures.stream().filter(x -> x.metric().startsWith("FPS (end to end")).findFirst().orElseThrow();
        assertEquals(3, fps.values().stream().filter(v -> !v.isEmpty()).count(), fps.toString());
        PerformanceEditor.Figure decoder = figures.stream().filter(x -> x.metric().equals("Label map by")).findFirst().orElseThrow();
        assertTrue(decoder.value(2).toLowerCase(java.util.Locale.ROOT).contains("head"), decoder.toString());
        assertTrue(ui(perf::opRowCount) > 3, "time per operator type");
        UiTestSupport.screenshot(perf, "performance-editor");
        Path perfOut = Files.createTempDirectory("int8wb-perf");
        run(() -> perf.exportHtml(perfOut.resolve("benchmark.html")));
        run(() -> perf.exportCsv(perfOut.resolve("benchmark.csv")));
        assertTrue(Files.readString(perfOut.resolve("benchmark.html")).contains("<svg"), "HTML with charts");
        assertEquals(4, Files.readAllLines(perfOut.resolve("benchmark.csv")).size(), "header + three models");

        run(() -> page().activate(acc));
        assertEquals(8, ui(acc::report).images().size());
        List<String> worstFirst = ui(() -> acc.rowTexts(1));
        assertEquals(8, worstFirst.size());
        assertSortedPercent(worstFirst, true);
        UiTestSupport.screenshot(acc, "accuracy-basic");

        // sorting: image name ascending, then descending
        run(() -> acc.clickHeader(0));
        List<String> byName = ui(() -> acc.rowTexts(0));
        List<String> expected = new ArrayList<>(byName);
        expected.sort(null);
        assertEquals(expected, byName);
        run(() -> acc.clickHeader(0));
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, ui(() -> acc.rowTexts(0)));
        assertNotEquals(byName, ui(() -> acc.rowTexts(0)));

        // Advanced mode and the class filter
        run(() -> acc.setAdvanced(true));
        int all = ui(() -> acc.table().getItemCount());
        assertTrue(all > 8, "image x class rows: " + all);
        run(() -> acc.setClassFilter(0));
        List<String> classes = ui(() -> acc.rowTexts(1));
        assertFalse(classes.isEmpty());
        assertTrue(classes.stream().allMatch(c -> c.equals("0 background")), classes.toString());
        run(() -> acc.setClassFilter(-1));
        UiTestSupport.screenshot(acc, "accuracy-advanced");
        run(() -> acc.setAdvanced(false));

        // Visualize the worst image
        run(() -> acc.clickHeader(1));
        run(() -> acc.selectRow(0));
        UiJobs.UiJob vis = ui(acc::visualizeSelection);
        assertNotNull(vis);
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, vis.outcome().getSeverity(), vis.outcome().toString());
        assertEquals(List.of("image", "ground truth", "parent", "optimized", "difference to parent"), ui(acc.visualizePanel()::panelTitles));
        run(() -> acc.visualizePanel().setZoom(200));
        run(() -> acc.visualizePanel().setZoom(0));
        UiTestSupport.screenshot(acc, "accuracy-visualize");
        run(() -> acc.visualizePanel().setClassVisible(0, false));
        assertEquals(5, ui(acc.visualizePanel()::panelSizes).size());
        UiTestSupport.screenshot(acc, "accuracy-visualize-no-background");

        // Visualize follows the mode switch: the same image's row is selected in the other table
        String shown = ui(acc::visualizedImage);
        assertNotNull(shown);
        run(() -> acc.setAdvanced(true));
        assertEquals(shown, ui(acc::selectedImage), "Advanced mode selects a row of the image shown");
        assertEquals(shown, ui(acc::visualizedImage));
        run(() -> acc.setAdvanced(false));
        assertEquals(shown, ui(acc::selectedImage), "Basic mode selects the image shown");
        // a row of another image, then the switch shows that image
        run(() -> acc.selectRow(1));
        String other = ui(acc::selectedImage);
        assertNotEquals(shown, other);
        run(() -> acc.setAdvanced(true));
        assertEquals(other, ui(acc::selectedImage));
        assertEquals(other, ui(acc::visualizedImage), "the switch visualizes the selected image");
        UiTestSupport.joinUiJobs();
        run(() -> acc.setAdvanced(false));

        // copy from the table: Ctrl+C copies the selected rows with the header, tab-separated
        run(() -> acc.table().setSelection(new int[] {0, 1}));
        run(() -> {
            org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
            e.stateMask = org.eclipse.swt.SWT.MOD1;
            e.keyCode = 'c';
            acc.table().notifyListeners(org.eclipse.swt.SWT.KeyDown, e);
        });
        String copied = ui(() -> {
            org.eclipse.swt.dnd.Clipboard cb = new org.eclipse.swt.dnd.Clipboard(acc.table().getDisplay());
            try {
                return (String) cb.getContents(org.eclipse.swt.dnd.TextTransfer.getInstance());
            } finally {
                cb.dispose();
            }
        });
        assertNotNull(copied, "text on the clipboard");
        List<String> lines = copied.lines().toList();
        assertEquals(3, lines.size(), copied);
        List<String> headers = ui(() -> Arrays.stream(acc.table().getColumns()).map(org.eclipse.swt.widgets.TableColumn::getText).toList());
        assertEquals(String.join("\t", headers), lines.get(0));
        assertEquals(String.join("\t", ui(() -> {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                cells.add(acc.table().getItem(0).getText(i));
            }
            return cells;
        })), lines.get(1));
        assertEquals(headers.size(), lines.get(2).split("\t", -1).length);
        assertTrue(ui(() -> acc.table().getMenu() != null && acc.table().getMenu().getItem(0).getText().startsWith("&Copy")),
                "the table's context menu offers Copy");

        // exports through the core's renderers
        Path out = Files.createTempDirectory("int8wb-export");
        run(() -> acc.exportCsv(out.resolve("images.csv")));
        run(() -> acc.exportHtml(out.resolve("report.html")));
        assertEquals(9, Files.readAllLines(out.resolve("images.csv")).size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("<html"));
    }

    private static String baseName(String path) {
        String n = Path.of(path).getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    private static void assertSortedPercent(List<String> texts, boolean ascending) {
        double[] v = texts.stream().filter(t -> t.endsWith("%")).mapToDouble(t -> Double.parseDouble(t.substring(0, t.length() - 1))).toArray();
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        if (!ascending) {
            for (int i = 0; i < sorted.length / 2; i++) {
                double t = sorted[i];
                sorted[i] = sorted[sorted.length - 1 - i];
                sorted[sorted.length - 1 - i] = t;
            }
        }
        assertTrue(Arrays.equals(sorted, v), texts + " sorted " + (ascending ? "ascending" : "descending"));
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    private static <T extends IEditorPart> T editor(Class<T> type) {
        return ui(() -> {
            for (IEditorReference r : page().getEditorReferences()) {
                IEditorPart p = r.getEditor(true);
                if (type.isInstance(p)) {
                    return type.cast(p);
                }
            }
            throw new AssertionError("no open " + type.getSimpleName() + " among "
                    + Arrays.stream(page().getEditorReferences()).map(IEditorReference::getId).toList());
        });
    }
}
