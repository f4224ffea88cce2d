package org.int8workbench.ui.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.runs.CompareRunsOperation;
import org.int8workbench.core.runs.RunComparison;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.editors.PerformanceEditor;
import org.int8workbench.ui.editors.RunComparisonEditor;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * The work behind Compare of the Runs view, as one user job running the core's {@link CompareRunsOperation}: the parent
 * and the chosen runs' models in one interleaved benchmark, each run's model evaluated against the parent, with the
 * benchmark settings and the data the model's last optimization used (its remembered settings; the defaults on random
 * inputs, and no evaluation, when none are remembered). The comparison is written into
 * {@code .int8workbench/comparisons/} beside the model, and the Performance editor (the benchmark) and the Run
 * Comparison editor (settings, speed and accuracy side by side) open on it.
 */
public final class CompareRunsJob {
    private CompareRunsJob() {
    }

    /** Schedules the comparison of {@code runs} of {@code parent}; when done, both editors open. */
    public static UiJobs.UiJob schedule(Path parent, List<RunHistory.Run> runs) {
        return UiJobs.schedule("Compare " + runs.size() + " runs of " + parent.getFileName(), monitor -> {
            RunComparison c = run(parent, runs, monitor);
            open(c);
        });
    }

    /** Runs the comparison in the calling thread and refreshes the workspace folder of the model. */
    public static RunComparison run(Path parent, List<RunHistory.Run> runs, IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Comparing runs of " + parent.getFileName(), 100);
        OptimizeSettings remembered = OptimizeSettings.remembered(parent);
        OptimizeSettings s = remembered != null ? remembered : OptimizeWizard.defaults(parent);
        RunHistory history = RunHistory.besideModels();
        CompareRunsOperation op = new CompareRunsOperation(parent, runs).mode(BenchmarkOperation.Mode.parse(s.benchmarkMode()))
                .seconds(s.benchmarkSeconds() > 0 ? s.benchmarkSeconds() : BenchmarkOperation.DEFAULT_SECONDS)
                .threads(s.threads() > 0 ? s.threads() : null).outputs(s.outputSelection()).output(history.comparisonFolder(parent));
        if (remembered != null && (s.benchmark() || s.compare())) {
            sub.subTask("Reading the images");
            var data = OptimizeJob.measurementData(s);
            op.images(data);
            if (s.compare()) {
                op.dataset(data).limit(Math.max(0, s.compareImages()));
            }
        }
        sub.split(2);
        try {
            return op.run(sub.split(98));
        } finally {
            IFile model = ModelFiles.file(parent);
            if (model != null) {
                try {
                    ModelFiles.refreshFolder(model, null);
                } catch (CoreException e) {
                    Platform.getLog(CompareRunsJob.class).log(e.getStatus());
                }
            }
        }
    }

    /** Opens the comparison's benchmark in the Performance editor and the comparison in the Run Comparison editor. */
    public static void open(RunComparison c) {
        List<Path> files = new ArrayList<>();
        if (c.benchmarkFile() != null) {
            files.add(Path.of(c.benchmarkFile()));
        }
        Path json = c.benchmarkFile() == null ? null : Path.of(c.benchmarkFile()).getParent().resolveSibling(RunComparison.JSON);
        Display.getDefault().asyncExec(() -> {
            IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
            if (w == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
                w = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
            }
            IWorkbenchPage page = w == null ? null : w.getActivePage();
            if (page == null) {
                return;
            }
            try {
                for (Path f : files) {
                    IDE.openEditor(page, f.toUri(), PerformanceEditor.ID, true);
                }
                if (json != null) {
                    IDE.openEditor(page, json.toUri(), RunComparisonEditor.ID, true);
                }
            } catch (PartInitException e) {
                Activator.showError(e.getStatus());
            }
        });
    }
}
