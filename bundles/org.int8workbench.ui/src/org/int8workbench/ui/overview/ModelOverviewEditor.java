package org.int8workbench.ui.overview;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IPathEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.IHandlerService;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.ModelOutputs;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.editors.ReadOnlyEditorPart;
import org.int8workbench.ui.views.ModelExplorerView;

/**
 * Model Overview: the read-only editor a double-click on an {@code .onnx} file opens. It shows what the Model
 * Explorer's details show ({@link ModelProperties}: inputs and outputs with their kinds, opsets, operators with counts,
 * parameters, size, precision, the quantization settings an INT8 model records), the related models beside it (its INT8
 * child, its parent, the model cut before its label head) and buttons that run the workbench's commands on the model.
 * The model is read in a job; a model that cannot be read shows the core's one-line reason.
 */
public final class ModelOverviewEditor extends ReadOnlyEditorPart {
    /** The editor's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.editors.modelOverview";

    /** The actions: button text and command id. */
    static final Map<String, String> ACTIONS = actions();

    private Path file;
    private IFile workspaceFile;
    private Label heading;
    private Label status;
    private Label related;
    private TreeViewer tree;
    private Composite buttons;
    private volatile Object state;
    private volatile boolean shown;
    private final List<Button> actionButtons = new ArrayList<>();
    /** Re-reads the model when its file changes and names the models that appear or go beside it. */
    private final org.eclipse.core.resources.IResourceChangeListener listener = this::resourcesChanged;

