package org.int8workbench.cli;

import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.accuracy.ClusterScoring;
import org.int8workbench.core.accuracy.Scorers;
import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * The {@code --spark MASTER} option of {@code sensitivity} and {@code optimize --method accuracy-aware}: the candidates
 * are scored on Apache Spark (module {@code org.int8workbench.spark}, found on the class path) instead of in this JVM.
 */
final class SparkScorers {

    /** The option's help text. */
    static final String HELP = "Score the candidates on Apache Spark: local[N], spark://HOST:PORT, or 'submit' for the master "
            + "spark-submit gives. Each candidate (or slice of the images) is a task; the validation data must be at the same "
            + "path on the executors. The results are the local run's. ./int8wb adds Spark to the class path.";

    private SparkScorers() {
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
