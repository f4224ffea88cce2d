package org.int8workbench.core.report;

import java.util.List;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SkippedItem;

/**
 * The result of an evaluation: accuracy of a model against ground truth and, when a parent (reference) model is
 * given, how far the model's predictions are from the parent's, image by image and class by class. Immutable and
 * JSON-friendly (records, lists, strings and numbers only; paths are strings; undefined values are {@code null}).
 * Written as {@code report.json} and read back by the UI's Accuracy Report editor.
 *
 * @param format version of this record's JSON form
 * @param model the evaluated (optimized) model
 * @param parentModel the parent model predictions are compared with, or {@code null}
 * @param dataset one-line description of the data
 * @param datasetRoot the dataset folder, or {@code null} for generated data
 * @param synthetic true for generated data: accuracy figures are then not meaningful
 * @param hasMasks true when ground truth was available
 * @param classes the label set used (names, colours, ignore label)
 * @param preprocessing how images became model inputs
 * @param postprocessing how outputs became label maps on the image grid
 * @param aggregation how the mean IoU figures are aggregated
 * @param notes other statements a reader needs (synthetic data, skipped items, unpredicted pixels)
 * @param groundTruth {@code model} against ground truth, or {@code null} without masks
 * @param reference {@code parentModel} against ground truth, or {@code null}
 * @param agreement {@code model} against {@code parentModel}, or {@code null} without a parent
 * @param images one row per evaluated image (the Basic rows)
 * @param classRows one row per image and class predicted by either model (the Advanced rows); without a parent,
 *        per image and class of the model against ground truth
 * @param skipped items left out, with the reason
 * @param timing where the time went
 * @param provenance machine, runtime and time
 * @param output the model output this report is about and how it was read ({@code null} in reports written before
 *        output kinds were recorded: class scores)
 * @param outputs the reports of the model's further outputs of the same kind, each on its own (empty for a model with
 *        one reported output; the reports in it have no {@code outputs} of their own)
 */
