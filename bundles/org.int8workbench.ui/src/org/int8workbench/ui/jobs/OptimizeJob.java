package org.int8workbench.ui.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.pipeline.PipelineResult;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.notify.OptimizeNotification;

/**
 * The work behind Finish of the Optimize INT8 wizard, as one user job running the core's {@link OptimizePipeline}:
 * calibrate and quantize, optionally cut the label head, benchmark parent, INT8 and INT8 with the head in one run,
 * compare the fastest model's predictions with the parent's; the outputs land beside the model, the folder is
 * refreshed, the settings are remembered (only when the run succeeded), both report editors open and a notification
 * says what was written and the speedup and agreement (or the one-line reason of a failure).
 */
public final class OptimizeJob {
    private OptimizeJob() {
    }

    /**
     * The files one optimization wrote.
     *
     * @param int8 the INT8 model
     * @param benchmark the benchmark result, or {@code null} when not measured
     * @param accuracy the accuracy report JSON, or {@code null} when not compared
     * @param accuracyAware what the Accuracy-aware method reached and kept in FP32, or {@code null} for the Default method
     * @param result the pipeline's whole result (every file written, the figures), or {@code null}
     */
    public record Outputs(Path int8, Path benchmark, Path accuracy, AccuracyAwareResult accuracyAware, PipelineResult result) {
        public Outputs(Path int8, Path benchmark, Path accuracy, AccuracyAwareResult accuracyAware) {
            this(int8, benchmark, accuracy, accuracyAware, null);
        }
    }

    /** Schedules the optimization of {@code model} as a user job; when it is done the folder is refreshed and the editors open. */
    public static UiJobs.UiJob schedule(IFile model, OptimizeSettings settings) {
        return schedule(model, settings, null);
    }

    /**
     * Schedules the optimization of {@code model} into the INT8 model {@code int8} (its outputs named after it, beside
     * it; nothing is replaced), or into {@code NAME.int8.onnx} replacing earlier outputs when {@code int8} is {@code null}.
     */
    public static UiJobs.UiJob schedule(IFile model, OptimizeSettings settings, Path int8) {
        return UiJobs.schedule("Optimize INT8: " + model.getName(), monitor -> {
            Outputs out = null;
            try {
                out = run(model, settings, int8, monitor);
                OptimizeNotification.succeeded(model, out.result(), out.int8(), out.benchmark(), out.accuracy());
            } catch (CoreException | RuntimeException e) {
                OptimizeNotification.failed(model, e);
                throw e;
            } finally {
                refreshAndOpen(model, out == null ? new Path[0] : new Path[] {out.benchmark(), out.accuracy()});
            }
        });
    }

    /**
     * Runs the optimization in the calling thread: one {@link OptimizePipeline} run of the request the settings make
     * (outputs beside the model, replacing earlier ones; with the head cut, the benchmark measures parent, INT8 and INT8
     * with the exact head, and the comparison judges the model with the exact head).
     */
    public static Outputs run(IFile modelFile, OptimizeSettings s, IProgressMonitor monitor) throws CoreException {
        return run(modelFile, s, null, monitor);
    }

    /** {@link #run(IFile, OptimizeSettings, IProgressMonitor)} into {@code int8} ({@code null}: the default name, replacing). */
    public static Outputs run(IFile modelFile, OptimizeSettings s, Path int8, IProgressMonitor monitor) throws CoreException {
        Path model = ModelFiles.path(modelFile);
        SubMonitor sub = SubMonitor.convert(monitor, "Optimizing " + modelFile.getName(), 100);
        sub.subTask("Reading the images");
        SegmentationDataset calibration = s.calibrationData();
        SegmentationDataset data = s.benchmark() || s.compare() ? measurementData(s) : null;
        sub.split(1);
        PipelineRequest request = PipelineRequest.optimize(model, calibration).withPreprocessing(s.preprocessing())
                .withQuantization(s.quantization()).withCutHead(s.fastLabelHead()).withReplace(int8 == null)
                .withOutputSelection(s.outputSelection()).withAccuracyControl(s.accuracyControl());
        if (int8 != null) {
            request = request.withOutputs(OutputFiles.besideInt8(int8));
        }
        if (s.benchmark()) {
            request = request.withBenchmark(s.benchmarkRequest(data));
        }
        if (s.compare()) {
            request = request.withCompare(PipelineRequest.Compare.on(data).withLimit(Math.max(0, s.compareImages())));
        }
        OptimizePipeline pipeline = new OptimizePipeline(request).withHistory(RunHistory.besideModels());
        PipelineResult r = pipeline.run(sub.split(99));
        if (pipeline.historyProblem() != null) {
            Platform.getLog(OptimizeJob.class).log(Status.warning(pipeline.historyProblem()));
        }
        if (r.accuracyAware() != null) {
            // the figures and every step, in the Error Log; the Performance editor names the nodes kept in FP32
            Platform.getLog(OptimizeJob.class).info(modelFile.getName() + ": " + r.accuracyAware().describe());
        }
        // remembered only once the run succeeded (atomically): a failed or cancelled run leaves no settings file behind
        try {
            s.remember(model);
        } catch (IOException e) {
            throw new CoreException(Status.error("Cannot remember the settings in " + ModelFiles.settings(model) + ": " + e.getMessage(), e));
        }
        return new Outputs(r.int8(), r.firstBenchmarkFile(), r.accuracyReport(), r.accuracyAware(), r);
    }

    /**
     * The images the benchmark times and the comparison judges for these settings (the dataset, or generated images of
     * the input size), the same for the Optimize job and the Benchmark action.
     */
    public static SegmentationDataset measurementData(OptimizeSettings s) throws CoreException {
        return s.data(Math.max(16, s.compareImages()));
    }

    /**
     * Ends a job that wrote beside {@code model}; call it from a {@code finally}: refreshes the model's folder (a failed
     * or cancelled run may have changed files there too) and opens those of {@code outputs} that are workspace files
     * ({@code null}s are skipped, so a failed run passes none). A failing refresh is logged, not thrown, so it hides no
     * error of the run.
     */
    public static void refreshAndOpen(IFile model, Path... outputs) {
        try {
            ModelFiles.refreshFolder(model, null);
        } catch (CoreException e) {
            Platform.getLog(OptimizeJob.class).log(e.getStatus());
        }
        List<IFile> files = new ArrayList<>();
        for (Path p : outputs) {
            IFile f = p == null ? null : ModelFiles.file(p);
            if (f != null) {
                files.add(f);
            }
        }
        if (!files.isEmpty()) {
            openFiles(files);
        }
    }

    /** Opens workspace files in their editors, in the active page (from any thread). */
    public static void openFiles(List<IFile> files) {
        Display.getDefault().asyncExec(() -> {
            IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
            if (w == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
                w = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
            }
            IWorkbenchPage page = w == null ? null : w.getActivePage();
            if (page == null) {
                return;
            }
            for (IFile f : files) {
                try {
                    IDE.openEditor(page, f, true);
                } catch (PartInitException e) {
                    Activator.showError(e.getStatus());
                }
            }
        });
    }
}
