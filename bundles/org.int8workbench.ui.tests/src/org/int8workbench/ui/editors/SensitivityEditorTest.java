package org.int8workbench.ui.editors;

import static org.int8workbench.ui.TestProjects.page;
import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.NodeSensitivity;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.QuantizationMetadata;
import org.int8workbench.testing.TestData;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.UiTestSupport;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.jobs.SensitivityJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.int8workbench.ui.TestProjects;

/**
 * The Layer Sensitivity flow on the real DeepLabV3: a first optimization (8 calibration photos, a short benchmark, 4
 * VOC val images compared), the analysis as the Layer Sensitivity command runs it (the 14 VainF VOC val pairs validate,
 * 4 rank), the editor it opens sorted by its columns, the most harmful node selected and <b>Keep in FP32 and optimize
 * again</b>: a new INT8 model beside the old one (which is untouched) whose metadata keeps that node in FP32, and its
 * Performance and Accuracy editors open beside the old ones. Screenshots of the editor and of the re-run result.
 */
class SensitivityEditorTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void keepTheMostHarmfulNodeInFp32AndOptimizeAgain() throws Exception {
        project = projects.create("sensitivity");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        Path path = model.getLocation().toPath();
        String photos = UiTestSupport.calibrationPhotos().toString();
        Path validation = TestData.sharedData().resolve("voc2012-val-vainf-samples");

        // the model's last optimization, as the wizard's Finish runs it (remembered with the model)
        OptimizeSettings settings = new OptimizeSettings(DataKind.VOC, UiTestSupport.vocVal().toString(), photos, 8,
                OptimizeSettings.preprocessingOf(path), "performance", "minmax", true, List.of(), false, true, "latency", 2, 0, true, 4);
        OptimizeJob.Outputs first = OptimizeJob.run(model, settings, new NullProgressMonitor());
        Path oldInt8 = first.int8();
        assertEquals(path.resolveSibling("deeplab.int8.onnx"), oldInt8);
        byte[] oldBytes = Files.readAllBytes(oldInt8);
        long oldBenchmark = Files.getLastModifiedTime(first.benchmark()).toMillis();

