package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import java.util.List;
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
 * Evaluate: compares the selected model with its parent (and the ground truth) on the dataset remembered for it, or
 * on a dataset folder the user picks, through the core's {@link OptimizePipeline}, and opens the Accuracy Report.
 */
public final class EvaluateHandler extends ModelHandler {
    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        Path path = pathOf(model);
        ModelPair pair = ModelPair.of(path);
        OptimizeSettings s = OptimizeSettings.remembered(pair.parent() != null ? pair.parent() : pair.model());
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
        UiJobs.schedule("Evaluate " + model.getName(), monitor -> {
            PipelineRequest request = pair.request().withCompare(PipelineRequest.Compare.on(OptimizeSettings.open(data)).withLimit(limit))
                    .withReplace(true);
            Path out = new OptimizePipeline(request).run(monitor).accuracyReport();
            ModelFiles.refreshFolder(model, null);
            IFile f = ModelFiles.file(out);
            if (f != null) {
                OptimizeJob.openFiles(List.of(f));
            }
        });
    }
}
