package org.int8workbench.core.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Some samples of a dataset, read through it: the validation images of the Accuracy-aware method when none are given
 * (the calibration images that calibration did not use), a split of a validation set into the part the method sees
 * and the part it never sees, or the samples a {@link DatasetRecipe} names.
 */
public final class SampleSubset implements SegmentationDataset {
    private final SegmentationDataset data;
    private final List<Sample> samples;
    private final String what;

    private SampleSubset(SegmentationDataset data, List<Sample> samples, String what) {
        this.data = data;
        this.samples = List.copyOf(samples);
        this.what = what;
    }

    /** The samples of {@code data} whose ids are not in {@code ids}, in dataset order. */
    public static SampleSubset without(SegmentationDataset data, Collection<String> ids, String why) {
        Set<String> out = new HashSet<>(ids);
        List<Sample> keep = data.samples().stream().filter(s -> !out.contains(s.id())).toList();
        return new SampleSubset(data, keep, why);
    }

    /** The samples of {@code data} whose ids are in {@code ids}, in dataset order. */
    public static SampleSubset only(SegmentationDataset data, Collection<String> ids, String why) {
        Set<String> in = new HashSet<>(ids);
        List<Sample> keep = data.samples().stream().filter(s -> in.contains(s.id())).toList();
        return new SampleSubset(data, keep, why);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of {@code data}, in dataset order. */
    public static SampleSubset range(SegmentationDataset data, int from, int to) {
        List<Sample> all = data.samples();
        Objects.checkFromToIndex(from, to, all.size());
        return new SampleSubset(data, all.subList(from, to), "images " + (from + 1) + "-" + to);
    }

    /** The dataset the samples come from. */
    public SegmentationDataset source() {
        return data;
    }

    @Override
    public String description() {
        return data.description() + ", " + samples.size() + " of its images (" + what + ")";
    }

    @Override
    public boolean synthetic() {
        return data.synthetic();
    }

    @Override
    public boolean hasMasks() {
        return data.hasMasks();
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public BufferedImage readImage(Sample sample) throws IOException {
        return data.readImage(sample);
    }

    @Override
    public LabelMask readMask(Sample sample) throws IOException {
        return data.readMask(sample);
    }

    @Override
    public ClassInfo classes() {
        return data.classes();
    }

    @Override
    public List<SkippedItem> skipped() {
        return data.skipped();
    }

    /** The source's recipe cut down to these samples ({@code null} when the source has none). */
    @Override
    public DatasetRecipe recipe() {
        DatasetRecipe r = data.recipe();
        return r == null ? null : r.only(samples.stream().map(Sample::id).toList());
    }
}
