package org.int8workbench.core.render;

import java.awt.image.BufferedImage;
import java.util.List;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;

/**
 * Colours of class labels: the colours of a {@link ClassInfo} (the standard VOC palette for Pascal VOC, the
 * metadata's colours for folder datasets), extended by {@link ClassInfo#distinctColors} for labels beyond the class list.
 * The ignore label is drawn in the VOC ignore colour (224,224,192).
 */
public final class ColorMap {

    /** Colour of the ignore label (the VOC palette's colour 255). */
    public static final int IGNORE_COLOR = 0xE0E0C0;

    private final int[] colors;
    private final int ignoreLabel;

    private ColorMap(int[] colors, int ignoreLabel) {
        this.colors = colors;
        this.ignoreLabel = ignoreLabel;
    }

    /** The colour map of a label set, defined for labels 0..255 at least. */
    public static ColorMap of(ClassInfo classes) {
        int n = Math.max(256, classes.count());
        int[] c = new int[n];
        List<Integer> extra = ClassInfo.distinctColors(n);
        for (int i = 0; i < n; i++) {
            c[i] = i < classes.count() ? classes.colors().get(i) & 0xFFFFFF : extra.get(i);
        }
        return new ColorMap(c, classes.ignoreLabel());
    }

    /** The 0xRRGGBB colour of a label. */
    public int color(int label) {
        if (label == ignoreLabel) {
            return IGNORE_COLOR;
        }
        if (label >= 0 && label < colors.length) {
            return colors[label];
        }
        return 0x808080;
    }

    /** The mask drawn in class colours, one pixel per label. */
    public BufferedImage render(LabelMask mask) {
        int[] px = new int[mask.labels().length];
        int[] labels = mask.labels();
        for (int i = 0; i < px.length; i++) {
            px[i] = color(labels[i]);
        }
        return org.int8workbench.core.dataset.Images.wrapRgb(mask.width(), mask.height(), px);
    }
}
