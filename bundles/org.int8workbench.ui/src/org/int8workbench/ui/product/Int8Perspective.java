package org.int8workbench.ui.product;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.int8workbench.ui.views.ModelExplorerView;
import org.int8workbench.ui.views.RunsView;

/**
 * The "INT8 Workbench" perspective, the product's default: the Project Explorer on the left, the editor area, and
 * Model Explorer with Runs below it (where the Error Log and the Progress view open too).
 */
public final class Int8Perspective implements IPerspectiveFactory {
    /** The perspective's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.perspective";
    /** The id of the folder below the editor area that holds Model Explorer. */
    public static final String BOTTOM = "org.int8workbench.ui.perspective.bottom";
    /** The Error Log view of org.eclipse.ui.views.log. */
    static final String ERROR_LOG = "org.eclipse.pde.runtime.LogView";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        IFolderLayout left = layout.createFolder("org.int8workbench.ui.perspective.left", IPageLayout.LEFT, 0.22f, editors);
        left.addView(IPageLayout.ID_PROJECT_EXPLORER);

        IFolderLayout bottom = layout.createFolder(BOTTOM, IPageLayout.BOTTOM, 0.55f, editors);
        bottom.addView(ModelExplorerView.ID);
        bottom.addView(RunsView.ID);
        bottom.addPlaceholder(ERROR_LOG);
        bottom.addPlaceholder(IPageLayout.ID_PROGRESS_VIEW);
        bottom.addPlaceholder(IPageLayout.ID_PROBLEM_VIEW);

        layout.addShowViewShortcut(ModelExplorerView.ID);
        layout.addShowViewShortcut(RunsView.ID);
        layout.addShowViewShortcut(IPageLayout.ID_PROJECT_EXPLORER);
        layout.addShowViewShortcut(ERROR_LOG);
        layout.addShowViewShortcut(IPageLayout.ID_PROGRESS_VIEW);
        layout.addPerspectiveShortcut("org.eclipse.ui.resourcePerspective");
        layout.addNewWizardShortcut("org.eclipse.ui.wizards.new.project");
        layout.addNewWizardShortcut("org.eclipse.ui.wizards.new.folder");
    }
}
