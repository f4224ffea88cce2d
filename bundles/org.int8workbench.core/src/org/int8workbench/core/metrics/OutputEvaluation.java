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
    /** What the evaluation is given (the report folder, whether to draw pictures, ...). */
    final Settings settings;

    OutputEvaluation(LabelDecoder decoder, String outputName, int index, Settings settings) {
        ModelOutput o = decoder.output();
        this.output = new ModelOutput(outputName, decoder.kind(), o.channels(), o.labelNames(), o.probabilities(), o.threshold(),
                o.reason());
        this.decoderDescription = decoder.description();
        this.index = index;
        this.settings = settings;
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

    /**
     * One image measured but not yet recorded: its figures (what {@link #record} adds to the totals and rows) and, when
     * drawn, its picture and the model's label map as PNG bytes, not yet named (their file names follow the report row,
     * known when recorded). Serializable, so that an image measured in one JVM (a Spark executor) is recorded in another,
     * in the order of the data ({@link ItemEvaluation}).
     *
     * @param figures the output kind's figures of the image (small)
     * @param picture the picture ({@link #pictureFile}) as PNG, or {@code null} when none is drawn
     * @param labelMap the model's label map ({@link AccuracyReportWriter#labelMapFile}) as PNG, or {@code null}
     */
    record Item(java.io.Serializable figures, byte[] picture, byte[] labelMap) implements java.io.Serializable {
    }

    /**
     * Measures one image without recording it: its figures and, when {@code draw} is true, its picture (when the
     * settings ask for pictures) and the first output's label map (when they ask for label maps), the same bytes the
     * local run writes.
     */
    abstract Item item(InferencePipeline.Decoded item, Pair predictions, boolean draw) throws IOException;

    /**
     * Records one image's {@link #item} in the order of the data: its figures are added, its picture and label map
     * written into the report folder (when there is one) under the names of its row.
     */
    abstract void record(org.int8workbench.core.dataset.Sample sample, Item item) throws IOException;

    /** Measures and records one image; draws its picture when there is a report folder and pictures are asked for. */
    final void measure(InferencePipeline.Decoded item, Pair predictions) throws IOException {
        record(item.sample(), item(item, predictions, settings.out() != null));
    }

    /**
     * Writes an item's label map and picture into the report folder under the names of report row {@code row}.
     *
     * @return the picture's file relative to the report folder, or {@code null} when none was written
     */
    String writeFiles(org.int8workbench.core.dataset.Sample sample, int row, Item item) throws IOException {
        Path out = settings.out();
        if (out == null) {
            return null;
        }
        if (item.labelMap() != null) {
            org.int8workbench.core.AtomicOutput.write(out.resolve(AccuracyReportWriter.labelMapFile(sample.id(), row)), false,
                    item.labelMap());
        }
        if (item.picture() == null) {
            return null;
        }
        String composite = pictureFile(sample.id(), row);
        java.nio.file.Files.write(out.resolve(composite), item.picture());
        return composite;
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
