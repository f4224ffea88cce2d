package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.int8workbench.core.Ort;
import org.int8workbench.ui.views.ModelExplorerView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** The UI bundle is active in a running IDE workbench, and its view shows what the core computed. */
class WorkbenchSmokeTest {
    private IProject project;

    @AfterEach
    void deleteProject() throws Exception {
        if (project != null) {
            project.delete(true, true, null);
        }
    }

    @Test
    void modelExplorerOpensAndShowsCoreInformation() throws Exception {
        assertTrue(PlatformUI.isWorkbenchRunning(), "the IDE workbench must be running");
        project = ResourcesPlugin.getWorkspace().getRoot().getProject("smoke");
        project.create(null);
        project.open(null);
        IFile model = project.getFile("tiny.onnx");
        model.create(new ByteArrayInputStream(new byte[] {8, 7}), true, null);

        AtomicReference<ModelExplorerView> view = new AtomicReference<>();
        Display.getDefault().syncExec(() -> {
            try {
                IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
                IViewPart part = page.showView(ModelExplorerView.ID);
                view.set((ModelExplorerView) part);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertNotNull(view.get());
        AtomicReference<String> text = new AtomicReference<>();
        AtomicReference<Object> models = new AtomicReference<>();
        Display.getDefault().syncExec(() -> {
            text.set(view.get().runtimeText());
            models.set(view.get().shownModels().stream().map(f -> f.getFullPath().toString()).toList());
        });
        assertTrue(text.get().contains("ONNX Runtime " + Ort.version()), text.get());
        assertEquals(java.util.List.of("/smoke/tiny.onnx"), models.get());

        Bundle ui = FrameworkUtil.getBundle(ModelExplorerView.class);
        assertEquals(Bundle.ACTIVE, ui.getState(), "UI bundle active");
    }
}
