package org.int8workbench.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The evaluator's metrics, accumulated image by image in the order of the data (one thread): the confusion matrices
 * against the ground truth (model and parent) and between the two models, the per-image and per-class rows, the
 * tensor distance and the pixels without a prediction. {@link #labels} turns the two captures of an image into label
 * maps (both argmaxes and the distance in one pass where it can), {@link #measure} computes an image's figures and
 * {@link #add} records them.
 */
final class EvaluationMetrics {

    /** The labels of one image at model-output resolution, and the distance between the two models' outputs. */
    record Labels(Prediction model, Prediction parent, TensorDistance distance) {
    }

    /** One image measured but not yet recorded: its label maps on the image grid (for pictures) and its figures. */
    record Image(Sample sample, LabelMask model, LabelMask parent, Figures figures) {
    }

    /**
     * The figures of one image, all that {@link #add} records: small and serializable, so that they can be measured in
     * another JVM (see {@link ItemEvaluation}) and recorded here in the order of the data.
     */
    record Figures(int width, int height, ConfusionMatrix truth, ConfusionMatrix parentTruth, ConfusionMatrix agreement,
            Double mse, Double cosine, long unpredicted, List<Integer> present) implements java.io.Serializable {
    }

    private final ClassInfo cls;
    private final Preprocessing pre;
    private final int n;
    /**
     * A binary output: a ground-truth value above 0 is foreground (1), with no ignore label, and the agreement IoU is
     * the foreground's ({@link #foregroundIoU}).
     */
    private final boolean binary;
    final ConfusionMatrix gt;
    final ConfusionMatrix gtParent;
    final ConfusionMatrix agree;
    final List<AccuracyReport.ImageRow> rows = new ArrayList<>();
    final List<AccuracyReport.ClassRow> classRows = new ArrayList<>();
    final List<SkippedItem> skipped = new ArrayList<>();
    double sumImageIoU;
    int countImageIoU;
    double sumParentImageIoU;
    int countParentImageIoU;
    double sumAgreeIoU;
    int countAgreeIoU;
    double sumMse;
    double sumCos;
    int countDistance;
    long unpredicted;

    // the fused argmax of the measuring thread, with its scratch arrays
    private final PairArgmax pair = new PairArgmax();

    EvaluationMetrics(ClassInfo cls, Preprocessing pre, List<SkippedItem> skippedBefore) {
        this(cls, pre, skippedBefore, false);
    }

    /** @param binary see {@link #binary}; {@code cls} then holds background (0) and foreground (1) */
    EvaluationMetrics(ClassInfo cls, Preprocessing pre, List<SkippedItem> skippedBefore, boolean binary) {
        this.binary = binary;
        this.cls = cls;
        this.pre = pre;
        this.n = cls.count();
        this.gt = new ConfusionMatrix(n);
        this.gtParent = new ConfusionMatrix(n);
        this.agree = new ConfusionMatrix(n);
        skipped.addAll(skippedBefore);
    }

    /** The label set the metrics are counted in. */
    ClassInfo classes() {
        return cls;
    }

    /** An item that could not be read. */
    void skip(SkippedItem problem) {
        skipped.add(problem);
    }

    /**
     * The labels of both captures; for two NCHW logit tensors of one shape, both argmaxes and the tensor distance in
     * one pass over the two tensors, read where they are.
     *
     * @param cp the parent's capture, or {@code null}
     */
    Labels labels(Captured cm, Captured cp) {
        int c = cm.nchwClasses();
        if (cp != null && c > 0 && cp.nchwClasses() == c && cp.size() == cm.size()) {
            int plane = cm.size() / c;
            int[] la = new int[plane];
            int[] lb = new int[plane];
            TensorDistance distance = pair.run(cm.buffer(), cp.buffer(), c, plane, la, lb);
            cm.discard();
            cp.discard();
            return new Labels(new Prediction(new LabelMask(cm.width(), cm.height(), la), null),
                    new Prediction(new LabelMask(cp.width(), cp.height(), lb), null), distance);
        }
        Prediction model = cm.prediction();
        Prediction parent = cp == null ? null : cp.prediction();
        TensorDistance distance = null;
        if (parent != null && model.raw() != null && parent.raw() != null && model.raw().length == parent.raw().length) {
            distance = TensorDistance.of(model.raw(), parent.raw());
        }
        return new Labels(model, parent, distance);
    }

    /**
     * The figures of one image (the labels sampled onto the image grid); nothing is recorded: {@link #add} does that,
     * in the order of the data.
     */
    Image measure(Sample s, int w, int h, LabelMask mask, Labels labels) {
        LabelMask pred = Postprocessing.toImage(labels.model().labels(), pre, w, h);
        LabelMask parentPred = labels.parent() == null ? null : Postprocessing.toImage(labels.parent().labels(), pre, w, h);
        int ignore = binary ? -1 : cls.ignoreLabel();
        if (binary && mask != null) {
            mask = foreground(mask);
        }
        ConfusionMatrix cm = null;
        ConfusionMatrix cmParent = null;
        ConfusionMatrix cmAgree = null;
        long unpredictedHere = 0;
        for (int l : pred.labels()) {
            if (l < 0) {
                unpredictedHere++;
            }
        }
        if (mask != null) {
            cm = new ConfusionMatrix(n).add(mask, pred, ignore);
            if (parentPred != null) {
                cmParent = new ConfusionMatrix(n).add(mask, parentPred, ignore);
            }
        }
        Double mse = null;
        Double cos = null;
        if (parentPred != null) {
            cmAgree = new ConfusionMatrix(n).add(parentPred, pred, -1);
            TensorDistance td = labels.distance();
            if (td != null) {
                mse = num(td.mse());
                cos = num(td.cosine());
            }
        }
        TreeSet<Integer> present = new TreeSet<>();
        if (cm != null) {
            present.addAll(cm.presentClasses());
        }
        if (cmAgree != null) {
            present.addAll(cmAgree.presentClasses());
        }
        if (cm == null && cmAgree == null) {
            for (int l : pred.labels()) {
                if (l >= 0) {
                    present.add(l);
                }
            }
        }
        return new Image(s, pred, parentPred,
                new Figures(w, h, cm, cmParent, cmAgree, mse, cos, unpredictedHere, List.copyOf(present)));
    }

    /**
     * The Basic figure of an agreement matrix: the mean IoU over the classes either model predicts, for a binary output
     * the foreground IoU.
     */
    double agreementIoU(ConfusionMatrix m) {
        return binary ? foregroundIoU(m) : m.meanIoU();
    }

    /**
     * IoU of class 1 (foreground) of a two-class matrix: |both foreground| / |either foreground|; 1 when neither side
     * has a foreground pixel (they agree that there is none).
     */
    static double foregroundIoU(ConfusionMatrix m) {
        long union = m.referenceCount(1) + m.predictedCount(1) - m.intersection(1);
        return union == 0 ? 1.0 : (double) m.intersection(1) / union;
    }

    /** A ground-truth mask as background (0) and foreground (1): every value above 0 is foreground. */
    static LabelMask foreground(LabelMask mask) {
        int[] src = mask.labels();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[i] > 0 ? 1 : 0;
        }
        return new LabelMask(mask.width(), mask.height(), out);
    }

    /** The number of images recorded so far (the row number of the next). */
    int recorded() {
        return rows.size();
    }

    /** Records an image: its figures are added to the totals, its rows to the report's. */
    void add(Sample s, Figures m, String composite) {
        ConfusionMatrix cm = m.truth();
        ConfusionMatrix cmParent = m.parentTruth();
        ConfusionMatrix cmAgree = m.agreement();
        unpredicted += m.unpredicted();
        if (cm != null) {
            gt.add(cm);
            double v = cm.meanIoU();
            if (!Double.isNaN(v)) {
                sumImageIoU += v;
                countImageIoU++;
            }
        }
        if (cmParent != null) {
            gtParent.add(cmParent);
            double vp = cmParent.meanIoU();
            if (!Double.isNaN(vp)) {
                sumParentImageIoU += vp;
                countParentImageIoU++;
            }
        }
        if (cmAgree != null) {
            agree.add(cmAgree);
            double v = agreementIoU(cmAgree);
            if (!Double.isNaN(v)) {
                sumAgreeIoU += v;
                countAgreeIoU++;
            }
            if (m.mse() != null && m.cosine() != null) {
                sumMse += m.mse();
                sumCos += m.cosine();
                countDistance++;
            }
            for (int c : cmAgree.presentClasses()) {
                classRows.add(new AccuracyReport.ClassRow(s.id(), c, cls.name(c), cmAgree.iou(c), cmAgree.referenceCount(c),
                        cmAgree.predictedCount(c), cm == null ? null : num(cm.iou(c))));
            }
        } else if (cm != null) {
            for (int c : cm.presentClasses()) {
                classRows.add(new AccuracyReport.ClassRow(s.id(), c, cls.name(c), cm.iou(c), cm.referenceCount(c),
                        cm.predictedCount(c), num(cm.iou(c))));
            }
        }
        long compared = cmAgree == null ? 0 : cmAgree.total();
        long same = cmAgree == null ? 0 : same(cmAgree);
        rows.add(new AccuracyReport.ImageRow(s.id(), s.image() == null ? null : s.image().toString(),
                s.mask() == null ? null : s.mask().toString(), m.width(), m.height(), cm == null ? null : num(cm.meanIoU()),
                cm == null ? null : num(cm.pixelAccuracy()), cmParent == null ? null : num(cmParent.meanIoU()),
                cmParent == null ? null : num(cmParent.pixelAccuracy()), cmAgree == null ? null : num(agreementIoU(cmAgree)),
                cmAgree == null || compared == 0 ? null : (double) same / compared, compared - same, m.mse(), m.cosine(),
                m.unpredicted(), m.present(), composite, null));
    }

    /** Pixels on which both sides of an agreement matrix have the same class. */
    long same(ConfusionMatrix m) {
        long same = 0;
        for (int c = 0; c < n; c++) {
            same += m.intersection(c);
        }
        return same;
    }

    /** The ground-truth figures of one side. */
    AccuracyReport.Metrics metrics(ConfusionMatrix m, double sum, int count) {
        return new AccuracyReport.Metrics(num(m.meanIoU()), count == 0 ? null : sum / count, num(m.pixelAccuracy()),
                num(m.meanClassAccuracy()), num(m.frequencyWeightedIoU()), m.total(), unpredicted, scores(m), m.rows());
    }

    /** The agreement between the two models over all images; {@code null} when nothing was compared. */
    AccuracyReport.Agreement agreement() {
        if (agree.total() == 0) {
            return null;
        }
        long total = agree.total();
        long same = same(agree);
        return new AccuracyReport.Agreement((double) same / total, num(agreementIoU(agree)),
                countAgreeIoU == 0 ? null : sumAgreeIoU / countAgreeIoU, countDistance == 0 ? null : sumMse / countDistance,
                countDistance == 0 ? null : sumCos / countDistance, total - same, total, scores(agree), agree.rows(), null);
    }

    private List<AccuracyReport.ClassScore> scores(ConfusionMatrix m) {
        List<AccuracyReport.ClassScore> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            long ref = m.referenceCount(c);
            out.add(new AccuracyReport.ClassScore(c, cls.name(c), num(m.iou(c)),
                    ref == 0 ? null : (double) m.intersection(c) / ref, ref, m.predictedCount(c), m.intersection(c)));
        }
        return out;
    }

    /** A figure for a report: {@code null} for NaN and infinities. */
    static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
