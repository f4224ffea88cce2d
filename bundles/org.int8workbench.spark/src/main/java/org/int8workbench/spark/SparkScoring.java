package org.int8workbench.spark;

import org.int8workbench.core.accuracy.ClusterScoring;
import org.int8workbench.core.accuracy.Scorers;

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
}
