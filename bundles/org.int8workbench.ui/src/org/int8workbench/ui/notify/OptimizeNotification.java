package org.int8workbench.ui.notify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkComparison;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.DemoPage;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.core.pipeline.PipelineResult;

/**
 * The non-modal notification at the end of an optimization: a small popup at the bottom right of the workbench window
 * (it does not take the focus and fades after a while) and the same line in the status line. On success it names
 * the files written and gives the speedup and the agreement with the parent, with links that open the Performance and
 * Accuracy editors; on failure it gives the one-line reason.
 */
public final class OptimizeNotification {
    /** How long the popup stays before it fades, in milliseconds. */
    static final int SHOW_MS = 12_000;

    /** What a notification says (for tests). */
    public record Shown(String title, String text, Map<String, IFile> links, boolean failure) {
    }

    private static volatile Shown last;
    private static Shell popup;

    private OptimizeNotification() {
    }

    /** The last notification shown, or {@code null}. */
    public static Shown last() {
        return last;
    }

    /** Closes the popup when it is open (call in the UI thread). */
    public static void close() {
        if (popup != null && !popup.isDisposed()) {
            popup.dispose();
        }
        popup = null;
    }

    /** The popup shell while it is open, or {@code null} (for screenshots); call in the UI thread. */
    public static Shell popup() {
        return popup == null || popup.isDisposed() ? null : popup;
    }

    /**
     * Announces a successful optimization of {@code model} (from any thread): {@code r} the pipeline's result (may be
     * {@code null}), {@code int8} the INT8 model, {@code benchmark} and {@code accuracy} the result files or {@code null}.
     */
    public static void succeeded(IFile model, PipelineResult r, Path int8, Path benchmark, Path accuracy) {
        List<String> lines = new ArrayList<>();
        java.util.Set<String> written = new java.util.LinkedHashSet<>();
        if (r != null) {
            for (Path p : r.written()) {
                written.add(p.getFileName().toString() + (java.nio.file.Files.isDirectory(p) ? "/" : ""));
            }
        } else {
            written.add(int8.getFileName().toString());
        }
        written.add(org.int8workbench.core.pipeline.OutputFiles.settingsOf(Path.of(model.getName())).getFileName().toString());
        lines.add("Wrote " + String.join(", ", written));
        BenchmarkResult bench = r == null ? null : r.latency() != null ? r.latency() : r.throughput();
        if (bench != null) {
            List<String> speed = new ArrayList<>();
            for (BenchmarkComparison c : bench.comparisons()) {
                speed.add(Path.of(c.path()).getFileName() + " " + DemoPage.speedup(c.endToEndSpeedup() != null ? c.endToEndSpeedup() : c.speedup()));
            }
            if (!speed.isEmpty()) {
                lines.add("Speedup over " + Path.of(bench.model().path()).getFileName() + ": " + String.join("; ", speed));
            }
        }
        AccuracyReport acc = r == null ? null : r.accuracy();
        if (acc != null && acc.agreement() != null) {
            AccuracyReport.Agreement a = acc.agreement();
            lines.add(String.format(Locale.ROOT, "Agreement with the parent: %s of pixels%s", DemoPage.percent(a.pixelAgreement()),
                    a.meanIoU() == null ? "" : ", mean IoU " + DemoPage.percent(a.meanIoU())));
        }
        Map<String, IFile> links = new LinkedHashMap<>();
        IFile bf = benchmark == null ? null : ModelFiles.file(benchmark);
        if (bf != null) {
            links.put("Performance", bf);
        }
        IFile af = accuracy == null ? null : ModelFiles.file(accuracy);
        if (af != null) {
            links.put("Accuracy", af);
        }
        show(new Shown("Optimized " + model.getName(), String.join("\n", lines), links, false));
    }

    /** Announces a failed or cancelled optimization of {@code model} with its one-line reason (from any thread). */
    public static void failed(IFile model, Exception e) {
        if (e instanceof OperationCanceledException) {
            show(new Shown("Optimization of " + model.getName() + " cancelled", "Cancelled; no file was written.", Map.of(), true));
            return;
        }
        String reason = e instanceof CoreException c ? c.getStatus().getMessage() : e.getMessage();
        show(new Shown("Optimization of " + model.getName() + " failed", oneLine(reason), Map.of(), true));
    }

