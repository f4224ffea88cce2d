package org.int8workbench.core.metrics;

import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * Maps a prediction made at model-output resolution back onto the image (and mask) grid, with nearest-neighbour
 * sampling of the labels: image pixel {@code (x,y)} takes the label of the output pixel under its centre, found
 * through {@link Preprocessing#place} and scaled from the model-input size to the output size.
 * <ul>
 * <li>{@code stretch}: every image pixel has a prediction.</li>
 * <li>{@code fit-pad}: predictions in the padding are never sampled (no image pixel maps there), so they do not
 * count.</li>
 * <li>{@code center-crop}: image pixels cropped away have no prediction; they get {@link #NO_PREDICTION} and are left
 * out of every metric (reports give their number).</li>
 * </ul>
 */
public final class Postprocessing {

    /** Label of image pixels the model did not see (cropped away). */
    public static final int NO_PREDICTION = -1;

    /** One line for reports. */
    public static final String DESCRIPTION = "argmax over classes at model resolution (first maximum wins), then nearest-neighbour "
            + "sampling of the labels back to the image size; pixels cropped away by center-crop have no prediction and "
            + "are left out of the metrics; predictions in fit-pad padding are not used";

    /** What follows the decoder in every label output's postprocessing line. */
    static final String SAMPLING = "then nearest-neighbour sampling of the labels back to the image size; pixels cropped away by "
            + "center-crop have no prediction and are left out of the metrics; predictions in fit-pad padding are not used";

    private Postprocessing() {
    }

    /** The postprocessing line of a label output whose decoder says {@code decoder} (its description). */
    public static String describe(String decoder) {
        return decoder + ", " + SAMPLING;
    }

    /**
     * The prediction on the image grid.
     *
     * @param prediction labels at model-output resolution
     * @param preprocessing how the image was placed in the model input
     */
    public static LabelMask toImage(LabelMask prediction, Preprocessing preprocessing, int imageWidth, int imageHeight) {
        Preprocessing.Placement p = preprocessing.place(imageWidth, imageHeight);
        int ow = prediction.width();
        int oh = prediction.height();
        double fx = (double) ow / preprocessing.width();
        double fy = (double) oh / preprocessing.height();
        int[] col = new int[imageWidth];
        for (int x = 0; x < imageWidth; x++) {
            int c = (int) Math.floor(((x + 0.5) * p.scaleX() + p.offsetX()) * fx);
            col[x] = c >= 0 && c < ow ? c : -1;
        }
        int[] src = prediction.labels();
        int[] out = new int[imageWidth * imageHeight];
        for (int y = 0; y < imageHeight; y++) {
            int r = (int) Math.floor(((y + 0.5) * p.scaleY() + p.offsetY()) * fy);
            int o = y * imageWidth;
            if (r < 0 || r >= oh) {
                java.util.Arrays.fill(out, o, o + imageWidth, NO_PREDICTION);
                continue;
            }
            int row = r * ow;
            for (int x = 0; x < imageWidth; x++) {
                int c = col[x];
                out[o + x] = c < 0 ? NO_PREDICTION : src[row + c];
            }
        }
        return new LabelMask(imageWidth, imageHeight, out);
    }
}
