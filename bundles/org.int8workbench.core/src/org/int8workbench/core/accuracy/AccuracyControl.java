package org.int8workbench.core.accuracy;

import org.int8workbench.core.dataset.SegmentationDataset;

/**
 * What the Accuracy-aware method is asked for: the largest accuracy drop accepted, in percentage points of the metric,
 * and where the metric is measured. Immutable; change it with the {@code with...} methods.
 *
 * <pre>{@code
 * AccuracyControl c = AccuracyControl.maxDrop(0.3).withValidation(Datasets.open(voc)).withMetric(AccuracyMetric.MIOU);
 * }</pre>
 *
 * @param maxDropPoints the largest drop accepted (parent's metric minus the INT8 model's, in points: 0.3 = 0.3% of mIoU
 *        or of pixel agreement); at least 0
 * @param metricOrNull the metric; {@code null}: mIoU when the validation images have masks, else agreement with the parent
 * @param validation the validation images; {@code null}: the calibration images that calibration did not use (all of
 *        them when it used every one)
 * @param maxReverts the most groups tried (each try is one validation of the whole set); at least 1
 * @param rankingImages the images the ranking measures each group on (those where INT8 differs most from the parent)
 */
public record AccuracyControl(double maxDropPoints, AccuracyMetric metricOrNull, SegmentationDataset validation, int maxReverts,
        int rankingImages) {

    /** Groups tried at most, by default. */
    public static final int DEFAULT_MAX_REVERTS = 20;

    /** Images the ranking measures each group on, by default. */
    public static final int DEFAULT_RANKING_IMAGES = 8;

    public AccuracyControl {
        if (!(maxDropPoints >= 0) || Double.isInfinite(maxDropPoints)) {
            throw new IllegalArgumentException("the maximum accuracy drop must be a number of points, 0 or more; got " + maxDropPoints);
        }
        if (maxReverts < 1) {
            throw new IllegalArgumentException("the Accuracy-aware method must try at least 1 group; got " + maxReverts);
        }
        if (rankingImages < 1) {
            throw new IllegalArgumentException("the ranking needs at least 1 image; got " + rankingImages);
        }
    }

    /** A drop of at most {@code points}, the metric chosen from the data, validated on the unused calibration images. */
    public static AccuracyControl maxDrop(double points) {
        return new AccuracyControl(points, null, null, DEFAULT_MAX_REVERTS, DEFAULT_RANKING_IMAGES);
    }

    public AccuracyControl withMetric(AccuracyMetric m) {
        return new AccuracyControl(maxDropPoints, m, validation, maxReverts, rankingImages);
    }

    public AccuracyControl withValidation(SegmentationDataset d) {
        return new AccuracyControl(maxDropPoints, metricOrNull, d, maxReverts, rankingImages);
    }

    public AccuracyControl withMaxReverts(int n) {
        return new AccuracyControl(maxDropPoints, metricOrNull, validation, n, rankingImages);
    }

    public AccuracyControl withRankingImages(int n) {
        return new AccuracyControl(maxDropPoints, metricOrNull, validation, maxReverts, n);
    }
}
