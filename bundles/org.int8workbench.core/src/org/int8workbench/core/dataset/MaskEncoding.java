package org.int8workbench.core.dataset;

/** How class labels are stored in mask image files. */
public enum MaskEncoding {
    /**
     * The pixel value is the class index: palette PNGs (the index into the palette, not its colour, as in
     * Pascal VOC) and 8/16-bit greyscale images.
     */
    INDEX,
    /** The pixel's RGB colour is the class colour given in the metadata; colours not in the metadata are errors. */
    COLOR,
    /** Palette and greyscale images are read as {@link #INDEX}, RGB images as {@link #COLOR}. */
    AUTO,
    /**
     * Binary masks (0/255 or 0/1 PNGs): a pixel whose value (grey level, palette index, or any colour channel) is
     * above 0 is foreground (1), else background (0); nothing is ignored.
     */
    BINARY
}
