package org.int8workbench.core.labels;

/**
 * One float value per pixel, row-major: a regression output (depth, edge strength) at the resolution of the model's
 * output. The array is not copied: do not change it after use.
 */
public record ValueMap(int width, int height, float[] values) {
    public ValueMap {
        if (values.length != width * height) {
            throw new IllegalArgumentException("value map has " + values.length + " values for " + width + "x" + height);
        }
    }

    public float at(int x, int y) {
        return values[y * width + x];
    }
}
