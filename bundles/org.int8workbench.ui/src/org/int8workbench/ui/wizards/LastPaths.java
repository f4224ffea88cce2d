package org.int8workbench.ui.wizards;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.QualifiedName;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.OptimizeSettings;

/**
 * The dataset kind and folders last used by the Optimize INT8 wizard in a project, kept as the project's persistent
 * properties (in the workspace metadata, not in the project's files), so that the next model of the project starts
 * with them.
 */
public final class LastPaths {
    static final QualifiedName KIND = new QualifiedName(Activator.PLUGIN_ID, "optimize.dataKind");
    static final QualifiedName DATA = new QualifiedName(Activator.PLUGIN_ID, "optimize.dataFolder");
    static final QualifiedName CALIBRATION = new QualifiedName(Activator.PLUGIN_ID, "optimize.calibrationFolder");

    private LastPaths() {
    }

    /** Remembers the dataset kind and folders of {@code s} for {@code project}; a failure is logged. */
    public static void remember(IProject project, OptimizeSettings s) {
        if (project == null || !project.isAccessible()) {
            return;
        }
        try {
            project.setPersistentProperty(KIND, s.dataKind().name());
            project.setPersistentProperty(DATA, s.dataFolder());
            project.setPersistentProperty(CALIBRATION, s.calibrationFolder());
        } catch (CoreException e) {
            Platform.getLog(LastPaths.class).log(e.getStatus());
        }
    }

    /** The dataset folder last used in {@code project}, or {@code null}. */
    public static String dataFolder(IProject project) {
        return get(project, DATA);
    }

    /** The calibration folder last used in {@code project}, or {@code null}. */
    public static String calibrationFolder(IProject project) {
        return get(project, CALIBRATION);
    }

    /** {@code s} with the dataset kind and folders last used in {@code project}, or {@code s} when there are none. */
    public static OptimizeSettings apply(IProject project, OptimizeSettings s) {
        String kind = get(project, KIND);
        String data = get(project, DATA);
        String cal = get(project, CALIBRATION);
        if (kind == null || data == null) {
            return s;
        }
        OptimizeSettings.DataKind k;
        try {
            k = OptimizeSettings.DataKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            return s;
        }
        return new OptimizeSettings(k, data, cal == null ? "" : cal, s.subset(), s.preprocessing(), s.preset(), s.method(),
                s.fastBiasCorrection(), s.ignoredScope(), s.fastLabelHead(), s.benchmark(), s.benchmarkMode(), s.benchmarkSeconds(),
                s.threads(), s.compare(), s.compareImages(), s.outputKind(), s.outputName(), s.threshold(), s.accuracyAware());
    }

    private static String get(IProject project, QualifiedName key) {
        if (project == null || !project.isAccessible()) {
            return null;
        }
        try {
            return project.getPersistentProperty(key);
        } catch (CoreException e) {
            return null;
        }
    }
}
