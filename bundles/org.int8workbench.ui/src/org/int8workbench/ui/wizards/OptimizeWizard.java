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
        this.io = path == null ? ModelIo.UNKNOWN : ModelIo.of(path);
        this.initial = s != null ? s : defaults(path);
        setWindowTitle("Optimize INT8: " + model.getName());
        setNeedsProgressMonitor(false);
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
        dataset = new DatasetPage(initial);
        boolean sizeOpen = !remembered && io.dynamicSize() && OptimizeSettings.preprocessingOf(path()) == null;
        String origin;
        if (remembered) {
            origin = "from the last optimization of this model";
        } else if (sizeOpen) {
            origin = "The model's input " + io.describeInput() + " has dynamic dimensions: give the width and height it expects "
                    + "(its source says which; batch 1). "
                    + (io.channelAxis() > 0 ? "Layout prefilled from its channel axis; " : "Choose its layout; ")
                    + "mean and std are defaults.";
        } else {
            origin = "from the model (its metadata, else its input shape)";
        }
        Preprocessing pre = initial.preprocessing();
        if (sizeOpen && io.channelAxis() > 0) {
            pre = pre.withLayout(io.channelAxis() == 1 ? Preprocessing.Layout.NCHW : Preprocessing.Layout.NHWC);
        }
        preprocessing = new PreprocessingPage(pre, origin, sizeOpen);
        outputs = new OutputsPage(initial, io.outputs());
        quantization = new QuantizationPage(initial);
        String base = ModelFiles.base(Path.of(model.getName()));
        measure = new MeasurePage(initial, base + ".int8.onnx, " + base + ".int8" + ModelFiles.BENCHMARK_SUFFIX + ", " + base
                + ".int8" + ModelFiles.ACCURACY_SUFFIX + "/, " + base + ModelFiles.SETTINGS_SUFFIX);
        addPage(dataset);
        addPage(preprocessing);
        addPage(outputs);
        addPage(quantization);
        addPage(measure);
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
        job = OptimizeJob.schedule(model, settings());
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
