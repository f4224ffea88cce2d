package org.int8workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.Scorers;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.RangeMethod;
import picocli.CommandLine.Option;

/**
 * The quantization method of {@code optimize}, named as the wizard names it: {@code --method default} (calibrate and
 * quantize every layer it can) or {@code --method accuracy-aware} (then keep the layers that cost the most accuracy in
 * FP32 until the drop is within {@code --max-drop}), and the activation range estimator ({@code --range}). The old
 * {@code --method minmax|percentile|entropy|mse} is still accepted as the range estimator, with a note. Values are checked
 * in {@link #range} and {@link #accuracyControl}, which fail with one line naming the option and what it takes.
 */
public final class MethodOptions {
    @Option(names = "--method", paramLabel = "METHOD",
            description = "default (quantize every layer it can) or accuracy-aware (then keep the layers that cost the most accuracy "
                    + "in FP32 until the drop is within --max-drop). Default: default.")
    String method;

    @Option(names = "--range", paramLabel = "ESTIMATOR",
            description = "Activation range estimator: mean-minmax, minmax, percentile, entropy or mse. Default: mean-minmax (the Default method's).")
    String range;

    @Option(names = "--max-drop", paramLabel = "D",
            description = "accuracy-aware: the largest accuracy drop accepted, in percentage points of the metric (e.g. 0.3).")
    String maxDrop;

    @Option(names = "--validation", paramLabel = "DATASET",
            description = {"accuracy-aware: the validation images (a dataset with masks for mIoU, or a folder of images); "
                    + "default with --metric agreement: the calibration images not used for calibration.", SparkScorers.URI_HELP})
    String validation;

    @Option(names = "--metric", paramLabel = "METRIC",
            description = "accuracy-aware: miou (against the masks) or agreement (pixel agreement with the parent). "
                    + "Default: miou when the validation images have masks, else agreement.")
    String metric;

    @Option(names = "--max-reverts", paramLabel = "N",
            description = "accuracy-aware: the most layer groups tried, each validated on the whole set. Default: "
                    + AccuracyControl.DEFAULT_MAX_REVERTS + ".")
    String maxReverts;

    @Option(names = "--spark", paramLabel = "MASTER", description = "accuracy-aware: " + SparkScorers.HELP)
    String spark;

    /** Whether {@code --method accuracy-aware} was given. */
    public boolean accuracyAware() {
        return method != null && normalized(method).equals("accuracy-aware");
    }

    /**
     * The range estimator: {@code --range}, or an old-style {@code --method minmax|...} (a note on {@code notes} says to
     * use {@code --range}); by default the Default method's ({@link QuantizationSettings#defaults}).
     */
    public RangeMethod range(PrintWriter notes) {
        String m = method == null ? null : normalized(method);
        if (m != null && !m.equals("default") && !m.equals("accuracy-aware")) {
            RangeMethod legacy;
            try {
                legacy = RangeMethod.parse(method);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown method '" + method + "'; use --method default or accuracy-aware "
                        + "(range estimators go to --range mean-minmax|minmax|percentile|entropy|mse)");
            }
            if (range != null) {
                throw new IllegalArgumentException("--method " + method + " names a range estimator and --range gives one too; "
                        + "use --method default|accuracy-aware with --range " + range);
            }
            notes.println("note: --method " + m + " is the range estimator; use --range " + m
                    + " (--method now names the method: default or accuracy-aware)");
            return legacy;
        }
        if (range == null) {
            return QuantizationSettings.defaults().method();
        }
        try {
            return RangeMethod.parse(range);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--range: " + e.getMessage());
        }
    }

    /**
     * The Accuracy-aware method's control, or {@code null} for the Default method.
     *
     * @throws IllegalArgumentException with one line when an option is missing, out of range or given without
     *         {@code --method accuracy-aware}
     * @throws IOException when the validation dataset cannot be opened
     * @throws CoreException when the validation is a URI and the Spark module is not on the class path
     */
    public AccuracyControl accuracyControl() throws IOException, CoreException {
        if (!accuracyAware()) {
            String stray = maxDrop != null ? "--max-drop" : validation != null ? "--validation" : metric != null ? "--metric"
                    : maxReverts != null ? "--max-reverts" : spark != null ? "--spark" : null;
            if (stray != null) {
                throw new IllegalArgumentException(stray + " applies to --method accuracy-aware; add it, or leave " + stray + " out");
            }
            return null;
        }
        if (maxDrop == null) {
            throw new IllegalArgumentException("--method accuracy-aware needs --max-drop D: the largest accuracy drop accepted, "
                    + "in percentage points (e.g. --max-drop 0.3)");
        }
        double d = number("--max-drop", maxDrop, "a number of percentage points, 0 or more, e.g. 0.3");
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("--max-drop takes a number of percentage points, 0 or more, e.g. 0.3; got '" + maxDrop + "'");
        }
        AccuracyMetric m = null;
        if (metric != null) {
            try {
                m = AccuracyMetric.parse(metric);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--metric takes miou or agreement; got '" + metric + "'");
            }
        }
        if (validation == null && m != AccuracyMetric.AGREEMENT) {
            throw new IllegalArgumentException("--method accuracy-aware needs --validation DATASET (images with masks for mIoU), "
                    + "or --metric agreement to validate on the calibration images not used for calibration");
        }
        int n = AccuracyControl.DEFAULT_MAX_REVERTS;
        if (maxReverts != null) {
            try {
                n = Integer.parseInt(maxReverts.trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                throw new IllegalArgumentException("--max-reverts takes a number of layer groups, 1 or more; got '" + maxReverts + "'");
            }
        }
        AccuracyControl c = AccuracyControl.maxDrop(d).withMetric(m).withMaxReverts(n);
        if (validation != null) {
            // a URI (with --spark) is listed here through Hadoop and reopened through Hadoop on the executors
            c = c.withValidation(SparkScorers.validation("--validation", validation, null, spark));
        }
        return c;
    }

    /**
     * {@code --spark MASTER}: the scorers of the Accuracy-aware method's validations ({@link SparkScorers}), or
     * {@code null} to score in this JVM.
     *
     * @param validation the images the method validates on ({@code control}'s, else the calibration images)
     */
    public Scorers scorers(SegmentationDataset validation) throws CoreException {
        return spark == null ? null : SparkScorers.of(spark, validation);
    }

    private static String normalized(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static double number(String option, String value, String what) {
        try {
            double v = Double.parseDouble(value.trim());
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes " + what + "; got '" + value + "'");
        }
    }
}
