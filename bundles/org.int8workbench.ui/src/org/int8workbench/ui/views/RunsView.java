package org.int8workbench.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CheckboxTableViewer;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;
import org.int8workbench.core.runs.RunColumns;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.editors.SortableTable;
import org.int8workbench.ui.jobs.CompareRunsJob;

/**
 * The Runs view: the remembered optimizations ({@link RunHistory}) of the model selected in the Model Explorer or the
 * Project Explorer (for an INT8 model, those of its parent), newest first, one sortable row per run with its settings,
 * the speedups it measured and its accuracy. Check two or more rows and Compare: the parent and the checked runs'
 * models are measured side by side ({@link CompareRunsJob}) and the Performance and Run Comparison editors open.
 * Double-click a run to open the reports it recorded.
 */
public final class RunsView extends ViewPart {
    /** The view's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.views.runs";

    private final RunHistory history = RunHistory.besideModels();
    private Label heading;
    private CheckboxTableViewer viewer;
    private Path parent;
    private List<String> warnings = List.of();
    private Action compare;
    private Action delete;

    private final ISelectionListener selectionListener = (IWorkbenchPart part, ISelection selection) -> {
        if (part != this && selection instanceof IStructuredSelection s && !s.isEmpty()) {
            IFile model = ModelFiles.asModel(s.getFirstElement());
            if (model != null) {
                showRuns(model);
            }
        }
    };

    private final IResourceChangeListener resources = event -> {
        Path shown = parent;
        if (shown == null || event.getDelta() == null) {
            return;
        }
        boolean[] touched = {false};
        try {
            event.getDelta().accept(d -> {
                var loc = d.getResource().getLocation();
                if (loc != null && loc.toPath().startsWith(history.folder(shown))) {
                    touched[0] = true;
                }
                return !touched[0];
            });
        } catch (CoreException e) {
            return;
        }
        if (touched[0] && viewer != null) {
            viewer.getControl().getDisplay().asyncExec(this::refresh);
        }
    };

    @Override
    public void createPartControl(Composite root) {
        root.setLayout(new GridLayout(1, false));
        heading = new Label(root, SWT.WRAP);
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        heading.setText("Select a model in the Model Explorer or the Project Explorer to see its runs.");
        viewer = CheckboxTableViewer.newCheckList(root, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        viewer.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        SortableTable<RunHistory.Run> t = new SortableTable<>(viewer);
        var time = t.column("Time", 170, r -> RunColumns.time(r.record()),
                Comparator.comparing((RunHistory.Run r) -> r.record().time()));
        t.column("Method", 110, r -> r.record().method(), Comparator.comparing((RunHistory.Run r) -> r.record().method()));
        t.column("Preset / range", 190, r -> r.record().preset() + " / " + r.record().range(),
                Comparator.comparing((RunHistory.Run r) -> r.record().preset() + " / " + r.record().range()));
        t.column("Ignored nodes", 115, r -> Integer.toString(r.record().keptInFloat()),
                Comparator.comparingInt((RunHistory.Run r) -> r.record().keptInFloat()));
        t.column("Speedup throughput", 150, r -> RunColumns.ratio(speed(r, true)), SortableTable.by(r -> speed(r, true)));
        t.column("Speedup latency", 130, r -> RunColumns.ratio(speed(r, false)), SortableTable.by(r -> speed(r, false)));
        t.column("Agreement", 90, r -> RunColumns.percent(agreement(r)), SortableTable.by(RunsView::agreement));
        t.column("mIoU drop (points)", 150, r -> RunColumns.points(drop(r)), SortableTable.by(RunsView::drop));
        t.column("Id", 170, RunHistory.Run::id, Comparator.comparing(RunHistory.Run::id));
        t.sortBy(time.getColumn(), false);
        viewer.addCheckStateListener(e -> updateActions());
        viewer.addSelectionChangedListener(e -> updateActions());
        viewer.addDoubleClickListener(e -> {
            if (e.getSelection() instanceof IStructuredSelection s && s.getFirstElement() instanceof RunHistory.Run r) {
                openReports(r);
            }
        });

        compare = new Action("Compare") {
            @Override
            public void run() {
                compareChecked();
            }
        };
        compare.setToolTipText("Measure the parent and the checked (or selected) runs' models side by side (two or more runs)");
        delete = new Action("Delete") {
            @Override
            public void run() {
                deleteSelected();
            }
        };
        delete.setToolTipText("Forget the selected runs (deletes their folders and model copies)");
        Action refresh = new Action("Refresh") {
            @Override
            public void run() {
                refresh();
            }
        };
        IToolBarManager bar = getViewSite().getActionBars().getToolBarManager();
        bar.add(compare);
        bar.add(delete);
        bar.add(refresh);
        MenuManager menu = new MenuManager();
        menu.add(compare);
        menu.add(delete);
        menu.add(refresh);
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        updateActions();

        getSite().getWorkbenchWindow().getSelectionService().addPostSelectionListener(selectionListener);
        ResourcesPlugin.getWorkspace().addResourceChangeListener(resources, IResourceChangeEvent.POST_CHANGE);
        ISelection current = getSite().getWorkbenchWindow().getSelectionService().getSelection();
        if (current instanceof IStructuredSelection s && !s.isEmpty()) {
            IFile model = ModelFiles.asModel(s.getFirstElement());
            if (model != null) {
                showRuns(model);
            }
        }
    }

    /** Shows the runs of {@code model} (of its parent, for an INT8 model whose parent lies beside it). */
    public void showRuns(IFile model) {
        try {
            showRuns(ModelFiles.path(model));
        } catch (CoreException e) {
            heading.setText(e.getMessage());
        }
    }

