package org.int8workbench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReport.Agreement;
import org.int8workbench.core.report.AccuracyReport.ClassScore;
import org.int8workbench.core.report.AccuracyReport.Metrics;
import org.int8workbench.core.report.AccuracyReport.Regression;

/**
 * The console summary of an {@link AccuracyReport}, following its output kind: class scores and label maps as mean
 * IoU and pixel agreement; a binary output as its foreground IoU and agreement; a multi-label output per label; a
 * regression output as MAE, RMSE, PSNR and the share of pixels within the tolerance. A model with several reported
 * outputs gets one block per output.
 */
final class EvaluationSummary {
    private EvaluationSummary() {
    }

    /** Prints the figures of {@code r} and of each of its further outputs, one block per output. */
    static void print(AccuracyReport r, boolean hasReference, PrintWriter out) {
        boolean several = !r.outputs().isEmpty();
        block(r, hasReference, several, out);
        for (AccuracyReport o : r.outputs()) {
            block(o, hasReference, true, out);
        }
    }

    /** One line naming the output and its kind with the reason, e.g. {@code Output 'mask': binary (final Sigmoid, 1 channel)}. */
    static String describeOutput(AccuracyReport r) {
        AccuracyReport.Output o = r.output();
        if (o == null) {
            return "Output: classes";
        }
        return "Output" + (o.name() != null ? " '" + o.name() + "'" : "") + ": " + o.kind()
                + (o.threshold() != null ? String.format(Locale.ROOT, ", threshold %s", trim(o.threshold())) : "")
                + (o.reason() != null && !o.reason().isBlank() ? " (" + o.reason() + ")" : "");
    }

    private static void block(AccuracyReport r, boolean hasReference, boolean heading, PrintWriter out) {
        if (heading || r.output() != null) {
            out.println(describeOutput(r));
        }
        String kind = r.outputKind();
        switch (kind) {
            case "binary" -> binary(r, hasReference, out);
            case "multilabel" -> multilabel(r, hasReference, out);
            case "regression" -> regression(r, out);
            default -> classes(r, hasReference, out);
        }
    }

    private static void classes(AccuracyReport r, boolean hasReference, PrintWriter out) {
        truth(r, hasReference, out);
        if (r.agreement() != null) {
            Agreement a = r.agreement();
            out.println(String.format(Locale.ROOT, "%-24s mean IoU %s  pixel agreement %s  output cosine %s",
                    "Optimized vs parent:", f(a.meanIoU()), f(a.pixelAgreement()), f(a.meanCosine())));
        }
    }

    private static void binary(AccuracyReport r, boolean hasReference, PrintWriter out) {
        if (r.groundTruth() != null) {
            out.println(String.format(Locale.ROOT, "%-24s foreground IoU %s  pixel accuracy %s",
                    hasReference ? "Optimized vs truth:" : "Model vs ground truth:", f(foreground(r.groundTruth().classes())),
                    f(r.groundTruth().pixelAccuracy())));
        }
        if (r.reference() != null) {
            out.println(String.format(Locale.ROOT, "%-24s foreground IoU %s  pixel accuracy %s", "Parent vs truth:",
                    f(foreground(r.reference().classes())), f(r.reference().pixelAccuracy())));
        }
        if (r.agreement() != null) {
            Agreement a = r.agreement();
            out.println(String.format(Locale.ROOT, "%-24s foreground IoU %s  pixel agreement %s  output cosine %s",
                    "Optimized vs parent:", f(a.meanIoU()), f(a.pixelAgreement()), f(a.meanCosine())));
        }
    }

    private static void multilabel(AccuracyReport r, boolean hasReference, PrintWriter out) {
        truth(r, hasReference, out);
        if (r.agreement() != null) {
            Agreement a = r.agreement();
            out.println(String.format(Locale.ROOT, "%-24s mean IoU over labels %s  pixel agreement (mean over labels) %s  output cosine %s",
                    "Optimized vs parent:", f(a.meanIoU()), f(a.pixelAgreement()), f(a.meanCosine())));
            // labels are 1 + channel; 0 is the display map's "none"
            for (ClassScore c : a.classes().stream().filter(c -> c.label() >= 1).toList()) {
                out.println(String.format(Locale.ROOT, "  %-20s IoU vs parent %s  (parent %d px, optimized %d px)",
                        c.name() != null ? c.name() : Integer.toString(c.label()), f(c.iou()), c.referencePixels(), c.predictedPixels()));
            }
        }
    }

    private static void regression(AccuracyReport r, PrintWriter out) {
        Agreement a = r.agreement();
        if (a == null || a.regression() == null) {
            out.println("No parent model: a regression output has no figures without --reference.");
            return;
        }
        Regression g = a.regression();
        out.println(String.format(Locale.ROOT, "%-24s MAE %s  RMSE %s  PSNR %s  within tolerance %s (tolerance %s, parent range %s)",
                "Optimized vs parent:", g4(g.mae()), g4(g.rmse()), g.psnr() == null ? "inf" : String.format(Locale.ROOT, "%.2f dB", g.psnr()),
                f(g.withinTolerance()), g4(g.tolerance()), g4(g.range())));
        if (a.meanCosine() != null) {
            out.println(String.format(Locale.ROOT, "%-24s output cosine %s", "", f(a.meanCosine())));
        }
    }

    private static void truth(AccuracyReport r, boolean hasReference, PrintWriter out) {
        if (r.groundTruth() != null) {
            out.println(line(hasReference ? "Optimized vs truth:" : "Model vs ground truth:", r.groundTruth()));
        }
        if (r.reference() != null) {
            out.println(line("Parent vs truth:", r.reference()));
        }
    }

    private static String line(String label, Metrics m) {
        return String.format(Locale.ROOT, "%-24s mean IoU %s  pixel accuracy %s  (per-image mean IoU %s)", label, f(m.meanIoU()),
                f(m.pixelAccuracy()), f(m.perImageMeanIoU()));
    }

    /** The foreground's (label 1) IoU among per-class scores, or {@code null} when it has no union. */
    static Double foreground(List<ClassScore> classes) {
        if (classes == null) {
            return null;
        }
        return classes.stream().filter(c -> c.label() == 1).map(ClassScore::iou).findFirst().orElse(null);
    }

    static String f(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String g4(double d) {
        return String.format(Locale.ROOT, "%.4g", d);
    }

    private static String trim(double d) {
        return String.format(Locale.ROOT, "%s", (float) d);
    }
}
