package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.ui.views.ModelExplorerView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Model Explorer lists a real model of a test project, follows file changes and shows the core's summary. */
class ModelExplorerTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void listsTheRealModelAndShowsItsSummary() throws Exception {
        java.nio.file.Path source = UiTestSupport.deeplabModel();
        project = projects.create("explorer");
        IFile model = UiTestSupport.copy(project, source, "deeplab.onnx");
        ModelExplorerView view = ui(() -> (ModelExplorerView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
                .showView(ModelExplorerView.ID));
        UiTestSupport.waitUntil("the model to be listed", () -> view.shownModels().contains(model), 20);
        UiTestSupport.waitUntil("its summary", view::summariesReady, 60);
        UiTestSupport.run(() -> view.select(model));
        UiTestSupport.settle(300);

        assertTrue(ui(() -> view.labelOf(model)).contains("[FP32, "), ui(() -> view.labelOf(model)));
        List<String> lines = ui(view::detailLines);
        assertTrue(lines.contains("Precision = FP32"), lines.toString());
        assertTrue(lines.contains("  input input = float [1,3,257,257]"), lines.toString());
        // the output with the kind found for it
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  output logits = float [1,21,257,257]  \u2014 classes (")), lines.toString());
        assertTrue(lines.contains("  Conv = 55"), lines.toString());
        assertTrue(lines.contains("  Resize = 3"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("IR version / opsets = IR 7, opset 13")), lines.toString());
        UiTestSupport.screenshot(view, "model-explorer");

        // a new file appears without a manual refresh
        IFile other = project.getFile("sub.onnx");
        other.create(new ByteArrayInputStream(new byte[] {1}), true, null);
        UiTestSupport.waitUntil("the new file to be listed", () -> view.shownModels().contains(other), 20);
        assertEquals(List.of(model, other), ui(view::shownModels).stream().filter(f -> f.getProject().equals(project)).toList());
        other.delete(true, null);
        UiTestSupport.waitUntil("the deleted file to go", () -> !view.shownModels().contains(other), 20);
    }
}
