package org.int8workbench.core.metrics;

import java.awt.image.BufferedImage;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.labels.Prediction;

/**
 * One image predicted by a model and, optionally, its parent ({@link PredictOperation}): the labels on the image grid,
 * as the evaluator measures them, and the predictions of the output's kind.
 *
 * @param id the image's name (its dataset id)
 * @param image the image, as it was fed to the models
 * @param groundTruth its ground-truth mask, or {@code null} (for a binary output: 0 background, 1 foreground)
 * @param parent the parent's labels on the image grid, or {@code null} without a parent or for a regression output
 * @param model the model's labels on the image grid ({@link Postprocessing#NO_PREDICTION} where the preprocessing
 *        cropped the image away); binary: 0/1; multi-label: the display map (0 none, {@code 1 + i} label {@code i});
 *        {@code null} for a regression output
 * @param classes the label set of the maps: the classes grown to the model's class count; binary: background and
 *        foreground; multi-label: {@code none} and the labels; empty for a regression output
 * @param kind the output kind's name ({@code classes}, {@code labels}, {@code head}, {@code binary}, {@code multilabel},
 *        {@code regression})
 * @param modelPrediction the model's prediction at the output's resolution (multi-label: one 0/1 map per label in
 *        {@link Prediction#channels}; regression: {@link Prediction#values})
 * @param parentPrediction the parent's, or {@code null}
 * @param heatMap for a regression output with a parent: the error heat map {@code |model - parent|} at the output's
 *        resolution ({@link org.int8workbench.core.render.ErrorHeatMap}, 0 to the largest error); else {@code null}
 */
public record ImagePrediction(String id, BufferedImage image, LabelMask groundTruth, LabelMask parent, LabelMask model,
        ClassInfo classes, String kind, Prediction modelPrediction, Prediction parentPrediction, BufferedImage heatMap) {

    /** A label prediction of class scores (the form before output kinds). */
    public ImagePrediction(String id, BufferedImage image, LabelMask groundTruth, LabelMask parent, LabelMask model, ClassInfo classes) {
        this(id, image, groundTruth, parent, model, classes, "classes", null, null, null);
    }
}
