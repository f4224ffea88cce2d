package org.int8workbench.core.accuracy;

import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.quantize.Calibration;

/** Opens scorers for a calibration and a validation: {@link #LOCAL}, or a cluster's ({@link ClusterScoring}). */
@FunctionalInterface
public interface Scorers {

    /** Scorers of this JVM ({@link CandidateScorer#local}). */
    Scorers LOCAL = CandidateScorer::local;

    /** A scorer of {@code c}'s candidates on {@code v}; the caller closes it. */
    CandidateScorer open(Calibration c, Validation v) throws CoreException;
}
