package org.int8workbench.ui.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.part.ViewPart;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.ModelOutputs;
import org.int8workbench.core.onnx.QuantizationMetadata;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.handlers.OpenReportsHandler;
import org.int8workbench.ui.overview.ModelProperties;
import org.int8workbench.ui.overview.ModelProperties.Row;

/**
 * The ONNX models of the workspace grouped by project, with the summary the core computes for the selected one.
 * INT8 models show their precision and parent. Double-click opens the latest reports of a model.
 */
public final class ModelExplorerView extends ViewPart {
    /** The view's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.views.modelExplorer";

    private TreeViewer viewer;
    private TreeViewer details;
    private Label runtime;
    private Label heading;
    /** Summaries by workspace path, computed in the background; a failure is kept as its message. */
    private final Map<IFile, Object> summaries = new ConcurrentHashMap<>();
    private final Map<IFile, Long> stamps = new ConcurrentHashMap<>();
    private final Map<IFile, Map<String, ModelOutput>> kinds = new ConcurrentHashMap<>();
    private final IResourceChangeListener listener = this::resourcesChanged;
    /** The icon of .onnx files (icons/onnx.png). */
    private static final org.eclipse.jface.resource.ImageDescriptor MODEL_ICON = org.eclipse.jface.resource.ResourceLocator
            .imageDescriptorFromBundle(ModelExplorerView.class, "icons/onnx.png").orElseThrow();
    private final org.eclipse.jface.resource.LocalResourceManager resources = new org.eclipse.jface.resource.LocalResourceManager(
            org.eclipse.jface.resource.JFaceResources.getResources());

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        runtime = new Label(parent, SWT.WRAP);
        runtime.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        runtime.setText("ONNX Runtime " + Ort.version() + " on " + CpuInfo.current().describe());

        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        viewer = new TreeViewer(sash, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        viewer.setContentProvider(new ModelsContent());
        viewer.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return label(element);
            }

            @Override
            public Image getImage(Object element) {
                ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
                return element instanceof IProject ? images.getImage(org.eclipse.ui.ide.IDE.SharedImages.IMG_OBJ_PROJECT)
                        : resources.create(MODEL_ICON);
            }

