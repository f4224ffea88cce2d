package org.int8workbench.ui.handlers;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.int8workbench.ui.Fields;

/**
 * Asks for the package and the class name of the generated inference code; both are validated as Java names as the
 * user types, and OK is enabled only when both are valid.
 */
final class CodegenDialog extends TitleAreaDialog {
    private final String modelName;
    private final String folderName;
    private String packageName;
    private String className;
    private Text packageText;
    private Text classText;

    CodegenDialog(Shell parent, String modelName, String folderName, String packageName, String className) {
        super(parent);
        this.modelName = modelName;
        this.folderName = folderName;
        this.packageName = packageName;
        this.className = className;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Generate Java Inference Code");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Java inference code for " + modelName);
        Composite c = new Composite(area, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(c, SWT.NONE).setText("&Package:");
        packageText = new Text(c, SWT.BORDER);
        packageText.setText(packageName);
        packageText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(c, SWT.NONE).setText("&Class name:");
        classText = new Text(c, SWT.BORDER);
        classText.setText(className);
        classText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Fields.note(c, 2, 420, "A Maven project is written to " + folderName + "/ beside the model: the class, a JUnit 5 "
                + "regression test with sample images, the model and a pom.xml. Files an earlier generation wrote there are replaced.");
        packageText.addModifyListener(e -> validate());
        classText.addModifyListener(e -> validate());
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("&Generate");
        validate();
    }

    private void validate() {
        if (packageText == null || classText == null) {
            return;
        }
        String problem = CodegenHandler.validate(packageText.getText().trim(), classText.getText().trim());
        if (problem != null) {
            setMessage(problem, IMessageProvider.ERROR);
        } else {
            setMessage("The generated code depends only on ONNX Runtime Java.", IMessageProvider.NONE);
        }
        var ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(problem == null);
        }
    }

    @Override
    protected void okPressed() {
        packageName = packageText.getText().trim();
        className = classText.getText().trim();
        super.okPressed();
    }

    /** Types into both fields (for tests; validation runs as on typing). */
    void enter(String pkg, String cls) {
        packageText.setText(pkg);
        classText.setText(cls);
    }

    /** Whether Generate is enabled. */
    boolean canGenerate() {
        return getButton(IDialogConstants.OK_ID).isEnabled();
    }

    /** The message shown in the title area. */
    String shownMessage() {
        return getMessage();
    }

    /** The package entered (valid after OK). */
    String packageName() {
        return packageName;
    }

    /** The class name entered (valid after OK). */
    String className() {
        return className;
    }
}
