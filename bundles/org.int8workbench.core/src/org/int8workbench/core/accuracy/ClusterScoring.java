package org.int8workbench.core.accuracy;

import java.io.IOException;
import java.util.ServiceLoader;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.dataset.DatasetUris;
import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * A cluster that scores candidates (Apache Spark, module {@code org.int8workbench.spark}), found with {@link #find()}
 * like {@code ClusterEvaluator}, so that the core does not depend on Spark. Its scorers give the local scorer's results.
 */
public interface ClusterScoring {

    /**
     * Scorers that run on {@code master} ({@code local[N]}, {@code spark://...}, {@code submit}); the Spark context of a
     * scorer lives until the scorer is closed.
     */
    Scorers scorers(String master) throws CoreException;

    /**
     * The validation data at {@code uri} ({@code hdfs://}, {@code s3a://}, {@code file://}), listed in this JVM through
     * the file systems the cluster reaches (Hadoop's, configured as the cluster's), so that its recipe
     * ({@link org.int8workbench.core.dataset.DatasetRecipe#remote()}) is reopened the same way on the executors.
     *
     * @throws IOException when it cannot be listed, or this cluster reaches no file system but the local one
     */
    default SegmentationDataset dataset(String uri, String split) throws IOException {
        return DatasetUris.NONE.open(uri, split);
    }

    /**
     * The cluster scoring on the class path.
     *
     * @throws CoreException when there is none (the Spark module is not on the class path)
     */
    static ClusterScoring find() throws CoreException {
        return ServiceLoader.load(ClusterScoring.class).findFirst().orElseThrow(() -> CoreStatus.exception(
                "scoring candidates on Spark needs the Spark module on the class path (./int8wb adds it with --spark; "
                        + "build it with ./mvnw -DskipTests verify)", null));
    }
}
