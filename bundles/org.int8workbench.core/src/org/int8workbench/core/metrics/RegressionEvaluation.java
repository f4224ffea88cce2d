package org.int8workbench.core.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.ValueMap;
import org.int8workbench.core.render.ErrorHeatMap;
import org.int8workbench.core.render.SegmentationRenderer;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The evaluation of a regression output (per-pixel values such as depth or edge strength): no labels and no IoU; the
 * model's values against the parent's, at the output's resolution, by {@link Errors}. The picture shows the image,
 * both value maps and the error heat map {@code |optimized - parent|} ({@link ErrorHeatMap}).
 */
final class RegressionEvaluation extends OutputEvaluation {

    /** What the figures mean, stated in the report. */
    static final String DEFINITION = "Regression output: the optimized model's values against the parent's, pixel by pixel at the "
            + "output's resolution (no IoU). MAE = mean |optimized - parent|; RMSE = sqrt(mean (optimized - parent)^2); PSNR = "
            + "20 log10(range / RMSE) dB with range = the parent's value range (max - min; per image for the rows, over all "
            + "images for the dataset), none when RMSE or the range is 0. Within tolerance = share of pixels with |optimized - "
            + "parent| <= tolerance; the tolerance is the given one, else 1% of the parent's value range on each image (the "
            + "dataset figure states the mean of the per-image tolerances). Pixel agreement = the share within tolerance. "
            + "Dataset figures are taken over the summed pixels of all images.";

    final List<AccuracyReport.ImageRow> rows = new ArrayList<>();
    final List<SkippedItem> skipped = new ArrayList<>();
    private final Errors total = new Errors();
    private double sumTolerance;
    private int images;
    private double sumMse;
    private double sumCos;
    private int countDistance;

    RegressionEvaluation(LabelDecoder decoder, String outputName, int index, Settings settings) {
        super(decoder, outputName, index, settings);
        skipped.addAll(settings.skippedBefore());
    }

