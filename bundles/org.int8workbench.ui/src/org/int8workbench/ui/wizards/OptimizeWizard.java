package org.int8workbench.ui.wizards;

import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.wizard.Wizard;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.OnnxModel;
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
 *
 * <p>The model is read in a background job, not on the UI thread (a large model takes seconds): meanwhile the first
 * page says "Reading the model…" and Next and Finish stay disabled; the other pages, which show what the model fixes
 * (input size, outputs), are added once it is read, and a model that cannot be optimized keeps the first page with the
 * reason.
 */
public final class OptimizeWizard extends Wizard {
    private final IFile model;
    private final Path path;
    /** The settings given or remembered for the model, or {@code null} for a model optimized for the first time. */
    private final OptimizeSettings given;
    private final boolean remembered;
    /** Nodes to add to the ignored scope of the settings the pages start with (Keep in FP32 from the sensitivity editor). */
    private final java.util.List<String> keepInFp32;
    /** The dataset fields the first page starts with (they do not depend on the model's content). */
    private final OptimizeSettings datasetInitial;
    private OptimizeSettings initial;
    /** What the background read found, or {@code null} until it is done. */
    private volatile ModelRead read;
    /** True once the read's result is shown (pages added, first page updated); UI thread only. */
    private boolean applied;
    private final Job reading;
    private org.eclipse.swt.widgets.Composite pageContainer;
    private DatasetPage dataset;
    private PreprocessingPage preprocessing;
    private OutputsPage outputs;
    private QuantizationPage quantization;
    private MeasurePage measure;
    private UiJobs.UiJob job;

    /** For tests: when set, reads wait for this latch (to see the wizard while it reads). */
    private static volatile java.util.concurrent.CountDownLatch readGate;

    /**
     * What the wizard reads from the model, off the UI thread.
     *
     * @param problem why it cannot be optimized (the core's one-line message), or {@code null}
     * @param io its input and outputs
     * @param preprocessing the preprocessing it records or its input shape fixes, or {@code null}
     */
    private record ModelRead(String problem, ModelIo io, Preprocessing preprocessing) {
    }

    public OptimizeWizard(IFile model) {
        this(model, null);
    }

    /** The wizard prefilled with {@code settings} (e.g. nodes to keep in FP32), or as for a new run when {@code null}. */
    public OptimizeWizard(IFile model, OptimizeSettings settings) {
        this(model, settings, java.util.List.of());
    }

    /**
     * The wizard as for a new run of {@code model} (remembered settings, else the preferences and what the model
     * records, read in the background like every read of the model), with {@code nodes} added to its ignored scope.
     */
    public static OptimizeWizard keepingInFp32(IFile model, java.util.List<String> nodes) {
        return new OptimizeWizard(model, null, nodes);
    }

