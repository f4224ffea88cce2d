package org.int8workbench.core.metrics;

import ai.onnxruntime.OrtException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.labels.ValueMap;
import org.int8workbench.core.render.ErrorHeatMap;
import org.int8workbench.core.report.AccuracyReport;

/**
 * Predicts one image with a model and, optionally, its parent, and gives both label maps on the image grid. The image
 * goes through the evaluator's own pipeline (the same session options, the same choice of label decoder, among them
 * the exact label head of a model cut before its head, and the same sampling back onto the image), so the labels are
 * the ones {@link EvaluateOperation} measures for that image.
 *
 * <pre>
 * ImagePrediction p = PredictOperation.forReport(report, row).run(monitor);
 * </pre>
 */
public final class PredictOperation {

    private Path model;
    private Path parent;
    private Preprocessing preprocessing;
    private ClassInfo classes;
    private String id = "image";
    private BufferedImage image;
    private LabelMask groundTruth;
    private LabelDecoder predictor;
    private LabelDecoder parentPredictor;
    private OutputSelection outputSelection = OutputSelection.AUTO;

    /** The model to predict with (the optimized model when a parent is given). */
    public PredictOperation model(Path file) {
        this.model = file;
        return this;
    }

    /** The parent model, predicted side by side; optional. */
    public PredictOperation parent(Path file) {
        this.parent = file;
        return this;
    }

    /**
     * How the image becomes the models' input; when not set, the preprocessing recorded in the model's metadata, else
     * {@link Preprocessing#defaults} for its input shape (as {@link EvaluateOperation}).
     */
    public PredictOperation preprocessing(Preprocessing p) {
        this.preprocessing = p;
        return this;
    }

    /** The label set (default: generic names), grown to the model's class count. */
    public PredictOperation classes(ClassInfo c) {
        this.classes = c;
        return this;
    }

    /** The image (RGB) and its name. */
    public PredictOperation image(String name, BufferedImage rgb) {
        this.id = Objects.requireNonNull(name, "name");
        this.image = rgb;
        return this;
    }

    /** The image's ground truth, passed through to the result; optional. */
    public PredictOperation groundTruth(LabelMask mask) {
        this.groundTruth = mask;
        return this;
    }

    /** How the model's outputs become labels (default: as the evaluator chooses, from the model). */
    public PredictOperation predictor(LabelDecoder p) {
        this.predictor = p;
        return this;
    }

    /** How the parent's outputs become labels (default: as the evaluator chooses, from the model). */
    public PredictOperation parentPredictor(LabelDecoder p) {
        this.parentPredictor = p;
        return this;
    }

    /**
     * Which output is predicted, and as what (default {@link OutputSelection#AUTO}); the first output the selection
     * reports is the one predicted.
     */
    public PredictOperation outputs(OutputSelection selection) {
        this.outputSelection = selection == null ? OutputSelection.AUTO : selection;
        return this;
    }

    /**
     * The selection that reads a report's output again: its kind (binary, multi-label, regression) and its output name;
     * auto for reports of class scores, label maps and cut heads of one output, and for reports without an output.
     */
    static OutputSelection selectionOf(AccuracyReport report) {
        AccuracyReport.Output o = report.output();
        if (o == null || o.kind() == null || o.kind().equals(OutputKind.CUT_HEAD.cliName())) {
            return OutputSelection.AUTO;
        }
        OutputKind kind = OutputKind.parse(o.kind());
        boolean labelKind = kind == OutputKind.CLASS_SCORES || kind == OutputKind.LABEL_MAP;
        if (labelKind && report.outputs().isEmpty() && o.name() == null) {
            return OutputSelection.AUTO;
        }
        double threshold = o.threshold() != null ? o.threshold() : OutputSelection.DEFAULT_THRESHOLD;
        return new OutputSelection(labelKind ? null : kind, o.name(), threshold, 0);
    }

    /**
     * The prediction behind one row of an accuracy report: the report's models, preprocessing and label set, and the
     * row's image and mask read by the report's dataset as the evaluation read them.
     */
    public static PredictOperation forReport(AccuracyReport report, AccuracyReport.ImageRow row) throws CoreException {
        if (report.datasetRoot() == null || row.image() == null) {
            throw CoreStatus.exception("The report's images were generated; there is no image file to predict for " + row.id(), null);
        }
        SegmentationDataset all;
        try {
            all = Datasets.open(Path.of(report.datasetRoot()));
        } catch (IOException e) {
            throw CoreStatus.exception("Cannot open the report's dataset " + report.datasetRoot() + ": "
                    + e.getMessage() + "; it was moved or deleted since the report was made", e);
        }
        Sample sample = new Sample(row.id(), Path.of(row.image()), row.mask() == null ? null : Path.of(row.mask()), 0);
        PredictOperation op = new PredictOperation().model(Path.of(report.model().path())).preprocessing(report.preprocessing())
                .classes(report.classes()).outputs(selectionOf(report));
        if (report.parentModel() != null) {
            op.parent(Path.of(report.parentModel().path()));
        }
        try {
            op.image(row.id(), all.readImage(sample));
            if (sample.mask() != null && all.hasMasks()) {
                op.groundTruth(all.readMask(sample));
            }
        } catch (IOException e) {
            throw CoreStatus.exception("Cannot read " + sample.image() + ": " + e.getMessage(), e);
        }
        return op;
    }

