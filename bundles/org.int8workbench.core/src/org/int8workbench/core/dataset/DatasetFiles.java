package org.int8workbench.core.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file system a dataset is listed and read from: the local one ({@link #LOCAL}), or another one reached through its
 * own API, e.g. a Hadoop-compatible file system ({@code hdfs://}, {@code s3a://}) in the Spark module. Files are named
 * by absolute {@link Path}s within that file system (the path part of a URI: {@code hdfs://nn:8020/data/voc} is
 * {@code /data/voc}), so that {@link Datasets#open(DatasetFiles, Path, String)} applies the same layout, naming and
 * pairing rules, and gives the same samples and skipped items, whichever file system holds the data.
 */
public interface DatasetFiles {

    /** The local file system ({@code java.nio.file.Files}). */
    DatasetFiles LOCAL = new DatasetFiles() {
        @Override
        public boolean exists(Path p) {
            return Files.exists(p);
        }

        @Override
        public boolean isDirectory(Path p) {
            return Files.isDirectory(p);
        }

        @Override
        public boolean isFile(Path p) {
            return Files.isRegularFile(p);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.sorted().toList();
            }
        }

        @Override
        public byte[] read(Path file) throws IOException {
            return Images.readBytes(file);
        }

        @Override
        public String location(Path p) {
            return p.toString();
        }

        @Override
        public String toString() {
            return "the local file system";
        }
    };

    /** True when {@code p} is a file or a folder. */
    boolean exists(Path p);

    /** True when {@code p} is a folder. */
    boolean isDirectory(Path p);

    /** True when {@code p} is a regular file (not a folder). */
    boolean isFile(Path p);

    /** The entries (files and folders) of a folder, in the order of their paths. */
    List<Path> list(Path dir) throws IOException;

    /**
     * The bytes of a file of the dataset (an image, a mask, a list, the metadata file).
     *
     * @throws java.nio.file.NoSuchFileException when it is missing
     * @throws IOException when it is larger than an image can be ({@link Images#checkSize}) or cannot be read
     */
    byte[] read(Path file) throws IOException;

    /** Where {@code p} is, for people: the local path, or the file system's URI of it (e.g. {@code hdfs://nn:8020/data/voc}). */
    String location(Path p);
}
