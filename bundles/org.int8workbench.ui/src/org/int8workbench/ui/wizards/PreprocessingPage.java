package org.int8workbench.ui.wizards;

import java.util.Arrays;
import java.util.Locale;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.swt.widgets.Composite;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.ColorOrder;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.ResizeMode;
import org.int8workbench.core.dataset.Preprocessing.Rgb;

/**
 * Page 2: how images become model inputs, prefilled from the last run, else from what the model fixes (its recorded
 * preprocessing, else its input shape). A model whose input leaves the image size open (dynamic or symbolic
 * dimensions) gets empty width and height fields that must be filled, and the layout only when its channel axis is
 * fixed.
 */
final class PreprocessingPage extends SettingsPage {
    private final Preprocessing initial;
    private final String origin;
    private final boolean sizeOpen;
    private IObservableValue<String> width;
    private IObservableValue<String> height;
    private IObservableValue<String> resize;
    private IObservableValue<String> mean;
    private IObservableValue<String> std;
    private IObservableValue<String> color;
    private IObservableValue<String> layout;

    /**
     * @param origin where the prefilled values come from, completing "Prefilled ..." (or, with {@code sizeOpen}, the
     *        whole note)
     * @param sizeOpen true when the model does not fix its input size: width and height start empty
     */
    PreprocessingPage(Preprocessing initial, String origin, boolean sizeOpen) {
        super("preprocessing", "Preprocessing", "How images become the model's input tensor.");
        this.initial = initial;
        this.origin = origin;
        this.sizeOpen = sizeOpen;
    }

    @Override
    void createFields(Composite c) {
        note(c, sizeOpen ? origin : "Prefilled " + origin + ".");
        width = text(c, "Width:", sizeOpen ? "" : Integer.toString(initial.width()), "Input width in pixels", 2);
        height = text(c, "Height:", sizeOpen ? "" : Integer.toString(initial.height()), "Input height in pixels", 2);
        resize = combo(c, "Resize:", names(ResizeMode.values()), initial.resize().cliName(),
                "stretch: whole image to the input size; fit-pad: keep aspect, pad; center-crop: keep aspect, crop");
        mean = text(c, "Mean (R,G,B):", initial.mean().toString(), "Subtracted from each pixel value (0..255), one value or R,G,B", 2);
        std = text(c, "Std (R,G,B):", initial.std().toString(), "Divides each pixel value after the mean, one value or R,G,B", 2);
        color = combo(c, "Colour order:", new String[] {"RGB", "BGR"}, initial.color().name(), "Channel order the model expects");
        layout = combo(c, "Layout:", new String[] {"NCHW", "NHWC"}, initial.layout().name(), "Tensor layout of the input");
    }

    private static String[] names(ResizeMode[] modes) {
        return Arrays.stream(modes).map(ResizeMode::cliName).toArray(String[]::new);
    }

    @Override
    String check() {
        if (parseInt(width.getValue(), 1, 8192) == null || parseInt(height.getValue(), 1, 8192) == null) {
            return sizeOpen && width.getValue().isBlank() && height.getValue().isBlank()
                    ? "Give the input width and height: the model's input size is dynamic"
                    : "Width and height must be whole numbers from 1 to 8192";
        }
        Rgb m = rgb(mean.getValue());
        if (m == null) {
            return "Mean: one number or three comma-separated numbers (R,G,B)";
        }
        Rgb s = rgb(std.getValue());
        if (s == null || s.r() == 0 || s.g() == 0 || s.b() == 0) {
            return "Std: one non-zero number or three comma-separated non-zero numbers (R,G,B)";
        }
        resize.getValue();
        color.getValue();
        layout.getValue();
        return null;
    }

    private static Rgb rgb(String s) {
        try {
            Rgb v = Rgb.parse(s);
            return Double.isFinite(v.r()) && Double.isFinite(v.g()) && Double.isFinite(v.b()) ? v : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** For tests: sets the size and layout as a user would type and choose them. */
    void setSize(String w, String h, String l) {
        width.setValue(w);
        height.setValue(h);
        layout.setValue(l);
    }

    Preprocessing preprocessing() {
        try {
            return new Preprocessing(Integer.parseInt(width.getValue().trim()), Integer.parseInt(height.getValue().trim()),
                    ResizeMode.parse(resize.getValue()), Rgb.parse(mean.getValue()), Rgb.parse(std.getValue()),
                    ColorOrder.valueOf(color.getValue().toUpperCase(Locale.ROOT)), Layout.valueOf(layout.getValue()));
        } catch (RuntimeException e) {
            return initial;
        }
    }
}