    /** Shows the runs of {@code model} (of its parent, for an INT8 model whose parent lies beside it). */
    public void showRuns(Path model) {
        Path p = ModelFiles.parentByName(model);
        parent = (p != null && Files.isRegularFile(p) ? p : model).toAbsolutePath().normalize();
        refresh();
    }

    /** Reads the runs of the model shown again. */
    public void refresh() {
        if (parent == null || viewer.getControl().isDisposed()) {
            return;
        }
        RunHistory.Listing l = history.list(parent);
        warnings = l.warnings();
        List<Object> checked = List.of(viewer.getCheckedElements());
        List<String> ids = checked.stream().map(o -> ((RunHistory.Run) o).id()).toList();
        viewer.setInput(l.runs());
        for (RunHistory.Run r : l.runs()) {
            viewer.setChecked(r, ids.contains(r.id()));
        }
        String text = l.runs().isEmpty() ? "No runs of " + parent.getFileName() + " yet: every Optimize INT8 of it is remembered here."
                : l.runs().size() + (l.runs().size() == 1 ? " run" : " runs") + " of " + parent.getFileName()
                        + ". Check (or select) two or more and Compare to measure them side by side.";
        if (!warnings.isEmpty()) {
            text += "\n" + String.join("\n", warnings);
        }
        heading.setText(text);
        heading.getParent().layout(true, true);
        updateActions();
    }

    /** The parent model whose runs are shown, or {@code null}. */
    public Path parentModel() {
        return parent;
    }

    /** The runs as listed (newest first, before any sorting by the user). */
    @SuppressWarnings("unchecked")
    public List<RunHistory.Run> runs() {
        Object in = viewer.getInput();
        return in == null ? List.of() : (List<RunHistory.Run>) in;
    }

    /** Runs that could not be read, one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /** The table (for tests). */
    public Table table() {
        return viewer.getTable();
    }

    /** Checks exactly the runs with these ids. */
    public void check(List<String> ids) {
        for (RunHistory.Run r : runs()) {
            viewer.setChecked(r, ids.contains(r.id()));
        }
        updateActions();
    }

    /** The checked runs, in the table's order. */
    public List<RunHistory.Run> checked() {
        List<RunHistory.Run> out = new ArrayList<>();
        for (Object o : viewer.getCheckedElements()) {
            out.add((RunHistory.Run) o);
        }
        return out;
    }

    /** The runs Compare measures: the checked ones when two or more are checked, else the selected ones. */
    public List<RunHistory.Run> chosen() {
        List<RunHistory.Run> runs = checked();
        if (runs.size() >= 2) {
            return runs;
        }
        List<RunHistory.Run> selected = new ArrayList<>();
        for (Object o : viewer.getStructuredSelection().toList()) {
            selected.add((RunHistory.Run) o);
        }
        return selected;
    }

    /** Whether Compare is enabled: two or more runs checked (or selected). */
    public boolean canCompare() {
        return compare.isEnabled();
    }

    /**
     * Compare of the toolbar: schedules the comparison of the {@link #chosen} runs; {@code null} when fewer than two are
     * chosen.
     */
    public UiJobs.UiJob compareChecked() {
        List<RunHistory.Run> runs = chosen();
        if (parent == null || runs.size() < 2) {
            return null;
        }
        return CompareRunsJob.schedule(parent, runs);
    }

    /**
     * Opens the run's own reports as it recorded them (the kept copies of its benchmark and accuracy records): the
     * Performance editor and the Accuracy Report editor (its figures; the pictures are not kept).
     */
    public void openReports(RunHistory.Run run) {
        var page = getSite().getPage();
        try {
            for (Path b : run.benchmarkReports()) {
                org.eclipse.ui.ide.IDE.openEditor(page, b.toUri(), org.int8workbench.ui.editors.PerformanceEditor.ID, true);
            }
            if (run.accuracyReport() != null) {
                org.eclipse.ui.ide.IDE.openEditor(page, run.accuracyReport().toUri(), org.int8workbench.ui.editors.AccuracyReportEditor.ID, true);
            }
        } catch (org.eclipse.ui.PartInitException e) {
            Activator.showError(e.getStatus());
        }
    }

    private void deleteSelected() {
        IStructuredSelection s = viewer.getStructuredSelection();
        if (s.isEmpty() || parent == null || !org.eclipse.jface.dialogs.MessageDialog.openConfirm(getSite().getShell(), "Delete runs",
                "Forget " + s.size() + (s.size() == 1 ? " run" : " runs") + " of " + parent.getFileName()
                        + "? Their folders and model copies are deleted.")) {
            return;
        }
        for (Object o : s.toList()) {
            try {
                history.delete(parent, ((RunHistory.Run) o).id());
            } catch (IOException | RuntimeException e) {
                Activator.showError(Status.error("Cannot delete run " + ((RunHistory.Run) o).id() + ": " + e.getMessage(), e));
            }
        }
        refresh();
    }

    private void updateActions() {
        if (compare != null) {
            compare.setEnabled(chosen().size() >= 2);
            delete.setEnabled(parent != null && !runs().isEmpty());
        }
    }

    private static Double speed(RunHistory.Run r, boolean throughput) {
        return RunColumns.speedup(r.record(), throughput);
    }

    private static Double agreement(RunHistory.Run r) {
        return RunColumns.agreement(r.record());
    }

    private static Double drop(RunHistory.Run r) {
        return RunColumns.drop(r.record());
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        getSite().getWorkbenchWindow().getSelectionService().removePostSelectionListener(selectionListener);
        ResourcesPlugin.getWorkspace().removeResourceChangeListener(resources);
        super.dispose();
    }
}
