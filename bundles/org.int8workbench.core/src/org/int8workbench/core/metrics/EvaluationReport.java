package org.int8workbench.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The evaluator's result record from the accumulated figures of each output: the figures, the notes that say what
 * they mean on this data, and the timing. The first reported output's report is the top level; the others go into
 * its {@link AccuracyReport#outputs}.
 */
final class EvaluationReport {

    /** How the pass was run, for the report's notes and timing. */
    record Pass(SegmentationDataset dataset, Preprocessing pre, boolean withParent, boolean labelMapsSaved, double modelSeconds,
            double parentSeconds, double wallSeconds, int concurrentRuns, int threadsPerRun) {
    }

    private EvaluationReport() {
    }

    /** The report of every output: the first's, with the others in its {@code outputs}. */
    static AccuracyReport of(List<OutputEvaluation> outputs, Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
        AccuracyReport first = outputs.get(0).report(pass, modelRef, parentRef);
        if (outputs.size() == 1) {
            return first;
        }
        List<AccuracyReport> others = new ArrayList<>();
        for (OutputEvaluation o : outputs.subList(1, outputs.size())) {
            others.add(o.report(pass, modelRef, parentRef));
        }
        return new AccuracyReport(first.format(), first.model(), first.parentModel(), first.dataset(), first.datasetRoot(),
                first.synthetic(), first.hasMasks(), first.classes(), first.preprocessing(), first.postprocessing(),
                first.aggregation(), first.notes(), first.groundTruth(), first.reference(), first.agreement(), first.images(),
                first.classRows(), first.skipped(), first.timing(), first.provenance(), first.output(), others);
    }

    /** One output's report from its parts, with the pass's timing and provenance. */
    static AccuracyReport assemble(Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef, boolean masks,
            ClassInfo classes, String postprocessing, String aggregation, List<String> notes, AccuracyReport.Metrics groundTruth,
            AccuracyReport.Metrics reference, AccuracyReport.Agreement agreement, List<AccuracyReport.ImageRow> rows,
            List<AccuracyReport.ClassRow> classRows, List<SkippedItem> skipped, AccuracyReport.Output output) {
        SegmentationDataset dataset = pass.dataset();
        double model = pass.modelSeconds();
        double parent = pass.parentSeconds();
        double wall = pass.wallSeconds();
        AccuracyReport.Timing timing = new AccuracyReport.Timing(rows.size(), wall, model, parent,
                model + parent > 0 ? wall / (model + parent) : 0, pass.concurrentRuns(), pass.threadsPerRun());
        String root = dataset instanceof FileDataset fd ? fd.root().toString()
                : dataset instanceof org.int8workbench.core.dataset.RemoteDataset rd ? rd.location() : null;
        return new AccuracyReport(AccuracyReport.FORMAT, modelRef, parentRef, dataset.description(), root, dataset.synthetic(),
                masks, classes, pass.pre(), postprocessing, aggregation, notes, groundTruth, reference, agreement, List.copyOf(rows),
                List.copyOf(classRows), List.copyOf(skipped), timing, Provenance.now(), output, List.of());
    }

    /**
     * The notes every output's report starts with: synthetic data, missing ground truth ({@code groundTruthRead}: the
     * output's kind compares with masks at all), skipped items.
     */
    static List<String> notes(Pass pass, int skipped, boolean groundTruthRead) {
        List<String> notes = new ArrayList<>();
        if (pass.dataset().synthetic()) {
            notes.add("The images are generated (synthetic): accuracy and agreement figures on them are not meaningful; "
                    + "use real images for accuracy.");
        }
        if (!pass.dataset().hasMasks() && groundTruthRead) {
            notes.add("The dataset has no ground-truth masks: only the agreement with the parent model is measured.");
        }
        if (skipped > 0) {
            notes.add(skipped + " items were skipped; see the list of skipped items.");
        }
        return notes;
    }
}
