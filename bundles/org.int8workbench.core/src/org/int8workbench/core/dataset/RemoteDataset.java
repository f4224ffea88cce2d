package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset listed by {@link Datasets#open(DatasetFiles, Path, String)} on a file system other than the local one
 * (e.g. {@code hdfs://} or {@code s3a://} through Hadoop's API in the Spark module): the layouts, samples and skipped
 * items are those a {@link FileDataset} of the same files has, the samples' paths are paths within that file system,
 * and an item is read as bytes through {@link DatasetFiles#read} and decoded from them, as a file would be. Immutable;
 * reading an item is as thread-safe as the {@link DatasetFiles}.
 */
public final class RemoteDataset implements SegmentationDataset {

    private final DatasetFiles files;
    private final FileDataset.Layout layout;
    private final Path root;
    private final String split;
    private final String name;
    private final List<Sample> samples;
    private final List<SkippedItem> skipped;
    private final ClassInfo classes;
    private final MaskEncoding encoding;
    private final boolean hasMasks;

    RemoteDataset(DatasetFiles files, FileDataset.Layout layout, Path root, String split, String name, List<Sample> samples,
            List<SkippedItem> skipped, ClassInfo classes, MaskEncoding encoding, boolean hasMasks) {
        this.files = files;
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

    public FileDataset.Layout layout() {
        return layout;
    }

    /** The dataset root within its file system (for VOC the folder holding {@code ImageSets}). */
    public Path root() {
        return root;
    }

    /** Where the dataset is, e.g. {@code hdfs://nn:8020/data/VOC2012}. */
    public String location() {
        return files.location(root);
    }

    /** The VOC split, or {@code null} for other layouts. */
    public String split() {
        return split;
    }

    public MaskEncoding maskEncoding() {
        return encoding;
    }

    /** The description a {@link FileDataset} of the same files has, with the dataset's {@link #location()}. */
    @Override
    public String description() {
        String kind = switch (layout) {
            case PASCAL_VOC -> "Pascal VOC (" + split + ", " + samples.size() + " images with masks)";
            case IMAGES_AND_MASKS -> (name != null ? name + ": " : "") + "image folder with masks (" + samples.size() + " images)";
            case IMAGE_FOLDER -> (name != null ? name + ": " : "") + "image folder without masks (" + samples.size() + " images)";
        };
        return kind + (skipped.isEmpty() ? "" : ", " + skipped.size() + " items skipped") + " at " + location();
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
        return Images.readRgb(files.read(sample.image()), sample.image().toString());
    }

    @Override
    public LabelMask readMask(Sample sample) throws IOException {
        if (sample.mask() == null) {
            throw new IOException(sample.id() + " has no mask in " + description());
        }
        return Images.readMask(files.read(sample.mask()), sample.mask().toString(), classes, encoding);
    }

    @Override
    public ClassInfo classes() {
        return classes;
    }

    /** The recipe naming the dataset by its URI ({@link #location()}), reopened through {@link DatasetRecipe#open(DatasetUris)}. */
    @Override
    public DatasetRecipe recipe() {
        return DatasetRecipe.ofUri(location(), split);
    }

    @Override
    public String toString() {
        return description();
    }
}