    /** A reason as one line without Java class names ({@code java.io.IOException: x} reads {@code x}). */
    public static String oneLine(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given; see the Error Log";
        }
        String line = reason.strip().lines().findFirst().orElse("");
        line = line.replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*", "");
        line = line.replaceAll("\\b[A-Z][A-Za-z0-9_]*(?:Exception|Error):\\s*", "");
        return line.isBlank() ? "no reason given; see the Error Log" : line;
    }

    private static void show(Shown n) {
        last = n;
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.asyncExec(() -> open(display, n));
    }

    private static void open(Display display, Shown n) {
        IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (w == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
            w = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        }
        if (w == null) {
            return;
        }
        statusLine(w, n.title() + ": " + n.text().replace('\n', ' '), n.failure());
        if (popup != null && !popup.isDisposed()) {
            popup.dispose();
        }
        Shell shell = new Shell(w.getShell(), SWT.ON_TOP | SWT.TOOL | SWT.NO_TRIM | SWT.BORDER);
        shell.setData("name", "optimize.notification");
        GridLayout gl = new GridLayout(1, false);
        gl.marginWidth = 12;
        gl.marginHeight = 10;
        shell.setLayout(gl);
        shell.setBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        shell.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        shell.setBackgroundMode(SWT.INHERIT_FORCE);
        Label title = new Label(shell, SWT.NONE);
        title.setText(n.title());
        title.setFont(org.eclipse.jface.resource.JFaceResources.getBannerFont());
        title.setForeground(display.getSystemColor(n.failure() ? SWT.COLOR_DARK_RED : SWT.COLOR_LIST_FOREGROUND));
        Label text = new Label(shell, SWT.WRAP);
        text.setText(n.text());
        text.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        GridData td = new GridData(SWT.FILL, SWT.TOP, true, false);
        td.widthHint = 420;
        text.setLayoutData(td);
        Link links = new Link(shell, SWT.NONE);
        StringBuilder b = new StringBuilder();
        for (String name : n.links().keySet()) {
            b.append(b.length() == 0 ? "" : "    ").append("<a href=\"").append(name).append("\">Open ").append(name).append("</a>");
        }
        b.append(b.length() == 0 ? "" : "    ").append("<a href=\"close\">Close</a>");
        links.setText(b.toString());
        links.addListener(SWT.Selection, e -> {
            IFile f = n.links().get(e.text);
            if (f != null) {
                openEditor(f);
            }
            shell.dispose();
        });
        shell.pack();
        Rectangle area = w.getShell().getBounds();
        Point size = shell.getSize();
        shell.setLocation(area.x + area.width - size.x - 24, area.y + area.height - size.y - 48);
        shell.setVisible(true);
        popup = shell;
        fadeLater(display, shell);
    }

    /** Opens a result file in its editor, as the notification's links do. */
    public static void openEditor(IFile f) {
        IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = w == null ? null : w.getActivePage();
        if (page != null) {
            try {
                IDE.openEditor(page, f, true);
            } catch (PartInitException e) {
                org.int8workbench.ui.Activator.showError(e.getStatus());
            }
        }
    }

    private static void fadeLater(Display display, Shell shell) {
        display.timerExec(SHOW_MS, new Runnable() {
            private int alpha = 255;

            @Override
            public void run() {
                if (shell.isDisposed()) {
                    return;
                }
                // stays while the mouse is over it
                if (shell.getBounds().contains(display.getCursorLocation())) {
                    display.timerExec(1000, this);
                    return;
                }
                alpha -= 25;
                if (alpha <= 0) {
                    shell.dispose();
                    return;
                }
                shell.setAlpha(alpha);
                display.timerExec(60, this);
            }
        });
    }

    private static void statusLine(IWorkbenchWindow w, String message, boolean error) {
        IWorkbenchPage page = w.getActivePage();
        IWorkbenchPart part = page == null ? null : page.getActivePart();
        IStatusLineManager status = null;
        if (part != null && part.getSite() instanceof IViewSite v) {
            status = v.getActionBars().getStatusLineManager();
        } else if (part != null && part.getSite() instanceof IEditorSite ed) {
            status = ed.getActionBars().getStatusLineManager();
        }
        if (status != null) {
            if (error) {
                status.setErrorMessage(message);
            } else {
                status.setMessage(message);
            }
        }
    }
}
