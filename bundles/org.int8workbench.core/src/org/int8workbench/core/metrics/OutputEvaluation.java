package org.int8workbench.core.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * The evaluation of one reported model output, image by image in the order of the data (one thread): its figures,
 * rows and pictures accumulate here, and {@link #report} gives the output's {@link AccuracyReport}. One subclass per
 * family of output kinds: label maps (class scores, label maps, a cut head, binary masks; {@link LabelEvaluation}),
 * multi-label masks ({@link MultilabelEvaluation}) and per-pixel values ({@link RegressionEvaluation}).
 */
abstract class OutputEvaluation {

    /** The output as the model's decoder reads it, with the graph output's name. */
    final ModelOutput output;
    /** What the decoder does, for the report's postprocessing line. */
    final String decoderDescription;
    /** The output's position among the reported outputs (0: the first, whose report is the top level). */
    final int index;

    OutputEvaluation(LabelDecoder decoder, String outputName, int index) {
        ModelOutput o = decoder.output();
        this.output = new ModelOutput(outputName, decoder.kind(), o.channels(), o.labelNames(), o.probabilities(), o.threshold(),
                o.reason());
        this.decoderDescription = decoder.description();
        this.index = index;
    }

    /** The evaluation of one output, by its kind. */
    static OutputEvaluation of(LabelDecoder decoder, String outputName, int index, Settings settings) {
        return switch (decoder.kind()) {
            case MULTILABEL -> new MultilabelEvaluation(decoder, outputName, index, settings);
            case REGRESSION -> new RegressionEvaluation(decoder, outputName, index, settings);
            default -> new LabelEvaluation(decoder, outputName, index, settings);
        };
    }

    /**
     * What every output's evaluation is given.
     *
     * @param classes the label set of class outputs (the dataset's or the user's, grown to the model's class count)
     * @param userClasses the label set the user gave, or {@code null} (names binary and multi-label outputs)
     * @param out the report folder being written, or {@code null}
     * @param pictures draw a picture per image into {@code out}
     * @param saveLabelMaps save the first output's label maps into {@code out}
     * @param tolerance a regression output's tolerance; {@code <= 0}: 1% of the parent's range per image
     * @param panelWidth the pictures' panel width
     */
    record Settings(org.int8workbench.core.dataset.ClassInfo classes, org.int8workbench.core.dataset.ClassInfo userClasses,
            org.int8workbench.core.dataset.Preprocessing pre, List<SkippedItem> skippedBefore, Path out, boolean pictures,
            boolean saveLabelMaps, double tolerance, int panelWidth) {
    }

    /** The predictions of one image (model and parent) and the distance between their raw outputs. */
    record Pair(Prediction model, Prediction parent, TensorDistance distance) {
        /** The distance of the raw outputs when both have them, of one size. */
        static Pair of(Prediction model, Prediction parent) {
            TensorDistance distance = null;
            if (parent != null && model.raw() != null && parent.raw() != null && model.raw().length == parent.raw().length) {
                distance = TensorDistance.of(model.raw(), parent.raw());
            }
            return new Pair(model, parent, distance);
        }
    }

    /** The first output's predictions from the captures (a subclass may take them faster, read where they are). */
    Pair first(Captured model, Captured parent) {
        return Pair.of(model.prediction(), parent == null ? null : parent.prediction());
    }

    /** An item that could not be read. */
    abstract void skip(SkippedItem problem);

    /** Measures and records one image; draws its picture when asked to. */
    abstract void measure(InferencePipeline.Decoded item, Pair predictions) throws IOException;

    /**
     * Whether {@link #figures} and {@link #record} are implemented: an image measured in one place (a Spark executor)
     * and recorded in another, in the order of the data ({@link ItemEvaluation}). Label outputs only, for now.
     */
    boolean itemByItem() {
        return false;
    }

    /**
     * Measures one image without recording it nor drawing its picture: the figures {@link #record} adds, the same that
     * {@link #measure} records (small and serializable).
     */
    java.io.Serializable figures(InferencePipeline.Decoded item, Pair predictions) throws IOException {
        throw new UnsupportedOperationException(displayName() + " (" + output.kind().cliName() + ") is not evaluated item by item");
    }

    /** Records the {@link #figures} of one image, in the order of the data. */
    void record(org.int8workbench.core.dataset.Sample sample, java.io.Serializable figures) {
        throw new UnsupportedOperationException(displayName() + " (" + output.kind().cliName() + ") is not evaluated item by item");
    }

    /** The items skipped so far (those of the dataset first). */
    abstract List<SkippedItem> skipped();

    /** Images recorded. */
    abstract int recorded();

    /** The output's report (without further outputs). */
    abstract AccuracyReport report(EvaluationReport.Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef);

    /** The report's record of the output. */
    AccuracyReport.Output reportOutput() {
        return new AccuracyReport.Output(output.name(), output.kind().cliName(),
                output.kind() == OutputKind.BINARY || output.kind() == OutputKind.MULTILABEL ? output.threshold() : null,
                output.reason());
    }

    /**
     * The picture file of an image relative to the report folder: {@code images/ID.png} for the first output,
     * {@code images/ID.OUTPUT.png} for further ones.
     */
    String pictureFile(String id, int row) {
        String base = "images/" + AccuracyReportWriter.fileBase(id, row);
        return index == 0 ? base + ".png" : base + "." + String.valueOf(output.name()).replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    }

    /** The output's name for notes. */
    String displayName() {
        return output.name() == null ? "the output" : "output '" + output.name() + "'";
    }
}
