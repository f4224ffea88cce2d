package org.int8workbench.core.accuracy;

/**
 * A candidate model scored on validation images against the parent (FP32) model and the ground truth.
 *
 * @param metric what {@link #value} is
 * @param value the metric as a fraction: the mean IoU over the scored images' summed confusion matrix (as the
 *        evaluator computes it), or the pixel agreement with the parent
 * @param agreement pixel agreement with the parent over the scored images (for multi-label outputs the mean over the
 *        labels, for regression outputs the share of pixels within the tolerance)
 * @param outputError normalised raw-output error against the parent: the summed squared error over the summed square of
 *        the parent's output; NaN when the output has no raw values (label maps)
 * @param images the validation image indices scored, in order
 * @param imageAgreement the agreement of each scored image, in the order of {@link #images}
 */
public record Score(AccuracyMetric metric, double value, double agreement, double outputError, int[] images,
        double[] imageAgreement) {

    public Score {
        images = images.clone();
        imageAgreement = imageAgreement.clone();
    }

    /** The drop of {@link #value} below the parent's metric, in percentage points. */
    public double dropPoints(double parentMetric) {
        return (parentMetric - value) * 100;
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
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %.4f, agreement %.4f, output error %.3g on %d images", metric.label(),
                value, agreement, outputError, images.length);
    }
}
