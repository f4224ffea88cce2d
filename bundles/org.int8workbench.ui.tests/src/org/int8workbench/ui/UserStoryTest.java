package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.part.ISetSelectionTarget;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.sample.EmbeddedSample;
import org.int8workbench.ui.editors.AccuracyReportEditor;
import org.int8workbench.ui.editors.PerformanceEditor;
import org.int8workbench.ui.notify.OptimizeNotification;
import org.int8workbench.ui.sample.SampleProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user story through the real GUI, as a new user would do it, with no data but what INT8 Workbench ships: Help ›
 * Create the INT8 Workbench Sample Project (the menu item found in the Help menu by its label), the model shown selected
 * in the Project Explorer, Optimize INT8… found by its label in the Project Explorer's context menu and selected, the
 * wizard's pages walked with Next (the sample's VOC folder to compare on, its calibration folder for calibration, a short
 * benchmark), Finish, the job, and the Performance and Accuracy editors that open, checked by their titles and shown
 * values, and the notification that says what was written. Then creating the sample again is refused with a message and
 * changes nothing. A screenshot per step.
 */
class UserStoryTest {

    private static final String PROJECT_EXPLORER = "org.eclipse.ui.navigator.ProjectExplorer";

    @AfterEach
    void cleanUp() throws Exception {
        closeShells(s -> s.getData() instanceof WizardDialog || "INT8 Workbench Sample Project".equals(s.getText()));
        run(() -> page().closeAllEditors(false));
        IProject p = SampleProject.project();
        if (p.exists()) {
            p.delete(true, true, null);
        }
    }

