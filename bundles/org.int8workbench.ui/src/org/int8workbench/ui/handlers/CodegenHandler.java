package org.int8workbench.ui.handlers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.ISources;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.codegen.CodegenOperation;
import org.int8workbench.core.codegen.CodegenResult;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.ModelPair;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;

/**
 * Generate Java Inference Code…: asks for a package and a class name ({@link CodegenDialog}) and writes, with the
 * core's {@link CodegenOperation}, a plain Maven project beside the model ({@code NAME-inference/}): the inference
 * class, its JUnit 5 regression test, the model and a {@code pom.xml}. The test's label maps come from the model's
 * accuracy report when it saved label maps for this very model, else from the dataset remembered by the Optimize
 * INT8 wizard (of this model or its parent), else from generated images. Enabled for INT8 models; for an FP32 model
 * the command asks first.
 */
public final class CodegenHandler extends ModelHandler {
    /** Test samples the generated regression test checks. */
    static final int SAMPLES = 5;

    /** Precision per model file, keyed by path, size and modification time. */
    private static final Map<String, ModelSummary.Precision> PRECISION = new ConcurrentHashMap<>();

    @Override
    public void setEnabled(Object evaluationContext) {
        boolean enabled = true;
        if (HandlerUtil.getVariable(evaluationContext, ISources.ACTIVE_CURRENT_SELECTION_NAME) instanceof IStructuredSelection sel) {
            IFile f = ModelFiles.asModel(sel.getFirstElement());
            ModelSummary.Precision p = f == null || f.getLocation() == null ? null : precision(f.getLocation().toPath());
            enabled = p == null || p != ModelSummary.Precision.FP32 && p != ModelSummary.Precision.FP16;
        }
        setBaseEnabled(enabled);
    }

