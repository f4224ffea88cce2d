package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.ModelFiles;

/** A handler acting on the {@code .onnx} file selected in the Project Explorer or the Model Explorer. */
abstract class ModelHandler extends AbstractHandler {

    @Override
    public final Object execute(ExecutionEvent event) throws ExecutionException {
        ISelection selection = HandlerUtil.getCurrentSelection(event);
        IFile model = selection instanceof IStructuredSelection s ? ModelFiles.asModel(s.getFirstElement()) : null;
        if (model == null) {
            throw new ExecutionException("Select an .onnx model first");
        }
        execute(event, model);
        return null;
    }

    abstract void execute(ExecutionEvent event, IFile model) throws ExecutionException;

    /** The model file on disk, or the reason there is none (e.g. a linked file whose target is gone). */
    static Path pathOf(IFile model) throws ExecutionException {
        try {
            return ModelFiles.path(model);
        } catch (CoreException e) {
            throw new ExecutionException(e.getMessage(), e);
        }
    }
}