            @Override
            public String getToolTipText(Object element) {
                return element instanceof IFile f && summaries.get(f) instanceof ModelSummary s ? s.describe() : null;
            }
        });
        viewer.setComparator(new org.eclipse.jface.viewers.ViewerComparator());
        viewer.setInput(ResourcesPlugin.getWorkspace().getRoot());
        viewer.expandAll();
        viewer.addSelectionChangedListener(e -> showDetails());
        viewer.addDoubleClickListener(e -> {
            IFile model = selectedModel();
            if (model != null) {
                OpenReportsHandler.openLatest(getSite().getPage(), model);
            }
        });

        Composite bottom = new Composite(sash, SWT.NONE);
        GridLayout bl = new GridLayout(1, false);
        bl.marginWidth = 0;
        bl.marginHeight = 0;
        bottom.setLayout(bl);
        heading = new Label(bottom, SWT.WRAP);
        heading.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        heading.setText("Select a model to see its summary.");
        details = new TreeViewer(bottom, SWT.BORDER | SWT.FULL_SELECTION);
        details.getTree().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        details.getTree().setHeaderVisible(true);
        details.getTree().setLinesVisible(true);
        details.setContentProvider(new SummaryContent());
        TreeViewerColumn name = new TreeViewerColumn(details, SWT.LEFT);
        name.getColumn().setText("Property");
        name.getColumn().setWidth(190);
        name.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> ((Row) e).name()));
        TreeViewerColumn value = new TreeViewerColumn(details, SWT.LEFT);
        value.getColumn().setText("Value");
        value.getColumn().setWidth(420);
        value.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> ((Row) e).value()));
        sash.setWeights(45, 55);

        MenuManager menu = new MenuManager();
        menu.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getSite().registerContextMenu(menu, viewer);
        getSite().setSelectionProvider(viewer);
        ResourcesPlugin.getWorkspace().addResourceChangeListener(listener, IResourceChangeEvent.POST_CHANGE);
        computeSummaries();
    }

    /** The text of the runtime line (for tests). */
    public String runtimeText() {
        return runtime.getText();
    }

    /** The models shown, in display order (for tests). */
    public List<IFile> shownModels() {
        List<IFile> out = new ArrayList<>();
        ModelsContent c = (ModelsContent) viewer.getContentProvider();
        for (Object p : c.getElements(viewer.getInput())) {
            for (Object f : c.getChildren(p)) {
                out.add((IFile) f);
            }
        }
        return out;
    }

    /** The label of a model in the tree (for tests). */
    public String labelOf(IFile model) {
        return label(model);
    }

    /** Selects a model as a user would (for tests and for revealing new models). */
    public void select(IFile model) {
        viewer.setSelection(new StructuredSelection(model), true);
    }

    /** The details pane as {@code name = value} lines, depth first (for tests). */
    public List<String> detailLines() {
        List<String> out = new ArrayList<>();
        Object input = details.getInput();
        if (input instanceof List<?> rows) {
            for (Object r : rows) {
                flatten((Row) r, "", out);
            }
        }
        return out;
    }

    /** True when every listed model has its summary (or its error) computed. */
    public boolean summariesReady() {
        return shownModels().stream().allMatch(summaries::containsKey);
    }

    /** Re-reads the workspace and recomputes changed summaries. */
    public void refresh() {
        if (viewer == null || viewer.getControl().isDisposed()) {
            return;
        }
        Object[] expanded = viewer.getExpandedElements();
        viewer.refresh();
        viewer.setExpandedElements(expanded);
        viewer.expandAll();
        computeSummaries();
        showDetails();
    }

    private static void flatten(Row r, String indent, List<String> out) {
        out.add(indent + r.name() + " = " + r.value());
        for (Row c : r.children()) {
            flatten(c, indent + "  ", out);
        }
    }

    private IFile selectedModel() {
        IStructuredSelection s = viewer.getStructuredSelection();
        return s.getFirstElement() instanceof IFile f ? f : null;
    }

    private String label(Object element) {
        if (element instanceof IProject p) {
            return p.getName();
        }
        IFile f = (IFile) element;
        String name = f.getProjectRelativePath().toString();
        Object s = summaries.get(f);
        if (s instanceof ModelSummary m) {
            String text = name + "  [" + m.precision().label() + ", " + size(m.fileSize()) + "]";
            QuantizationMetadata q = m.quantization();
            return q != null ? text + "  \u2190 " + q.sourceModel() : text;
        }
        if (s instanceof String error) {
            return name + "  [unreadable: " + error + "]";
        }
        return name + "  [reading\u2026]";
    }

    private static String size(long bytes) {
        return ModelProperties.size(bytes);
    }

    private void showDetails() {
        if (details == null || details.getControl().isDisposed()) {
            return;
        }
        IFile f = selectedModel();
        if (f == null) {
            heading.setText("Select a model to see its summary.");
            details.setInput(List.of());
            return;
        }
        Object s = summaries.get(f);
        if (s instanceof ModelSummary m) {
            heading.setText(f.getFullPath() + ": " + m.precision().label() + " model");
            List<Row> rows = rows(m, kinds.getOrDefault(f, Map.of()));
            details.setInput(rows);
            // an FP32 model: its interface and operators; an INT8 model: how it was made
            for (Row r : rows) {
                boolean open = m.quantization() == null ? r.name().equals("Inputs / outputs") || r.name().equals("Operators")
                        : r.name().equals("Quantization") || r.name().equals("Operators kept FP32") || r.name().equals("Inputs / outputs");
                details.setExpandedState(r, open);
            }
        } else {
            heading.setText(f.getFullPath() + (s == null ? ": reading\u2026" : ": " + s));
            details.setInput(List.of());
        }
        heading.getParent().layout();
    }

    /** The summary as a property tree. */
    static List<Row> rows(ModelSummary m) {
        return rows(m, Map.of());
    }

    /** The summary as a property tree, each output with the kind found for it ({@code kinds} by output name). */
    static List<Row> rows(ModelSummary m, Map<String, ModelOutput> kinds) {
        return ModelProperties.rows(m, kinds);
    }

    private void computeSummaries() {
        List<IFile> todo = new ArrayList<>();
        for (IFile f : shownModels()) {
            Long stamp = stamps.get(f);
            if (stamp == null || stamp != f.getModificationStamp()) {
                todo.add(f);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        Job job = Job.create("Reading ONNX model summaries", (IProgressMonitor monitor) -> {
            for (IFile f : todo) {
                if (monitor.isCanceled()) {
                    return Status.CANCEL_STATUS;
                }
                long stamp = f.getModificationStamp();
                try {
                    Path p = ModelFiles.path(f);
                    summaries.put(f, ModelSummary.of(p));
                    kinds.put(f, ModelOutputs.each(p));
                } catch (CoreException | java.io.IOException | RuntimeException e) {
                    summaries.put(f, e.getMessage() == null ? e.toString() : e.getMessage());
                }
                stamps.put(f, stamp);
                updateLater(f);
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void updateLater(IFile f) {
        if (viewer == null || viewer.getControl().isDisposed()) {
            return;
        }
        viewer.getControl().getDisplay().asyncExec(() -> {
            if (!viewer.getControl().isDisposed()) {
                viewer.update(f, null);
                if (f.equals(selectedModel())) {
                    showDetails();
                }
            }
        });
    }

    private void resourcesChanged(IResourceChangeEvent event) {
        IResourceDelta delta = event.getDelta();
        if (delta == null) {
            return;
        }
        boolean[] relevant = {false};
        try {
            delta.accept(d -> {
                IResource r = d.getResource();
                if (r instanceof IFile f && ModelFiles.isModel(f)) {
                    relevant[0] = true;
                    if (d.getKind() == IResourceDelta.REMOVED) {
                        summaries.remove(f);
                        stamps.remove(f);
                    }
                }
                if (r instanceof IProject && (d.getFlags() & IResourceDelta.OPEN) != 0) {
                    relevant[0] = true;
                }
                return !relevant[0];
            });
        } catch (CoreException e) {
            relevant[0] = true;
        }
        if (relevant[0] && viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(this::refresh);
        }
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        ResourcesPlugin.getWorkspace().removeResourceChangeListener(listener);
        resources.dispose();
        super.dispose();
    }

    private static final class SummaryContent implements ITreeContentProvider {
        @Override
        public Object[] getElements(Object input) {
            return input instanceof List<?> l ? l.toArray() : new Object[0];
        }

        @Override
        public Object[] getChildren(Object parent) {
            return ((Row) parent).children().toArray();
        }

        @Override
        public Object getParent(Object element) {
            return null;
        }

        @Override
        public boolean hasChildren(Object element) {
            return !((Row) element).children().isEmpty();
        }
    }

    /** Open projects with ONNX models, then their models. */
    private static final class ModelsContent implements ITreeContentProvider {
        @Override
        public Object[] getElements(Object input) {
            Map<IProject, List<IFile>> byProject = scan();
            return byProject.keySet().toArray();
        }

        @Override
        public Object[] getChildren(Object parent) {
            return parent instanceof IProject p ? models(p).toArray() : new Object[0];
        }

        @Override
        public Object getParent(Object element) {
            return element instanceof IFile f ? f.getProject() : null;
        }

        @Override
        public boolean hasChildren(Object element) {
            return element instanceof IProject;
        }

        private static Map<IProject, List<IFile>> scan() {
            Map<IProject, List<IFile>> out = new LinkedHashMap<>();
            for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
                List<IFile> m = models(p);
                if (!m.isEmpty()) {
                    out.put(p, m);
                }
            }
            return out;
        }

        private static List<IFile> models(IProject p) {
            List<IFile> files = new ArrayList<>();
            if (!p.isOpen()) {
                return files;
            }
            try {
                p.accept(r -> {
                    if (r instanceof IFile f && ModelFiles.isModel(f)) {
                        files.add(f);
                    }
                    return !r.isDerived() && !(r.getName().startsWith(".") && r.getType() == IResource.FOLDER);
                });
            } catch (CoreException e) {
                // a project that cannot be read lists no models
            }
            files.sort((a, b) -> a.getProjectRelativePath().toString().compareTo(b.getProjectRelativePath().toString()));
            return files;
        }
    }
}
