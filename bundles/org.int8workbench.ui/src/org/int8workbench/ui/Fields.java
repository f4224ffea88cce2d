package org.int8workbench.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/** Widgets the wizard pages and the dialogs lay out alike: a folder field's Browse button, a wrapped note under the fields. */
public final class Fields {
    private Fields() {
    }

    /** A "Browse…" button in {@code c} that chooses a folder into {@code folder} (starting from the folder it names). */
    public static Button browse(Composite c, Text folder) {
        Button browse = new Button(c, SWT.PUSH);
        browse.setText("Browse\u2026");
        browse.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(c.getShell());
            d.setFilterPath(folder.getText());
            String chosen = d.open();
            if (chosen != null) {
                folder.setText(chosen);
            }
        });
        return browse;
    }

    /** A wrapped note across {@code columns} columns of {@code c}'s grid, {@code width} pixels wide before it wraps. */
    public static Label note(Composite c, int columns, int width, String text) {
        Label note = new Label(c, SWT.WRAP);
        GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false, columns, 1);
        gd.widthHint = width;
        note.setLayoutData(gd);
        note.setText(text);
        return note;
    }
}
