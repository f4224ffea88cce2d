package org.int8workbench.core.dataset;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How to open a dataset again in another JVM (a Spark executor): its folder, its split and, for a part of it, the ids of
 * the samples in it. Serializable; made by {@link SegmentationDataset#recipe()}, opened by {@link #open()} (a local
 * folder) or {@link #open(DatasetUris)} (also a URI, {@link #remote()}: a {@link RemoteDataset}'s).
 *
 * @param root the dataset folder, absolute ({@link Datasets#open(Path, String)}), or the URI of the folder on another
 *        file system ({@link Datasets#isUri}, e.g. {@code hdfs://nn:8020/data/voc})
 * @param split the Pascal VOC split, or {@code null}
 * @param ids the ids of the samples to keep (in the dataset's order), or {@code null} for all
 */
public record DatasetRecipe(String root, String split, List<String> ids) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public DatasetRecipe {
        Objects.requireNonNull(root, "root");
        ids = ids == null ? null : List.copyOf(ids);
    }

    /** The recipe of the whole dataset at {@code root} (made absolute), split {@code split}. */
    public static DatasetRecipe of(Path root, String split) {
        return new DatasetRecipe(root.toAbsolutePath().normalize().toString(), split, null);
    }

    /** The recipe of the whole dataset at the URI {@code uri} ({@link Datasets#isUri}), split {@code split}. */
    public static DatasetRecipe ofUri(String uri, String split) {
        if (!Datasets.isUri(uri)) {
            throw new IllegalArgumentException(uri + " is not a URI");
        }
        return new DatasetRecipe(uri, split, null);
    }

    /** True when {@link #root} is a URI: the dataset is opened through {@link #open(DatasetUris)}. */
    public boolean remote() {
        return Datasets.isUri(root);
    }

    /** This dataset cut down to the samples {@code ids} (which are among this recipe's). */
    public DatasetRecipe only(Collection<String> keep) {
        return new DatasetRecipe(root, split, List.copyOf(keep));
    }

    /**
     * Lists the dataset again ({@link Datasets#open(Path, String)}), keeping only {@link #ids} when given.
     *
     * @throws IOException when the folder cannot be listed, or a sample of {@link #ids} is not in it any more, or the
     *         recipe names a URI ({@link #remote()}: use {@link #open(DatasetUris)})
     */
    public SegmentationDataset open() throws IOException {
        return open(DatasetUris.NONE);
    }

    /**
     * Lists the dataset again: a local folder as {@link #open()} does, a URI ({@link #remote()}) through {@code uris};
     * keeps only {@link #ids} when given.
     *
     * @throws IOException when the folder cannot be listed, or a sample of {@link #ids} is not in it any more
     */
    public SegmentationDataset open(DatasetUris uris) throws IOException {
        SegmentationDataset all = remote() ? uris.open(root, split) : Datasets.open(Path.of(root), split);
        if (ids == null) {
            return all;
        }
        SampleSubset subset = SampleSubset.only(all, ids, "the samples of its recipe");
        int wanted = new HashSet<>(ids).size();
        if (subset.samples().size() != wanted) {
            throw new IOException(all.description() + " no longer has " + (wanted - subset.samples().size()) + " of the "
                    + wanted + " samples of the recipe");
        }
        return subset;
    }
}
