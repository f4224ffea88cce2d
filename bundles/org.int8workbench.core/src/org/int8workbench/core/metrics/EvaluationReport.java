package org.int8workbench.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.FileDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * The evaluator's result record from its accumulated metrics: the figures, the notes that say what they mean on this
 * data, and the timing.
 */
final class EvaluationReport {

    /** How the pass was run, for the report's notes and timing. */
    record Pass(SegmentationDataset dataset, Preprocessing pre, boolean withParent, boolean labelMapsSaved, double modelSeconds,
            double parentSeconds, double wallSeconds, int concurrentRuns, int threadsPerRun) {
    }

    private EvaluationReport() {
    }

    static AccuracyReport of(EvaluationMetrics m, Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
        SegmentationDataset dataset = pass.dataset();
        boolean masks = dataset.hasMasks() && m.gt.total() > 0;
        AccuracyReport.Metrics gtMetrics = masks ? m.metrics(m.gt, m.sumImageIoU, m.countImageIoU) : null;
        AccuracyReport.Metrics parentMetrics = masks && pass.withParent()
                ? m.metrics(m.gtParent, m.sumParentImageIoU, m.countParentImageIoU) : null;
        AccuracyReport.Agreement agreement = pass.withParent() ? m.agreement() : null;
        double model = pass.modelSeconds();
        double parent = pass.parentSeconds();
        double wall = pass.wallSeconds();
        AccuracyReport.Timing timing = new AccuracyReport.Timing(m.rows.size(), wall, model, parent,
                model + parent > 0 ? wall / (model + parent) : 0, pass.concurrentRuns(), pass.threadsPerRun());
        String root = dataset instanceof FileDataset fd ? fd.root().toString() : null;
        return new AccuracyReport(AccuracyReport.FORMAT, modelRef, parentRef, dataset.description(), root, dataset.synthetic(),
                masks, m.classes(), pass.pre(), Postprocessing.DESCRIPTION, AccuracyReport.AGGREGATION
                        + (pass.withParent() ? " " + AccuracyReport.BASIC_DEFINITION : ""),
                notes(m, pass), gtMetrics, parentMetrics, agreement, List.copyOf(m.rows), List.copyOf(m.classRows),
                List.copyOf(m.skipped), timing, Provenance.now(), null, List.of());
    }

    /** What the figures mean on this data. */
    private static List<String> notes(EvaluationMetrics m, Pass pass) {
        List<String> notes = new ArrayList<>();
        if (pass.dataset().synthetic()) {
            notes.add("The images are generated (synthetic): accuracy and agreement figures on them are not meaningful; "
                    + "use real images for accuracy.");
        }
        if (!pass.dataset().hasMasks()) {
            notes.add("The dataset has no ground-truth masks: only the agreement with the parent model is measured.");
        }
        if (!m.skipped.isEmpty()) {
            notes.add(m.skipped.size() + " items were skipped; see the list of skipped items.");
        }
        if (m.unpredicted > 0) {
            notes.add(m.unpredicted + " image pixels were cropped away by the preprocessing (" + pass.pre().resize().cliName()
                    + ") and have no prediction; they are left out of every metric.");
        }
        if (pass.labelMapsSaved()) {
            notes.add("The model's label maps are saved under " + AccuracyReportWriter.LABELS_DIR + "/ as grey PNGs at the "
                    + "model's output resolution (pixel value = class).");
        }
        if (!pass.withParent()) {
            notes.add("No parent model was given: the Advanced rows compare the model with the ground truth.");
        }
        return notes;
    }
}
