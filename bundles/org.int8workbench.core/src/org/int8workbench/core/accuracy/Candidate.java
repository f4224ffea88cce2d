package org.int8workbench.core.accuracy;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One candidate INT8 model of a calibration: the nodes kept in FP32 on top of the calibration's settings
 * ({@code Calibration.write(keepFloat)}).
 *
 * @param label names the candidate in progress and messages (the sensitivity analysis: the group's node name, which
 *        also names the node whose kernel {@link CandidateScore#runsFloat} looks for)
 * @param keepFloat display names of the nodes kept in FP32 (as in {@code Calibration.Group.nodes})
 */
public record Candidate(String label, List<String> keepFloat) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public Candidate {
        Objects.requireNonNull(label, "label");
        keepFloat = List.copyOf(keepFloat);
    }
}