public record AccuracyReport(int format, Model model, Model parentModel, String dataset, String datasetRoot, boolean synthetic,
        boolean hasMasks, ClassInfo classes, Preprocessing preprocessing, String postprocessing, String aggregation,
        List<String> notes, Metrics groundTruth, Metrics reference, Agreement agreement, List<ImageRow> images,
        List<ClassRow> classRows, List<SkippedItem> skipped, Timing timing, Provenance provenance, Output output,
        List<AccuracyReport> outputs) {

    /** The current {@link #format}. */
    public static final int FORMAT = 1;

    /** How mean IoU is aggregated, stated in every report. */
    public static final String AGGREGATION = "Dataset mean IoU = mean over classes with a non-zero union of (total intersection / "
            + "total union), the totals summed over all images (not a mean of per-image values). Per-image mean IoU = the same "
            + "over one image's pixels; its dataset figure is the plain mean over images. Pixels with the ignore label in the "
            + "ground truth are not counted.";

    /** How the Basic row's figure is defined, stated in every report with a parent model. */
    public static final String BASIC_DEFINITION = "Basic row: for one image, the mean over the classes predicted by the parent or "
            + "the optimized model (or both) of IoU(optimized, parent) = |pixels both call c| / |pixels either calls c|; a class "
            + "only one model predicts scores 0. Pixel agreement = share of pixels both models give the same class.";

    public AccuracyReport {
        notes = List.copyOf(notes);
        images = List.copyOf(images);
        classRows = List.copyOf(classRows);
        skipped = List.copyOf(skipped);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** The output kind's name ({@link Output#kind}), {@code classes} for reports without one. */
    public String outputKind() {
        return output == null ? "classes" : output.kind();
    }

    /**
     * The model output a report is about.
     *
     * @param name the graph output's name
     * @param kind {@code classes}, {@code labels}, {@code head}, {@code binary}, {@code multilabel} or
     *        {@code regression} (the command line's names)
     * @param threshold the probability threshold of binary and multi-label outputs, else {@code null}
     * @param reason why this kind: found from the graph (e.g. {@code final Sigmoid, 1 channel}) or chosen by the user
     */
    public record Output(String name, String kind, Double threshold, String reason) {
    }

    /**
     * Value errors of a regression output (depth, edges) of the model against its parent: no labels, so no IoU.
     *
     * @param mae mean absolute error
     * @param rmse root mean squared error
     * @param psnr peak signal-to-noise ratio in dB, with the parent's value range as the peak; {@code null} when the
     *        outputs are identical (infinite) or the parent's range is zero
     * @param withinTolerance share of pixels whose difference is at most {@code tolerance}
     * @param tolerance the absolute tolerance used
     * @param range the parent's value range (max - min) the PSNR peak is taken from
     */
    public record Regression(double mae, double rmse, Double psnr, double withinTolerance, double tolerance, double range) {
    }

    /**
     * A model file.
     *
     * @param path absolute path, as a string
     * @param sha256 SHA-256 of the file
     * @param bytes file size
     */
    public record Model(String path, String sha256, long bytes) {
    }

    /**
     * Accuracy over the dataset, from the summed confusion matrix.
     *
     * @param meanIoU see {@link AccuracyReport#AGGREGATION}
     * @param perImageMeanIoU plain mean over images of each image's mean IoU
     * @param pixelAccuracy correct / counted pixels
     * @param meanClassAccuracy mean over classes in the ground truth of the per-class recall
     * @param frequencyWeightedIoU IoU weighted by each class's share of ground-truth pixels
     * @param pixels counted pixels (ignore label and unpredicted pixels excluded)
     * @param unpredictedPixels pixels without a prediction (cropped away), not counted
     * @param classes per class figures (only classes with a non-zero union have an IoU)
     * @param confusion rows = ground truth, columns = predicted
     */
    public record Metrics(Double meanIoU, Double perImageMeanIoU, Double pixelAccuracy, Double meanClassAccuracy,
            Double frequencyWeightedIoU, long pixels, long unpredictedPixels, List<ClassScore> classes, List<List<Long>> confusion) {
    }

    /**
     * One class's figures in a confusion matrix.
     *
     * @param label class index
     * @param name class name
     * @param iou intersection / union, {@code null} when the union is empty
     * @param accuracy intersection / reference pixels (recall), {@code null} when the reference has none
     * @param referencePixels pixels of the class in the reference (ground truth or parent)
     * @param predictedPixels pixels predicted as the class
     * @param intersection pixels both give the class
     */
    public record ClassScore(int label, String name, Double iou, Double accuracy, long referencePixels, long predictedPixels,
            long intersection) {
    }

    /**
     * The model against its parent over the dataset.
     *
     * @param pixelAgreement pixels with the same label / pixels predicted by both
     * @param meanIoU mean IoU of the model against the parent, aggregated as {@link AccuracyReport#AGGREGATION}
     * @param perImageMeanIoU plain mean over images of the Basic row figure
     * @param meanMse mean over images of the raw outputs' mean squared error, {@code null} for label-map outputs
     * @param meanCosine mean over images of the raw outputs' cosine similarity, {@code null} for label-map outputs
     * @param changedPixels pixels whose label differs
     * @param pixels pixels compared
     * @param classes per class IoU of the model against the parent
     * @param confusion rows = parent's class, columns = optimized model's class
     * @param regression the value errors over all pixels of a regression output, else {@code null}; for such outputs
     *        {@code pixelAgreement} is the share of pixels within the tolerance
     */
    public record Agreement(double pixelAgreement, Double meanIoU, Double perImageMeanIoU, Double meanMse, Double meanCosine,
            long changedPixels, long pixels, List<ClassScore> classes, List<List<Long>> confusion, Regression regression) {
    }

    /**
     * One image (the Basic row).
     *
     * @param id image id
     * @param image image file, or {@code null} for generated images
     * @param mask mask file, or {@code null}
     * @param width image width
     * @param height image height
     * @param meanIoU the model's mean IoU against ground truth on this image
     * @param pixelAccuracy the model's pixel accuracy against ground truth
     * @param referenceMeanIoU the parent's mean IoU against ground truth
     * @param referencePixelAccuracy the parent's pixel accuracy against ground truth
     * @param agreementMeanIoU the Basic figure: see {@link AccuracyReport#BASIC_DEFINITION}
     * @param pixelAgreement share of pixels where the two models agree
     * @param changedPixels pixels where they differ
     * @param mse mean squared error of the raw outputs
     * @param cosine cosine similarity of the raw outputs
     * @param unpredictedPixels image pixels without a prediction (cropped away)
     * @param classes labels predicted by either model or in the ground truth, ascending
     * @param composite side-by-side PNG relative to the report folder, or {@code null} when not rendered
     * @param regression this image's value errors of a regression output against the parent, else {@code null}
     */
    public record ImageRow(String id, String image, String mask, int width, int height, Double meanIoU, Double pixelAccuracy,
            Double referenceMeanIoU, Double referencePixelAccuracy, Double agreementMeanIoU, Double pixelAgreement,
            long changedPixels, Double mse, Double cosine, long unpredictedPixels, List<Integer> classes, String composite,
            Regression regression) {
    }

    /**
     * One image and class (the Advanced row).
     *
     * @param image image id
     * @param label class index
     * @param name class name
     * @param iou IoU of the model against the parent for this class (against ground truth without a parent)
     * @param referencePixels pixels of the class in the parent's prediction (the ground truth without a parent)
     * @param predictedPixels pixels of the class in the model's prediction
     * @param groundTruthIou the model's IoU against ground truth for this class, {@code null} without masks or union
     */
    public record ClassRow(String image, int label, String name, double iou, long referencePixels, long predictedPixels,
            Double groundTruthIou) {
    }

    /**
     * Where the time went.
     *
     * @param images images evaluated
     * @param wallSeconds the whole pass over the data (decode, preprocess, inference, metrics, images)
     * @param modelInferenceSeconds the model's {@code session.run} time, summed
     * @param parentInferenceSeconds the parent's {@code session.run} time, summed (0 without a parent)
     * @param ratio wall time / summed inference time; runs overlap when {@code concurrentRuns > 1}, so it can be below 1
     * @param concurrentRuns how many {@code session.run} calls the evaluator keeps going at once (0 in reports written
     *        before this was recorded)
     * @param threadsPerRun ONNX Runtime intra-op threads of each run
     */
    public record Timing(int images, double wallSeconds, double modelInferenceSeconds, double parentInferenceSeconds, double ratio,
            int concurrentRuns, int threadsPerRun) {
    }
}
