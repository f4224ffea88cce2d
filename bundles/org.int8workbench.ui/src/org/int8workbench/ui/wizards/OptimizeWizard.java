package org.int8workbench.ui.wizards;

import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.wizard.Wizard;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.ModelIo;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.preferences.Prefs;

/**
 * Optimize INT8…: dataset, preprocessing, quantization and measurements, prefilled from the settings remembered for
 * the model (else the preferences and the model's own preprocessing). Finish schedules one {@link OptimizeJob}.
 */
public final class OptimizeWizard extends Wizard {
    private final IFile model;
    private final OptimizeSettings initial;
    private final boolean remembered;
    /** Why the model cannot be optimized (the core's one-line message), or {@code null}. */
    private final String problem;
    /** True when the preprocessing was really read from the model (its metadata or input shape). */
    private final boolean fromModel;
    private DatasetPage dataset;
    private PreprocessingPage preprocessing;
    private OutputsPage outputs;
    private final ModelIo io;
    private QuantizationPage quantization;
    private MeasurePage measure;
    private UiJobs.UiJob job;

    public OptimizeWizard(IFile model) {
        this(model, null);
    }

    /** The wizard prefilled with {@code settings} (e.g. nodes to keep in FP32), or as for a new run when {@code null}. */
    public OptimizeWizard(IFile model, OptimizeSettings settings) {
        this.model = model;
        OptimizeSettings s = settings;
        Path path = null;
        try {
            path = ModelFiles.path(model);
            s = s != null ? s : OptimizeSettings.remembered(path);
        } catch (CoreException e) {
            Activator.getDefault().getLog().log(e.getStatus());
        }
        this.remembered = s != null && settings == null;
        this.problem = path == null ? model.getFullPath() + " is not on the local file system" : problemOf(path);
        this.io = path == null || problem != null ? ModelIo.UNKNOWN : ModelIo.of(path);
        this.fromModel = problem == null && path != null && OptimizeSettings.preprocessingOf(path) != null;
        OptimizeSettings first = s != null ? s : defaults(path);
        if (s == null) {
            // a model optimized for the first time: the dataset and calibration folders last used in its project
            first = LastPaths.apply(model.getProject(), first);
        }
        this.initial = first;
        setWindowTitle("Optimize INT8: " + model.getName());
        setNeedsProgressMonitor(false);
    }

    /** Room for every page's text (the dialog's initial size otherwise cuts the longer notes). */
    @Override
    public void createPageControls(org.eclipse.swt.widgets.Composite pageContainer) {
        super.createPageControls(pageContainer);
        org.eclipse.swt.widgets.Shell shell = pageContainer.getShell();
        shell.setData("name", "optimize.wizard");
        if (getContainer() instanceof org.eclipse.jface.wizard.WizardDialog d) {
            // the dialog's initial size is computed after this: every page's notes fit without cutting
            org.eclipse.swt.graphics.Rectangle screen = shell.getDisplay().getClientArea();
            d.setMinimumPageSize(Math.min(screen.width - 80, 720), Math.min(screen.height - 220, 540));
        }
    }

    /**
     * Why {@code model} cannot be optimized, in the core's words (unreadable, not an ONNX model, outputs no label map
     * can be read from), or {@code null} when it can.
     */
    public static String problemOf(Path model) {
        try {
            if (java.nio.file.Files.size(model) == 0) {
                return model.getFileName() + " is empty";
            }
            // outputs without per-pixel axes (e.g. a classifier's scores [1,1000]): the core's one check, as the command line's
            return org.int8workbench.core.labels.LabelDecoders.notSegmentation(org.int8workbench.core.onnx.ModelSummary.of(model));
        } catch (java.io.IOException | RuntimeException e) {
            String m = e.getMessage();
            return m == null || m.isBlank() ? model.getFileName() + " cannot be read as an ONNX model" : m;
        }
    }

    /** Why the model cannot be optimized, or {@code null} (for tests). */
    public String modelProblem() {
        return problem;
    }

    /** Settings of a model optimized for the first time: the preferences and the model's preprocessing. */
    public static OptimizeSettings defaults(Path model) {
        IPreferenceStore p = Prefs.store();
        Preprocessing pre = model == null ? null : OptimizeSettings.preprocessingOf(model);
        if (pre == null) {
            pre = Preprocessing.defaults(512, 512, Preprocessing.Layout.NCHW);
        }
        return new OptimizeSettings(OptimizeSettings.DataKind.VOC, "", "", p.getInt(Prefs.SUBSET), pre, p.getString(Prefs.PRESET),
                p.getString(Prefs.METHOD), true, java.util.List.of(), true, true, p.getString(Prefs.BENCH_MODE),
                p.getInt(Prefs.BENCH_SECONDS), p.getInt(Prefs.THREADS), true, 0);
    }

