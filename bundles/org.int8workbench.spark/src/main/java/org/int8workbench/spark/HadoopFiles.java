package org.int8workbench.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.int8workbench.core.dataset.DatasetFiles;
import org.int8workbench.core.dataset.DatasetUris;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.Images;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.metrics.EvaluationRecipe;

/**
 * A dataset's file system reached through Hadoop's {@link FileSystem} API: any Hadoop-compatible URI the JVM has a
 * connector for ({@code file://}, {@code hdfs://}, {@code s3a://} with {@code hadoop-aws}, ...), configured by the
 * Hadoop configuration given (Spark's: {@code core-site.xml}, {@code spark.hadoop.*}). The core lists the dataset
 * through it by its own rules ({@link org.int8workbench.core.dataset.Datasets#open(DatasetFiles, Path, String)}) and
 * reads each item as bytes through it. Files are named by their paths within the file system; a folder is listed once
 * (one {@code listStatus}) and what it holds answers the questions about its entries, so listing a dataset costs a few
 * calls to the file system, not one per file.
 */
final class HadoopFiles implements DatasetFiles {

    private final FileSystem fs;
    private final URI fsUri;
    private final Path root;
    /** Folder listings by folder: entry name → whether it is a folder; an empty map for a folder that is not there. */
    private final Map<Path, Map<String, Boolean>> listings = new ConcurrentHashMap<>();

    private HadoopFiles(FileSystem fs, URI fsUri, Path root) {
        this.fs = fs;
        this.fsUri = fsUri;
        this.root = root;
    }

    /** The file system of {@code uri} and the path of {@code uri} within it ({@link #root()}). */
    static HadoopFiles open(String uri, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p;
        try {
            p = new org.apache.hadoop.fs.Path(uri);
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + " is not a valid URI (" + e.getMessage() + ")", e);
        }
        FileSystem fs;
        try {
            fs = p.getFileSystem(conf);
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            throw noConnector(uri, e.getMessage(), e);
        } catch (RuntimeException e) {
            // a scheme whose file system class is configured but not on the class path (s3a:// without hadoop-aws)
            if (e.getCause() instanceof ClassNotFoundException c) {
                throw noConnector(uri, c.getMessage(), e);
            }
            throw e;
        }
        URI q = fs.makeQualified(p).toUri();
        String path = q.getPath() == null || q.getPath().isEmpty() ? "/" : q.getPath();
        return new HadoopFiles(fs, fs.getUri(), Path.of(path).normalize());
    }

    private static IOException noConnector(String uri, String problem, Exception cause) {
        return new IOException("no Hadoop file system for " + uri + " (" + problem + "); put its connector on the class path of "
                + "the driver and the executors (e.g. hadoop-aws and its AWS SDK for s3a://)", cause);
    }

    /**
     * The operation of a recipe: on its local dataset folder ({@link EvaluationRecipe#operation()}), or on its dataset URI
     * listed through Hadoop with {@code conf}.
     */
    static EvaluateOperation operation(EvaluationRecipe recipe, Configuration conf) throws IOException {
        if (!recipe.remote()) {
            return recipe.operation();
        }
        try {
            HadoopFiles files = open(recipe.dataset(), conf);
            return recipe.operation(files, files.root());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
    }

    /**
     * The dataset at {@code uri} listed through Hadoop with {@code conf} by the core's rules (a
     * {@link org.int8workbench.core.dataset.RemoteDataset}, whose recipe names the URI).
     */
    static SegmentationDataset dataset(String uri, String split, Configuration conf) throws IOException {
        try {
            HadoopFiles files = open(uri, conf);
            return Datasets.open(files, files.root(), split);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
    }

    /** Dataset URIs opened through Hadoop with {@code conf} ({@link #dataset}). */
    static DatasetUris uris(Configuration conf) {
        return (uri, split) -> dataset(uri, split, conf);
    }

    /**
     * The Hadoop configuration a Spark context on {@code conf} would have before it starts: Hadoop's defaults and
     * site files ({@code HADOOP_CONF_DIR} on the class path) with every {@code spark.hadoop.*} setting of {@code conf}.
     */
    static Configuration configuration(SparkConf conf) {
        Configuration c = new Configuration();
        for (scala.Tuple2<String, String> e : conf.getAllWithPrefix("spark.hadoop.")) {
            c.set(e._1(), e._2());
        }
        return c;
    }

    /** The path of the URI {@link #open} was given, within the file system. */
    Path root() {
        return root;
    }

    private org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(fsUri.getScheme(), fsUri.getAuthority(), p.toAbsolutePath().normalize().toString());
    }

    /** What the folder holds, listed once: entry name → whether it is a folder; empty when it is not a folder. */
    private Map<String, Boolean> listing(Path dir) {
        return listings.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            Map<String, Boolean> entries = new java.util.HashMap<>();
            try {
                for (FileStatus s : fs.listStatus(hadoop(d))) {
                    entries.put(s.getPath().getName(), s.isDirectory());
                }
            } catch (FileNotFoundException | org.apache.hadoop.fs.PathIsNotDirectoryException e) {
                // not there, or a file: nothing in it
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.copyOf(entries);
        });
    }

    /** Whether {@code p} is a folder ({@code TRUE}), a file ({@code FALSE}) or not there ({@code null}). */
    private Boolean kind(Path p) {
        Path a = p.toAbsolutePath().normalize();
        if (a.getParent() == null || a.getFileName() == null) {
            try {
                return fs.getFileStatus(hadoop(a)).isDirectory();
            } catch (FileNotFoundException e) {
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return listing(a.getParent()).get(a.getFileName().toString());
    }

    @Override
    public boolean exists(Path p) {
        return kind(p) != null;
    }

    @Override
    public boolean isDirectory(Path p) {
        return Boolean.TRUE.equals(kind(p));
    }

    @Override
    public boolean isFile(Path p) {
        return Boolean.FALSE.equals(kind(p));
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try {
            if (!isDirectory(d)) {
                throw new NoSuchFileException(d.toString(), null, "not a folder");
            }
            for (String name : listing(d).keySet()) {
                out.add(d.resolve(name));
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The file's bytes, read in this JVM (on an executor: in the task); a missing file is reported as the local one is. */
    @Override
    public byte[] read(Path file) throws IOException {
        org.apache.hadoop.fs.Path h = hadoop(file);
        FileStatus s;
        try {
            s = fs.getFileStatus(h);
        } catch (FileNotFoundException e) {
            s = null;
        }
        if (s == null || !s.isFile()) {
            throw new NoSuchFileException(file.toString(), null, "the file is missing; restore it or remove its entry");
        }
        Images.checkSize(file.toString(), s.getLen());
        try (FSDataInputStream in = fs.open(h)) {
            return in.readAllBytes();
        }
    }

    @Override
    public String location(Path p) {
        return hadoop(p).toString();
    }

    @Override
    public String toString() {
        return fsUri.toString();
    }
}
