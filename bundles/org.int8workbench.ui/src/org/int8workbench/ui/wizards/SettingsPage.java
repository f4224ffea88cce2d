package org.int8workbench.ui.wizards;

import org.eclipse.core.databinding.DataBindingContext;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.core.databinding.validation.MultiValidator;
import org.eclipse.core.databinding.validation.ValidationStatus;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.databinding.wizard.WizardPageSupport;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.int8workbench.ui.Fields;

/**
 * A page of the Optimize INT8 wizard. Its widgets are observed with data binding; one {@link MultiValidator} per page
 * checks them as the user types, and {@link WizardPageSupport} shows the first problem and completes the page only
 * when there is none (so Finish is enabled only when the settings can run).
 */
abstract class SettingsPage extends WizardPage {
    protected final DataBindingContext dbc = new DataBindingContext();

    SettingsPage(String name, String title, String description) {
        super(name, title, null);
        setDescription(description);
    }

    @Override
    public final void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        createFields(c);
        dbc.addValidationStatusProvider(new MultiValidator() {
            @Override
            protected IStatus validate() {
                String problem = check();
                return problem == null ? ValidationStatus.ok()
                        : problem.startsWith("!") ? ValidationStatus.warning(problem.substring(1))
                        : problem.startsWith("?") ? ValidationStatus.info(problem.substring(1)) : ValidationStatus.error(problem);
            }
        });
        WizardPageSupport.create(this, dbc);
        setControl(c);
    }

    /** Creates the page's widgets (three columns) and their observables. */
    abstract void createFields(Composite c);

    /**
     * The first problem of the page's values, or {@code null}; a message starting with {@code !} is a warning that
     * does not block Finish, one starting with {@code ?} a note. Reads observables only (data binding tracks them).
     */
    abstract String check();

    @Override
    public void dispose() {
        // WizardPageSupport disposes itself when the page's control goes (with the dialog's shell, after this) and still
        // needs the binding context then: dispose the context after it
        Control control = getControl();
        if (control == null || control.isDisposed()) {
            dbc.dispose();
        } else {
            control.addListener(SWT.Dispose, e -> dbc.dispose());
        }
        super.dispose();
    }

    // ------------------------------------------------------------------ widget helpers

    static Label label(Composite c, String text) {
        Label l = new Label(c, SWT.NONE);
        l.setText(text);
        return l;
    }

    IObservableValue<String> text(Composite c, String label, String value, String tip, int span) {
        label(c, label);
        Text t = new Text(c, SWT.BORDER);
        t.setText(value);
        t.setToolTipText(tip);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, span, 1));
        t.setData("name", id(label));
        return WidgetProperties.text(SWT.Modify).observe(t);
    }

    IObservableValue<String> folder(Composite c, String label, String value, String tip) {
        IObservableValue<String> v = text(c, label, value, tip, 1);
        Text t = (Text) ((org.eclipse.jface.databinding.swt.ISWTObservableValue<?>) v).getWidget();
        Fields.browse(c, t).setData("name", "browse:" + label);
        return v;
    }

    IObservableValue<String> combo(Composite c, String label, String[] items, String value, String tip) {
        label(c, label);
        Combo combo = new Combo(c, SWT.READ_ONLY);
        combo.setItems(items);
        combo.setToolTipText(tip);
        combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        int i = java.util.Arrays.asList(items).indexOf(value);
        combo.select(Math.max(0, i));
        combo.setData("name", id(label));
        return WidgetProperties.comboSelection().observe(combo);
    }

    IObservableValue<Boolean> check(Composite c, String label, boolean value, String tip) {
        Button b = new Button(c, SWT.CHECK);
        b.setText(label);
        b.setSelection(value);
        b.setToolTipText(tip);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        return WidgetProperties.buttonSelection().observe(b);
    }

    /** A widget's default GUI-test id: {@code PAGE.LABEL}, the label without its colon, e.g. {@code preprocessing.Width}. */
    String id(String label) {
        String l = label.strip();
        return getName() + "." + (l.endsWith(":") ? l.substring(0, l.length() - 1) : l);
    }

    static Group group(Composite c, String title) {
        Group g = new Group(c, SWT.NONE);
        g.setText(title);
        g.setLayout(new GridLayout(3, false));
        g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        return g;
    }

    static Label note(Composite c, String text) {
        Label l = new Label(c, SWT.WRAP);
        l.setText(text);
        GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
        gd.widthHint = 520;
        l.setLayoutData(gd);
        return l;
    }

    static Integer parseInt(String s, int min, int max) {
        try {
            int v = Integer.parseInt(s.trim());
            return v >= min && v <= max ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double parseDouble(String s, double min, double max) {
        try {
            double v = Double.parseDouble(s.trim());
            return v >= min && v <= max ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Names the widget bound to an observable ({@code widget.getData("name")}), for GUI tests that look widgets up. */
    static void name(IObservableValue<?> v, String name) {
        Object w = ((org.eclipse.jface.databinding.swt.ISWTObservableValue<?>) v).getWidget();
        if (w instanceof Control ctl) {
            ctl.setData("name", name);
        }
    }

    /** Enables a widget bound to an observable while {@code on} holds. */
    static void enable(IObservableValue<?> v, boolean on) {
        Object w = ((org.eclipse.jface.databinding.swt.ISWTObservableValue<?>) v).getWidget();
        if (w instanceof Control ctl && !ctl.isDisposed()) {
            ctl.setEnabled(on);
        }
    }
}
