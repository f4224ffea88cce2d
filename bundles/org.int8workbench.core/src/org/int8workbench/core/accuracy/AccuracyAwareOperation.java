package org.int8workbench.core.accuracy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.quantize.Calibration;

/**
 * The Accuracy-aware method: quantize as the Default method does, then keep the groups that cost the most accuracy in
 * FP32 until the drop is within what is asked.
 *
 * <ol>
 * <li>Score the Default INT8 model ({@link Calibration#write()}) on the whole validation set; when its drop (parent's
 * metric − INT8 metric, in points) is within {@link AccuracyControl#maxDropPoints} it is the result.</li>
 * <li>Rank the groups ({@link SensitivityOperation#analyze}): each reverted alone on the images where INT8 differs most
 * from the parent, most harmful first.</li>
 * <li>Greedily, in that order: revert the next group on top of those kept so far, score the candidate on the whole
 * validation set, keep the revert when it improves the metric (by at least {@link #MIN_GAIN_POINTS}), step it back
 * otherwise; stop when the drop is within the maximum, or after {@link AccuracyControl#maxReverts} tries or when the
 * ranking is exhausted (then the result says it was not reached, and what was).</li>
 * </ol>
 *
 * Every candidate comes from the same calibration (no new calibration per step) and is scored against the parent's
 * predictions computed once by the {@link Validation}. Progress is reported per candidate and, through the validation,
 * per image; cancelling stops at the next image.
 */
public final class AccuracyAwareOperation {

    /**
     * A revert is kept only when it raises the metric by at least this much (points): a smaller change is noise of the
     * validation set, and each group kept in FP32 costs speed.
     */
    public static final double MIN_GAIN_POINTS = 0.01;

    private final Calibration calibration;
    private final Validation validation;
    private final AccuracyControl control;

    /** The method on {@code calibration}'s INT8 models, scored on {@code validation}, as {@code control} asks. */
    public AccuracyAwareOperation(Calibration calibration, Validation validation, AccuracyControl control) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.control = Objects.requireNonNull(control, "control");
    }

    /**
     * Runs the method. The result's {@link AccuracyAwareResult#keptFloat} are the nodes to keep in FP32 when writing the
     * final model ({@code QuantizeOperation.write(calibration, keptFloat, monitor)}).
     *
     * @throws CoreException when a candidate cannot be written or scored
     * @throws OperationCanceledException when cancelled
     */
    public AccuracyAwareResult run(IProgressMonitor monitor) throws CoreException {
        long t0 = System.nanoTime();
        SubMonitor sub = SubMonitor.convert(monitor, "Accuracy-aware quantization", 100);
        double parent = validation.parentMetric();
        double maxDrop = control.maxDropPoints();

        sub.subTask("Scoring the Default INT8 model");
        double defaultMetric = score(List.of(), sub.split(10));
        List<AccuracyAwareResult.Step> steps = new ArrayList<>();
        List<NodeSensitivity> reverted = new ArrayList<>();
        Set<String> keep = new LinkedHashSet<>();
        double current = defaultMetric;
        if (drop(parent, current) > maxDrop) {
            sub.subTask("Ranking the groups");
            SensitivityResult ranking = SensitivityOperation.analyze(calibration, validation, control.rankingImages(), sub.split(40));
            List<NodeSensitivity> ranked = ranking.ranked();
            int tries = Math.min(control.maxReverts(), ranked.size());
            SubMonitor loop = sub.split(50).setWorkRemaining(Math.max(1, tries));
            for (int i = 0; i < tries && drop(parent, current) > maxDrop; i++) {
                NodeSensitivity g = ranked.get(i);
                loop.subTask("Trying " + g.node() + " in FP32 (" + (i + 1) + " of " + tries + ")");
                Set<String> candidate = new LinkedHashSet<>(keep);
                candidate.addAll(g.nodes());
                double after = score(candidate, loop.split(1));
                boolean kept = (after - current) * 100 >= MIN_GAIN_POINTS;
                steps.add(new AccuracyAwareResult.Step(g.node(), g.nodes(), g.gain(ranking.rankedBy()), after, kept));
                if (kept) {
                    keep = candidate;
                    current = after;
                    reverted.add(g);
                }
            }
        }
        sub.done();
        return new AccuracyAwareResult(validation.metric(), maxDrop, parent, defaultMetric, current, drop(parent, current) <= maxDrop,
                steps, reverted, validation.size(), validation.description(), (System.nanoTime() - t0) / 1e9, List.copyOf(keep));
    }

    /**
     * The validation images when {@link AccuracyControl#validation} gives none: the calibration images that calibration
     * did not use ({@link Calibration#imageIds}), or all of them when it used every one.
     */
    public static SegmentationDataset defaultValidation(SegmentationDataset calibrationImages, Calibration calibration) {
        SampleSubset unused = SampleSubset.without(calibrationImages, calibration.imageIds(), "not used for calibration");
        return unused.samples().isEmpty() ? calibrationImages : unused;
    }

    private double score(Set<String> keep, SubMonitor monitor) throws CoreException {
        return score(List.copyOf(keep), monitor);
    }

    private double score(List<String> keep, SubMonitor monitor) throws CoreException {
        byte[] model;
        try {
            model = calibration.write(keep).bytes();
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("cannot write the INT8 model with " + (keep.isEmpty() ? "nothing" : keep) + " kept in FP32: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return validation.score(model, null, monitor).value();
    }

    private static double drop(double parent, double value) {
        return (parent - value) * 100;
    }
}
