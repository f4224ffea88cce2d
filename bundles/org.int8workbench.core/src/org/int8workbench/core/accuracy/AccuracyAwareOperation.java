package org.int8workbench.core.accuracy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.dataset.SampleSubset;
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
 * otherwise; stop when the drop is within the maximum, after {@link AccuracyControl#maxReverts} tries or when the
 * ranking is exhausted.</li>
 * <li>When that did not reach the drop, the loss is spread over many layers: on MediaPipe selfie no group of the ranking
 * gained more than a tenth of a point on the whole set (20 tries: 88.8% to 90.5% agreement), and batches of the next 2, 4,
 * 8, ... groups of the ranking did no better (90.8% with 70 of 134 groups in FP32). Then each remaining group's harm is
 * measured in isolation (agreement with FP32 of the model in which only it is quantized, on {@link #ISOLATION_IMAGES}
 * images spread over the set), and the shortest head of that order that reaches the drop is searched by doubling and
 * halving, each head validated on the whole set (about 2 log2(groups) validations). When no head reaches it the result
 * says so, with the best head measured.</li>
 * </ol>
 *
 * Every candidate comes from the same calibration (no new calibration per step) and is scored against the parent's
 * predictions computed once by the {@link Validation}, through one {@link CandidateScorer} ({@link #scorers}: in this JVM
 * or on a cluster, the same figures; the isolation ranking scores all its candidates in one call). Progress is reported
 * per candidate and, through the validation, per image; cancelling stops at the next image.
 */
public final class AccuracyAwareOperation {

    /**
     * A revert is kept only when it raises the metric by at least this much (points): a smaller change is noise of the
     * validation set, and each group kept in FP32 costs speed.
     */
    public static final double MIN_GAIN_POINTS = 0.01;

    /** Validation images (spread over the set) on which each group's harm in isolation is measured. */
    public static final int ISOLATION_IMAGES = 16;

    private final Calibration calibration;
    private final Validation validation;
    private final AccuracyControl control;
    private Scorers scorers = Scorers.LOCAL;

    /** The method on {@code calibration}'s INT8 models, scored on {@code validation}, as {@code control} asks. */
    public AccuracyAwareOperation(Calibration calibration, Validation validation, AccuracyControl control) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.control = Objects.requireNonNull(control, "control");
    }

    /** Where the INT8 candidates are scored (default {@link Scorers#LOCAL}: in this JVM). */
    public AccuracyAwareOperation scorers(Scorers s) {
        this.scorers = Objects.requireNonNull(s, "scorers");
        return this;
    }

    /**
     * Runs the method. The result's {@link AccuracyAwareResult#keptFloat} are the nodes to keep in FP32 when writing the
     * final model ({@code QuantizeOperation.write(calibration, keptFloat, monitor)}).
     *
     * @throws CoreException when a candidate cannot be written or scored
     * @throws OperationCanceledException when cancelled
     */
    public AccuracyAwareResult run(IProgressMonitor monitor) throws CoreException {
        try (CandidateScorer scorer = scorers.open(calibration, validation)) {
            return run(scorer, monitor);
        }
    }

    private AccuracyAwareResult run(CandidateScorer scorer, IProgressMonitor monitor) throws CoreException {
        long t0 = System.nanoTime();
        SubMonitor sub = SubMonitor.convert(monitor, "Accuracy-aware quantization", 100);
        double parent = validation.parentMetric();
        double maxDrop = control.maxDropPoints();

        sub.subTask("Scoring the Default INT8 model");
        double defaultMetric = score(scorer, List.of(), sub.split(10));
        Search search = new Search(scorer, parent, maxDrop, defaultMetric);
        if (!search.reached()) {
            sub.subTask("Ranking the groups");
            SensitivityResult ranking = SensitivityOperation.analyze(calibration, validation, control.rankingImages(), null, null,
                    scorer, sub.split(40));
            search.run(ranking.ranked(), ranking.rankedBy(), sub.split(50));
        }
        sub.done();
        return new AccuracyAwareResult(validation.metric(), maxDrop, parent, defaultMetric, search.current, search.reached(),
                search.steps, search.reverted, validation.size(), validation.description(), (System.nanoTime() - t0) / 1e9,
                List.copyOf(search.keep));
    }

    /** The greedy search: its state (what is kept so far and its metric) and its steps. */
    private final class Search {
        final CandidateScorer scorer;
        final double parent;
        final double maxDrop;
        double current;
        Set<String> keep = new LinkedHashSet<>();
        final List<AccuracyAwareResult.Step> steps = new ArrayList<>();
        final List<NodeSensitivity> reverted = new ArrayList<>();
        int tries;
        final java.util.Map<String, NodeSensitivity> byNode = new java.util.HashMap<>();

        Search(CandidateScorer scorer, double parent, double maxDrop, double start) {
            this.scorer = scorer;
            this.parent = parent;
            this.maxDrop = maxDrop;
            this.current = start;
        }

        boolean reached() {
            return drop(parent, current) <= maxDrop;
        }

        void run(List<NodeSensitivity> ranked, AccuracyMetric rankedBy, SubMonitor monitor) throws CoreException {
            ranked.forEach(n -> byNode.put(n.node(), n));
            int max = control.maxReverts();
            SubMonitor loop = monitor.setWorkRemaining(max + 1);
            int next = 0;
            // the most harmful groups one by one
            int singles = Math.min(max, ranked.size());
            while (!reached() && tries < max && next < singles) {
                attempt(ranked.subList(next, next + 1), rankedBy, loop);
                next++;
            }
            // the loss is spread: rank by isolated harm and take the shortest head of that ranking that reaches the drop
            if (!reached()) {
                prefixSearch(isolationRanking(loop.setWorkRemaining(100).split(40)), loop.split(60));
            }
        }

        /**
         * Each group's harm in isolation: the agreement with FP32, on a few validation images spread over the set, of
         * the model in which only that group is quantized. Groups not yet kept, most harmful (lowest) first.
         */
        private List<Calibration.Group> isolationRanking(SubMonitor monitor) throws CoreException {
            List<Calibration.Group> groups = new ArrayList<>();
            for (Calibration.Group g : calibration.groups()) {
                if (!keep.containsAll(g.nodes())) {
                    groups.add(g);
                }
            }
            List<String> all = new ArrayList<>();
            calibration.groups().forEach(g -> all.addAll(g.nodes()));
            int n = Math.min(ISOLATION_IMAGES, validation.size());
            int[] images = new int[n];
            for (int i = 0; i < n; i++) {
                images[i] = (int) ((long) i * validation.size() / n);
            }
            // every group's candidate in one call (on a cluster: scored in parallel)
            List<Candidate> candidates = new ArrayList<>();
            for (Calibration.Group g : groups) {
                List<String> others = new ArrayList<>(all);
                others.removeAll(g.nodes());
                candidates.add(new Candidate(g.node() + " quantized alone", others));
            }
            monitor.subTask("Measuring each group quantized alone");
            List<CandidateScore> scores = scorer.score(candidates, images, false, monitor);
            java.util.Map<String, Double> harm = new java.util.HashMap<>();
            for (int i = 0; i < groups.size(); i++) {
                harm.put(groups.get(i).node(), scores.get(i).score().agreement());
            }
            groups.sort(java.util.Comparator.comparingDouble((Calibration.Group g) -> harm.get(g.node())));
            return groups;
        }

        /**
         * Reverts the shortest head of {@code ranked} (on top of what is kept) that reaches the drop: heads of 1, 2, 4,
         * ... groups until one reaches it, then halving between the last that did not and the first that did. Only heads
         * measured to reach it are taken; when none does, the best head measured is kept (when it improves the metric).
         */
        private void prefixSearch(List<Calibration.Group> ranked, SubMonitor monitor) throws CoreException {
            if (ranked.isEmpty()) {
                return;
            }
            SubMonitor sub = monitor.setWorkRemaining(2 * (32 - Integer.numberOfLeadingZeros(ranked.size())) + 1);
            int first = steps.size();
            java.util.Map<Integer, Double> measured = new java.util.HashMap<>();
            int lo = 0; // a head this long does not reach the drop
            int hi = -1; // a head this long does (-1: none found yet)
            for (int k = 1; hi < 0; k = Math.min(2 * k, ranked.size())) {
                double m = head(ranked, k, sub.split(1));
                measured.put(k, m);
                if (drop(parent, m) <= maxDrop) {
                    hi = k;
                } else {
                    lo = k;
                    if (k == ranked.size()) {
                        break;
                    }
                }
            }
            while (hi > 0 && hi - lo > 1) {
                int mid = (lo + hi) / 2;
                double m = head(ranked, mid, sub.split(1));
                measured.put(mid, m);
                if (drop(parent, m) <= maxDrop) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            int chosen = hi;
            if (chosen < 0) {
                chosen = measured.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).get().getKey();
                if ((measured.get(chosen) - current) * 100 < MIN_GAIN_POINTS) {
                    chosen = 0;
                }
            }
            List<String> label = new ArrayList<>();
            for (Calibration.Group g : ranked.subList(0, chosen)) {
                keep.addAll(g.nodes());
                label.add(g.node());
            }
            if (chosen > 0) {
                current = measured.get(chosen);
            }
            for (int i = first; i < steps.size(); i++) {
                AccuracyAwareResult.Step st = steps.get(i);
                boolean kept = chosen > 0 && st.nodes().size() == headNodes(ranked, chosen).size()
                        && st.metricAfter() == measured.get(chosen);
                steps.set(i, new AccuracyAwareResult.Step(st.node(), st.nodes(), st.gainPoints(), st.metricAfter(), kept));
            }
            for (String node : label) {
                reverted.add(byNode.get(node));
            }
        }

        private double head(List<Calibration.Group> ranked, int k, SubMonitor monitor) throws CoreException {
            tries++;
            List<String> nodes = headNodes(ranked, k);
            Set<String> candidate = new LinkedHashSet<>(keep);
            candidate.addAll(nodes);
            String label = "top " + k + " by isolated harm";
            monitor.subTask("Trying " + label + " in FP32");
            double after = score(scorer, candidate, monitor);
            steps.add(new AccuracyAwareResult.Step(label, nodes, Double.NaN, after, false));
            return after;
        }

        private static List<String> headNodes(List<Calibration.Group> ranked, int k) {
            List<String> nodes = new ArrayList<>();
            for (Calibration.Group g : ranked.subList(0, k)) {
                nodes.addAll(g.nodes());
            }
            return nodes;
        }

        /** Tries {@code groups} in FP32 on top of what is kept; keeps them when the metric rises enough. */
        void attempt(List<NodeSensitivity> groups, AccuracyMetric rankedBy, SubMonitor loop) throws CoreException {
            tries++;
            String label = groups.get(0).node() + (groups.size() > 1 ? " +" + (groups.size() - 1) : "");
            loop.subTask("Trying " + label + " in FP32 (try " + tries + " of at most " + control.maxReverts() + ")");
            Set<String> candidate = new LinkedHashSet<>(keep);
            List<String> nodes = new ArrayList<>();
            double gain = 0;
            for (NodeSensitivity g : groups) {
                candidate.addAll(g.nodes());
                nodes.addAll(g.nodes());
                gain += g.gain(rankedBy);
            }
            double after = score(scorer, candidate, loop.setWorkRemaining(Math.max(2, control.maxReverts() - tries + 2)).split(1));
            boolean kept = (after - current) * 100 >= MIN_GAIN_POINTS;
            steps.add(new AccuracyAwareResult.Step(label, nodes, gain, after, kept));
            if (kept) {
                keep = candidate;
                current = after;
                reverted.addAll(groups);
            }
        }

    }

    /**
     * The validation images when {@link AccuracyControl#validation} gives none: the calibration images that calibration
     * did not use ({@link Calibration#imageIds}), or all of them when it used every one.
     */
    public static SegmentationDataset defaultValidation(SegmentationDataset calibrationImages, Calibration calibration) {
        SampleSubset unused = SampleSubset.without(calibrationImages, calibration.imageIds(), "not used for calibration");
        return unused.samples().isEmpty() ? calibrationImages : unused;
    }

    /** The metric of the candidate with {@code keep} in FP32 on the whole validation set. */
    private static double score(CandidateScorer scorer, Collection<String> keep, SubMonitor monitor) throws CoreException {
        String label = keep.isEmpty() ? "the Default INT8 model" : "the INT8 model with " + keep.size() + " nodes in FP32";
        return scorer.score(List.of(new Candidate(label, List.copyOf(keep))), null, false, monitor).get(0).score().value();
    }

    private static double drop(double parent, double value) {
        return (parent - value) * 100;
    }
}
