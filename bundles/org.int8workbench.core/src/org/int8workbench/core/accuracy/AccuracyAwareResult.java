package org.int8workbench.core.accuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the Accuracy-aware method reached: the metric of the parent, of the Default INT8 model and of the final model
 * (all on the whole validation set), every group it tried in order, and the groups it kept in FP32.
 *
 * @param metric the metric (mIoU against the ground truth, or pixel agreement with the parent)
 * @param maxDropPoints the drop asked for at most, in points
 * @param parentMetric the parent's metric, as a fraction (1.0 for agreement)
 * @param defaultMetric the Default INT8 model's metric (nothing more kept in FP32)
 * @param finalMetric the final model's metric
 * @param reached whether the final drop is within {@code maxDropPoints}
 * @param steps every group tried, in order: kept when it improved the metric, stepped back otherwise
 * @param reverted the groups kept in FP32, with their ranking figures, in the order they were kept
 * @param validationImages images in the validation set
 * @param validation description of the validation set
 * @param seconds wall time of the method (Default scoring, ranking and steps)
 * @param keptFloat the nodes the final model keeps in FP32 beyond the settings' ignored scope (every reverted group's
 *        nodes), as {@code Calibration.write} and {@code QuantizeOperation.write} take them
 */
public record AccuracyAwareResult(AccuracyMetric metric, double maxDropPoints, double parentMetric, double defaultMetric,
        double finalMetric, boolean reached, List<Step> steps, List<NodeSensitivity> reverted, int validationImages,
        String validation, double seconds, List<String> keptFloat) {

    /**
     * One group tried.
     *
     * @param node the group's compute node
     * @param nodes the nodes reverted together (the compute node and its folded activation)
     * @param gainPoints the ranking's figure: points gained on the ranking images when only this group is reverted, in
     *        the figure the ranking ranks by ({@code SensitivityResult.rankedBy}: agreement with FP32); NaN when not measured
     * @param metricAfter the metric on the whole validation set with this group reverted on top of the groups kept before
     * @param kept whether the revert was kept (it improved the metric) or stepped back
     */
    public record Step(String node, List<String> nodes, double gainPoints, double metricAfter, boolean kept) {
        public Step {
            nodes = List.copyOf(nodes);
        }
    }

    public AccuracyAwareResult {
        steps = List.copyOf(steps);
        reverted = List.copyOf(reverted);
        keptFloat = List.copyOf(keptFloat);
    }

    /** The final drop, in points: (parent − final) × 100. */
    public double dropPoints() {
        return (parentMetric - finalMetric) * 100;
    }

    /** The Default INT8 model's drop, in points. */
    public double defaultDropPoints() {
        return (parentMetric - defaultMetric) * 100;
    }

    /**
     * A few lines for a console: the figures, every step, and whether the drop was reached, e.g.
     * <pre>
     * Accuracy-aware (mIoU on Pascal VOC (val, 102 images) ..., max drop 0.30 points):
     *   FP32 59.87, Default INT8 59.00 (drop 0.87 points)
     *   ...
     * </pre>
     */
    public String describe() {
        StringBuilder b = new StringBuilder();
        String name = metric == AccuracyMetric.MIOU ? "mIoU" : "agreement";
        b.append(String.format(Locale.ROOT, "Accuracy-aware (%s on %s, max drop %.2f points):%n", name, validation, maxDropPoints));
        b.append(String.format(Locale.ROOT, "  FP32 %.2f, Default INT8 %.2f (drop %.2f points)%n", parentMetric * 100, defaultMetric * 100,
                defaultDropPoints()));
        if (!steps.isEmpty()) {
            b.append(String.format(Locale.ROOT, "  %-40s %9s %12s  %s%n", "group kept in FP32 (tried)", "gain", name + " after", "kept"));
        }
        for (Step s : steps) {
            b.append(String.format(Locale.ROOT, "  %-40s %9s %12.2f  %s%n", s.node(), Double.isNaN(s.gainPoints()) ? "-"
                    : String.format(Locale.ROOT, "%+.2f", s.gainPoints()), s.metricAfter() * 100, s.kept() ? "yes" : "no (stepped back)"));
        }
        b.append(String.format(Locale.ROOT, "  %s: %s %.2f, drop %.2f points with %d group%s in FP32, in %.0f s%n",
                reached ? "reached" : "NOT reached (best found)", name, finalMetric * 100, dropPoints(), reverted.size(),
                reverted.size() == 1 ? "" : "s", seconds));
        return b.toString();
    }

    /** The nodes of the reverted groups, as one list (convenience for callers that show them). */
    public List<String> revertedNodes() {
        List<String> out = new ArrayList<>();
        reverted.forEach(n -> out.add(n.node()));
        return out;
    }
}
