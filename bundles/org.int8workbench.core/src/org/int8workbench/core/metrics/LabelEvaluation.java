package org.int8workbench.core.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * The evaluation of an output that gives one label per pixel: class scores (argmax), label maps, a model cut before
 * its head, and binary masks (background 0, foreground 1). The figures are the confusion matrices of
 * {@link EvaluationMetrics}; a binary output's Basic figure is the foreground IoU, and its ground truth counts every
 * mask value above 0 as foreground.
 */
final class LabelEvaluation extends OutputEvaluation {

    /** The Basic row of a binary output, stated in its reports. */
    static final String BINARY_DEFINITION = "Binary output: classes background (0) and foreground (1). Basic row: for one image, "
            + "the foreground IoU of the optimized model against the parent = |pixels both call foreground| / |pixels either "
            + "calls foreground|, 1 when neither model predicts foreground on the image (they agree there is none); the "
            + "dataset figure is the same over the summed pixels of all images. Pixel agreement = share of pixels both models "
            + "give the same class. Ground truth: a mask value above 0 is foreground (0/255 and 0/1 masks; no ignore label).";

    private final boolean binary;
    private final EvaluationMetrics metrics;
    private final ComparisonPicture picture;

    LabelEvaluation(LabelDecoder decoder, String outputName, int index, Settings settings) {
        super(decoder, outputName, index, settings);
        this.binary = decoder.kind() == OutputKind.BINARY;
        ClassInfo cls = binary ? binaryClasses(settings.userClasses(), outputName) : settings.classes();
        this.metrics = new EvaluationMetrics(cls, settings.pre(), settings.skippedBefore(), binary);
        this.picture = settings.pictures() ? new ComparisonPicture(cls, settings.panelWidth()) : null;
    }

    /**
     * The classes of a binary output: background and foreground, the foreground named after the user's second class
     * when the user gave at least two, else after the output.
     */
    static ClassInfo binaryClasses(ClassInfo user, String outputName) {
        String fg = user != null && user.count() >= 2 ? user.name(1) : outputName != null ? outputName : "foreground";
        String bg = user != null && user.count() >= 2 ? user.name(0) : "background";
        return new ClassInfo(List.of(bg, fg), List.of(0x000000, 0xE0402A), -1);
    }

    @Override
    Pair first(Captured cm, Captured cp) {
        EvaluationMetrics.Labels l = metrics.labels(cm, cp);
        return new Pair(l.model(), l.parent(), l.distance());
    }

    @Override
    void skip(SkippedItem problem) {
        metrics.skip(problem);
    }

    @Override
    List<SkippedItem> skipped() {
        return metrics.skipped;
    }

    @Override
    int recorded() {
        return metrics.rows.size();
    }

    @Override
    Item item(InferencePipeline.Decoded d, Pair p, boolean draw) throws IOException {
        EvaluationMetrics.Image m = image(d, p);
        byte[] labelMap = draw && settings.saveLabelMaps() && index == 0
                ? AccuracyReportWriter.labelMapPng(p.model().labels(), "the label map of " + d.sample().id()) : null;
        byte[] png = draw && picture != null ? picture.png(d.image(), binary && d.mask() != null ? EvaluationMetrics.foreground(d.mask())
                : d.mask(), m.parent(), m.model(), m.figures().present()) : null;
        return new Item(m.figures(), png, labelMap);
    }

    @Override
    void record(org.int8workbench.core.dataset.Sample s, Item item) throws IOException {
        String composite = writeFiles(s, metrics.recorded(), item);
        metrics.add(s, (EvaluationMetrics.Figures) item.figures(), composite);
    }

    private EvaluationMetrics.Image image(InferencePipeline.Decoded d, Pair p) {
        if (p.model().labels() == null) {
            throw new IllegalArgumentException(displayName() + " gave no labels; choose its kind with --output-kind");
        }
        return metrics.measure(d.sample(), d.image().getWidth(), d.image().getHeight(), d.mask(),
                new EvaluationMetrics.Labels(p.model(), p.parent(), p.distance()));
    }

    @Override
    AccuracyReport report(EvaluationReport.Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
        boolean masks = pass.dataset().hasMasks() && metrics.gt.total() > 0;
        AccuracyReport.Metrics gtMetrics = masks ? metrics.metrics(metrics.gt, metrics.sumImageIoU, metrics.countImageIoU) : null;
        AccuracyReport.Metrics parentMetrics = masks && pass.withParent()
                ? metrics.metrics(metrics.gtParent, metrics.sumParentImageIoU, metrics.countParentImageIoU) : null;
        AccuracyReport.Agreement agreement = pass.withParent() ? metrics.agreement() : null;
        String aggregation = AccuracyReport.AGGREGATION + (pass.withParent()
                ? " " + (binary ? BINARY_DEFINITION : AccuracyReport.BASIC_DEFINITION) : binary ? " " + BINARY_DEFINITION : "");
        List<String> notes = new ArrayList<>(EvaluationReport.notes(pass, metrics.skipped.size(), true));
        if (metrics.unpredicted > 0) {
            notes.add(metrics.unpredicted + " image pixels were cropped away by the preprocessing (" + pass.pre().resize().cliName()
                    + ") and have no prediction; they are left out of every metric.");
        }
        if (pass.labelMapsSaved() && index == 0) {
            notes.add("The model's label maps are saved under " + AccuracyReportWriter.LABELS_DIR + "/ as grey PNGs at the "
                    + "model's output resolution (pixel value = class).");
        }
        if (!pass.withParent()) {
            notes.add("No parent model was given: the Advanced rows compare the model with the ground truth.");
        }
        return EvaluationReport.assemble(pass, modelRef, parentRef, masks, metrics.classes(),
                Postprocessing.describe(decoderDescription), aggregation, notes, gtMetrics, parentMetrics, agreement,
                metrics.rows, metrics.classRows, metrics.skipped, reportOutput());
    }
}
