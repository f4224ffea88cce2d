package org.int8workbench.core.dataset;

/**
 * A label map: one class index per pixel, row-major. Labels are non-negative; {@code ignore} (e.g. 255 in
 * Pascal VOC) marks pixels excluded from metrics. The array is not copied: do not change it after use.
 */
public record LabelMask(int width, int height, int[] labels) {
    public LabelMask {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("mask has " + labels.length + " labels for " + width + "x" + height);
        }
    }

    public int at(int x, int y) {
        return labels[y * width + x];
    }
}
