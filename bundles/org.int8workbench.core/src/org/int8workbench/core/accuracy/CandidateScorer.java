package org.int8workbench.core.accuracy;

import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.quantize.Calibration;

/**
 * Scores candidates of one calibration on one validation, in this JVM ({@link #local}) or on a cluster
 * ({@link ClusterScoring}); the same results either way. The sensitivity analysis and the Accuracy-aware method score
 * every INT8 model through one.
 */
public interface CandidateScorer extends AutoCloseable {

    /**
     * Scores each candidate ({@link Validation#score} of {@code calibration.write(keepFloat)}) on the validation images
     * {@code images}. Results in the order of {@code candidates}.
     *
     * @param images indices of {@link Validation#imageIds()}; {@code null} for all
     * @param kernels also find {@link CandidateScore#runsFloat} as the sensitivity analysis does: the candidate's optimized
     *        graph has fewer integer kernels than the full INT8 model's ({@link CandidateKernels}); by the label (the
     *        group's node name) where that is unknown
     * @throws CoreException when a candidate cannot be written or scored
     * @throws OperationCanceledException when cancelled (at the next image)
     */
    List<CandidateScore> score(List<Candidate> candidates, int[] images, boolean kernels, IProgressMonitor monitor)
            throws CoreException;

    /** Frees what the scorer holds (threads, a cluster's context); not the calibration or the validation. */
    @Override
    void close();

    /**
     * The scorer of this JVM: writes candidate i+1 (and reads its optimized graph when asked) on a second thread while
     * candidate i is scored. Use from one thread at a time.
     */
    static CandidateScorer local(Calibration c, Validation v) {
        return new LocalScorer(c, v);
    }
}
