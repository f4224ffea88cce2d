package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.PlatformUI;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.notify.OptimizeNotification;
import org.int8workbench.ui.wizards.LastPaths;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Optimize INT8 wizard checks the model on its first page (a broken or empty file: the core's reason, Next and
 * Finish disabled, no file written), lists every file it will write, explains its automatic values, remembers the
 * dataset folders per project, and a run leaves its settings file only when it succeeded.
 */
class OptimizeWizardChecksTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;
    private TestWizardDialog dialog;
    /** Model reads wait for it while it is set ({@link #openWhileReadsHeld}); counted down to let them go on. */
    private java.util.concurrent.CountDownLatch gate;

    @AfterEach
    void cleanUp() throws Exception {
        run(OptimizeNotification::close);
        if (gate != null) {
            OptimizeWizard.holdModelReads(null);
            gate.countDown();
        }
    }

    /**
     * A copy of the real DeepLabV3 in project {@code name}, and the wizard {@code make} gives for it, open while model
     * reads are held (until the test counts {@link #gate} down).
     */
    private OptimizeWizard openWhileReadsHeld(String name, java.util.function.Function<IFile, OptimizeWizard> make) throws Exception {
        project = projects.create(name);
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        gate = new java.util.concurrent.CountDownLatch(1);
        OptimizeWizard.holdModelReads(gate);
        OptimizeWizard wizard = ui(() -> make.apply(model));
        dialog = projects.closeAfter(TestWizardDialog.openWhileReading(wizard));
        return wizard;
    }

    @Test
    void aBrokenModelBlocksTheFirstPage() throws Exception {
        project = projects.create("wizard-broken");
        IFile broken = project.getFile("broken.onnx");
        broken.create(new ByteArrayInputStream("this is not an ONNX model".getBytes(StandardCharsets.UTF_8)), true, null);
        IOException reason = assertThrows(IOException.class, () -> ModelSummary.of(broken.getLocation().toPath()));

        OptimizeWizard wizard = ui(() -> new OptimizeWizard(broken));
        assertEquals(reason.getMessage(), wizard.modelProblem());
        dialog = projects.closeAfter(TestWizardDialog.open(wizard));
        UiTestSupport.settle(200);
        assertEquals("This model cannot be optimized: " + reason.getMessage(), ui(() -> wizard.getPage("dataset").getErrorMessage()));
        assertFalse(ui(dialog::finishEnabled), "Finish on a broken model");
        assertFalse(ui(() -> dialog.buttonEnabled(IDialogConstants.NEXT_ID)), "Next on a broken model");
        // a valid dataset does not unblock it
        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 16));
        assertTrue(ui(wizard::currentMessage).startsWith("This model cannot be optimized: "), ui(wizard::currentMessage));
        assertFalse(ui(dialog::finishEnabled));
        assertFalse(ui(() -> dialog.buttonEnabled(IDialogConstants.NEXT_ID)));
        // a model that could not be read gets no pages of what it fixes (nothing "prefilled from the model")
        assertEquals(1, ui(wizard::getPageCount), "only the first page, with the reason");
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-broken-model");
        run(dialog::close);
        dialog = null;
        assertEquals(List.of("broken.onnx"), files(project), "nothing written beside a broken model");

        // an empty file
        IFile empty = project.getFile("empty.onnx");
        empty.create(new ByteArrayInputStream(new byte[0]), true, null);
        assertEquals("empty.onnx is empty", ui(() -> new OptimizeWizard(empty)).modelProblem());

        // a classifier (scores per image, not per pixel) is a valid ONNX model but not a segmentation model
        GraphBuilder b = new GraphBuilder("classifier").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, 32, 32);
        String pooled = b.node("GlobalAveragePool", "X").output();
        b.node("Flatten", pooled).outputs("scores");
        b.output("scores", DataType.FLOAT, 1, 3);
        IFile classifier = project.getFile("classifier.onnx");
        classifier.create(new ByteArrayInputStream(b.build().toByteArray()), true, null);
        ModelSummary.of(classifier.getLocation().toPath());
        String problem = ui(() -> new OptimizeWizard(classifier)).modelProblem();
        assertNotNull(problem, "a classifier is refused");
        assertEquals("classifier.onnx is not a segmentation model: its output (scores [1,3]) has no height and width, so no label map can be read "
                + "from it; give a model with a per-pixel output ([N,C,H,W], [N,H,W,C] or [N,H,W])", problem);
    }

    /**
     * The model is read in a background job, not on the UI thread: while it is read (held here by a latch, as a large
     * model on a slow disk would take its time) the dialog is open and answers, its first page says "Reading the
     * model…", Next and Finish are disabled and the other pages are not there yet; once read, they come with what the
     * model fixes.
     */
    @Test
    void readsTheModelInTheBackground() throws Exception {
        OptimizeWizard wizard = openWhileReadsHeld("wizard-reading", OptimizeWizard::new);
        UiTestSupport.settle(300);
        assertEquals("Reading the model\u2026", ui(wizard::currentMessage));
        assertNull(ui(() -> wizard.getPage("dataset").getErrorMessage()), "reading is no error");
        assertFalse(ui(wizard::modelShown));
        assertEquals(1, ui(wizard::getPageCount), "the other pages come with the model");
        // a valid dataset does not enable Next or Finish before the model is read
        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 8));
        UiTestSupport.settle(200);
        assertFalse(ui(dialog::finishEnabled), "Finish while reading");
        assertFalse(ui(() -> dialog.buttonEnabled(IDialogConstants.NEXT_ID)), "Next while reading");
        assertEquals("Reading the model\u2026", ui(wizard::currentMessage));
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-reading-the-model");

        gate.countDown();
        UiTestSupport.waitUntil("the wizard shows the model it read", wizard::modelShown, 60);
        assertEquals(5, ui(wizard::getPageCount));
        UiTestSupport.waitUntil("Next is enabled", () -> dialog.buttonEnabled(IDialogConstants.NEXT_ID), 30);
        assertTrue(ui(dialog::finishEnabled), () -> "Finish once read: " + ui(wizard::currentMessage));
        assertFalse(String.valueOf(ui(wizard::currentMessage)).contains("Reading"), ui(wizard::currentMessage));
        run(() -> dialog.showPage(wizard.getPage("preprocessing")));
        String pre = ui(() -> texts(wizard.getPage("preprocessing").getControl()));
        assertTrue(pre.contains("Prefilled from the model"), pre);
    }

    /**
     * Keep in FP32 from the Layer Sensitivity editor on a model never optimized: the wizard opens at once (the model is
     * read in its background job, held here, not on the UI thread), and once read its pages start from the model's
     * preprocessing with the nodes in the ignored scope.
     */
    @Test
    void keepingNodesInFp32ReadsTheModelInTheBackground() throws Exception {
        OptimizeWizard wizard = openWhileReadsHeld("wizard-keep", m -> OptimizeWizard.keepingInFp32(m, List.of("conv_a", "clip_a")));
        UiTestSupport.settle(200);
        assertFalse(ui(wizard::modelShown), "the dialog is open while the model is read");
        assertEquals("Reading the model\u2026", ui(wizard::currentMessage));
        gate.countDown();
        UiTestSupport.waitUntil("the wizard shows the model it read", wizard::modelShown, 60);
        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 8));
        OptimizeSettings s = ui(wizard::settings);
        assertEquals(List.of("conv_a", "clip_a"), s.ignoredScope());
        assertTrue(s.preprocessing().width() == 257 && s.preprocessing().height() == 257, s.preprocessing().describe());
    }

    @Test
    void listsItsFilesExplainsAutomaticValuesAndRemembersPaths() throws Exception {
        project = projects.create("wizard-remember");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        OptimizeWizard wizard = ui(() -> new OptimizeWizard(model));
        assertNull(wizard.modelProblem());
        dialog = projects.closeAfter(TestWizardDialog.open(wizard));
        // every text fits: the dialog is at least the minimum page size
        assertTrue(ui(() -> dialog.getShell().getSize().x) >= 720, "width " + ui(() -> dialog.getShell().getSize()));
        String pre = ui(() -> texts(wizard.getPage("preprocessing").getControl()));
        assertTrue(pre.contains("Prefilled from the model"), pre);

        run(() -> wizard.setDataset(DataKind.VOC, UiTestSupport.vocVal().toString(), UiTestSupport.calibrationPhotos().toString(), 8));
        run(() -> dialog.showPage(wizard.getPage("measure")));
        String measure = ui(() -> texts(wizard.getPage("measure").getControl()));
        assertTrue(measure.contains("0 = automatic (" + Runtime.getRuntime().availableProcessors() + " cores here)"), measure);
        assertTrue(measure.contains("0 = all images of the dataset"), measure);
        String files = ui(wizard::filesShown);
        for (String f : List.of("deeplab.int8.onnx", "deeplab.int8.head.onnx", "deeplab.int8.benchmark.json", "deeplab.int8.accuracy/",
                "deeplab.optimize.json")) {
            assertTrue(files.contains(f), f + " in " + files);
        }
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-measure-files");
        // without measurements the list drops the benchmark and the accuracy report
        run(() -> wizard.setMeasure(false, "latency", 3, false, 0));
        files = ui(wizard::filesShown);
        assertFalse(files.contains("benchmark.json") || files.contains(".accuracy/"), files);
        assertTrue(ui(dialog::finish), () -> "Finish enabled: " + ui(wizard::currentMessage));
        dialog = null;
        UiTestSupport.joinUiJobs();
        assertEquals(IStatus.OK, wizard.job().outcome().getSeverity(), wizard.job().outcome().toString());
        OptimizeNotification.Shown note = OptimizeNotification.last();
        assertNotNull(note);
        assertEquals("Optimized deeplab.onnx", note.title());
        assertTrue(note.text().startsWith("Wrote deeplab.int8.onnx, deeplab.int8.head.onnx, deeplab.optimize.json"), note.text());
        assertTrue(note.links().isEmpty(), "no reports to open: " + note.links());
        assertTrue(project.getFile("deeplab.optimize.json").exists());

        // the project remembers the folders: the next model of the project starts with them
        assertEquals(UiTestSupport.vocVal().toString(), LastPaths.dataFolder(project));
        assertEquals(UiTestSupport.calibrationPhotos().toString(), LastPaths.calibrationFolder(project));
        IFile second = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "second.onnx");
        dialog = projects.closeAfter(TestWizardDialog.openOptimize(second));
        OptimizeWizard next = dialog.wizard();
        OptimizeSettings s = ui(next::settings);
        assertEquals(DataKind.VOC, s.dataKind());
        assertEquals(UiTestSupport.vocVal().toString(), s.dataFolder());
        assertEquals(UiTestSupport.calibrationPhotos().toString(), s.calibrationFolder());
        assertTrue(ui(dialog::finishEnabled), "remembered folders make the first page valid: " + ui(next::currentMessage));
        UiTestSupport.screenshot(ui(dialog::getShell), "wizard-remembered-paths");
    }

    @Test
    void aFailedRunLeavesNoSettingsFile() throws Exception {
        project = projects.create("wizard-failed");
        IFile model = UiTestSupport.copy(project, UiTestSupport.deeplabModel(), "deeplab.onnx");
        OptimizeSettings d = OptimizeWizard.defaults(model.getLocation().toPath());
        OptimizeSettings s = new OptimizeSettings(DataKind.VOC, UiTestSupport.vocVal().toString(), "/no/such/calibration/folder",
                8, d.preprocessing(), "performance", "minmax", false, List.of(), true, false, "latency", 1, 0, false, 0);
        CoreException e = assertThrows(CoreException.class, () -> OptimizeJob.run(model, s, new NullProgressMonitor()));
        assertFalse(e.getStatus().getMessage().isBlank());
        assertEquals(List.of("deeplab.onnx"), files(project), "a failed run leaves no file, not even its settings");
        assertEquals("x", OptimizeNotification.oneLine("java.io.IOException: x"));
        assertEquals("Optimize INT8: a.onnx failed: cannot read", OptimizeNotification.oneLine(
                "Optimize INT8: a.onnx failed: java.lang.IllegalStateException: cannot read\n\tat x.y"));
    }

    private static List<String> files(IProject project) throws IOException {
        try (Stream<Path> s = Files.list(project.getLocation().toPath())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Every label's and button's text under {@code c}, one per line. */
    private static String texts(Control c) {
        StringBuilder b = new StringBuilder();
        if (c instanceof Label l) {
            b.append(l.getText()).append('\n');
        } else if (c instanceof Button btn) {
            b.append(btn.getText()).append('\n');
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                b.append(texts(child));
            }
        }
        return b.toString();
    }
}
