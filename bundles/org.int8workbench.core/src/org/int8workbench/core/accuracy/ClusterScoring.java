package org.int8workbench.core.accuracy;

import java.util.ServiceLoader;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;

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
