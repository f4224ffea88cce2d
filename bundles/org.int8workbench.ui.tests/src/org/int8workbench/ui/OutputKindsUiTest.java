package org.int8workbench.ui;

import static org.int8workbench.ui.TestProjects.page;
import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.testing.TestData;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.editors.AccuracyReportEditor;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workbench follows a model's output kind: the Accuracy Report editor on binary, multi-label and regression reports
 * of real evaluations (small generated graphs, each "optimized" model a perturbed copy of its parent), its Output
 * selector on a model with two outputs, and the Optimize wizard's output fields and size for a dynamic input.
 */
class OutputKindsUiTest {
    private static final int SIZE = 24;
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;
    private TestWizardDialog dialog;

    /** Input X [1,3,S,S]; for each output a 1x1 Conv with {@code channels} outputs, then Sigmoid when asked. */
    private static byte[] model(long seed, float jitter, boolean sigmoid, int... channels) {
        GraphBuilder b = new GraphBuilder("kinds").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, SIZE, SIZE);
        Random base = new Random(7);
        Random noise = new Random(seed);
        for (int o = 0; o < channels.length; o++) {
            int c = channels[o];
            float[] w = new float[c * 3];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) base.nextGaussian() + jitter * (float) noise.nextGaussian();
            }
            float[] bias = new float[c];
            for (int i = 0; i < c; i++) {
                bias[i] = 0.3f * (float) base.nextGaussian();
            }
            String conv = b.node("Conv", "X", b.initializer(null, w, c, 3, 1, 1), b.initializer(null, bias, c)).output();
            String name = "out" + o;
            if (sigmoid) {
                b.node("Sigmoid", conv).outputs(name);
            } else {
                b.node("Identity", conv).outputs(name);
            }
            b.output(name, DataType.FLOAT, 1, c, SIZE, SIZE);
        }
        return b.build().toByteArray();
    }

    /** Writes parent and perturbed model into the project, evaluates them on 4 photos and opens the report. */
    private AccuracyReportEditor evaluate(String name, OutputSelection selection, boolean sigmoid, int... channels) throws Exception {
        project = project != null ? project : projects.create("kinds");
        Path dir = project.getLocation().toFile().toPath();
        Path parent = dir.resolve(name + ".onnx");
        Path model = dir.resolve(name + ".int8.onnx");
        Files.write(parent, model(1, 0, sigmoid, channels));
        Files.write(model, model(2, 0.05f, sigmoid, channels));
        Path reportDir = dir.resolve(name + ".int8.accuracy");
        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(Datasets.open(TestData.calibrationPhotos()))
                .limit(4).reportDir(reportDir).overwrite(true).outputs(selection).run(new NullProgressMonitor());
        assertNotNull(r.output(), "the report names its output");
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        IFile json = project.getFile(name + ".int8.accuracy/report.json");
        assertTrue(json.exists(), json.toString());
        return ui(() -> (AccuracyReportEditor) IDE.openEditor(page(), json, AccuracyReportEditor.ID));
    }

    private static List<String> headers(AccuracyReportEditor e) {
        return ui(() -> {
            List<String> out = new ArrayList<>();
            for (var c : e.table().getColumns()) {
                out.add(c.getText());
            }
            return out;
        });
    }

    @Test
    void binaryReportShowsForegroundIoUVsParent() throws Exception {
        AccuracyReportEditor e = evaluate("binary", OutputSelection.AUTO.withKind(OutputKind.BINARY), true, 1);
        assertEquals("binary", ui(e::report).outputKind());
        assertEquals("Foreground IoU vs parent", headers(e).get(1));
        assertEquals(4, ui(() -> e.rowTexts(1)).size());
        UiTestSupport.screenshot(e, "accuracy-binary");
    }

    @Test
    void multilabelReportHasAdvancedRowsPerLabel() throws Exception {
        AccuracyReportEditor e = evaluate("multi", OutputSelection.AUTO.withKind(OutputKind.MULTILABEL), true, 3);
        assertEquals("multilabel", ui(e::report).outputKind());
        run(() -> e.setAdvanced(true));
        assertEquals("Label", headers(e).get(1));
        List<String> labels = ui(() -> e.rowTexts(1)).stream().distinct().toList();
        assertTrue(labels.size() >= 2 && labels.size() <= 3, labels.toString());
        UiTestSupport.screenshot(e, "accuracy-multilabel-advanced");
    }

    @Test
    void regressionReportHasSortableErrorColumnsAndAHeatMap() throws Exception {
        AccuracyReportEditor e = evaluate("depth", OutputSelection.AUTO.withKind(OutputKind.REGRESSION), false, 1);
        assertEquals("regression", ui(e::report).outputKind());
        assertEquals(List.of("Image", "MAE", "RMSE", "PSNR", "Within tolerance", "Output cosine"), headers(e));
        // worst (largest MAE) first; a header click sorts the other way
        List<Double> mae = ui(() -> e.rowTexts(1)).stream().map(Double::parseDouble).toList();
        for (int i = 1; i < mae.size(); i++) {
            assertTrue(mae.get(i - 1) >= mae.get(i), mae.toString());
        }
        run(() -> e.clickHeader(1));
        List<Double> again = ui(() -> e.rowTexts(1)).stream().map(Double::parseDouble).toList();
        assertTrue(again.get(0) <= again.get(again.size() - 1), again.toString());
        run(() -> e.clickHeader(4));
        assertEquals(4, ui(() -> e.rowTexts(4)).size());

        run(() -> e.selectRow(0));
        var job = ui(e::visualizeSelection);
        assertNotNull(job);
        UiTestSupport.joinUiJobs();
        UiTestSupport.settle(300);
        List<String> panels = ui(e.visualizePanel()::panelTitles);
        assertTrue(panels.contains("error heat map"), panels.toString());
        UiTestSupport.screenshot(e, "accuracy-regression-visualize");
    }

    @Test
    void twoOutputsGetAnOutputSelector() throws Exception {
        AccuracyReportEditor e = evaluate("twin", OutputSelection.AUTO, false, 2, 2);
        AccuracyReport root = ui(e::report);
        assertEquals(1, root.outputs().size(), "the second output, on its own");
        List<String> choices = ui(e::outputChoices);
        assertEquals(2, choices.size(), choices.toString());
        assertTrue(choices.get(0).startsWith("out0") && choices.get(1).startsWith("out1"), choices.toString());
        run(() -> e.showOutput(1));
        assertEquals("out1", ui(e::report).output().name());
        assertEquals(4, ui(() -> e.rowTexts(0)).size());
        // Visualize predicts the shown output's labels
        run(() -> e.selectRow(0));
        assertNotNull(ui(e::visualizeSelection));
        UiTestSupport.joinUiJobs();
        UiTestSupport.settle(300);
        assertTrue(ui(e.visualizePanel()::panelTitles).contains("difference to parent"), ui(e.visualizePanel()::panelTitles).toString());
        UiTestSupport.screenshot(e, "accuracy-second-output");
        run(() -> e.showOutput(0));
        assertEquals("out0", ui(e::report).output().name());
    }

    @Test
    void wizardAsksTheSizeOfADynamicInputAndTheOutputSettings() throws Exception {
        project = projects.create("kinds-wizard");
        IFile model = UiTestSupport.copy(project, TestData.zooModel("pphumanseg_lite_portrait.onnx"), "portrait.onnx");
        dialog = projects.closeAfter(TestWizardDialog.openOptimize(model));
        OptimizeWizard wizard = dialog.wizard();
        run(() -> wizard.setDataset(DataKind.IMAGE_FOLDER, TestData.calibrationPhotos().toString(), "", 16));
        // the model fixes no size: nothing claims to come from it, and Finish waits for the size
        run(() -> dialog.showPage(wizard.getPage("preprocessing")));
        assertFalse(ui(dialog::finishEnabled), "Finish without the input size");
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-dynamic-size");
        run(() -> wizard.setSize("398", "224", "NCHW"));
        assertTrue(ui(dialog::finishEnabled), ui(wizard::currentMessage));
        OptimizeSettings s = ui(wizard::settings);
        assertEquals(398, s.preprocessing().width());
        assertEquals(224, s.preprocessing().height());

        // the outputs page: Auto first, the model's outputs offered
        run(() -> dialog.showPage(wizard.getPage("outputs")));
        assertEquals("auto", s.outputKind());
        assertEquals(OutputSelection.AUTO, s.outputSelection());
        List<String> offered = ui(wizard::offeredOutputs);
        assertEquals(1, offered.size(), offered.toString());
        run(() -> wizard.setOutputs("binary", offered.get(0), "0.7"));
        OptimizeSettings chosen = ui(wizard::settings);
        assertEquals(OutputKind.BINARY, chosen.outputSelection().kind());
        assertEquals(offered.get(0), chosen.outputSelection().outputName());
        assertEquals(0.7, chosen.outputSelection().threshold(), 1e-9);
        run(() -> wizard.setOutputs("auto", "", "1.5"));
        assertFalse(ui(dialog::finishEnabled), "a threshold outside (0, 1)");
        assertTrue(ui(wizard::currentMessage).contains("threshold"), ui(wizard::currentMessage));
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-outputs");
    }
}