    private OptimizeWizard(IFile model, OptimizeSettings settings, java.util.List<String> keepInFp32) {
        this.model = model;
        this.keepInFp32 = java.util.List.copyOf(keepInFp32);
        OptimizeSettings s = settings;
        Path p = null;
        try {
            p = ModelFiles.path(model);
            s = s != null ? s : OptimizeSettings.remembered(p); // a small JSON file beside the model
        } catch (CoreException e) {
            Activator.getDefault().getLog().log(e.getStatus());
        }
        this.path = p;
        this.given = s;
        this.remembered = s != null && settings == null;
        // a model optimized for the first time: the dataset and calibration folders last used in its project
        this.datasetInitial = s != null ? s : LastPaths.apply(model.getProject(), defaults((Preprocessing) null));
        setWindowTitle("Optimize INT8: " + model.getName());
        setNeedsProgressMonitor(false);
        // the other pages come once the model is read: the dialog needs its Back and Next buttons from the start
        setForcePreviousAndNextButtons(true);
        if (path == null) {
            read = new ModelRead(model.getFullPath() + " is not on the local file system", ModelIo.UNKNOWN, null);
            reading = null;
        } else {
            Path file = path;
            // the display of the thread that opens the wizard (the UI thread), where the result is shown
            org.eclipse.swt.widgets.Display current = org.eclipse.swt.widgets.Display.getCurrent();
            org.eclipse.swt.widgets.Display display = current != null ? current : org.eclipse.swt.widgets.Display.getDefault();
            reading = Job.create("Reading " + model.getName(), monitor -> {
                try {
                    read = readModel(file);
                } catch (RuntimeException | LinkageError | VirtualMachineError e) {
                    // never left "reading" for ever: the first page says why
                    read = new ModelRead(model.getName() + " cannot be read: " + (e instanceof OutOfMemoryError
                            ? "it does not fit in memory" : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
                            ModelIo.UNKNOWN, null);
                }
                if (!display.isDisposed()) {
                    display.asyncExec(this::applyRead);
                }
            });
            reading.setSystem(true);
            reading.schedule();
        }
    }

    /** Reads what the pages need from the model (background job). */
    private static ModelRead readModel(Path file) {
        java.util.concurrent.CountDownLatch gate = readGate;
        if (gate != null) {
            try {
                gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // read once: the check, the input and outputs and the preprocessing all come from the same model
        OnnxModel m;
        ModelSummary summary;
        String problem;
        try {
            problem = emptyProblem(file);
            m = problem == null ? OnnxModel.load(file) : null;
            summary = m == null ? null : ModelSummary.of(m);
            problem = summary == null ? problem : notSegmentation(summary);
        } catch (java.io.IOException | RuntimeException e) {
            problem = unreadable(file, e);
            m = null;
            summary = null;
        }
        if (problem != null) {
            return new ModelRead(problem, ModelIo.UNKNOWN, null);
        }
        return new ModelRead(null, ModelIo.of(summary), OptimizeSettings.preprocessingOf(m));
    }

    /** Shows what the read found (UI thread): the first page's state, and the other pages when the model can be optimized. */
    private void applyRead() {
        if (applied || read == null || dataset == null || getContainer() == null || getShell() == null || getShell().isDisposed()) {
            return; // not open yet (addPages shows it), closed, or shown already
        }
        applied = true;
        dataset.modelRead(read.problem());
        if (read.problem() == null) {
            addOtherPages();
            for (org.eclipse.jface.wizard.IWizardPage page : getPages()) {
                if (page.getControl() == null && pageContainer != null && !pageContainer.isDisposed()) {
                    page.createControl(pageContainer);
                    page.getControl().setVisible(false);
                }
            }
            if (getContainer() instanceof org.eclipse.jface.wizard.WizardDialog d) {
                d.updateSize();
            }
        }
        getContainer().updateButtons();
        getContainer().updateMessage();
    }

    /** Room for every page's text (the dialog's initial size otherwise cuts the longer notes). */
    @Override
    public void createPageControls(org.eclipse.swt.widgets.Composite pageContainer) {
        this.pageContainer = pageContainer;
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
            String empty = emptyProblem(model);
            return empty != null ? empty : notSegmentation(ModelSummary.of(model));
        } catch (java.io.IOException | RuntimeException e) {
            return unreadable(model, e);
        }
    }

    private static String emptyProblem(Path model) throws java.io.IOException {
        return java.nio.file.Files.size(model) == 0 ? model.getFileName() + " is empty" : null;
    }

    /** Outputs without per-pixel axes (e.g. a classifier's scores [1,1000]): the core's one check, as the command line's. */
    private static String notSegmentation(ModelSummary summary) {
        return org.int8workbench.core.labels.LabelDecoders.notSegmentation(summary);
    }

    private static String unreadable(Path model, Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? model.getFileName() + " cannot be read as an ONNX model" : m;
    }

    /** Why the model cannot be optimized, or {@code null} (for tests: waits until the model is read). */
    public String modelProblem() {
        if (read == null && reading != null) {
            try {
                reading.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return read == null ? null : read.problem();
    }

    /** For tests: whether the wizard has read the model and shows what it found. */
    public boolean modelShown() {
        return applied;
    }

    /** For tests: reads of models wait for {@code gate} while it is set ({@code null} to stop). */
    public static void holdModelReads(java.util.concurrent.CountDownLatch gate) {
        readGate = gate;
    }

    /** Settings of a model optimized for the first time: the preferences and the model's preprocessing. */
    public static OptimizeSettings defaults(Path model) {
        return defaults(model == null ? null : OptimizeSettings.preprocessingOf(model));
    }

    /** Settings of a model optimized for the first time: the preferences and {@code pre} (defaults when {@code null}). */
    private static OptimizeSettings defaults(Preprocessing pre) {
        IPreferenceStore p = Prefs.store();
        if (pre == null) {
            pre = Preprocessing.defaults(512, 512, Preprocessing.Layout.NCHW);
        }
        return new OptimizeSettings(OptimizeSettings.DataKind.VOC, "", "", p.getInt(Prefs.SUBSET), pre, p.getString(Prefs.PRESET),
                p.getString(Prefs.METHOD), true, java.util.List.of(), true, true, p.getString(Prefs.BENCH_MODE),
                p.getInt(Prefs.BENCH_SECONDS), p.getInt(Prefs.THREADS), true, 0);
    }

    @Override
    public void addPages() {
        dataset = new DatasetPage(datasetInitial);
        addPage(dataset);
        if (read != null) {
            // read before the dialog opened: shown at once
            applied = true;
            dataset.modelRead(read.problem());
            if (read.problem() == null) {
                addOtherPages();
            }
        }
    }

    /** The pages that show what the model fixes, added once it is read and can be optimized. */
    private void addOtherPages() {
        ModelIo io = read.io();
        boolean fromModel = read.preprocessing() != null;
        initial = given != null ? given : LastPaths.apply(model.getProject(), defaults(read.preprocessing()));
        if (!keepInFp32.isEmpty()) {
            java.util.Set<String> scope = new java.util.LinkedHashSet<>(initial.ignoredScope());
            scope.addAll(keepInFp32);
            initial = initial.withIgnoredScope(java.util.List.copyOf(scope));
        }
        boolean sizeOpen = !remembered && io.dynamicSize() && !fromModel;
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
        addPage(preprocessing);
        addPage(outputs);
        addPage(quantization);
        addPage(measure);
    }

    /** Finish only once the model is read and can be optimized, and every page is complete. */
    @Override
    public boolean canFinish() {
        return applied && read != null && read.problem() == null && super.canFinish();
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
        if (quantization == null || quantization.getControl() == null ? initial == null || initial.fastLabelHead() : quantization.fastLabelHead()) {
            out.add(base + ".int8.head.onnx (the INT8 model cut before its label head, when the model has one)");
        }
        if (ready ? measure.benchmark() : initial == null || initial.benchmark()) {
            out.add(base + ".int8" + ModelFiles.BENCHMARK_SUFFIX + " (the speed of parent and INT8 model)");
        }
        if (ready ? measure.compare() : initial == null || initial.compare()) {
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
