package org.int8workbench.ui.overview;

import static org.int8workbench.ui.TestProjects.page;
import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.ModelOutputs;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.UiTestSupport;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.views.ModelExplorerView;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.int8workbench.ui.TestProjects;

/**
 * Double-click on an {@code .onnx} file opens the read-only Model Overview editor (not a text editor): for the real
 * DeepLabV3 and the INT8 model made from it, it shows what the core's {@link ModelSummary} says; a broken file shows
 * the core's one-line reason.
 */
class ModelOverviewEditorTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void showsTheSummaryOfTheFp32AndTheInt8Model() throws Exception {
        project = projects.create("overview");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        Path path = model.getLocation().toPath();

        ModelOverviewEditor fp32 = open(model);
        assertEquals("deeplab.onnx", ui(fp32::getPartName));
        assertEquals(path.toString(), ui(fp32::getTitleToolTip));
        assertEquals(ModelOverviewEditor.ID, ui(() -> fp32.getEditorSite().getId()), "the default editor of .onnx files");
        assertFalse(ui(fp32::isDirty));
        assertFalse(ui(fp32::isSaveAsAllowed));
        ModelSummary expected = ModelSummary.of(path);
        Map<String, ModelOutput> kinds = ModelOutputs.each(path);
        assertEquals(expected.sha256(), ui(fp32::summary).sha256());
        List<String> lines = ui(fp32::lines);
        assertEquals(ModelProperties.lines(ModelProperties.rows(expected, kinds)), lines);
        assertTrue(lines.contains("Precision = FP32"), lines.toString());
        assertTrue(lines.contains(String.format(java.util.Locale.ROOT, "Parameters = %,d (%s of initializers)", expected.parameters(),
                ModelProperties.size(expected.weightBytes()))), lines.toString());
        assertTrue(lines.contains("IR version / opsets = IR " + expected.irVersion() + ", opset " + expected.opsets().get("")), lines.toString());
        assertTrue(lines.contains("Operators = " + expected.nodeCount() + " nodes, " + expected.opHistogram().size() + " types"), lines.toString());
        expected.opHistogram().forEach((op, n) -> assertTrue(lines.contains("  " + op + " = " + n), op + " in " + lines));
        String output = expected.outputs().get(0).name();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  output " + output + " = ") && l.contains("\u2014 " + kinds.get(output).kind().cliName())),
                "the output with its kind: " + lines);
        assertTrue(ui(fp32::texts).get(0).contains("FP32 model"), ui(fp32::texts).toString());
        assertTrue(ui(fp32::texts).get(2).contains("No INT8 model beside it yet"), ui(fp32::texts).toString());
        assertEquals(List.of("Optimize INT8\u2026", "Benchmark", "Evaluate", "Open Reports", "Layer Sensitivity\u2026", "Generate Java Code\u2026",
                "Show in Model Explorer"), ui(fp32::actionTexts));
        UiTestSupport.screenshot(fp32, "model-overview-fp32");

        // Show in Model Explorer selects the model there
        ModelExplorerView view = ui(() -> (ModelExplorerView) page().showView(ModelExplorerView.ID));
        run(() -> page().activate(fp32));
        run(() -> ((org.eclipse.swt.widgets.Button) find(fp32.control(), "overview.action.showInExplorer"))
                .notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event()));
        UiTestSupport.waitUntil("the model selected in the explorer", () -> view.detailLines().contains("Precision = FP32"), 60);

        // the INT8 model made from it (quantized on 8 real photos, the label head cut: no measurements)
        OptimizeSettings d = OptimizeWizard.defaults(path);
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(),
                8, d.preprocessing(), "performance", "minmax", false, List.of(), true, false, "latency", 1, 0, false, 0);
        OptimizeJob.Outputs out = OptimizeJob.run(model, s, new NullProgressMonitor());
        project.refreshLocal(IProject.DEPTH_INFINITE, null);
        IFile int8File = project.getFile("deeplab.int8.onnx");
        assertEquals(out.int8(), int8File.getLocation().toPath());
        ModelOverviewEditor int8 = open(int8File);
        assertEquals("deeplab.int8.onnx", ui(int8::getPartName));
        ModelSummary q = ModelSummary.of(out.int8());
        assertEquals(ModelSummary.Precision.INT8_QDQ, ui(int8::summary).precision());
        List<String> qLines = ui(int8::lines);
        assertEquals(ModelProperties.lines(ModelProperties.rows(q, ModelOutputs.each(out.int8()))), qLines);
        assertTrue(qLines.contains("Quantization = " + q.quantization().quantizedNodes() + " nodes INT8, " + q.quantization().floatNodes().size()
                + " kept FP32"), qLines.toString());
        assertTrue(qLines.contains("  calibration = 8 images of " + q.quantization().calibration()), qLines.toString());
        assertTrue(qLines.stream().anyMatch(l -> l.startsWith("  parent = deeplab.onnx")), qLines.toString());
        List<String> texts = ui(int8::texts);
        assertTrue(texts.get(0).contains("INT8 QDQ model"), texts.toString());
        assertTrue(texts.get(1).contains("made from deeplab.onnx"), texts.toString());
        assertTrue(texts.get(2).contains("Parent model: deeplab.onnx") && texts.get(2).contains("deeplab.int8.head.onnx"), texts.toString());
        UiTestSupport.screenshot(int8, "model-overview-int8");

        // the FP32 model's editor, still open, now names its INT8 child and head model
        UiTestSupport.waitUntil("the INT8 child named in the FP32 model's editor",
                () -> fp32.texts().get(2).contains("INT8 model: deeplab.int8.onnx; head model: deeplab.int8.head.onnx"), 30);

        // a model rewritten in place is read again
        IFile copy = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "copy.onnx");
        ModelOverviewEditor copyEditor = open(copy);
        assertEquals(expected.sha256(), ui(copyEditor::summary).sha256());
        copy.setContents(new java.io.FileInputStream(out.int8().toFile()), true, false, null);
        UiTestSupport.waitUntil("the rewritten model read again", () -> copyEditor.isRead() && copyEditor.summary() != null
                && copyEditor.summary().sha256().equals(q.sha256()), 60);
    }

    @Test
    void aBrokenModelShowsTheReason() throws Exception {
        project = projects.create("overview-broken");
        IFile broken = project.getFile("broken.onnx");
        broken.create(new ByteArrayInputStream("this is not an ONNX model".getBytes(StandardCharsets.UTF_8)), true, null);
        IOException reason = assertThrows(IOException.class, () -> ModelSummary.of(broken.getLocation().toPath()));

        ModelOverviewEditor editor = open(broken);
        assertEquals("broken.onnx", ui(editor::getPartName));
        assertNull(ui(editor::summary));
        assertEquals("Cannot read this model: " + reason.getMessage(), ui(editor::texts).get(1));
        assertFalse(reason.getMessage().contains("Exception"), reason.getMessage());
        assertEquals(List.of(), ui(editor::lines));
        assertFalse(ui(() -> find(editor.control(), "overview.action.optimize").isEnabled()), "no actions on a broken model");
        UiTestSupport.screenshot(editor, "model-overview-broken");
    }

    private static ModelOverviewEditor open(IFile file) {
        IEditorPart part = ui(() -> IDE.openEditor(page(), file, true));
        assertTrue(part instanceof ModelOverviewEditor, "Model Overview, not a text editor: " + part);
        ModelOverviewEditor e = (ModelOverviewEditor) part;
        UiTestSupport.waitUntil("the model read", e::isRead, 120);
        UiTestSupport.settle(200);
        return e;
    }

    static org.eclipse.swt.widgets.Control find(org.eclipse.swt.widgets.Control root, String name) {
        if (name.equals(root.getData("name"))) {
            return root;
        }
        if (root instanceof org.eclipse.swt.widgets.Composite c) {
            for (org.eclipse.swt.widgets.Control child : c.getChildren()) {
                org.eclipse.swt.widgets.Control f = find(child, name);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }
}
