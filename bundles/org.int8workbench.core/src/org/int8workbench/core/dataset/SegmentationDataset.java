package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * A set of images, optionally with ground-truth label masks. Implementations read lazily: {@link #samples()}
 * lists items, {@link #readImage} and {@link #readMask} decode one item at a time, so memory stays bounded
 * however large the dataset is.
 */
public interface SegmentationDataset {

    /** One line for reports, e.g. {@code Pascal VOC (val, 102 images) at /data/VOC2012}. */
    String description();

    /** True for generated images (noise or patterns): reports must say their accuracy is not meaningful. */
    boolean synthetic();

    /** True when every sample has a ground-truth mask. */
    boolean hasMasks();

    List<Sample> samples();

    /** Decodes the image of a sample, as RGB. */
    BufferedImage readImage(Sample sample) throws IOException;

    /**
     * Decodes the mask of a sample as class indices, row-major, {@code width*height} long; the ignore label
     * is kept as it is. Throws when the sample has no mask.
     */
    LabelMask readMask(Sample sample) throws IOException;

    /** Class names and colours, and the ignore label. */
    ClassInfo classes();

    /**
     * Items found while listing that cannot be used (e.g. a list entry without its image), with the reason;
     * they are not in {@link #samples()}. Reports list them, so nothing is dropped silently.
     */
    default List<SkippedItem> skipped() {
        return List.of();
    }

    /**
     * How to open this dataset again in another JVM ({@link DatasetRecipe#open()}), or {@code null} when it cannot be
     * (generated images, data held only in memory).
     */
    default DatasetRecipe recipe() {
        return null;
    }
}
