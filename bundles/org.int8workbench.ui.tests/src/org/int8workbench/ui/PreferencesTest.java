package org.int8workbench.ui;

import static org.int8workbench.ui.UiTestSupport.run;
import static org.int8workbench.ui.UiTestSupport.ui;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.ui.preferences.Prefs;
import org.int8workbench.ui.wizards.OptimizeWizard;
import org.junit.jupiter.api.Test;

/** The preference page opens, holds the documented defaults, and new optimizations start from them. */
class PreferencesTest {

    @Test
    void defaultsAndPage() throws Exception {
        assertEquals("performance", Prefs.store().getString(Prefs.PRESET));
        assertEquals("mean-minmax", Prefs.store().getString(Prefs.METHOD));
        assertEquals(QuantizationSettings.DEFAULT_SUBSET, Prefs.store().getInt(Prefs.SUBSET));
        assertEquals("latency", Prefs.store().getString(Prefs.BENCH_MODE));
        assertEquals(0, Prefs.store().getInt(Prefs.THREADS));

        Prefs.store().setValue(Prefs.PRESET, "mixed");
        Prefs.store().setValue(Prefs.SUBSET, 64);
        try {
            OptimizeSettings s = OptimizeWizard.defaults(null);
            assertEquals("mixed", s.preset());
            assertEquals(64, s.subset());

            PreferenceDialog dialog = ui(() -> PreferencesUtil.createPreferenceDialogOn(
                    PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "org.int8workbench.ui.preferences", null, null));
            run(() -> {
                dialog.setBlockOnOpen(false);
                dialog.open();
            });
            try {
                UiTestSupport.screenshot(ui(dialog::getShell), "preferences");
            } finally {
                run(dialog::close);
            }
        } finally {
            Prefs.store().setToDefault(Prefs.PRESET);
            Prefs.store().setToDefault(Prefs.SUBSET);
        }
    }
}
