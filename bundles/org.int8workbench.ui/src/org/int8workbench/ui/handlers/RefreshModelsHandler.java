package org.int8workbench.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.views.ModelExplorerView;

/** Refresh of the Model Explorer: re-reads the workspace and the model summaries. */
public final class RefreshModelsHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchPart part = HandlerUtil.getActivePart(event);
        if (part instanceof ModelExplorerView v) {
            v.refresh();
        }
        return null;
    }
}
