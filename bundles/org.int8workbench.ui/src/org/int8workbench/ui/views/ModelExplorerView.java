package org.int8workbench.ui.views;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;

/** The ONNX models of the workspace, and the runtime they will be optimized for. */
public final class ModelExplorerView extends ViewPart {
    /** The view's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.views.modelExplorer";

    private TableViewer viewer;
    private Label runtime;
    private final IResourceChangeListener listener = e -> refreshLater();

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        runtime = new Label(parent, SWT.WRAP);
        runtime.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        runtime.setText("ONNX Runtime " + Ort.version() + " on " + CpuInfo.current().describe());
        viewer = new TableViewer(parent, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        viewer.getControl().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setLabelProvider(new LabelProvider() {
            @Override
            public String getText(Object element) {
                return ((IFile) element).getFullPath().toString();
            }
        });
        viewer.setInput(models());
        ResourcesPlugin.getWorkspace().addResourceChangeListener(listener, IResourceChangeEvent.POST_CHANGE);
    }

    /** The text of the runtime line (for tests). */
    public String runtimeText() {
        return runtime.getText();
    }

    /** The models shown (for tests). */
    public List<IFile> shownModels() {
        @SuppressWarnings("unchecked")
        List<IFile> input = (List<IFile>) viewer.getInput();
        return List.copyOf(input);
    }

    private void refreshLater() {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(() -> {
                if (!viewer.getControl().isDisposed()) {
                    viewer.setInput(models());
                }
            });
        }
    }

    private static List<IFile> models() {
        List<IFile> files = new ArrayList<>();
        try {
            ResourcesPlugin.getWorkspace().getRoot().accept(r -> {
                if (r instanceof IFile f && "onnx".equalsIgnoreCase(f.getFileExtension())) {
                    files.add(f);
                }
                return true;
            });
        } catch (CoreException e) {
            // an unreadable project is simply not listed
        }
        return files;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        ResourcesPlugin.getWorkspace().removeResourceChangeListener(listener);
        super.dispose();
    }
}
