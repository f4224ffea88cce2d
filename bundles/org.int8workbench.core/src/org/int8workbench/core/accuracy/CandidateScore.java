package org.int8workbench.core.accuracy;

import java.util.Objects;

/**
 * What scoring a candidate found.
 *
 * @param candidate the candidate
 * @param score its score on the images asked for
 * @param runsFloat whether ONNX Runtime runs the candidate's kept group in float ({@code null}: not asked or unknown)
 */
public record CandidateScore(Candidate candidate, Score score, Boolean runsFloat) {

    public CandidateScore {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(score, "score");
    }
}
