package org.int8workbench.ui.handlers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.int8workbench.ui.Fields;

/**
 * Asks for the images of a layer sensitivity analysis: the calibration folder (required), the validation dataset
 * (optional: without it the calibration images not used for calibration validate) and how many images rank the nodes.
 * Checked as the user types; OK is enabled only when the folders exist.
 */
public final class SensitivityDialog extends TitleAreaDialog {
    private final String modelName;
    private String calibration;
    private String validation;
    private int ranking;
    private Text calibrationText;
    private Text validationText;
    private Spinner rankingSpinner;

    /**
     * @param calibration the calibration folder to prefill ({@code ""} for none)
     * @param validation the validation dataset folder to prefill ({@code ""} for none)
     * @param ranking the number of ranking images to prefill
     */
    public SensitivityDialog(Shell parent, String modelName, String calibration, String validation, int ranking) {
        super(parent);
        this.modelName = modelName;
        this.calibration = calibration == null ? "" : calibration;
        this.validation = validation == null ? "" : validation;
        this.ranking = ranking;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Layer Sensitivity");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Layer sensitivity of " + modelName);
        Composite c = new Composite(area, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        calibrationText = folder(c, "&Calibration images:", calibration,
                "A folder of images (or a dataset) to calibrate on; the SQNR of each node is measured on them");
        validationText = folder(c, "&Validation dataset:", validation,
                "Optional: a Pascal VOC folder, images/ and masks/ (mIoU), or a folder of images (agreement with the FP32 model)."
                        + " Empty: the calibration images not used for calibration");
        new Label(c, SWT.NONE).setText("&Ranking images:");
        rankingSpinner = new Spinner(c, SWT.BORDER);
        rankingSpinner.setValues(ranking, 1, 1000, 0, 1, 8);
        rankingSpinner.setToolTipText("Each node is kept in FP32 alone and measured on this many validation images, those where INT8 and"
                + " FP32 differ most");
        rankingSpinner.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        Fields.note(c, 3, 480, "The model is quantized in memory with the settings of its last optimization (else the preferences); every"
                + " quantized node is then measured. The result is written beside the model as " + baseName() + ".sensitivity.json and"
                + " opens in the Layer Sensitivity editor.");
        calibrationText.addListener(SWT.Modify, e -> validate());
        validationText.addListener(SWT.Modify, e -> validate());
        return area;
    }

    private String baseName() {
        return modelName.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? modelName.substring(0, modelName.length() - 5) : modelName;
    }

    private Text folder(Composite c, String label, String value, String tip) {
        new Label(c, SWT.NONE).setText(label);
        Text t = new Text(c, SWT.BORDER);
        t.setText(value);
        t.setToolTipText(tip);
        GridData gd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        gd.widthHint = 360;
        t.setLayoutData(gd);
        Fields.browse(c, t);
        return t;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("Analyse");
        validate();
    }

    /** The first problem of the fields, or {@code null}. */
    static String problem(String calibration, String validation) {
        if (calibration.isBlank()) {
            return "Choose the folder of calibration images";
        }
        if (!Files.isDirectory(Path.of(calibration))) {
            return "The calibration folder " + calibration + " does not exist";
        }
        if (!validation.isBlank() && !Files.isDirectory(Path.of(validation))) {
            return "The validation dataset " + validation + " does not exist";
        }
        return null;
    }

    private void validate() {
        String p = problem(calibrationText.getText().trim(), validationText.getText().trim());
        if (p == null) {
            setMessage("Calibrate, then rank every quantized node by what it costs", IMessageProvider.NONE);
            setErrorMessage(null);
        } else {
            setErrorMessage(p);
        }
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(p == null);
        }
    }

    @Override
    protected void okPressed() {
        calibration = calibrationText.getText().trim();
        validation = validationText.getText().trim();
        ranking = rankingSpinner.getSelection();
        super.okPressed();
    }

    /** For tests: types the folders as a user would. */
    void setFolders(String calibrationFolder, String validationFolder) {
        calibrationText.setText(calibrationFolder);
        validationText.setText(validationFolder);
    }

    /** For tests: whether OK (Analyse) is enabled. */
    boolean okEnabled() {
        return getButton(IDialogConstants.OK_ID).isEnabled();
    }

    /** For tests: presses OK as the button does. */
    void pressOk() {
        okPressed();
    }

    /** The calibration folder chosen. */
    public String calibration() {
        return calibration;
    }

    /** The validation dataset folder chosen, or {@code ""} for the default. */
    public String validation() {
        return validation;
    }

    /** The number of ranking images chosen. */
    public int ranking() {
        return ranking;
    }
}
