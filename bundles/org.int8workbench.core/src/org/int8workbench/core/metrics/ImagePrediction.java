package org.int8workbench.core.metrics;

import java.awt.image.BufferedImage;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;

/**
 * One image predicted by a model and, optionally, its parent ({@link PredictOperation}): the labels on the image grid,
 * as the evaluator measures them.
 *
 * @param id the image's name (its dataset id)
 * @param image the image, as it was fed to the models
 * @param groundTruth its ground-truth mask, or {@code null}
 * @param parent the parent's labels on the image grid, or {@code null} without a parent
 * @param model the model's labels on the image grid; {@link Postprocessing#NO_PREDICTION} where the preprocessing
 *        cropped the image away
 * @param classes the label set, grown to the model's class count
 */
public record ImagePrediction(String id, BufferedImage image, LabelMask groundTruth, LabelMask parent, LabelMask model,
        ClassInfo classes) {
}
