package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.core.pipeline.ModelPair;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;

/**
 * Evaluate: compares the selected model (the model cut before its head when there is one, {@link ModelPair}) with its
 * parent (and the ground truth) on the dataset remembered for it, or on a dataset folder the user picks, through the
 * core's {@link OptimizePipeline}, and opens the Accuracy Report. The models are read in the job, not on the UI
 * thread.
 */
public final class EvaluateHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        Path path = pathOf(model);
        // the remembered settings live beside the FP32 model; found by the file names here (the models are read in the job)
        OptimizeSettings s = OptimizeSettings.remembered(path);
        Path parent = ModelFiles.parentByName(path);
        if (s == null && parent != null) {
            s = OptimizeSettings.remembered(parent);
        }
        String folder = s != null && s.dataKind() != OptimizeSettings.DataKind.GENERATED ? s.dataFolder() : null;
        int limit = s != null ? s.compareImages() : 0;
        if (folder == null || folder.isBlank()) {
            DirectoryDialog d = new DirectoryDialog(HandlerUtil.getActiveShell(event));
            d.setText("Evaluate " + model.getName());
            d.setMessage("Choose a dataset: a Pascal VOC folder, a folder with images/ and masks/, or a folder of images");
            folder = d.open();
            if (folder == null) {
                return;
            }
        }
        String data = folder;
        // the output settings the model was optimized with (auto when none are remembered)
        var outputs = s != null ? s.outputSelection() : org.int8workbench.core.labels.OutputSelection.AUTO;
        UiJobs.schedule("Evaluate " + model.getName(), monitor -> {
            Path out = null;
            try {
                PipelineRequest request = ModelPair.of(path).request()
                        .withCompare(PipelineRequest.Compare.on(OptimizeSettings.open(data)).withLimit(limit)).withReplace(true)
                        .withOutputSelection(outputs);
                out = new OptimizePipeline(request).run(monitor).accuracyReport();
            } finally {
                OptimizeJob.refreshAndOpen(model, out);
            }
        });
    }
}
