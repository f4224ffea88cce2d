package org.int8workbench.core.accuracy;

import java.io.Serial;
import java.io.Serializable;
import org.int8workbench.core.metrics.ConfusionMatrix;

/**
 * What a candidate gave on some of the validation images ({@link Validation#scorePart}): the exact sums (pixel counts,
 * the confusion matrix against the ground truth) and the per-image figures, which {@link Validation#combine} folds in
 * image order, so that a score combined from parts is the score of all the images at once, bit for bit. Serializable, so
 * parts scored on other JVMs come back to the driver.
 *
 * @param images the validation image indices scored, in order
 * @param imageAgreement each image's agreement with the parent (as {@link Score#imageAgreement})
 * @param imageError each image's summed squared raw-output error against the parent (0 where there is no raw output)
 * @param imageSignal each image's summed square of the parent's raw output (0 where there is no raw output)
 * @param raw whether every image had a raw output to compare (else the score's output error is NaN)
 * @param same pixels on which candidate and parent give the same label (label outputs)
 * @param compared pixels compared (label outputs)
 * @param truth the confusion matrix against the ground truth (mIoU), or {@code null} when the metric is not mIoU
 */
public record ScorePart(int[] images, double[] imageAgreement, double[] imageError, double[] imageSignal, boolean raw,
        long same, long compared, ConfusionMatrix truth) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public ScorePart {
        images = images.clone();
        imageAgreement = imageAgreement.clone();
        imageError = imageError.clone();
        imageSignal = imageSignal.clone();
        if (imageAgreement.length != images.length || imageError.length != images.length
                || imageSignal.length != images.length) {
            throw new IllegalArgumentException("a part needs one figure per image (" + images.length + " images)");
        }
    }

    @Override
    public int[] images() {
        return images.clone();
    }

    @Override
    public double[] imageAgreement() {
        return imageAgreement.clone();
    }

    @Override
    public double[] imageError() {
        return imageError.clone();
    }

    @Override
    public double[] imageSignal() {
        return imageSignal.clone();
    }

    @Override
    public ConfusionMatrix truth() {
        return truth == null ? null : new ConfusionMatrix(truth.classes()).add(truth);
    }

    int size() {
        return images.length;
    }

    int image(int k) {
        return images[k];
    }

    double agreementAt(int k) {
        return imageAgreement[k];
    }

    double errorAt(int k) {
        return imageError[k];
    }

    double signalAt(int k) {
        return imageSignal[k];
    }

    ConfusionMatrix truthShared() {
        return truth;
    }
}
