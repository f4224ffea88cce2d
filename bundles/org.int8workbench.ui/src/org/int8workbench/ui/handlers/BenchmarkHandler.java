package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.int8workbench.core.pipeline.ModelPair;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * Benchmark: measures the selected model against its parent (or the INT8 model made from it against the selected
 * FP32 model), with the model cut before its head when there is one ({@link ModelPair}), through the core's
 * {@link OptimizePipeline}, with the remembered benchmark settings on the remembered dataset as the Optimize job does
 * ({@link OptimizeJob#measurementData}), or with the default settings on random inputs when nothing is remembered, and
 * opens the Performance comparison.
 */
public final class BenchmarkHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        Path path = pathOf(model);
        UiJobs.schedule("Benchmark " + model.getName(), monitor -> {
            Path out = null;
            try {
                ModelPair pair = ModelPair.of(path);
                Path parent = pair.parent() != null ? pair.parent() : pair.model();
                OptimizeSettings s = OptimizeSettings.remembered(parent);
                var images = s != null ? OptimizeJob.measurementData(s) : null;
                if (s == null) {
                    s = OptimizeWizard.defaults(parent);
                }
                out = new OptimizePipeline(pair.request().withBenchmark(s.benchmarkRequest(images)).withReplace(true)
                        .withOutputSelection(s.outputSelection())).run(monitor)
                        .firstBenchmarkFile();
            } finally {
                OptimizeJob.refreshAndOpen(model, out);
            }
        });
    }
}
