package org.int8workbench.spark;

import java.io.IOException;
import org.apache.spark.SparkConf;
import org.int8workbench.core.accuracy.ClusterScoring;
import org.int8workbench.core.accuracy.Scorers;
import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * Candidate scoring on Apache Spark ({@link SparkScorer}), found by the core's {@link ClusterScoring#find()}: the
 * sensitivity ranking and the Accuracy-aware method's validations on a cluster ({@code ./int8wb sensitivity ... --spark
 * MASTER}, {@code ./int8wb optimize ... --method accuracy-aware --spark MASTER}).
 */
public final class SparkScoring implements ClusterScoring {

    @Override
    public Scorers scorers(String master) {
        return (c, v) -> SparkScorer.open(master, c, v);
    }

    /**
     * Lists the URI through Hadoop with the Hadoop settings Spark will have ({@code spark.hadoop.*} system properties,
     * {@code HADOOP_CONF_DIR}); the executors reopen it with the driver's Hadoop configuration, broadcast.
     */
    @Override
    public SegmentationDataset dataset(String uri, String split) throws IOException {
        return HadoopFiles.dataset(uri, split, HadoopFiles.configuration(new SparkConf()));
    }
}