    /** The model's precision from the core's summary (cached per file version), or {@code null} when it cannot be read. */
    static ModelSummary.Precision precision(Path model) {
        try {
            String key = model + "|" + Files.size(model) + "|" + Files.getLastModifiedTime(model).toMillis();
            ModelSummary.Precision p = PRECISION.get(key);
            if (p == null) {
                p = ModelSummary.of(model).precision();
                PRECISION.put(key, p);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        Path path = pathOf(model);
        var shell = HandlerUtil.getActiveShell(event);
        ModelSummary.Precision p = precision(path);
        if (p == ModelSummary.Precision.FP32 || p == ModelSummary.Precision.FP16) {
            if (!MessageDialog.openQuestion(shell, "Generate Java Inference Code", model.getName() + " is an " + p.label()
                    + " model. The generated code is faster for its INT8 model (Optimize INT8…). Generate code for "
                    + model.getName() + " anyway?")) {
                return;
            }
        }
        CodegenDialog dialog = new CodegenDialog(shell, model.getName(), outputDir(path).getFileName().toString(),
                "com.example.segmentation", defaultClassName(path));
        if (dialog.open() != Window.OK) {
            return;
        }
        schedule(model, dialog.packageName(), dialog.className());
    }

    /** Schedules the generation as a user job; when done the folder is refreshed and the inference class opens. */
    static UiJobs.UiJob schedule(IFile model, String packageName, String className) {
        return UiJobs.schedule("Generate Java inference code: " + model.getName(), monitor -> {
            CodegenResult r = generate(model, packageName, className, monitor);
            IFile main = ModelFiles.file(Path.of(r.mainSource()));
            if (main != null) {
                OptimizeJob.openFiles(List.of(main));
            }
        });
    }

    /**
     * The job's work in the calling thread: generates the project into {@link #outputDir} (replacing the files an
     * earlier generation wrote there) and refreshes the model's folder, also when the generation fails.
     */
    static CodegenResult generate(IFile model, String packageName, String className, IProgressMonitor monitor)
            throws CoreException {
        String problem = validate(packageName, className);
        if (problem != null) {
            throw new CoreException(Status.error(problem));
        }
        Path path = ModelFiles.path(model);
        SubMonitor sub = SubMonitor.convert(monitor, "Generating Java code for " + model.getName(), 10);
        try {
            CodegenOperation op = new CodegenOperation(path).packageName(packageName).className(className)
                    .outputDir(outputDir(path)).samples(SAMPLES).overwrite(true);
            Path report = reportWithLabelMaps(path);
            if (report != null) {
                op.reportDir(report);
            } else {
                SegmentationDataset data = rememberedDataset(path);
                if (data != null) {
                    op.dataset(data);
                }
            }
            sub.split(1);
            return op.run(sub.split(8));
        } finally {
            model.getParent().refreshLocal(IResource.DEPTH_INFINITE, sub.split(1));
        }
    }

    /** {@code dir/NAME.onnx} generates into {@code dir/NAME-inference/}. */
    public static Path outputDir(Path model) {
        return model.resolveSibling(ModelFiles.base(model) + "-inference");
    }

    /**
     * The model's accuracy report folder when its evaluation was of this very model (same sha256) and saved label
     * maps; else {@code null}.
     */
    static Path reportWithLabelMaps(Path model) {
        Path dir = ModelFiles.accuracyDir(model);
        Path json = dir.resolve(AccuracyReportWriter.JSON);
        if (!Files.isRegularFile(json) || !Files.isDirectory(dir.resolve(AccuracyReportWriter.LABELS_DIR))) {
            return null;
        }
        try {
            return Sha256.of(model).equals(AccuracyReportWriter.read(json).model().sha256()) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The dataset the Optimize INT8 wizard remembered for this model or the model it was made from (its quantization
     * parent, or {@code NAME.onnx} for {@code NAME.int8.onnx} and {@code NAME.int8.head.onnx}); {@code null} when none
     * is remembered or its folder is gone (the core then generates images).
     */
    static SegmentationDataset rememberedDataset(Path model) throws CoreException {
        for (Path candidate : relatives(model)) {
            OptimizeSettings s = OptimizeSettings.remembered(candidate);
            if (s == null) {
                continue;
            }
            if (s.dataKind() == OptimizeSettings.DataKind.GENERATED) {
                return s.data(SAMPLES);
            }
            if (!s.dataFolder().isBlank() && Files.isDirectory(Path.of(s.dataFolder()))) {
                return OptimizeSettings.open(s.dataFolder());
            }
        }
        return null;
    }

    private static List<Path> relatives(Path model) {
        Set<Path> out = new LinkedHashSet<>();
        out.add(model);
        Path parent = ModelPair.of(model).parent();
        if (parent != null) {
            out.add(parent);
        }
        String base = ModelFiles.base(model);
        for (String suffix : new String[] {".head", ".int8"}) {
            if (base.endsWith(suffix)) {
                base = base.substring(0, base.length() - suffix.length());
                out.add(model.resolveSibling(base + ".onnx"));
            }
        }
        return new ArrayList<>(out);
    }

    /** A class name from the model's file name: {@code deeplab_v3.int8.onnx} gives {@code DeeplabV3Segmenter}. */
    static String defaultClassName(Path model) {
        String base = ModelFiles.base(model);
        int dot = base.indexOf('.');
        StringBuilder b = new StringBuilder();
        for (String part : (dot > 0 ? base.substring(0, dot) : base).split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        String name = b.append("Segmenter").toString();
        return CodegenOperation.isIdentifier(name) ? name : "Segmenter";
    }

    /** What is wrong with a package and class name, or {@code null} when both are valid. */
    static String validate(String packageName, String className) {
        if (packageName == null || packageName.isBlank()) {
            return "Enter the package of the generated classes, e.g. com.example.segmentation";
        }
        for (String part : packageName.split("\\.", -1)) {
            if (!CodegenOperation.isIdentifier(part)) {
                return "'" + packageName + "' is not a valid Java package name"
                        + (part.isEmpty() ? " (empty segment)" : ": '" + part + "' is not a Java identifier");
            }
        }
        if (className == null || className.isBlank()) {
            return "Enter the name of the inference class, e.g. Segmenter";
        }
        if (!CodegenOperation.isIdentifier(className)) {
            return "'" + className + "' is not a valid Java class name";
        }
        return null;
    }
}