        // Layer Sensitivity…: the job writes deeplab.sensitivity.json and opens the editor
        UiJobs.UiJob analysis = SensitivityJob.schedule(model, new SensitivityJob.Request(photos, validation.toString(), 4));
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, analysis.outcome().getSeverity(), analysis.outcome().toString());
        IFile json = project.getFile("deeplab.sensitivity.json");
        assertTrue(json.exists(), "the result beside the model, in the workspace");
        UiTestSupport.waitUntil("the Layer Sensitivity editor", () -> editor(SensitivityEditor.ID) != null, 30);
        SensitivityEditor editor = (SensitivityEditor) ui(() -> editor(SensitivityEditor.ID));
        SensitivityResult result = editor.result();
        assertNotNull(result);
        assertEquals(path.toString(), Path.of(result.model()).toString());
        assertTrue(result.validation().contains("voc2012-val-vainf-samples"), result.validation());
        assertEquals(4, result.rankingImages().size());
        assertTrue(result.nodes().size() >= 40, "every quantized Conv group of DeepLabV3 has a row: " + result.nodes().size());
        assertEquals(result.nodes().size(), (int) ui(() -> editor.shownRows().size()));
        assertTrue(ui(() -> SensitivityEditor.headerText(result)).contains("mIoU"), "with masks the metric is mIoU");

        // sorting: by SQNR ascending (undefined last), by the gain descending
        run(() -> editor.sortBy("SQNR (dB)", true));
        List<Double> sqnr = ui(() -> editor.shownRows().stream().map(NodeSensitivity::sqnrDb).toList());
        assertSorted(sqnr, true);
        // by the gain the ranking uses (agreement with FP32: mIoU on 4 images moves in coarse steps), descending
        AccuracyMetric by = result.rankedBy();
        run(() -> editor.sortBy(SensitivityEditor.gainTitle(by.label()), false));
        List<NodeSensitivity> byGain = ui(editor::shownRows);
        assertSorted(byGain.stream().map(n -> n.gain(by)).toList(), false);
        NodeSensitivity top = byGain.get(0);
        assertEquals(result.ranked().get(0).gain(by), top.gain(by), 1e-12, "the most harmful node by gain heads the ranking");
        assertTrue(top.gain(by) > 0, "keeping the most harmful node in FP32 gains: " + top);

        run(() -> editor.select(List.of(top)));
        assertEquals(List.of(top.node()), ui(editor::selectedNodes));
        Path shot = UiTestSupport.screenshot(editor, "sensitivity-editor");
        assertTrue(Files.size(shot) > 10_000, shot.toString());

        // Keep in FP32 and optimize again: a new INT8 model beside the old one
        UiJobs.UiJob rerun = ui(editor::keepInFp32AndOptimize);
        assertNotNull(rerun, "the model was optimized before, so its settings are repeated without the wizard");
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, rerun.outcome().getSeverity(), rerun.outcome().toString());
        Path newInt8 = path.resolveSibling("deeplab.int8-2.onnx");
        assertTrue(Files.isRegularFile(newInt8), newInt8.toString());
        assertArrayEquals(oldBytes, Files.readAllBytes(oldInt8), "the previous INT8 model is untouched");
        assertEquals(oldBenchmark, Files.getLastModifiedTime(first.benchmark()).toMillis(), "the previous benchmark is untouched");
        QuantizationMetadata q = ModelSummary.of(newInt8).quantization();
        assertNotNull(q);
        assertTrue(Arrays.asList(q.settings().getOrDefault("ignored", "").split("[,;]")).contains(top.node()),
                "the node is in the new model's ignored scope: " + q.settings());
        assertTrue(q.floatNodes().stream().anyMatch(n -> n.startsWith(top.node() + " (")), "and kept in FP32: " + q.floatNodes());
        assertEquals(List.of(top.node()), KeptInFp32.nodes(newInt8).stream().filter(top.node()::equals).toList(),
                "the Performance editor names it: " + KeptInFp32.nodes(newInt8));
        assertFalse(ModelSummary.of(oldInt8).quantization().floatNodes().stream().anyMatch(n -> n.startsWith(top.node() + " (")),
                "the old model quantized it");

        // the new results open beside the old ones
        IFile newBenchmark = project.getFile("deeplab.int8-2.benchmark.json");
        IFile newReport = project.getFolder("deeplab.int8-2.accuracy").getFile("report.json");
        assertTrue(newBenchmark.exists() && newReport.exists(), "the new benchmark and accuracy report are in the workspace");
        UiTestSupport.waitUntil("the new Performance editor", () -> editorOn(newBenchmark) != null, 30);
        UiTestSupport.waitUntil("the new Accuracy Report editor", () -> editorOn(newReport) != null, 30);
        assertNotNull(ui(() -> editor(SensitivityEditor.ID)), "the Layer Sensitivity editor stays open");
        Path rerunShot = UiTestSupport.screenshot(ui(() -> editorOn(newBenchmark)), "sensitivity-rerun-performance");
        assertTrue(Files.size(rerunShot) > 10_000, rerunShot.toString());
        UiTestSupport.screenshot(ui(() -> editorOn(newReport)), "sensitivity-rerun-accuracy");

        // the settings remembered are those of the re-run: the next Optimize Again keeps the node too
        assertTrue(OptimizeSettings.remembered(path).ignoredScope().contains(top.node()));
    }

    /** The editor on a result written by hand: every column sorts, undefined figures last, the header names the figures. */
    @Test
    void aConstructedResultSortsByEveryColumn() throws Exception {
        project = projects.create("sensitivity-table");
        Path dir = project.getLocation().toFile().toPath();
        // ranked by agreement gain (the mIoU of a few images moves in coarse steps): conv_b, conv_a, then add_c (not measured)
        List<NodeSensitivity> nodes = List.of(
                new NodeSensitivity("conv_a", "Conv", List.of("conv_a", "clip_a"), "a_out", List.of(1L, 16L, 129L, 129L), true, 31.5, 0.61,
                        0.40, 0.002, 0.991, 0.20, Boolean.TRUE),
                new NodeSensitivity("conv_b", "Conv", List.of("conv_b"), "b_out", List.of(1L, 21L, 33L, 33L), true, 18.2, 0.64, 3.10, 0.010,
                        0.995, 0.60, Boolean.FALSE),
                new NodeSensitivity("add_c", "Add", List.of("add_c"), "c_out", List.of(1L, 8L, 65L, 65L), false, 24.0, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, null));
        SensitivityResult r = new SensitivityResult(dir.resolve("m.onnx").toString(), "0123456789abcdef",
                java.util.Map.of("preset", "performance"), "photos (8 images)", 8, "VOC val (14 pairs)", AccuracyMetric.MIOU, 0.65, 0.61,
                List.of("a", "b"), nodes, 12.5, org.int8workbench.core.Provenance.now(), List.of("a warning"), AccuracyMetric.AGREEMENT, 14,
                0.989, 0.02, 0.60, 0.97, 0.03, "8 calibration images");
        Files.writeString(dir.resolve("m.sensitivity.json"), r.toJson());
        project.refreshLocal(IProject.DEPTH_INFINITE, null);
        IFile json = project.getFile("m.sensitivity.json");
        SensitivityEditor editor = ui(() -> (SensitivityEditor) org.eclipse.ui.ide.IDE.openEditor(page(), json));
        assertEquals(SensitivityEditor.ID, ui(() -> editor.getSite().getId()), "the content type binds the editor");
        assertEquals(List.of("conv_b", "conv_a", "add_c"), ui(() -> editor.shownRows().stream().map(NodeSensitivity::node).toList()),
                "first shown most harmful first");
        run(() -> editor.sortBy("SQNR (dB)", true));
        assertEquals(List.of("conv_b", "add_c", "conv_a"), ui(() -> editor.shownRows().stream().map(NodeSensitivity::node).toList()));
        run(() -> editor.sortBy(SensitivityEditor.gainTitle("mIoU"), true));
        assertEquals(List.of("conv_a", "conv_b", "add_c"), ui(() -> editor.shownRows().stream().map(NodeSensitivity::node).toList()),
                "not measured last");
        run(() -> editor.sortBy(SensitivityEditor.gainTitle("mIoU"), false));
        assertEquals(List.of("conv_b", "conv_a", "add_c"), ui(() -> editor.shownRows().stream().map(NodeSensitivity::node).toList()),
                "not measured last in both directions");
        run(() -> editor.sortBy("Operator", true));
        assertEquals("add_c", ui(() -> editor.shownRows().get(0).node()));
        run(() -> editor.sortBy("Output shape", false));
        assertEquals("conv_a", ui(() -> editor.shownRows().get(0).node()));
        run(() -> editor.sortBy("Float when kept", true));
        assertEquals(List.of("conv_b", "conv_a", "add_c"), ui(() -> editor.shownRows().stream().map(NodeSensitivity::node).toList()),
                "no, yes, not checked");
        run(() -> editor.sortBy("Integer kernel", true));
        assertEquals("add_c", ui(() -> editor.shownRows().get(0).node()));
        String header = SensitivityEditor.headerText(r);
        assertTrue(header.contains("mIoU on 14 validation images (VOC val (14 pairs)): FP32 65.00%, INT8 61.00%, drop 4.00 points"), header);
        assertTrue(header.contains("Warning: a warning"), header);
        run(() -> editor.select(List.of(nodes.get(1), nodes.get(2))));
        assertEquals(List.of("add_c", "conv_b"), ui(editor::selectedNodes), "in table order (sorted by integer kernel: no first)");
        run(() -> editor.select(List.of(nodes.get(0))));
        assertEquals(List.of("conv_a", "clip_a"), ui(editor::selectedGroupNodes), "kept in FP32 as a group, with its folded Clip");
        UiTestSupport.screenshot(editor, "sensitivity-editor-constructed");
        Path html = dir.resolve("exported.html");
        run(() -> editor.exportHtml(html));
        assertTrue(Files.readString(html).contains("conv_b"), "Export HTML writes the command line's page");
    }

    @Test
    void aFreeNameReplacesNothing() throws Exception {
        project = projects.create("sensitivity-names");
        Path dir = project.getLocation().toFile().toPath();
        Path model = dir.resolve("m.onnx");
        assertEquals(dir.resolve("m.int8.onnx"), SensitivityEditor.freeInt8(model));
        Files.writeString(dir.resolve("m.int8.onnx"), "x");
        assertEquals(dir.resolve("m.int8-2.onnx"), SensitivityEditor.freeInt8(model));
        Files.createDirectories(dir.resolve("m.int8-2.accuracy"));
        assertEquals(dir.resolve("m.int8-3.onnx"), SensitivityEditor.freeInt8(model), "outputs of m.int8-2 are not replaced either");
        assertEquals(List.of("type:Resize", "conv_b", "add_c"), SensitivityEditor.withNodes(List.of("type:Resize", "conv_b"),
                List.of("conv_b", "add_c")));
    }

    private static void assertSorted(List<Double> values, boolean ascending) {
        List<Double> defined = new ArrayList<>();
        boolean undefinedSeen = false;
        for (Double v : values) {
            if (v == null || v.isNaN()) {
                undefinedSeen = true;
            } else {
                assertFalse(undefinedSeen, "undefined figures come last: " + values);
                defined.add(v);
            }
        }
        for (int i = 1; i < defined.size(); i++) {
            int c = Double.compare(defined.get(i - 1), defined.get(i));
            assertTrue(ascending ? c <= 0 : c >= 0, "sorted " + (ascending ? "ascending" : "descending") + ": " + values);
        }
    }

    private static IEditorPart editor(String id) {
        for (IEditorReference r : page().getEditorReferences()) {
            if (r.getId().equals(id)) {
                return r.getEditor(true);
            }
        }
        return null;
    }

    private static IEditorPart editorOn(IFile file) {
        for (IEditorReference r : page().getEditorReferences()) {
            IEditorPart e = r.getEditor(true);
            if (e != null && e.getEditorInput() instanceof org.eclipse.ui.IFileEditorInput in && in.getFile().equals(file)) {
                return e;
            }
        }
        return null;
    }
}
