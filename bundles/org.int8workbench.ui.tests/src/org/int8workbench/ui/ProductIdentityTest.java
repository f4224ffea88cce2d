package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.commands.Command;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.IProduct;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.content.IContentType;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.part.ISetSelectionTarget;
import org.int8workbench.core.Ort;
import org.int8workbench.ui.product.Int8Perspective;
import org.int8workbench.ui.product.ModelPropertyTester;
import org.int8workbench.ui.views.ModelExplorerView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;

/**
 * The IDE is the INT8 Workbench product: its name, window title, About text (with the running versions), the INT8
 * Workbench perspective with Model Explorer, the {@code .onnx} content type, and model commands enabled only when
 * they apply.
 */
class ProductIdentityTest {
    private static final String CMD = "org.int8workbench.ui.commands.";
    private IProject project;

    @AfterEach
    void deleteProject() throws Exception {
        if (project != null) {
            project.delete(true, true, null);
        }
    }

    private static IWorkbenchWindow window() {
        return ui(() -> {
            IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
            return w != null ? w : PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        });
    }

    @Test
    void productNameWindowTitleAndAboutText() throws Exception {
        IProduct product = Platform.getProduct();
        assertNotNull(product, "no product: the tests run with -product org.int8workbench.ui.product");
        assertEquals("org.int8workbench.ui.product", product.getId());
        assertEquals("INT8 Workbench", product.getName());
        assertEquals(Int8Perspective.ID, ui(() -> PlatformUI.getWorkbench().getPerspectiveRegistry().getDefaultPerspective()));

        String title = ui(() -> window().getShell().getText());
        assertTrue(title.contains("INT8 Workbench"), title);

        String about = product.getProperty("aboutText");
        assertTrue(about.startsWith("INT8 Workbench\n"), about);
        Version v = FrameworkUtil.getBundle(ModelExplorerView.class).getVersion();
        assertTrue(about.contains("Version " + v.getMajor() + "." + v.getMinor() + "." + v.getMicro() + "\n"),
                "the About text names the bundle version " + v + ": " + about);
        assertTrue(about.contains("ONNX Runtime " + Ort.version() + " "), "the About text names the running ONNX Runtime "
                + Ort.version() + ": " + about);
        assertTrue(about.contains("Apache License 2.0") && about.contains("ONNX Runtime: MIT"), about);
        assertNotNull(product.getDefiningBundle().getEntry(product.getProperty("aboutImage")), "aboutImage");
        for (String image : product.getProperty("windowImages").split(",")) {
            assertNotNull(product.getDefiningBundle().getEntry(image), image);
        }

        // Help > About: the dialog shows the product name and text; a screenshot, then close it
        Shell main = ui(() -> window().getShell());
        Display().asyncExec(() -> {
            try {
                PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand("org.eclipse.ui.help.aboutAction", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicReference<Shell> dialog = new AtomicReference<>();
        UiTestSupport.waitUntil("the About dialog", () -> {
            Arrays.stream(main.getDisplay().getShells()).filter(s -> s != main && s.isVisible()
                    && s.getText().equals("About INT8 Workbench")).findFirst().ifPresent(dialog::set);
            return dialog.get() != null;
        }, 20);
        try {
            UiTestSupport.screenshot(dialog.get(), "about-dialog");
        } finally {
            run(() -> dialog.get().close());
        }
    }

    private static org.eclipse.swt.widgets.Display Display() {
        return PlatformUI.getWorkbench().getDisplay();
    }

    @Test
    void perspectiveShowsModelExplorerAndShowViewListsIt() throws Exception {
        IWorkbenchWindow window = window();
        assertNotNull(ui(() -> PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(Int8Perspective.ID)));
        IWorkbenchPage page = ui(() -> PlatformUI.getWorkbench().showPerspective(Int8Perspective.ID, window));
        assertEquals("INT8 Workbench", ui(() -> page.getPerspective().getLabel()));
        assertNotNull(ui(() -> page.findViewReference(ModelExplorerView.ID)), "Model Explorer is in the perspective");
        assertNotNull(ui(() -> page.findViewReference(IPageLayout.ID_PROJECT_EXPLORER)), "Project Explorer is in the perspective");
        assertTrue(List.of(ui(page::getShowViewShortcuts)).contains(ModelExplorerView.ID));
        assertTrue(List.of(ui(page::getPerspectiveShortcuts)).contains("org.eclipse.ui.resourcePerspective"));
        ModelExplorerView view = ui(() -> (ModelExplorerView) page.showView(ModelExplorerView.ID));
        run(() -> window.getShell().setBounds(0, 0, 1280, 900));
        UiTestSupport.settle(500);
        UiTestSupport.screenshot(ui(window::getShell), "perspective-int8-workbench");
        assertNotNull(view);

        // the Resource perspective lists Model Explorer in Window > Show View and this perspective in its shortcuts
        IWorkbenchPage resource = ui(() -> PlatformUI.getWorkbench().showPerspective("org.eclipse.ui.resourcePerspective", window));
        try {
            assertTrue(List.of(ui(resource::getShowViewShortcuts)).contains(ModelExplorerView.ID));
            assertTrue(List.of(ui(resource::getPerspectiveShortcuts)).contains(Int8Perspective.ID));
        } finally {
            ui(() -> PlatformUI.getWorkbench().showPerspective(Int8Perspective.ID, window));
        }
    }

    @Test
    void onnxFilesHaveTheirContentType() throws Exception {
        IContentType type = Platform.getContentTypeManager().findContentTypeFor("model.onnx");
        assertNotNull(type);
        assertEquals("org.int8workbench.onnx", type.getId());
        assertFalse(type.isKindOf(Platform.getContentTypeManager().getContentType("org.eclipse.core.runtime.text")),
                "an ONNX model is binary, not text");
        project = UiTestSupport.project("identity-ct");
        IFile f = project.getFile("m.onnx");
        f.create(new ByteArrayInputStream(new byte[] {8, 7}), true, null);
        assertEquals("org.int8workbench.onnx", f.getContentDescription().getContentType().getId());
    }

    @Test
    void modelCommandsAreEnabledOnlyWhenTheyApply() throws Exception {
        project = UiTestSupport.project("identity-enablement");
        IFile model = create("m.onnx", "not a real model: enablement goes by the files beside it");
        IWorkbenchWindow window = window();
        IWorkbenchPage page = ui(() -> PlatformUI.getWorkbench().showPerspective(Int8Perspective.ID, window));
        IViewPart explorer = ui(() -> page.showView(IPageLayout.ID_PROJECT_EXPLORER));

        Map<String, Boolean> expected = new LinkedHashMap<>();
        for (String c : List.of("optimize", "codegen", "sensitivity")) {
            expected.put(c, true);
        }
        for (String c : List.of("optimizeAgain", "benchmark", "evaluate", "openReports")) {
            expected.put(c, false);
        }
        assertEquals(expected, enablement(explorer, model), "a model alone");

        create("m.optimize.json", "{}");
        create("m.int8.onnx", "int8");
        create("m.int8.benchmark.json", "{}");
        for (String c : List.of("optimizeAgain", "benchmark", "evaluate", "openReports")) {
            expected.put(c, true);
        }
        assertEquals(expected, enablement(explorer, model), "a model with settings, an INT8 model and a benchmark");

        // the INT8 model: compared with its parent; its reports are those named after it; no sensitivity of INT8
        IFile int8 = project.getFile("m.int8.onnx");
        Map<String, Boolean> int8Expected = new LinkedHashMap<>(expected);
        int8Expected.put("sensitivity", false);
        int8Expected.put("optimizeAgain", false);
        assertEquals(int8Expected, enablement(explorer, int8), "the INT8 model");
        assertTrue(ModelPropertyTester.test(int8.getLocation().toPath(), "hasCounterpart"));
    }

    private IFile create(String name, String text) throws Exception {
        IFile f = project.getFile(name);
        f.create(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), true, null);
        return f;
    }

    /** Selects {@code file} in the Project Explorer and returns whether each model command is enabled. */
    private static Map<String, Boolean> enablement(IViewPart explorer, IFile file) {
        run(() -> {
            explorer.getSite().getPage().activate(explorer);
            ((ISetSelectionTarget) explorer).selectReveal(new StructuredSelection(file));
        });
        UiTestSupport.settle(300);
        return ui(() -> {
            assertEquals(List.of(file), ((StructuredSelection) explorer.getSite().getSelectionProvider().getSelection()).toList());
            ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
            IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (String c : List.of("optimize", "codegen", "sensitivity", "optimizeAgain", "benchmark", "evaluate", "openReports")) {
                Command command = commands.getCommand(CMD + c);
                command.setEnabled(handlers.getCurrentState());
                out.put(c, command.isEnabled());
            }
            return out;
        });
    }
}