    /** Predicts the image; cancel through the monitor. */
    public ImagePrediction run(IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(image, "image");
        try {
            return doRun(monitor);
        } catch (OperationCanceledException | CoreException e) {
            throw e;
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed while predicting " + id + " with "
                    + model.getFileName() + ": " + e.getMessage() + "; check that the model is a valid segmentation model and the "
                    + "preprocessing fits it", e);
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("predicting " + id + " failed: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }

    private ImagePrediction doRun(IProgressMonitor monitor) throws IOException, OrtException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Predicting " + id, 3);
        try (EvaluationSessions.Opened s = EvaluationSessions.open(model, parent, preprocessing,
                classes != null ? classes : ClassInfo.generic(0), predictor, parentPredictor, outputSelection, sub.split(2))) {
            Preprocessing pre = s.pre();
            Sample sample = new Sample(id, null, null, 0);
            // the first reported output only
            InferencePipeline.Run run = new InferencePipeline.Run(s.run().session(), s.run().predictor());
            InferencePipeline.Run parentRun = s.parentRun() == null ? null
                    : new InferencePipeline.Run(s.parentRun().session(), s.parentRun().predictor());
            InferencePipeline pipeline = new InferencePipeline(new OneImage(sample, image, s.classes()), true, pre, run, parentRun,
                    s.workers());
            OutputEvaluation.Settings settings = new OutputEvaluation.Settings(s.classes(), classes, pre, List.of(), null, false,
                    false, outputSelection.tolerance(), 1);
            LabelDecoder decoder = s.run().predictor();
            OutputEvaluation eval = OutputEvaluation.of(decoder, s.outputNames().get(0), 0, settings);
            AtomicReference<OutputEvaluation.Pair> labels = new AtomicReference<>();
            pipeline.run(List.of(sample), sub.split(1).setWorkRemaining(1), (item, cm, cp) -> labels.set(eval.first(cm, cp)));
            return prediction(eval, labels.get(), pre, s.classes());
        }
    }

    /** The image's prediction of the output's kind. */
    private ImagePrediction prediction(OutputEvaluation eval, OutputEvaluation.Pair p, Preprocessing pre, ClassInfo grown) {
        int w = image.getWidth();
        int h = image.getHeight();
        OutputKind kind = eval.output.kind();
        String k = kind.cliName();
        if (kind == OutputKind.REGRESSION) {
            BufferedImage heat = null;
            if (p.parent() != null && p.parent().values() != null) {
                ValueMap a = p.model().values();
                ValueMap b = p.parent().values();
                heat = ErrorHeatMap.errors(a, b, ErrorHeatMap.maxError(a, b));
            }
            return new ImagePrediction(id, image, groundTruth, null, null, new ClassInfo(List.of(), List.of(), -1), k, p.model(),
                    p.parent(), heat);
        }
        ClassInfo cls = switch (kind) {
            case BINARY -> LabelEvaluation.binaryClasses(classes, eval.output.name());
            case MULTILABEL -> MultilabelEvaluation.classes(eval.output.labelNames(), eval.output.channels(), classes);
            default -> grown;
        };
        LabelMask truth = kind == OutputKind.BINARY && groundTruth != null ? EvaluationMetrics.foreground(groundTruth) : groundTruth;
        LabelMask m = Postprocessing.toImage(p.model().labels(), pre, w, h);
        LabelMask pp = p.parent() == null ? null : Postprocessing.toImage(p.parent().labels(), pre, w, h);
        return new ImagePrediction(id, image, truth, pp, m, cls, k, p.model(), p.parent(), null);
    }

    /** The one image, in memory, as a dataset for the pipeline. */
    private record OneImage(Sample sample, BufferedImage image, ClassInfo classes) implements SegmentationDataset {
        @Override
        public String description() {
            return sample.id();
        }

        @Override
        public boolean synthetic() {
            return false;
        }

        @Override
        public boolean hasMasks() {
            return false;
        }

        @Override
        public List<Sample> samples() {
            return List.of(sample);
        }

        @Override
        public BufferedImage readImage(Sample s) {
            return image;
        }

        @Override
        public LabelMask readMask(Sample s) throws IOException {
            throw new IOException("the image is predicted without its mask");
        }
    }
}
