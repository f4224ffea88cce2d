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
    /** The listing: the samples, skipped items, classes and layout a local dataset of the same files has. */
    private final FileDataset listing;

    RemoteDataset(DatasetFiles files, FileDataset listing) {
        this.files = files;
        this.listing = listing;
    }

    public FileDataset.Layout layout() {
        return listing.layout();
    }

    /** The dataset root within its file system (for VOC the folder holding {@code ImageSets}). */
    public Path root() {
        return listing.root();
    }

    /** Where the dataset is, e.g. {@code hdfs://nn:8020/data/VOC2012}. */
    public String location() {
        return files.location(listing.root());
    }

    /** The VOC split, or {@code null} for other layouts. */
    public String split() {
        return listing.split();
    }

    public MaskEncoding maskEncoding() {
        return listing.maskEncoding();
    }

    /** The description a {@link FileDataset} of the same files has, with the dataset's {@link #location()}. */
    @Override
    public String description() {
        return listing.description(location());
    }

    @Override
    public boolean synthetic() {
        return false;
    }

    @Override
    public boolean hasMasks() {
        return listing.hasMasks();
    }

    @Override
    public List<Sample> samples() {
        return listing.samples();
    }

    @Override
    public List<SkippedItem> skipped() {
        return listing.skipped();
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
        return Images.readMask(files.read(sample.mask()), sample.mask().toString(), classes(), listing.maskEncoding());
    }

    @Override
    public ClassInfo classes() {
        return listing.classes();
    }

    /** The recipe naming the dataset by its URI ({@link #location()}), reopened through {@link DatasetRecipe#open(DatasetUris)}. */
    @Override
    public DatasetRecipe recipe() {
        return DatasetRecipe.ofUri(location(), split());
    }

    @Override
    public String toString() {
        return description();
    }
}
