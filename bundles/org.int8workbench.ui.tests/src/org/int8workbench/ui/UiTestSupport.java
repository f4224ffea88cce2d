package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.int8workbench.testing.TestData;

/**
 * Fixtures of the workbench tests: the real data in {@code ../shared/data} (through the shared
 * {@link TestData}: {@code INT8WB_SHARED_DATA} overrides the location, missing data fails under {@code CI=true} and
 * skips otherwise), test projects, running code in the UI thread, waiting for jobs, and PNG
 * screenshots into the folder named by the system property {@code int8wb.screenshots}.
 */
public final class UiTestSupport {
    private UiTestSupport() {
    }

    /** The real DeepLabV3 model file ({@link TestData#deeplabModel}). */
    public static Path deeplabModel() {
        return TestData.deeplabModel();
    }

    /** The Pascal VOC 2012 val sample folder ({@link TestData#vocVal}). */
    public static Path vocVal() {
        return TestData.vocVal();
    }

    /** The calibration photos, never in val ({@link TestData#calibrationPhotos}). */
    public static Path calibrationPhotos() {
        return TestData.calibrationPhotos();
    }

    /** A new open project (deleted first when it exists). */
    public static IProject project(String name) throws Exception {
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
        if (p.exists()) {
            p.delete(true, true, null);
        }
        p.create(null);
        p.open(null);
        return p;
    }

    /** Copies a file into the project root. */
    public static IFile copy(IProject project, Path source, String name) throws Exception {
        IFile f = project.getFile(name);
        try (InputStream in = Files.newInputStream(source)) {
            f.create(in, true, null);
        }
        return f;
    }

    /** Runs in the UI thread and returns the value. */
    public static <T> T ui(Callable<T> work) {
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Display.getDefault().syncExec(() -> {
            try {
                value.set(work.call());
            } catch (Throwable t) {
                error.set(t);
            }
        });
        if (error.get() != null) {
            throw new AssertionError("in the UI thread: " + error.get(), error.get());
        }
        return value.get();
    }

    /** Runs in the UI thread. */
    public static void run(Runnable work) {
        ui(() -> {
            work.run();
            return null;
        });
    }

    /** Lets the workbench's event loop run for a while (and finish the runnables queued so far). */
    public static void settle(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            run(() -> {
                // the workbench's own event loop dispatches; this only waits for the runnables queued before
            });
            sleep(50);
        }
    }

    /** Waits until the condition (checked in the UI thread) holds; fails after {@code seconds}. */
    public static void waitUntil(String what, BooleanSupplier condition, int seconds) {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            if (ui(condition::getAsBoolean)) {
                return;
            }
            settle(100);
        }
        fail("timed out after " + seconds + " s waiting for " + what);
    }

    /** Waits for every job of {@link UiJobs#FAMILY}, then for the UI work they queued. */
    public static void joinUiJobs() throws InterruptedException {
        Job.getJobManager().join(UiJobs.FAMILY, null);
        settle(300);
    }

    /** Captures the control (e.g. a shell) as {@code NAME.png} in the screenshots folder; returns the file. */
    public static Path screenshot(Control control, String name) throws Exception {
        Path dir = Path.of(System.getProperty("int8wb.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        run(() -> {
            control.getShell().forceActive();
            control.update();
        });
        settle(300);
        run(() -> {
            Point size = control.getSize();
            Image image = new Image(control.getDisplay(), Math.max(1, size.x), Math.max(1, size.y));
            GC gc = new GC(control);
            try {
                gc.copyArea(image, 0, 0);
            } finally {
                gc.dispose();
            }
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {image.getImageData()};
            loader.save(file.toString(), SWT.IMAGE_PNG);
            image.dispose();
        });
        return file;
    }

    /**
     * Captures the workbench window with {@code part} maximized (a view or an editor alone, as a person would look at
     * it), then restores the layout.
     */
    public static Path screenshot(org.eclipse.ui.IWorkbenchPart part, String name) throws Exception {
        org.eclipse.ui.IWorkbenchPage page = part.getSite().getPage();
        run(() -> {
            org.eclipse.swt.widgets.Shell shell = page.getWorkbenchWindow().getShell();
            if (shell.getSize().x < 1280) {
                shell.setBounds(0, 0, 1280, 960);
            }
            page.activate(part);
            page.setPartState(page.getReference(part), org.eclipse.ui.IWorkbenchPage.STATE_MAXIMIZED);
        });
        settle(500);
        Path file = screenshot(ui(() -> page.getWorkbenchWindow().getShell()), name);
        run(() -> page.setPartState(page.getReference(part), org.eclipse.ui.IWorkbenchPage.STATE_RESTORED));
        settle(200);
        return file;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
