package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.core.Ort;
import org.int8workbench.ui.views.ModelExplorerView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** The UI bundle is active in a running IDE workbench, and its view shows what the core computed. */
class WorkbenchSmokeTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();
    private IProject project;

    @Test
    void modelExplorerOpensAndSaysWhyAFileIsNoModel() throws Exception {
        assertTrue(PlatformUI.isWorkbenchRunning(), "the IDE workbench must be running");
        project = projects.create("smoke");
        IFile model = project.getFile("tiny.onnx");
        model.create(new ByteArrayInputStream(new byte[] {8, 7}), true, null);

        ModelExplorerView view = ui(() -> (ModelExplorerView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
                .showView(ModelExplorerView.ID));
        assertTrue(ui(view::runtimeText).contains("ONNX Runtime " + Ort.version()), ui(view::runtimeText));
        UiTestSupport.waitUntil("the view to list the file", () -> view.shownModels().contains(model), 20);
        assertEquals(List.of("/smoke/tiny.onnx"), ui(() -> view.shownModels().stream().map(f -> f.getFullPath().toString()).toList()));
        UiTestSupport.waitUntil("the core's verdict on the file", view::summariesReady, 30);
        String label = ui(() -> view.labelOf(model));
        assertTrue(label.startsWith("tiny.onnx  [unreadable: "), label);

        Bundle ui = FrameworkUtil.getBundle(ModelExplorerView.class);
        assertEquals(Bundle.ACTIVE, ui.getState(), "UI bundle active");
    }
}
