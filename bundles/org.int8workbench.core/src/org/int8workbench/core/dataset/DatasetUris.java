package org.int8workbench.core.dataset;

import java.io.IOException;

/**
 * Opens a dataset given by the URI of its folder on a file system other than the local one ({@code hdfs://},
 * {@code s3a://}, {@code file://}), e.g. through Hadoop's API in the Spark module, by the local listing rules
 * ({@link Datasets#open(DatasetFiles, java.nio.file.Path, String)}), so that the core stays free of that API.
 * {@link DatasetRecipe#open(DatasetUris)} opens a recipe that names a URI ({@link DatasetRecipe#remote()}) through it.
 */
@FunctionalInterface
public interface DatasetUris {

    /** No file system but the local one: a URI is refused with one line. */
    DatasetUris NONE = (uri, split) -> {
        throw new IOException(uri + " is a URI: its file system is reached through Hadoop on Spark (--spark MASTER); "
                + "give a local folder here");
    };

    /**
     * The dataset at {@code uri}, listed by the local rules.
     *
     * @param split the Pascal VOC split, or {@code null} for the default
     * @throws IOException when it cannot be listed, or there is no file system for the URI's scheme
     */
    SegmentationDataset open(String uri, String split) throws IOException;
}