    @Test
    void aNewUserOptimizesTheSampleThroughTheMenus() throws Exception {
        IProject existing = SampleProject.project();
        if (existing.exists()) {
            existing.delete(true, true, null);
        }
        Shell window = ui(() -> page().getWorkbenchWindow().getShell());
        run(() -> {
            if (window.getSize().x < 1280) {
                window.setBounds(0, 0, 1280, 960);
            }
        });

        // 1. Help > Create the INT8 Workbench Sample Project
        MenuItem create = ui(() -> menuItem(helpMenu(window), "Create the INT8 Workbench Sample Project"));
        run(() -> create.notifyListeners(SWT.Selection, new Event()));
        UiTestSupport.joinUiJobs();
        IProject project = SampleProject.project();
        assertTrue(project.isOpen(), "the sample project exists and is open");
        IFile model = SampleProject.model(project);
        assertTrue(model.exists(), model.toString());
        assertTrue(project.getFile(SampleProject.README).exists());
        assertTrue(project.getFile(EmbeddedSample.NOTICE).exists());
        assertEquals(10, project.getFolder(EmbeddedSample.DATASET + "/JPEGImages").members().length);
        assertEquals(5, project.getFolder(EmbeddedSample.CALIBRATION).members().length);
        UiTestSupport.waitUntil("the model selected in the Project Explorer", () -> model.equals(selectedInExplorer()), 30);
        UiTestSupport.screenshot(window, "story-1-sample-project");

        // 2. the Project Explorer's context menu on the model: Optimize INT8...
        IViewPart explorer = ui(() -> page().showView(PROJECT_EXPLORER));
        run(() -> ((ISetSelectionTarget) explorer).selectReveal(new StructuredSelection(model)));
        run(() -> page().activate(explorer));
        UiTestSupport.settle(300);
        Menu popup = ui(() -> {
            Control tree = ((Viewer) explorer.getSite().getSelectionProvider()).getControl();
            tree.setFocus();
            Menu m = tree.getMenu();
            m.notifyListeners(SWT.Show, new Event());
            return m;
        });
        MenuItem optimize = ui(() -> menuItem(popup, "Optimize INT8"));
        assertTrue(ui(optimize::isEnabled), "Optimize INT8... is enabled on the sample model");
        // the wizard is modal: select the item from the event loop, not from this thread's synchronous call
        Display.getDefault().asyncExec(() -> optimize.notifyListeners(SWT.Selection, new Event()));
        Shell wizardShell = waitForShell(s -> s.getData() instanceof WizardDialog && "optimize.wizard".equals(s.getData("name")));
        run(() -> popup.notifyListeners(SWT.Hide, new Event()));
        WizardDialog wizard = ui(() -> (WizardDialog) wizardShell.getData());

        // 3. the wizard's pages: the dataset page first
        assertEquals("dataset", ui(() -> wizard.getCurrentPage().getName()));
        String dataset = model.getProject().getFolder(EmbeddedSample.DATASET).getLocation().toOSString();
        String calibration = model.getProject().getFolder(EmbeddedSample.CALIBRATION).getLocation().toOSString();
        run(() -> {
            click(named(wizardShell, Button.class, "dataset.kind.VOC"), true);
            type(named(wizardShell, Text.class, "dataset.folder"), dataset);
            click(named(wizardShell, Button.class, "dataset.separateCalibration"), true);
            type(named(wizardShell, Text.class, "dataset.calibrationFolder"), calibration);
        });
        // the wizard reads the model in the background; Next comes with what it read
        UiTestSupport.waitUntil("the wizard has read the model", () -> button(wizardShell, IDialogConstants.NEXT_ID).isEnabled(), 60);
        UiTestSupport.settle(300);
        UiTestSupport.screenshot(wizardShell, "story-2-wizard-dataset");
        List<String> pages = new ArrayList<>(List.of("dataset"));
        while (ui(() -> button(wizardShell, IDialogConstants.NEXT_ID).isEnabled())) {
            run(() -> press(button(wizardShell, IDialogConstants.NEXT_ID)));
            UiTestSupport.settle(300);
            String name = ui(() -> wizard.getCurrentPage().getName());
            pages.add(name);
            if (name.equals("measure")) {
                run(() -> {
                    type(named(wizardShell, Text.class, "measure.seconds"), "2");
                    type(named(wizardShell, Text.class, "measure.images"), "0");
                });
                UiTestSupport.settle(200);
            }
            UiTestSupport.screenshot(wizardShell, "story-" + (1 + pages.size()) + "-wizard-" + name);
            assertTrue(pages.size() < 10, "the wizard ends: " + pages);
        }
        assertEquals("measure", pages.get(pages.size() - 1), "the last page: " + pages);
        Button finish = ui(() -> button(wizardShell, IDialogConstants.FINISH_ID));
        assertTrue(ui(finish::isEnabled), () -> "Finish is enabled: " + ui(() -> wizard.getCurrentPage().getErrorMessage()));
        OptimizeNotification.Shown earlier = OptimizeNotification.last();
        run(() -> press(finish));

        // 4. the job, then the two editors it opens
        UiTestSupport.waitUntil("the wizard closes", wizardShell::isDisposed, 30);
        UiTestSupport.joinUiJobs();
        IFile int8 = project.getFile(EmbeddedSample.MODEL.replace(".onnx", ".int8.onnx"));
        assertTrue(int8.exists(), int8.toString());
        // the notification says what was written, the speedup and the agreement, with links to both editors
        OptimizeNotification.Shown note = waitFor("the notification",
                () -> OptimizeNotification.last() == earlier ? null : OptimizeNotification.last(), 30);
        assertTrue(note.title().contains(EmbeddedSample.MODEL_NAME) && !note.failure(), note.toString());
        assertTrue(note.text().contains("Speedup") && note.text().contains("Agreement with the parent"), note.text());
        assertEquals(List.of("Performance", "Accuracy"), List.copyOf(note.links().keySet()));
        Shell notification = ui(OptimizeNotification::popup);
        if (notification != null) {
            UiTestSupport.screenshot(notification, "story-7-notification");
        }
        PerformanceEditor perf = waitFor("the Performance editor", () -> editor(PerformanceEditor.class), 60);
        AccuracyReportEditor acc = waitFor("the Accuracy editor", () -> editor(AccuracyReportEditor.class), 60);
        String perfTitle = ui(perf::getPartName);
        String accTitle = ui(acc::getPartName);
        assertTrue(perfTitle.startsWith("Performance: ") && perfTitle.contains("deeplabv3_mnv2_dm05_voc_257.int8"), perfTitle);
        assertTrue(accTitle.startsWith("Accuracy: ") && accTitle.contains("deeplabv3_mnv2_dm05_voc_257"), accTitle);
        assertEquals(List.of("Figure", "A deeplabv3_mnv2_dm05_voc_257.onnx", "B deeplabv3_mnv2_dm05_voc_257.int8.onnx",
                "C deeplabv3_mnv2_dm05_voc_257.int8.head.onnx"), ui(perf::columnTitles));
        PerformanceEditor.Figure speedup = ui(perf::shownFigures).stream().filter(f -> f.metric().equals("Speedup vs A (model only)"))
                .findFirst().orElseThrow();
        assertTrue(speedup.value(1).endsWith(")"), "a measured speedup with its spread: " + speedup);
        UiTestSupport.screenshot(perf, "story-8-performance-editor");

        run(() -> page().activate(acc));
        AccuracyReport report = ui(acc::report);
        assertEquals(10, report.images().size(), "all 10 sample images compared");
        assertNotNull(report.groundTruth(), "the sample has masks");
        // measured: 98.85% of pixels keep the parent's class (5 calibration images, 10 compared)
        assertTrue(report.agreement().pixelAgreement() > 0.95, "agreement " + report.agreement().pixelAgreement());
        assertEquals(10, ui(() -> acc.rowTexts(0)).size(), "a row per image");
        UiTestSupport.screenshot(acc, "story-9-accuracy-editor");

        // 5. creating the sample again is refused with a message, and nothing changes
        long before = Files.getLastModifiedTime(model.getLocation().toPath()).toMillis();
        MenuItem again = ui(() -> menuItem(helpMenu(window), "Create the INT8 Workbench Sample Project"));
        Display.getDefault().asyncExec(() -> again.notifyListeners(SWT.Selection, new Event()));
        Shell message = waitForShell(s -> "INT8 Workbench Sample Project".equals(s.getText()));
        UiTestSupport.screenshot(message, "story-10-sample-exists");
        String text = ui(() -> allText(message));
        assertTrue(text.contains("already exists"), text);
        run(message::close);
        assertEquals(before, Files.getLastModifiedTime(model.getLocation().toPath()).toMillis());
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    private static Object selectedInExplorer() {
        IViewPart v = page().findView(PROJECT_EXPLORER);
        if (v == null) {
            return null;
        }
        ISelectionProvider p = v.getSite().getSelectionProvider();
        return p.getSelection() instanceof IStructuredSelection s ? s.getFirstElement() : null;
    }

    /** The Help menu of the window's menu bar, filled as when a user opens it. */
    private static Menu helpMenu(Shell window) {
        for (MenuItem top : window.getMenuBar().getItems()) {
            if (top.getText().replace("&", "").equals("Help")) {
                Menu m = top.getMenu();
                m.notifyListeners(SWT.Show, new Event());
                return m;
            }
        }
        throw new AssertionError("no Help menu in " + Arrays.stream(window.getMenuBar().getItems()).map(MenuItem::getText).toList());
    }

    /** The menu's item whose label (without mnemonics and accelerator) starts with {@code label}. */
    private static MenuItem menuItem(Menu menu, String label) {
        List<String> seen = new ArrayList<>();
        for (MenuItem i : menu.getItems()) {
            String t = i.getText().replace("&", "").split("\t")[0];
            if (t.startsWith(label)) {
                return i;
            }
            seen.add(t);
        }
        throw new AssertionError("no menu item '" + label + "' in " + seen);
    }

    private static <T extends IEditorPart> T editor(Class<T> type) {
        for (IEditorReference r : page().getEditorReferences()) {
            IEditorPart e = r.getEditor(false);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    private static <T> T waitFor(String what, java.util.function.Supplier<T> value, int seconds) {
        UiTestSupport.waitUntil(what, () -> value.get() != null, seconds);
        return ui(value::get);
    }

    private static Shell waitForShell(Predicate<Shell> which) {
        UiTestSupport.waitUntil("a dialog", () -> findShell(which) != null, 60);
        return ui(() -> findShell(which));
    }

    private static Shell findShell(Predicate<Shell> which) {
        return Arrays.stream(Display.getDefault().getShells()).filter(s -> !s.isDisposed() && s.isVisible() && which.test(s))
                .findFirst().orElse(null);
    }

    private static void closeShells(Predicate<Shell> which) {
        run(() -> Arrays.stream(Display.getDefault().getShells()).filter(s -> !s.isDisposed() && which.test(s)).forEach(Shell::close));
    }

    /** The control under {@code root} whose {@code getData("name")} is {@code name}. */
    private static <T extends Control> T named(Control root, Class<T> type, String name) {
        T found = find(root, c -> type.isInstance(c) && name.equals(c.getData("name")), type);
        if (found == null) {
            fail("no " + type.getSimpleName() + " named " + name);
        }
        return found;
    }

    /** The dialog button with the JFace id (Dialog.createButton stores it as the button's data). */
    private static Button button(Control root, int id) {
        Button b = find(root, c -> c instanceof Button && Objects.equals(c.getData(), id), Button.class);
        if (b == null) {
            fail("no button " + id);
        }
        return b;
    }

    private static <T extends Control> T find(Control c, Predicate<Control> which, Class<T> type) {
        if (which.test(c)) {
            return type.cast(c);
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                T t = find(child, which, type);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static String allText(Control c) {
        StringBuilder b = new StringBuilder();
        find(c, x -> {
            if (x instanceof org.eclipse.swt.widgets.Label l) {
                b.append(l.getText()).append('\n');
            }
            return false;
        }, Control.class);
        return b.toString();
    }

    /** A check box or radio button clicked as a user does: its new state, then the selection event. */
    private static void click(Button b, boolean selected) {
        if (b.getSelection() != selected) {
            if ((b.getStyle() & SWT.RADIO) != 0) {
                for (Control sibling : b.getParent().getChildren()) {
                    if (sibling instanceof Button r && (r.getStyle() & SWT.RADIO) != 0 && r != b && r.getSelection()) {
                        r.setSelection(false);
                        r.notifyListeners(SWT.Selection, new Event());
                    }
                }
            }
            b.setSelection(selected);
            b.notifyListeners(SWT.Selection, new Event());
        }
    }

    private static void press(Button b) {
        b.notifyListeners(SWT.Selection, new Event());
    }

    /** Text typed into a field (its Modify event fires, as with typing). */
    private static void type(Text t, String value) {
        t.setFocus();
        t.setText(value);
    }
}