    @Override
    public void addPages() {
        dataset = new DatasetPage(initial, problem);
        boolean sizeOpen = !remembered && io.dynamicSize() && OptimizeSettings.preprocessingOf(path()) == null;
        String origin;
        if (remembered) {
            origin = "from the last optimization of this model";
        } else if (sizeOpen) {
            origin = "The model's input " + io.describeInput() + " has dynamic dimensions: give the width and height it expects "
                    + "(its source says which; batch 1). "
                    + (io.channelAxis() > 0 ? "Layout prefilled from its channel axis; " : "Choose its layout; ")
                    + "mean and std are defaults.";
        } else if (fromModel) {
            origin = "from the model (its metadata, else its input shape)";
        } else {
            origin = "with defaults: the model records no preprocessing and its input shape does not give the size; check them";
        }
        Preprocessing pre = initial.preprocessing();
        if (sizeOpen && io.channelAxis() > 0) {
            pre = pre.withLayout(io.channelAxis() == 1 ? Preprocessing.Layout.NCHW : Preprocessing.Layout.NHWC);
        }
        preprocessing = new PreprocessingPage(pre, origin, sizeOpen);
        outputs = new OutputsPage(initial, io.outputs());
        quantization = new QuantizationPage(initial);
        measure = new MeasurePage(initial, this::plannedFiles);
        addPage(dataset);
        addPage(preprocessing);
        addPage(outputs);
        addPage(quantization);
        addPage(measure);
    }

    /**
     * Every file the run will write beside the model for the settings the pages show: the INT8 model, the model cut
     * before its label head (when the model has one and the fast head is on), the benchmark result, the accuracy report
     * folder and the remembered settings.
     */
    public java.util.List<String> plannedFiles() {
        String base = ModelFiles.base(Path.of(model.getName()));
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(base + ".int8.onnx (the INT8 model)");
        boolean ready = measure != null && measure.getControl() != null;
        if (quantization == null || quantization.getControl() == null ? initial.fastLabelHead() : quantization.fastLabelHead()) {
            out.add(base + ".int8.head.onnx (the INT8 model cut before its label head, when the model has one)");
        }
        if (ready ? measure.benchmark() : initial.benchmark()) {
            out.add(base + ".int8" + ModelFiles.BENCHMARK_SUFFIX + " (the speed of parent and INT8 model)");
        }
        if (ready ? measure.compare() : initial.compare()) {
            out.add(base + ".int8" + ModelFiles.ACCURACY_SUFFIX + "/ (the accuracy report: report.json, pictures)");
        }
        out.add(base + ModelFiles.SETTINGS_SUFFIX + " (these settings, written when the run succeeds)");
        return out;
    }

    /** The settings as the pages show them. */
    public OptimizeSettings settings() {
        return new OptimizeSettings(dataset.kind(), dataset.dataFolder(), dataset.calibrationFolder(), dataset.subset(),
                preprocessing.preprocessing(), quantization.preset(), quantization.method(), quantization.fastBiasCorrection(),
                quantization.ignoredList(), quantization.fastLabelHead(), measure.benchmark(), measure.mode(), measure.seconds(),
                measure.threads(), measure.compare(), measure.images(), outputs.kind(), outputs.outputName(), outputs.threshold(),
                quantization.accuracyAwareSettings());
    }

    @Override
    public boolean performFinish() {
        OptimizeSettings s = settings();
        LastPaths.remember(model.getProject(), s);
        job = OptimizeJob.schedule(model, s);
        return true;
    }

    /** The job Finish scheduled, or {@code null} (for tests). */
    public UiJobs.UiJob job() {
        return job;
    }

    /** For tests: fills the dataset page as a user would. */
    public void setDataset(OptimizeSettings.DataKind kind, String folder, String calibrationFolder, int subset) {
        dataset.set(kind, folder, calibrationFolder, subset);
    }

    /**
     * For tests: fills the method fields of the quantization page as a user would ({@code method} {@code Default} or
     * {@code Accuracy-aware}, {@code metric} {@code Auto}, {@code mIoU} or {@code Agreement}).
     */
    public void setMethod(String method, String maxDrop, String metric, String validationFolder) {
        quantization.setMethod(method, maxDrop, metric, validationFolder);
    }

    /** For tests: chooses the range estimator ({@code MinMax}, {@code Percentile}, {@code Entropy}, {@code MSE}). */
    public void setRange(String range) {
        quantization.setRange(range);
    }

    /** For tests: fills the output page as a user would (kind as the combo shows it, {@code ""} for all outputs). */
    public void setOutputs(String kind, String outputName, String threshold) {
        outputs.set(kind, outputName, threshold);
    }

    /** For tests: the output names the output page offers, after its "all outputs" entry. */
    public java.util.List<String> offeredOutputs() {
        return outputs.offered();
    }

    /** For tests: types the input size and chooses the layout on the preprocessing page. */
    public void setSize(String width, String height, String layout) {
        preprocessing.setSize(width, height, layout);
    }

    private Path path() {
        try {
            return ModelFiles.path(model);
        } catch (CoreException e) {
            return null;
        }
    }

    /** For tests: the list of files the measure page shows. */
    public String filesShown() {
        return measure.filesShown();
    }

    /** For tests: fills the measure page as a user would. */
    public void setMeasure(boolean benchmark, String mode, double seconds, boolean compare, int images) {
        measure.set(benchmark, mode, seconds, compare, images);
    }

    /** For tests: the message the current page shows, or {@code null}. */
    public String currentMessage() {
        var p = getContainer().getCurrentPage();
        return p instanceof SettingsPage s ? (s.getErrorMessage() != null ? s.getErrorMessage() : s.getMessage()) : null;
    }
}
