package org.int8workbench.ui.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.ModelNames;
import org.int8workbench.core.accuracy.SensitivityOperation;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;

/**
 * The work behind Layer Sensitivity…: one user job running the core's {@link SensitivityOperation} on the model with
 * the quantization, preprocessing and outputs of its last optimization (else the defaults), writing
 * {@code NAME.sensitivity.json} atomically beside the model and opening it in the Layer Sensitivity editor.
 */
public final class SensitivityJob {
    /** Suffix of sensitivity results beside a model. */
    public static final String SUFFIX = ".sensitivity.json";

    private SensitivityJob() {
    }

    /** The sensitivity result beside {@code model}: {@code NAME.sensitivity.json}. */
    public static Path resultOf(Path model) {
        return ModelNames.sibling(model, SUFFIX);
    }

    /**
     * What to analyse.
     *
     * @param calibration the folder of calibration images
     * @param validation the validation dataset folder, or {@code ""} for the operation's default (the calibration images
     *        not used for calibration)
     * @param rankingImages how many images rank the nodes
     */
    public record Request(String calibration, String validation, int rankingImages) {
        public Request {
            validation = validation == null ? "" : validation;
        }
    }

    /** Schedules the analysis of {@code model}; when it is done the folder is refreshed and the result opens. */
    public static UiJobs.UiJob schedule(IFile model, Request request) {
        return UiJobs.schedule("Layer sensitivity: " + model.getName(), monitor -> {
            Path out = null;
            try {
                out = run(model, request, monitor);
            } finally {
                OptimizeJob.refreshAndOpen(model, out);
            }
        });
    }

    /** Runs the analysis in the calling thread and writes its result beside the model; returns that file. */
    public static Path run(IFile modelFile, Request request, IProgressMonitor monitor) throws CoreException {
        Path model = ModelFiles.path(modelFile);
        SubMonitor sub = SubMonitor.convert(monitor, "Layer sensitivity of " + modelFile.getName(), 100);
        OptimizeSettings remembered = OptimizeSettings.remembered(model);
        sub.subTask("Reading the images");
        SensitivityOperation op = new SensitivityOperation(model).calibration(OptimizeSettings.open(request.calibration()))
                .rankingImages(Math.max(1, request.rankingImages()));
        if (!request.validation().isBlank()) {
            op = op.validation(OptimizeSettings.open(request.validation()));
        }
        Preprocessing pre = remembered != null ? remembered.preprocessing() : null;
        if (pre != null) {
            op = op.preprocessing(pre);
        }
        if (remembered != null) {
            op = op.settings(remembered.quantization()).outputSelection(remembered.outputSelection());
        }
        sub.split(1);
        SensitivityResult result = op.run(sub.split(97));
        Path out = resultOf(model);
        try {
            AtomicOutput.write(out, true, result.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CoreException(Status.error("Cannot write " + out + ": " + e.getMessage(), e));
        }
        sub.split(2);
        return out;
    }
}