    private static Map<String, String> actions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Optimize INT8\u2026", "org.int8workbench.ui.commands.optimize");
        m.put("Benchmark", "org.int8workbench.ui.commands.benchmark");
        m.put("Evaluate", "org.int8workbench.ui.commands.evaluate");
        m.put("Open Reports", "org.int8workbench.ui.commands.openReports");
        m.put("Layer Sensitivity\u2026", "org.int8workbench.ui.commands.sensitivity");
        m.put("Generate Java Code\u2026", "org.int8workbench.ui.commands.codegen");
        return m;
    }

    @Override
    public void init(IEditorSite site, IEditorInput input) throws PartInitException {
        setSite(site);
        setInput(input);
        if (input instanceof IFileEditorInput f) {
            workspaceFile = f.getFile();
            if (f.getFile().getLocation() == null) {
                throw new PartInitException(f.getFile().getFullPath() + " is not on the local file system");
            }
            file = f.getFile().getLocation().toPath();
        } else if (input instanceof IPathEditorInput p) {
            file = p.getPath().toPath();
        } else if (input instanceof IURIEditorInput u && "file".equals(u.getURI().getScheme())) {
            file = Path.of(u.getURI());
        } else {
            throw new PartInitException("Cannot open " + input.getName() + ": not a local file");
        }
        if (workspaceFile == null) {
            workspaceFile = ModelFiles.file(file);
        }
        setPartName(file.getFileName().toString());
        setTitleToolTip(file.toString());
        site.setSelectionProvider(new FixedSelection(workspaceFile == null ? StructuredSelection.EMPTY : new StructuredSelection(workspaceFile)));
    }

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        heading = new Label(parent, SWT.WRAP);
        heading.setFont(org.eclipse.jface.resource.JFaceResources.getHeaderFont());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        heading.setText(file.getFileName().toString());
        heading.setData("name", "overview.heading");
        Label path = new Label(parent, SWT.WRAP);
        path.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        path.setText(file.toString());

        buttons = new Composite(parent, SWT.NONE);
        RowLayout rl = new RowLayout(SWT.HORIZONTAL);
        rl.wrap = true;
        rl.marginLeft = 0;
        buttons.setLayout(rl);
        for (Map.Entry<String, String> a : ACTIONS.entrySet()) {
            Button b = new Button(buttons, SWT.PUSH);
            b.setText(a.getKey());
            b.setData("name", "overview.action." + a.getValue().substring(a.getValue().lastIndexOf('.') + 1));
            b.setEnabled(workspaceFile != null);
            b.addListener(SWT.Selection, e -> runCommand(a.getValue()));
            actionButtons.add(b);
        }
        Button show = new Button(buttons, SWT.PUSH);
        show.setText("Show in Model Explorer");
        show.setData("name", "overview.action.showInExplorer");
        show.setEnabled(workspaceFile != null);
        show.addListener(SWT.Selection, e -> showInExplorer());
        actionButtons.add(show);

        related = new Label(parent, SWT.WRAP);
        related.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        related.setText(relatedText());
        status = new Label(parent, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        status.setText("Reading the model\u2026");
        status.setData("name", "overview.status");

        tree = new TreeViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.READ_ONLY);
        tree.getTree().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        tree.getTree().setHeaderVisible(true);
        tree.getTree().setLinesVisible(true);
        tree.getTree().setData("name", "overview.properties");
        tree.setContentProvider(new RowsContent());
        TreeViewerColumn name = new TreeViewerColumn(tree, SWT.LEFT);
        name.getColumn().setText("Property");
        name.getColumn().setWidth(240);
        name.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> ((ModelProperties.Row) e).name()));
        TreeViewerColumn value = new TreeViewerColumn(tree, SWT.LEFT);
        value.getColumn().setText("Value");
        value.getColumn().setWidth(620);
        value.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> ((ModelProperties.Row) e).value()));
        read();
        org.eclipse.core.resources.ResourcesPlugin.getWorkspace().addResourceChangeListener(listener,
                org.eclipse.core.resources.IResourceChangeEvent.POST_CHANGE);
    }

    private void resourcesChanged(org.eclipse.core.resources.IResourceChangeEvent event) {
        if (workspaceFile == null || event.getDelta() == null) {
            return;
        }
        org.eclipse.core.resources.IResourceDelta folder = event.getDelta().findMember(workspaceFile.getParent().getFullPath());
        if (folder == null) {
            return;
        }
        org.eclipse.core.resources.IResourceDelta own = folder.findMember(org.eclipse.core.runtime.IPath.fromOSString(workspaceFile.getName()));
        boolean changed = own != null && (own.getFlags() & org.eclipse.core.resources.IResourceDelta.CONTENT) != 0;
        org.eclipse.swt.widgets.Display display = tree == null || tree.getControl().isDisposed() ? null : tree.getControl().getDisplay();
        if (display != null) {
            display.asyncExec(() -> {
                if (tree.getControl().isDisposed()) {
                    return;
                }
                if (changed) {
                    shown = false;
                    read();
                } else if (state instanceof Read) {
                    related.setText(relatedText());
                    related.getParent().layout(true, true);
                }
            });
        }
    }

    @Override
    public void dispose() {
        org.eclipse.core.resources.ResourcesPlugin.getWorkspace().removeResourceChangeListener(listener);
        super.dispose();
    }

    /** Reads the model's summary and the kinds of its outputs in a job, then shows them. */
    private void read() {
        Job job = Job.create("Reading " + file.getFileName(), (IProgressMonitor monitor) -> {
            Object result;
            try {
                ModelSummary m = ModelSummary.of(file);
                Map<String, ModelOutput> kinds = ModelOutputs.each(file);
                result = new Read(m, kinds);
            } catch (Exception e) {
                String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
                result = msg;
            }
            state = result;
            Object shown = result;
            if (tree != null && !tree.getControl().isDisposed()) {
                tree.getControl().getDisplay().asyncExec(() -> show(shown));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private record Read(ModelSummary summary, Map<String, ModelOutput> kinds) {
    }

    private void show(Object result) {
        if (tree.getControl().isDisposed()) {
            return;
        }
        if (result instanceof Read r) {
            ModelSummary m = r.summary();
            tree.getControl().setVisible(true);
            ((GridData) tree.getControl().getLayoutData()).exclude = false;
            status.setForeground(null);
            for (Button b : actionButtons) {
                b.setEnabled(workspaceFile != null);
            }
            heading.setText(file.getFileName() + " \u2014 " + m.precision().label() + " model, " + ModelProperties.size(m.fileSize()));
            status.setText(m.quantization() == null ? "An FP32 model: optimize it to write its INT8 model beside it."
                    : "An INT8 model made from " + m.quantization().sourceModel() + " by INT8 Workbench.");
            List<ModelProperties.Row> rows = ModelProperties.rows(m, r.kinds());
            tree.setInput(rows);
            for (ModelProperties.Row row : rows) {
                tree.setExpandedState(row, ModelProperties.openAtFirst(m, row));
            }
        } else {
            heading.setText(file.getFileName().toString());
            status.setText("Cannot read this model: " + result);
            status.setForeground(status.getDisplay().getSystemColor(SWT.COLOR_RED));
            tree.setInput(List.of());
            tree.getControl().setVisible(false);
            ((GridData) tree.getControl().getLayoutData()).exclude = true;
            for (Button b : actionButtons) {
                if (!b.isDisposed() && !"overview.action.showInExplorer".equals(b.getData("name"))) {
                    b.setEnabled(false);
                }
            }
        }
        related.setText(result instanceof Read ? relatedText() : "");
        heading.getParent().layout(true, true);
        shown = true;
    }

    /** The INT8 child, the parent and the model cut before its head that lie beside this model. */
    private String relatedText() {
        List<String> parts = new ArrayList<>();
        String name = file.getFileName().toString();
        Path dir = file.getParent();
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".int8.onnx")) {
            Path parent = ModelFiles.parentByName(file);
            if (parent != null && Files.isRegularFile(parent)) {
                parts.add("Parent model: " + parent.getFileName());
            }
            Path head = OutputFiles.headOf(file);
            parts.add(Files.isRegularFile(head) ? "Head model (INT8 without its label head, the head run exactly): " + head.getFileName()
                    : "No head model beside it");
        } else if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".head.onnx")) {
            Path int8 = OutputFiles.int8Of(file);
            if (Files.isRegularFile(int8)) {
                parts.add("INT8 model: " + int8.getFileName());
                Path head = OutputFiles.headOf(int8);
                if (Files.isRegularFile(head)) {
                    parts.add("head model: " + head.getFileName());
                }
            } else {
                parts.add("No INT8 model beside it yet");
            }
        }
        return dir == null ? "" : String.join("; ", parts);
    }

    /** Runs a workbench command on this model, as its context menu does. */
    void runCommand(String commandId) {
        if (workspaceFile == null) {
            return;
        }
        // the editor's selection is its model (its selection provider), so the command's handler acts on it as on
        // the model selected in the Project Explorer
        IHandlerService handlers = getSite().getService(IHandlerService.class);
        try {
            getSite().getPage().activate(this);
            handlers.executeCommand(commandId, null);
        } catch (Exception e) {
            Activator.showError(Status.error(e.getMessage() == null ? "Cannot run " + commandId : e.getMessage()));
        }
    }

    private void showInExplorer() {
        try {
            ModelExplorerView view = (ModelExplorerView) getSite().getPage().showView(ModelExplorerView.ID);
            if (workspaceFile != null) {
                view.select(workspaceFile);
            }
        } catch (PartInitException e) {
            Activator.showError(e.getStatus());
        }
    }

    /** The model's full path (the editor input's own tooltip is the workspace path). */
    @Override
    public String getTitleToolTip() {
        return file == null ? super.getTitleToolTip() : file.toString();
    }

    // ------------------------------------------------------------------ for tests

    /** The file shown. */
    public Path file() {
        return file;
    }

    /** True once the model was read (or found unreadable) and shown. */
    public boolean isRead() {
        return shown;
    }

    /** The summary shown, or {@code null} while reading or for an unreadable model. */
    public ModelSummary summary() {
        return state instanceof Read r ? r.summary() : null;
    }

    /** The property tree as {@code name = value} lines ({@link ModelProperties#lines}). */
    @SuppressWarnings("unchecked")
    public List<String> lines() {
        Object input = tree.getInput();
        return input instanceof List<?> l ? ModelProperties.lines((List<ModelProperties.Row>) l) : List.of();
    }

    /** The heading, the status line and the related-models line. */
    public List<String> texts() {
        return List.of(heading.getText(), status.getText(), related.getText());
    }

    /** The action buttons' texts. */
    public List<String> actionTexts() {
        return actionButtons.stream().map(Button::getText).toList();
    }

    /** The editor's controls (for screenshots and widget lookups). */
    public Control control() {
        return tree.getControl().getParent();
    }


    @Override
    public void setFocus() {
        if (tree != null && !tree.getControl().isDisposed()) {
            tree.getControl().setFocus();
        }
    }

    private static final class RowsContent implements ITreeContentProvider {
        @Override
        public Object[] getElements(Object input) {
            return input instanceof List<?> l ? l.toArray() : new Object[0];
        }

        @Override
        public Object[] getChildren(Object parent) {
            return ((ModelProperties.Row) parent).children().toArray();
        }

        @Override
        public Object getParent(Object element) {
            return null;
        }

        @Override
        public boolean hasChildren(Object element) {
            return !((ModelProperties.Row) element).children().isEmpty();
        }
    }

    /** The editor's selection: its model file, so that the workbench's commands apply to it. */
    private static final class FixedSelection implements ISelectionProvider {
        private final StructuredSelection selection;

        FixedSelection(StructuredSelection selection) {
            this.selection = selection;
        }

        @Override
        public void addSelectionChangedListener(org.eclipse.jface.viewers.ISelectionChangedListener l) {
            // never changes
        }

        @Override
        public org.eclipse.jface.viewers.ISelection getSelection() {
            return selection;
        }

        @Override
        public void removeSelectionChangedListener(org.eclipse.jface.viewers.ISelectionChangedListener l) {
            // never changes
        }

        @Override
        public void setSelection(org.eclipse.jface.viewers.ISelection s) {
            // fixed
        }
    }
}
