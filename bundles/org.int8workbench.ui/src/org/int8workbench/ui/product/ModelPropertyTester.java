package org.int8workbench.ui.product;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.core.expressions.PropertyTester;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.services.IEvaluationService;
import org.int8workbench.ui.ModelFiles;

/**
 * What an {@code .onnx} file has beside it, for the {@code enabledWhen} of the model commands (namespace
 * {@code org.int8workbench.ui.model}), by the file names the core writes ({@link ModelFiles}), without reading a model:
 * <ul>
 * <li>{@code hasReports}: a benchmark or an accuracy report of the model or of its INT8 model (Open Reports);</li>
 * <li>{@code hasSettings}: the remembered settings {@code NAME.optimize.json} (Optimize Again);</li>
 * <li>{@code hasCounterpart}: the model to compare with, its FP32 parent or its INT8 model (Benchmark, Evaluate);</li>
 * <li>{@code isFloat}: not an INT8 model made by INT8 Workbench (Layer Sensitivity).</li>
 * </ul>
 * When files are added or removed in the workspace, the properties are evaluated again, so the menus follow.
 */
public final class ModelPropertyTester extends PropertyTester {
    /** The namespace of the properties. */
    public static final String NAMESPACE = "org.int8workbench.ui.model";
    static final String[] PROPERTIES = {"hasReports", "hasSettings", "hasCounterpart", "isFloat"};
    private static final AtomicBoolean LISTENING = new AtomicBoolean();

    @Override
    public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
        listenOnce();
        IFile file = Adapters.adapt(receiver, IFile.class);
        if (file == null || !ModelFiles.isModel(file)) {
            return false;
        }
        Path model;
        try {
            model = ModelFiles.path(file);
        } catch (CoreException e) {
            return false;
        }
        boolean value = test(model, property);
        return expectedValue == null ? value : value == Boolean.parseBoolean(String.valueOf(expectedValue));
    }

    /** The property of the model file on disk (see the class comment); false for an unknown property. */
    public static boolean test(Path model, String property) {
        return switch (property) {
            case "hasReports" -> ModelFiles.latest(model, true) != null || ModelFiles.latest(model, false) != null;
            case "hasSettings" -> Files.isRegularFile(ModelFiles.settings(model));
            case "hasCounterpart" -> {
                Path parent = ModelFiles.parentByName(model);
                yield parent != null ? Files.isRegularFile(parent) : Files.isRegularFile(ModelFiles.int8(model));
            }
            case "isFloat" -> ModelFiles.parentByName(model) == null;
            default -> false;
        };
    }

    /** Asks the workbench to evaluate the properties again when files appear or disappear. */
    private static void listenOnce() {
        if (!LISTENING.compareAndSet(false, true)) {
            return;
        }
        ResourcesPlugin.getWorkspace().addResourceChangeListener(event -> {
            if (event.getDelta() != null && filesAddedOrRemoved(event.getDelta()) && PlatformUI.isWorkbenchRunning()) {
                Display display = PlatformUI.getWorkbench().getDisplay();
                display.asyncExec(ModelPropertyTester::requestEvaluation);
            }
        }, IResourceChangeEvent.POST_CHANGE);
    }

    /** Evaluates the enablement that uses these properties again (UI thread). */
    public static void requestEvaluation() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IEvaluationService service = PlatformUI.getWorkbench().getService(IEvaluationService.class);
        if (service != null) {
            for (String p : PROPERTIES) {
                service.requestEvaluation(NAMESPACE + "." + p);
            }
        }
    }

    private static boolean filesAddedOrRemoved(IResourceDelta delta) {
        boolean[] found = {false};
        try {
            delta.accept(d -> {
                if (d.getResource().getType() == IResource.FILE
                        && (d.getKind() == IResourceDelta.ADDED || d.getKind() == IResourceDelta.REMOVED)) {
                    found[0] = true;
                }
                return !found[0];
            });
        } catch (CoreException e) {
            return true;
        }
        return found[0];
    }
}
