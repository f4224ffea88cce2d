package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset of image files (and mask files) found on disk, as listed by {@link Datasets#open}. Immutable; reading
 * an item is thread-safe.
 */
public final class FileDataset implements SegmentationDataset {

    /** The layouts {@link Datasets#open} recognises. */
    public enum Layout {
        /** {@code ImageSets/Segmentation/<split>.txt}, {@code JPEGImages}, {@code SegmentationClass}. */
        PASCAL_VOC,
        /** {@code images/} and {@code masks/} (or {@code SegmentationClass/}) with matching base names. */
        IMAGES_AND_MASKS,
        /** A folder of images without masks (for comparison with a parent model and for calibration). */
        IMAGE_FOLDER
    }

    private final Layout layout;
    private final Path root;
    private final String split;
    private final String name;
    private final List<Sample> samples;
    private final List<SkippedItem> skipped;
    private final ClassInfo classes;
    private final MaskEncoding encoding;
    private final boolean hasMasks;

    FileDataset(Layout layout, Path root, String split, String name, List<Sample> samples, List<SkippedItem> skipped,
            ClassInfo classes, MaskEncoding encoding, boolean hasMasks) {
        this.layout = layout;
        this.root = root;
        this.split = split;
        this.name = name;
        this.samples = List.copyOf(samples);
        this.skipped = List.copyOf(skipped);
        this.classes = classes;
        this.encoding = encoding;
        this.hasMasks = hasMasks;
    }

    public Layout layout() {
        return layout;
    }

    /** The dataset root (for VOC the folder holding {@code ImageSets}). */
    public Path root() {
        return root;
    }

    /** The VOC split, or {@code null} for other layouts. */
    public String split() {
        return split;
    }

    public MaskEncoding maskEncoding() {
        return encoding;
    }

    @Override
    public String description() {
        return description(root.toString());
    }

    /** The description, with the dataset named by {@code location} (a {@link RemoteDataset} names its URI). */
    String description(String location) {
        String kind = switch (layout) {
            case PASCAL_VOC -> "Pascal VOC (" + split + ", " + samples.size() + " images with masks)";
            case IMAGES_AND_MASKS -> (name != null ? name + ": " : "") + "image folder with masks (" + samples.size() + " images)";
            case IMAGE_FOLDER -> (name != null ? name + ": " : "") + "image folder without masks (" + samples.size() + " images)";
        };
        return kind + (skipped.isEmpty() ? "" : ", " + skipped.size() + " items skipped") + " at " + location;
    }

    @Override
    public boolean synthetic() {
        return false;
    }

    @Override
    public boolean hasMasks() {
        return hasMasks;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public List<SkippedItem> skipped() {
        return skipped;
    }

    @Override
    public BufferedImage readImage(Sample sample) throws IOException {
        return Images.readRgb(sample.image());
    }

    @Override
    public LabelMask readMask(Sample sample) throws IOException {
        if (sample.mask() == null) {
            throw new IOException(sample.id() + " has no mask in " + description());
        }
        return Images.readMask(sample.mask(), classes, encoding);
    }

    @Override
    public ClassInfo classes() {
        return classes;
    }

    /** The folder and split: {@link Datasets#open(Path, String)} lists the same samples again. */
    @Override
    public DatasetRecipe recipe() {
        return DatasetRecipe.of(root, split);
    }

    @Override
    public String toString() {
        return description();
    }
}
