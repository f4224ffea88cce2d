package org.int8workbench.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.int8workbench.core.pipeline.OutputFiles;

/**
 * Where the workspace keeps a model's outputs, all beside the model, as the core's {@link OutputFiles} names them: for
 * {@code NAME.onnx} the INT8 model {@code NAME.int8.onnx}, its benchmark {@code NAME.int8.benchmark.json}, its accuracy
 * report folder {@code NAME.int8.accuracy/} (with {@code report.json}) and the settings of the last optimization
 * {@code NAME.optimize.json}. Also adapts workspace files to the paths the core takes.
 */
public final class ModelFiles {
    /** Suffix of benchmark result files. */
    public static final String BENCHMARK_SUFFIX = OutputFiles.BENCHMARK_SUFFIX;
    /** Suffix of accuracy report folders. */
    public static final String ACCURACY_SUFFIX = OutputFiles.ACCURACY_SUFFIX;
    /** Suffix of remembered optimization settings. */
    public static final String SETTINGS_SUFFIX = OutputFiles.SETTINGS_SUFFIX;

    private ModelFiles() {
    }

    /** The selection element as an {@code .onnx} workspace file, or {@code null}. */
    public static IFile asModel(Object element) {
        IFile f = Adapters.adapt(element, IFile.class);
        return f != null && isModel(f) ? f : null;
    }

    /** True for {@code *.onnx} files. */
    public static boolean isModel(IFile f) {
        return "onnx".equalsIgnoreCase(f.getFileExtension());
    }

    /** The file system path of a workspace resource. */
    public static Path path(IResource r) throws CoreException {
        IPath location = r.getLocation();
        if (location == null) {
            throw new CoreException(Status.error(r.getFullPath() + " is not on the local file system; INT8 Workbench needs local files"));
        }
        return location.toPath();
    }

    /** The workspace file at a file system path, or {@code null} outside the workspace. */
    public static IFile file(Path path) {
        return ResourcesPlugin.getWorkspace().getRoot().getFileForLocation(IPath.fromPath(path.toAbsolutePath()));
    }

    /** {@code NAME} of {@code NAME.onnx}. */
    public static String base(Path model) {
        return OutputFiles.baseName(model);
    }

    /** The INT8 model made from {@code model}. */
    public static Path int8(Path model) {
        return OutputFiles.int8Of(model);
    }

    /**
     * The FP32 model an INT8 model was made from, by the names alone ({@code NAME.onnx} for {@code NAME.int8.onnx} and
     * {@code NAME.int8.head.onnx}), without reading any model; {@code null} for other names. The parent the INT8 model's
     * metadata names ({@link org.int8workbench.core.pipeline.ModelPair}) is the exact answer, but needs the model read.
     */
    public static Path parentByName(Path model) {
        String name = model.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String suffix : new String[] {".int8" + OutputFiles.HEAD_SUFFIX, OutputFiles.INT8_SUFFIX}) {
            if (lower.endsWith(suffix) && name.length() > suffix.length()) {
                return model.resolveSibling(name.substring(0, name.length() - suffix.length()) + ".onnx");
            }
        }
        return null;
    }

    /** The benchmark result of a model (for an INT8 model: against its parent). */
    public static Path benchmark(Path model) {
        return OutputFiles.benchmarkOf(model);
    }

    /** The accuracy report folder of a model (for an INT8 model: against its parent). */
    public static Path accuracyDir(Path model) {
        return OutputFiles.accuracyDirOf(model);
    }

    /** The accuracy report JSON of a model. */
    public static Path accuracyReport(Path model) {
        return OutputFiles.accuracyReportOf(model);
    }

    /** The remembered settings of the last optimization of {@code model}. */
    public static Path settings(Path model) {
        return OutputFiles.settingsOf(model);
    }

    /**
     * The newest existing report of the given kind for {@code model}: its own, or that of the INT8 model made
     * from it; {@code null} when there is none.
     */
    public static Path latest(Path model, boolean benchmark) {
        Path own = benchmark ? benchmark(model) : accuracyReport(model);
        Path child = benchmark ? benchmark(int8(model)) : accuracyReport(int8(model));
        Path best = null;
        for (Path p : new Path[] {own, child}) {
            if (Files.isRegularFile(p) && (best == null || modified(p) > modified(best))) {
                best = p;
            }
        }
        return best;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Makes the workspace see files the core wrote beside {@code model}. */
    public static void refreshFolder(IFile model, IProgressMonitor monitor) throws CoreException {
        IContainer parent = model.getParent();
        parent.refreshLocal(IResource.DEPTH_INFINITE, monitor);
    }
}
