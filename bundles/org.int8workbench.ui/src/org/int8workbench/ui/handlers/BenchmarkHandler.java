package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.int8workbench.core.pipeline.ModelPair;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.PipelineResult;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * Benchmark: measures the selected model against its parent (or the INT8 model made from it against the selected
 * FP32 model) through the core's {@link OptimizePipeline}, with the remembered or default benchmark settings, and
 * opens the Performance comparison.
 */
public final class BenchmarkHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        Path path = pathOf(model);
        UiJobs.schedule("Benchmark " + model.getName(), monitor -> {
            ModelPair pair = ModelPair.of(path);
            Path parent = pair.parent() != null ? pair.parent() : pair.model();
            OptimizeSettings s = OptimizeSettings.remembered(parent);
            if (s == null) {
                s = OptimizeWizard.defaults(parent);
            }
            PipelineResult r = new OptimizePipeline(pair.request().withBenchmark(s.benchmarkRequest(null)).withReplace(true)).run(monitor);
            Path out = r.firstBenchmarkFile();
            ModelFiles.refreshFolder(model, null);
            IFile f = ModelFiles.file(out);
            if (f != null) {
                OptimizeJob.openFiles(List.of(f));
            }
        });
    }
}
