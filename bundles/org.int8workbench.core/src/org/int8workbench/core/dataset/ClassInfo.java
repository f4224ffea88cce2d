package org.int8workbench.core.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Names and display colours of a label set.
 *
 * @param names class names by index
 * @param colors 0xRRGGBB display colour by index
 * @param ignoreLabel label excluded from metrics (255 in Pascal VOC), or -1 for none
 */
public record ClassInfo(List<String> names, List<Integer> colors, int ignoreLabel) {

    public ClassInfo {
        names = List.copyOf(names);
        colors = List.copyOf(colors);
        if (names.size() != colors.size()) {
            throw new IllegalArgumentException(names.size() + " class names but " + colors.size() + " colours");
        }
    }

    public int count() {
        return names.size();
    }

    public String name(int label) {
        return label >= 0 && label < names.size() ? names.get(label) : "class " + label;
    }

    /** The classes of binary masks: background (0, black) and foreground (1), nothing ignored. */
    public static ClassInfo binary() {
        return new ClassInfo(List.of("background", "foreground"), List.of(0x000000, 0xE0402A), -1);
    }

    /** The 21 Pascal VOC classes with the standard VOC palette; 255 is ignored. */
    public static ClassInfo pascalVoc() {
        List<String> n = List.of("background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
                "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
                "train", "tvmonitor");
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            c.add(vocColor(i));
        }
        return new ClassInfo(n, c, 255);
    }

    /** Colour {@code i} of the standard Pascal VOC palette (bit-interleaved label bits). */
    public static int vocColor(int label) {
        int r = 0;
        int g = 0;
        int b = 0;
        int c = label;
        for (int j = 0; j < 8; j++) {
            r |= ((c >> 0) & 1) << (7 - j);
            g |= ((c >> 1) & 1) << (7 - j);
            b |= ((c >> 2) & 1) << (7 - j);
            c >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    /** {@code n} classes named {@code class 0..n-1}, coloured with the VOC palette (distinct for n up to 256). */
    public static ClassInfo generic(int n) {
        List<String> names = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("class " + i);
            c.add(vocColor(i));
        }
        return new ClassInfo(names, c, -1);
    }

    /**
     * {@code n} well-separated colours (0xRRGGBB): hues stepped by the golden angle, with saturation and brightness
     * varied in turn, starting with black for label 0 (background by convention). Used for labels beyond a class list.
     */
    public static List<Integer> distinctColors(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                out.add(0x000000);
                continue;
            }
            float hue = (float) (((i - 1) * 0.618033988749895) % 1.0);
            float sat = (i - 1) % 3 == 2 ? 0.55f : 0.85f;
            float bri = (i - 1) % 2 == 1 ? 0.7f : 0.95f;
            out.add(java.awt.Color.HSBtoRGB(hue, sat, bri) & 0xFFFFFF);
        }
        return out;
    }
}
