package org.int8workbench.core.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The evaluation of a multi-label output (one independent 0/1 map per label, a pixel may carry several labels or
 * none): per label a 2x2 agreement of the model with its parent, on the image grid. There is no ground truth for
 * multi-label outputs. In the report, label {@code i} of the output is class {@code 1 + i} (class 0 is "none", the
 * display map's background), so that colours and names follow the display map.
 */
final class MultilabelEvaluation extends OutputEvaluation {

    /** What the figures mean, stated in the report. */
    static final String DEFINITION = "Multi-label output: each label is its own 0/1 map (a pixel may carry several labels or none), "
            + "thresholded at the output's threshold. Per image and label, the 2x2 agreement of the optimized model with the parent; "
            + "the label's IoU = |pixels both give the label| / |pixels either gives it|. Basic row: the mean over the labels "
            + "predicted by either model on the image of that IoU (1 when neither model predicts any label). Pixel agreement = "
            + "the mean over the labels of the share of pixels where both models agree on the label (present or absent). "
            + "Dataset figures: the same over the summed pixels of all images. Advanced rows: one per image and label predicted "
            + "by either model.";

    private final ClassInfo cls;
    private final int labels;
    private final ConfusionMatrix[] total;
    private final ComparisonPicture picture;
    final List<AccuracyReport.ImageRow> rows = new ArrayList<>();
    final List<AccuracyReport.ClassRow> classRows = new ArrayList<>();
    final List<SkippedItem> skipped = new ArrayList<>();
    private double sumBasic;
    private int countBasic;
    private double sumMse;
    private double sumCos;
    private int countDistance;
    private long changed;
    private long pixels;
    private long unpredicted;

    MultilabelEvaluation(LabelDecoder decoder, String outputName, int index, Settings settings) {
        super(decoder, outputName, index, settings);
        this.cls = classes(output.labelNames(), output.channels(), settings.userClasses());
        this.labels = cls.count() - 1;
        this.total = new ConfusionMatrix[labels];
        for (int i = 0; i < labels; i++) {
            total[i] = new ConfusionMatrix(2);
        }
        this.picture = settings.pictures() ? new ComparisonPicture(cls, settings.panelWidth()) : null;
        skipped.addAll(settings.skippedBefore());
    }

    /**
     * {@code none} and the labels: the user's names when the user gave one per label (or {@code none} and one per
     * label, as a multi-label report's classes are), else the output's, else {@code label i}.
     */
    static ClassInfo classes(List<String> labelNames, int channels, ClassInfo user) {
        int n = !labelNames.isEmpty() ? labelNames.size() : Math.max(1, channels);
        List<String> names = new ArrayList<>();
        names.add("none");
        // the user's names: one per label, or "none" and one per label (a multi-label report's own classes)
        int offset = user != null && user.count() == n + 1 && user.name(0).equals("none") ? 1 : 0;
        boolean fromUser = user != null && user.count() == n + offset;
        for (int i = 0; i < n; i++) {
            names.add(fromUser ? user.name(i + offset) : i < labelNames.size() ? labelNames.get(i) : "label " + i);
        }
        List<Integer> colors = new ArrayList<>();
        colors.add(0x000000);
        List<Integer> distinct = ClassInfo.distinctColors(n + 1);
        for (int i = 1; i <= n; i++) {
            colors.add(distinct.get(i));
        }
        return new ClassInfo(names, colors, -1);
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
     * @param labels per label the 2x2 agreement of the parent (reference) and the model, or {@code null} without a parent
     * @param basic the Basic figure (mean IoU over the labels either model predicts), or {@code null} without a parent
     * @param agreement the mean over the labels of the pixel agreement, or {@code null} without a parent
     */
    record Figures(int width, int height, List<ConfusionMatrix> labels, Double basic, Double agreement, long changed, long compared,
            long unpredicted, Double mse, Double cosine, List<Integer> present) implements java.io.Serializable {
    }

    @Override
    Item item(InferencePipeline.Decoded d, Pair p, boolean draw) throws IOException {
        List<LabelMask> model = p.model().channels();
        List<LabelMask> parent = p.parent() == null ? null : p.parent().channels();
        if (model.size() != labels || (parent != null && parent.size() != labels)) {
            throw new IllegalArgumentException(displayName() + " gave " + model.size() + (parent != null ? " and " + parent.size() : "")
                    + " label maps for " + labels + " labels");
        }
        int w = d.image().getWidth();
        int h = d.image().getHeight();
        TreeSet<Integer> present = new TreeSet<>();
        List<ConfusionMatrix> agree = null;
        Double basic = null;
        Double agreement = null;
        long changedHere = 0;
        long compared = 0;
        long unpredictedHere = 0;
        if (parent != null) {
            agree = new ArrayList<>(labels);
            double sum = 0;
            int count = 0;
            double agreeSum = 0;
            boolean[] differs = new boolean[w * h];
            for (int i = 0; i < labels; i++) {
                LabelMask mi = Postprocessing.toImage(model.get(i), settings.pre(), w, h);
                LabelMask pi = Postprocessing.toImage(parent.get(i), settings.pre(), w, h);
                ConfusionMatrix cm = new ConfusionMatrix(2).add(pi, mi, -1);
                agree.add(cm);
                int[] a = mi.labels();
                int[] b = pi.labels();
                for (int k = 0; k < a.length; k++) {
                    if (a[k] >= 0 && b[k] >= 0 && a[k] != b[k]) {
                        differs[k] = true;
                    }
                }
                compared = cm.total();
                unpredictedHere = cm.unpredicted();
                agreeSum += compared == 0 ? 1.0 : (double) (cm.intersection(0) + cm.intersection(1)) / compared;
                if (cm.union(1) > 0) {
                    sum += EvaluationMetrics.foregroundIoU(cm);
                    count++;
                    present.add(1 + i);
                }
            }
            for (boolean x : differs) {
                if (x) {
                    changedHere++;
                }
            }
            basic = count == 0 ? 1.0 : sum / count;
            agreement = agreeSum / labels;
        } else {
            for (int i = 0; i < labels; i++) {
                for (int v : model.get(i).labels()) {
                    if (v > 0) {
                        present.add(1 + i);
                        break;
                    }
                }
            }
        }
        Double mse = null;
        Double cos = null;
        if (p.distance() != null) {
            mse = EvaluationMetrics.num(p.distance().mse());
            cos = EvaluationMetrics.num(p.distance().cosine());
        }
        byte[] png = null;
        if (draw && picture != null) {
            LabelMask md = Postprocessing.toImage(p.model().labels(), settings.pre(), w, h);
            LabelMask pd = p.parent() == null ? null : Postprocessing.toImage(p.parent().labels(), settings.pre(), w, h);
            png = picture.png(d.image(), null, pd, md, new TreeSet<>(present));
        }
        return new Item(new Figures(w, h, agree == null ? null : List.copyOf(agree), basic, agreement, changedHere, compared,
                unpredictedHere, mse, cos, List.copyOf(present)), png, null);
    }

    @Override
    void record(org.int8workbench.core.dataset.Sample s, Item item) throws IOException {
        Figures f = (Figures) item.figures();
        String id = s.id();
        if (f.labels() != null) {
            for (int i = 0; i < labels; i++) {
                ConfusionMatrix cm = f.labels().get(i);
                total[i].add(cm);
                if (cm.union(1) > 0) {
                    classRows.add(new AccuracyReport.ClassRow(id, 1 + i, cls.name(1 + i), EvaluationMetrics.foregroundIoU(cm),
                            cm.referenceCount(1), cm.predictedCount(1), null));
                }
            }
            sumBasic += f.basic();
            countBasic++;
            changed += f.changed();
            pixels += f.compared();
            unpredicted += f.unpredicted();
        }
        if (f.mse() != null && f.cosine() != null) {
            sumMse += f.mse();
            sumCos += f.cosine();
            countDistance++;
        }
        String composite = writeFiles(s, rows.size(), item);
        rows.add(new AccuracyReport.ImageRow(id, s.image() == null ? null : s.image().toString(), s.mask() == null ? null
                : s.mask().toString(), f.width(), f.height(), null, null, null, null, f.basic(), f.agreement(), f.changed(), f.mse(),
                f.cosine(), f.unpredicted(), f.present(), composite, null));
    }

    @Override
    AccuracyReport report(EvaluationReport.Pass pass, AccuracyReport.Model modelRef, AccuracyReport.Model parentRef) {
        AccuracyReport.Agreement agreement = null;
        if (pass.withParent() && pixels > 0) {
            List<AccuracyReport.ClassScore> scores = new ArrayList<>();
            scores.add(new AccuracyReport.ClassScore(0, cls.name(0), null, null, 0, 0, 0));
            double agreeSum = 0;
            double iouSum = 0;
            int iouCount = 0;
            for (int i = 0; i < labels; i++) {
                ConfusionMatrix m = total[i];
                long ref = m.referenceCount(1);
                Double iou = m.union(1) > 0 ? EvaluationMetrics.foregroundIoU(m) : null;
                if (iou != null) {
                    iouSum += iou;
                    iouCount++;
                }
                agreeSum += m.total() == 0 ? 1.0 : (double) (m.intersection(0) + m.intersection(1)) / m.total();
                scores.add(new AccuracyReport.ClassScore(1 + i, cls.name(1 + i), iou, ref == 0 ? null : (double) m.intersection(1) / ref,
                        ref, m.predictedCount(1), m.intersection(1)));
            }
            agreement = new AccuracyReport.Agreement(agreeSum / labels, iouCount == 0 ? 1.0 : iouSum / iouCount,
                    countBasic == 0 ? null : sumBasic / countBasic, countDistance == 0 ? null : sumMse / countDistance,
                    countDistance == 0 ? null : sumCos / countDistance, changed, pixels, scores, List.of(), null);
        }
        List<String> notes = new ArrayList<>(EvaluationReport.notes(pass, skipped.size(), false));
        notes.add("A multi-label output has no ground truth here: only the agreement with the parent model is measured"
                + (pass.dataset().hasMasks() ? " (the dataset's masks are not used)." : "."));
        if (unpredicted > 0) {
            notes.add(unpredicted + " image pixels were cropped away by the preprocessing (" + pass.pre().resize().cliName()
                    + ") and have no prediction; they are left out of every metric.");
        }
        if (!pass.withParent()) {
            notes.add("No parent model was given: there is nothing to compare a multi-label output with; the rows list the "
                    + "labels the model predicts.");
        }
        String post = decoderDescription + "; each label's map is sampled back to the image size by nearest neighbour "
                + "(pixels cropped away by center-crop have no prediction and are left out)";
        return EvaluationReport.assemble(pass, modelRef, parentRef, false, cls, post, DEFINITION, notes, null, null, agreement,
                rows, classRows, skipped, reportOutput());
    }
}
