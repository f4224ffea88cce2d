package org.int8workbench.core.accuracy;

import java.util.Locale;

/**
 * What an accuracy control measures on the validation images: the mean IoU against the ground-truth masks, or the
 * pixel agreement with the parent (FP32) model where there are no masks. Both are fractions (0..1); drops are given in
 * percentage points of them.
 */
public enum AccuracyMetric {
    /** Mean IoU of the candidate's labels against the ground truth, over the scored images' summed confusion matrix. */
    MIOU,
    /** Share of pixels on which the candidate gives the parent's label. */
    AGREEMENT;

    /** The name on the command line and in reports: {@code miou} or {@code agreement}. */
    public String cliName() {
        return this == MIOU ? "miou" : "agreement";
    }

    /** How it is shown to people: {@code mIoU} or {@code agreement}. */
    public String label() {
        return this == MIOU ? "mIoU" : "agreement";
    }

    /**
     * The metric named {@code s} ({@link #cliName}, any case; {@code mean-iou} too).
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static AccuracyMetric parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "miou", "mean-iou", "meaniou" -> MIOU;
            case "agreement" -> AGREEMENT;
            default -> throw new IllegalArgumentException("unknown metric '" + s
                    + "'; choose miou (mean IoU against the masks) or agreement (pixel agreement with the FP32 model)");
        };
    }
}
