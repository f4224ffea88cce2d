package org.int8workbench.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.accuracy.ClusterScoring;
import org.int8workbench.core.accuracy.Scorers;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * The {@code --spark MASTER} option of {@code sensitivity} and {@code optimize --method accuracy-aware}: the candidates
 * are scored on Apache Spark (module {@code org.int8workbench.spark}, found on the class path) instead of in this JVM.
 */
final class SparkScorers {

    /** The option's help text. */
    static final String HELP = "Score the candidates on Apache Spark: local[N], spark://HOST:PORT, or 'submit' for the master "
            + "spark-submit gives. Each candidate (or slice of the images) is a task; the validation data must be at the same "
            + "path on the executors, or be a Hadoop-compatible URI. The results are the local run's. ./int8wb adds Spark to "
            + "the class path.";

    /** The help text of a --validation option that takes a URI with --spark. */
    static final String URI_HELP = "With --spark also a Hadoop-compatible URI (hdfs://..., s3a://..., file:///...) that the "
            + "driver and the executors read through Hadoop's file systems.";

    private SparkScorers() {
    }

    /**
     * The validation data of {@code option}: a local folder ({@link Datasets#open(Path, String)}), or with {@code --spark}
     * a Hadoop-compatible URI listed through the cluster's file systems ({@link ClusterScoring#dataset}).
     *
     * @param spark the {@code --spark} master, or {@code null}
     * @throws IllegalArgumentException (one line) for a URI without {@code --spark}
     * @throws CoreException when a URI is given and the Spark module is not on the class path
     */
    static SegmentationDataset validation(String option, String location, String split, String spark) throws IOException,
            CoreException {
        if (!Datasets.isUri(location)) {
            return Datasets.open(Path.of(location), split);
        }
        refuseUriWithoutSpark(option, location, spark);
        return ClusterScoring.find().dataset(location, split);
    }

    /** Refuses (one line) a URI given to {@code option} without {@code --spark}. */
    static void refuseUriWithoutSpark(String option, String location, String spark) {
        if (spark == null && Datasets.isUri(location)) {
            throw new IllegalArgumentException(option + " " + location + " is a URI: it is read through Hadoop's file systems on "
                    + "Spark; add --spark MASTER (e.g. local[2]), or give a local folder");
        }
    }

    /** The local folder of a --validation value, or {@code null} for none or a URI. */
    static Path folder(String location) {
        return location == null || Datasets.isUri(location) ? null : Path.of(location);
    }

    /**
     * The scorers of {@code master}, checked before any work: the validation images must be reopenable on the executors.
     *
     * @param validation the validation images the command will score on
     * @throws IllegalArgumentException when they cannot be opened again elsewhere (one line)
     * @throws CoreException when the Spark module is not on the class path
     */
    static Scorers of(String master, SegmentationDataset validation) throws CoreException {
        if (master.isBlank()) {
            throw new IllegalArgumentException("--spark takes a master: local[N], spark://HOST:PORT or submit");
        }
        if (validation.recipe() == null) {
            throw new IllegalArgumentException("--spark scores on executors that open the validation images again from their "
                    + "folder, and " + validation.description() + " has none; give images in a folder");
        }
        return ClusterScoring.find().scorers(master);
    }
}
