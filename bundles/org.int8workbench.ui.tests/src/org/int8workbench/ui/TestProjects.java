package org.int8workbench.ui;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IProject;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The projects a workbench test makes, and the cleaning after it: the dialogs it opened closed, every editor closed
 * (without saving), then the projects deleted with their files. Register as {@code @RegisterExtension final TestProjects projects = new TestProjects();}
 * (it runs after the test's own {@code @AfterEach}, e.g. after a dialog is closed, and before the Error Log guard's check).
 */
public final class TestProjects implements AfterEachCallback {
    private final List<IProject> made = new ArrayList<>();
    private final List<org.eclipse.jface.window.Window> windows = new ArrayList<>();

    /** A new open project (deleted first when it exists), deleted after the test. */
    public IProject create(String name) throws Exception {
        IProject p = UiTestSupport.project(name);
        made.add(p);
        return p;
    }

    /** Closes {@code window} (a dialog the test opened) after the test, when it is still open; returns it. */
    public <W extends org.eclipse.jface.window.Window> W closeAfter(W window) {
        windows.add(window);
        return window;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (org.eclipse.jface.window.Window w : windows) {
            UiTestSupport.run(w::close); // a closed window's close does nothing
        }
        windows.clear();
        UiTestSupport.run(() -> page().closeAllEditors(false));
        for (IProject p : made) {
            p.delete(true, true, null);
        }
        made.clear();
    }

    /** The active page of the workbench window. */
    public static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }
}
