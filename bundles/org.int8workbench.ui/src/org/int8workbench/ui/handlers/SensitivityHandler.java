package org.int8workbench.ui.handlers;

import java.nio.file.Path;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IFile;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.jobs.SensitivityJob;

/**
 * Layer Sensitivity…: asks for the calibration images and the validation dataset (prefilled from the model's last
 * optimization, else from the last values given here) and runs the analysis as a job that opens the Layer Sensitivity
 * editor.
 */
public final class SensitivityHandler extends ModelHandler {
    private static final String SECTION = "SensitivityDialog";
    private static final String CALIBRATION = "calibration";
    private static final String VALIDATION = "validation";
    private static final String RANKING = "ranking";
    /** Ranking images when none were chosen before. */
    static final int DEFAULT_RANKING = 8;

    @Override
    void execute(ExecutionEvent event, IFile model) throws ExecutionException {
        SensitivityJob.Request initial = initial(pathOf(model));
        SensitivityDialog d = new SensitivityDialog(HandlerUtil.getActiveShell(event), model.getName(), initial.calibration(),
                initial.validation(), initial.rankingImages());
        if (d.open() != Window.OK) {
            return;
        }
        IDialogSettings s = settings();
        s.put(CALIBRATION, d.calibration());
        s.put(VALIDATION, d.validation());
        s.put(RANKING, d.ranking());
        SensitivityJob.schedule(model, new SensitivityJob.Request(d.calibration(), d.validation(), d.ranking()));
    }

    /**
     * The dialog's first values for {@code model}: the calibration folder and the validation dataset of its last
     * optimization (the Accuracy-aware validation dataset, else the dataset when calibration had its own folder), else
     * the last values given in this dialog.
     */
    static SensitivityJob.Request initial(Path model) {
        IDialogSettings s = settings();
        String calibration = s.get(CALIBRATION);
        String validation = s.get(VALIDATION);
        int ranking = s.get(RANKING) == null ? DEFAULT_RANKING : s.getInt(RANKING);
        OptimizeSettings o = OptimizeSettings.remembered(model);
        if (o != null && o.dataKind() != OptimizeSettings.DataKind.GENERATED) {
            boolean separate = !o.calibrationFolder().isBlank();
            calibration = separate ? o.calibrationFolder() : o.dataFolder();
            validation = o.accuracyAware() != null ? o.accuracyAware().validationFolder() : separate ? o.dataFolder() : "";
        }
        return new SensitivityJob.Request(calibration == null ? "" : calibration, validation == null ? "" : validation, ranking);
    }

    private static IDialogSettings settings() {
        IDialogSettings root = Activator.getDefault().getDialogSettings();
        IDialogSettings s = root.getSection(SECTION);
        return s != null ? s : root.addNewSection(SECTION);
    }
}