    /**
     * Sums of the value errors of pixels, for one image or the whole dataset.
     */
    static final class Errors implements java.io.Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        long n;
        double sumAbs;
        double sumSq;
        long within;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        /** The parent's value range of {@code parent}. */
        static double range(float[] parent) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (float v : parent) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return parent.length == 0 ? 0 : hi - lo;
        }

        /** Adds the pixels of one image pair, counting those within {@code tolerance}. */
        Errors add(float[] model, float[] parent, double tolerance) {
            for (int i = 0; i < model.length; i++) {
                double d = (double) model[i] - parent[i];
                double a = Math.abs(d);
                sumAbs += a;
                sumSq += d * d;
                if (a <= tolerance) {
                    within++;
                }
                min = Math.min(min, parent[i]);
                max = Math.max(max, parent[i]);
            }
            n += model.length;
            return this;
        }

        void add(Errors o) {
            n += o.n;
            sumAbs += o.sumAbs;
            sumSq += o.sumSq;
            within += o.within;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
        }

        double range() {
            return n == 0 ? 0 : max - min;
        }

        /** The figures, with {@code tolerance} as the one stated. */
        AccuracyReport.Regression figures(double tolerance) {
            double mae = n == 0 ? 0 : sumAbs / n;
            double rmse = n == 0 ? 0 : Math.sqrt(sumSq / n);
            double range = range();
            Double psnr = rmse > 0 && range > 0 ? 20 * Math.log10(range / rmse) : null;
            return new AccuracyReport.Regression(mae, rmse, psnr, n == 0 ? 1.0 : (double) within / n, tolerance, range);
        }
    }

    /** The tolerance of one image: the given one, else 1% of the parent's range there. */
    double tolerance(float[] parent) {
        return settings.tolerance() > 0 ? settings.tolerance() : 0.01 * Errors.range(parent);
    }

    @Override
    void skip(SkippedItem problem) {
        skipped.add(problem);
    }

    @Override
    List<SkippedItem> skipped() {
        return skipped;
    }

    @Override
    int recorded() {
        return rows.size();
    }

    /**
     * The figures of one image, all that {@link #record} adds (small and serializable).
     *
     * @param errors the value errors against the parent, or {@code null} without a parent
     * @param tolerance the image's tolerance (0 without a parent)
     */
    record Figures(int width, int height, Errors errors, double tolerance, Double mse, Double cosine) implements java.io.Serializable {
    }

    @Override
    Item item(InferencePipeline.Decoded d, Pair p, boolean draw) throws IOException {
        ValueMap model = p.model().values();
        ValueMap parent = p.parent() == null ? null : p.parent().values();
        if (model == null || (p.parent() != null && parent == null)) {
            throw new IllegalArgumentException(displayName() + " gave no values; choose its kind with --output-kind");
        }
        if (parent != null && (parent.width() != model.width() || parent.height() != model.height())) {
            throw new IllegalArgumentException(displayName() + ": the model's values are " + model.width() + "x" + model.height()
                    + " but the parent's " + parent.width() + "x" + parent.height());
        }
        Errors errors = null;
        double tolerance = 0;
        if (parent != null) {
            tolerance = tolerance(parent.values());
            errors = new Errors().add(model.values(), parent.values(), tolerance);
        }
        Double mse = null;
        Double cos = null;
        if (p.distance() != null) {
            mse = EvaluationMetrics.num(p.distance().mse());
            cos = EvaluationMetrics.num(p.distance().cosine());
        }
        byte[] png = null;
        if (draw && settings.pictures()) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            SegmentationRenderer.writePng(picture(d.image(), model, parent, tolerance, settings.panelWidth()), bytes);
            png = bytes.toByteArray();
        }
        return new Item(new Figures(d.image().getWidth(), d.image().getHeight(), errors, tolerance, mse, cos), png, null);
    }

    @Override
    void record(org.int8workbench.core.dataset.Sample s, Item item) throws IOException {
        Figures f = (Figures) item.figures();
        AccuracyReport.Regression figures = null;
        long outside = 0;
        if (f.errors() != null) {
            Errors e = f.errors();
            outside = e.n - e.within;
            total.add(e);
            sumTolerance += f.tolerance();
            images++;
            figures = e.figures(f.tolerance());
        }
        if (f.mse() != null && f.cosine() != null) {
            sumMse += f.mse();
            sumCos += f.cosine();
            countDistance++;
        }
        String composite = writeFiles(s, rows.size(), item);
        rows.add(new AccuracyReport.ImageRow(s.id(), s.image() == null ? null : s.image().toString(), s.mask() == null ? null
                : s.mask().toString(), f.width(), f.height(), null, null, null, null, null,
                figures == null ? null : figures.withinTolerance(),
                outside, f.mse(), f.cosine(), 0, List.of(), composite,
                figures));
    }

    /**
     * The picture of one image: the image, the parent's and the model's values (one colour scale, the parent's range),
     * and the error heat map from 0 to the larger of the largest error and the tolerance, the tolerance ticked on its
     * legend; without a parent, the image and the model's values.
     */
    static BufferedImage picture(BufferedImage image, ValueMap model, ValueMap parent, double tolerance, int panelWidth) {
        List<SegmentationRenderer.Panel> panels = new ArrayList<>();
        panels.add(new SegmentationRenderer.Panel("image", image));
        ValueMap scale = parent != null ? parent : model;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : scale.values()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (parent == null) {
            panels.add(new SegmentationRenderer.Panel("values", ErrorHeatMap.values(model, lo, hi)));
            return ErrorHeatMap.composite(panels, panelWidth, "value", lo, hi, null);
        }
        panels.add(new SegmentationRenderer.Panel("parent", ErrorHeatMap.values(parent, lo, hi)));
        panels.add(new SegmentationRenderer.Panel("optimized", ErrorHeatMap.values(model, lo, hi)));
        double max = Math.max(ErrorHeatMap.maxError(model, parent), tolerance);
        panels.add(new SegmentationRenderer.Panel("|optimized - parent|", ErrorHeatMap.errors(model, parent, max)));
        return ErrorHeatMap.composite(panels, panelWidth, "|optimized - parent| (red tick: tolerance)", 0, max > 0 ? max : 1,
                tolerance);
    }

    @Override
    AccuracyReport report(EvaluationReport.Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
        AccuracyReport.Agreement agreement = null;
        if (pass.withParent() && total.n > 0) {
            double tol = settings.tolerance() > 0 ? settings.tolerance() : sumTolerance / images;
            AccuracyReport.Regression r = total.figures(tol);
            agreement = new AccuracyReport.Agreement(r.withinTolerance(), null, null, countDistance == 0 ? null : sumMse / countDistance,
                    countDistance == 0 ? null : sumCos / countDistance, total.n - total.within, total.n, List.of(), List.of(), r);
        }
        List<String> notes = new ArrayList<>(EvaluationReport.notes(pass, skipped.size(), false));
        notes.add("A regression output has no labels: there is no IoU and no ground truth; the values are compared with the "
                + "parent's" + (pass.dataset().hasMasks() ? " (the dataset's masks are not used)." : "."));
        if (!pass.withParent()) {
            notes.add("No parent model was given: there is nothing to compare a regression output with.");
        }
        return EvaluationReport.assemble(pass, modelRef, parentRef, false, new ClassInfo(List.of(), List.of(), -1),
                decoderDescription + "; values compared at the output's resolution", DEFINITION, notes, null, null, agreement, rows,
                List.of(), skipped, reportOutput());
    }
}
