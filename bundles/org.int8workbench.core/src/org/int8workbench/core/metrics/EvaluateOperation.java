package org.int8workbench.core.metrics;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * Evaluates a model on a dataset: its accuracy against the ground truth (when the dataset has masks) and, when a
 * parent model is given, how its predictions differ from the parent's, image by image. Both models run on each image
 * in one pass: a decoder thread reads and preprocesses images ahead of inference through small bounded queues,
 * inference threads run the model and the parent side by side ({@link #inferenceLayout}), and the calling thread
 * computes metrics and draws pictures behind them, in the order of the data, so the pass takes about as long as the two
 * models' inference alone.
 *
 * <pre>
 * AccuracyReport r = new EvaluateOperation().model(int8).parent(fp32).dataset(Datasets.open(voc, "val"))
 *         .preprocessing(pre).reportDir(dir).run(monitor);
 * </pre>
 *
 * Items that cannot be read (corrupt files, a mask of another size, labels outside the label set) are skipped and
 * listed in the report with the reason; {@link #strict(boolean)} turns them into errors. With a report folder, all
 * files are written into a temporary folder beside it that is moved into place at the end ({@link AtomicFolder}), so a
 * cancelled or failed run leaves nothing half-written.
 * <p>
 * This class holds the settings and puts the parts together: {@code EvaluationSessions} (session options, input
 * checks, the label set), {@code InferencePipeline} (decoder and inference threads), {@code EvaluationMetrics} (the
 * confusion matrices and rows), {@code ComparisonPicture} (the picture per image) and {@code EvaluationReport} (the
 * result record and its notes). {@link PredictOperation} runs one image through the same parts.
 */
public final class EvaluateOperation {

    private Path model;
    private Path parent;
    private SegmentationDataset dataset;
    private Preprocessing preprocessing;
    private Path reportDir;
    private boolean overwrite;
    private int limit;
    private ClassInfo classes;
    private List<LabelDecoder> predictor;
    private List<LabelDecoder> parentPredictor;
    private boolean strict;
    private OutputSelection outputSelection = OutputSelection.AUTO;
    private boolean renderImages = true;
    private boolean saveLabelMaps;
    private int panelWidth = 360;

    /** The model to evaluate (the optimized model when a parent is given). */
    public EvaluateOperation model(Path file) {
        this.model = file;
        return this;
    }

    /** The parent (reference) model whose predictions {@link #model} is compared with; optional. */
    public EvaluateOperation parent(Path file) {
        this.parent = file;
        return this;
    }

    public EvaluateOperation dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /**
     * How images become inputs of both models; when not set, the preprocessing recorded in the model's metadata, else
     * {@link Preprocessing#defaults} for its input shape.
     */
    public EvaluateOperation preprocessing(Preprocessing p) {
        this.preprocessing = p;
        return this;
    }

    /** Folder for report.json, report.html, CSV files and images; none when not set. */
    public EvaluateOperation reportDir(Path dir) {
        this.reportDir = dir;
        return this;
    }

    /** Replace an existing report folder (default: refuse before any work). */
    public EvaluateOperation overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /** Evaluate only the first {@code n} items (0: all). */
    public EvaluateOperation limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        this.limit = n;
        return this;
    }

    /** Class names and colours to use instead of the dataset's (e.g. Pascal VOC names for an unannotated folder). */
    public EvaluateOperation classes(ClassInfo c) {
        this.classes = c;
        return this;
    }

    /** How the model's outputs become labels (default {@link LabelDecoders#forModel} with {@link #outputs}). */
    public EvaluateOperation predictor(LabelDecoder p) {
        this.predictor = p == null ? null : List.of(p);
        return this;
    }

    /**
     * How the outputs of the model and of the parent become labels, one decoder per reported output in the same order
     * (default {@link LabelDecoders#forModel} with {@link #outputs}); a seam for tests.
     */
    EvaluateOperation predictors(List<LabelDecoder> model, List<LabelDecoder> parentModel) {
        this.predictor = model;
        this.parentPredictor = parentModel;
        return this;
    }

    /** How the parent's outputs become labels (default {@link LabelDecoders#forModel} with {@link #outputs}). */
    public EvaluateOperation parentPredictor(LabelDecoder p) {
        this.parentPredictor = p == null ? null : List.of(p);
        return this;
    }

    /**
     * Which of the models' outputs are evaluated, and as what (default {@link OutputSelection#AUTO}: found from the
     * graph, every output of the first output's kind, each in a report of its own).
     */
    public EvaluateOperation outputs(OutputSelection selection) {
        this.outputSelection = selection == null ? OutputSelection.AUTO : selection;
        return this;
    }

    /** Fail on the first unreadable item instead of skipping it (default false: skip and record). */
    public EvaluateOperation strict(boolean value) {
        this.strict = value;
        return this;
    }

    /** Draw a side-by-side PNG per image into the report folder (default true). */
    public EvaluateOperation renderImages(boolean value) {
        this.renderImages = value;
        return this;
    }

    /**
     * Save the model's label map of every image into the report folder (default false): grey PNGs at the model's
     * output resolution under {@link AccuracyReportWriter#LABELS_DIR}, named by {@link AccuracyReportWriter#labelMapFile}.
     * Regression tests compare against them (see the code generator).
     */
    public EvaluateOperation saveLabelMaps(boolean value) {
        this.saveLabelMaps = value;
        return this;
    }

    /** Runs the evaluation; cancel through the monitor. */
    public AccuracyReport run(IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        if (reportDir != null) {
            // the output policy (the same for the command line and the workbench): the report folder is no input, does
            // not hold one, and replaces only a report folder the tool wrote
            try {
                org.int8workbench.core.OutputPolicy.inputs().model(model).model(parent)
                        .folder(dataset instanceof org.int8workbench.core.dataset.FileDataset f ? f.root() : null).checkFolder(reportDir, overwrite);
            } catch (FileAlreadyExistsException e) {
                throw CoreStatus.exception(e.getFile() + " exists; choose another report folder or allow overwriting", e);
            }
        }
        try {
            return doRun(monitor);
        } catch (OperationCanceledException | CoreException e) {
            throw e;
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed while evaluating " + model.getFileName()
                    + ": " + e.getMessage() + "; check that the model is a valid segmentation model and the preprocessing fits it", e);
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof FileAlreadyExistsException f ? f.getFile() + " exists; choose another report folder or allow overwriting"
                    : e.getMessage() != null ? e.getMessage() : e.toString();
            throw CoreStatus.exception("evaluation failed: " + msg, e);
        }
    }

    private AccuracyReport doRun(IProgressMonitor monitor) throws IOException, OrtException, CoreException {
        List<Sample> items = dataset.samples();
        if (limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Evaluating " + model.getFileName(), items.size() + 4);
        // an existing report folder is refused here, before any work
        try (AtomicFolder folder = reportDir == null ? null : AtomicFolder.replace(reportDir, overwrite);
                EvaluationSessions.Opened s = EvaluationSessions.open(model, parent, preprocessing,
                        classes != null ? classes : dataset.classes(), predictor, parentPredictor, outputSelection, sub.split(2))) {
            Path out = folder == null ? null : folder.path();
            if (out != null) {
                Files.createDirectories(out.resolve("images"));
                if (saveLabelMaps) {
                    Files.createDirectories(out.resolve(AccuracyReportWriter.LABELS_DIR));
                }
            }
            InferencePipeline pipeline = new InferencePipeline(dataset, strict, s.pre(), s.run(), s.parentRun(), s.workers());
            List<OutputEvaluation> outputs = evaluations(s, dataset.skipped(), out);
            pipeline.run(items, sub, (item, cm, cp) -> measure(item, cm, cp, outputs));
            if (outputs.get(0).recorded() == 0) {
                List<SkippedItem> skipped = outputs.get(0).skipped();
                throw new IOException("none of the " + items.size() + " items could be read" + (skipped.isEmpty() ? ""
                        : "; the first problem: " + skipped.get(0).reason()));
            }
            AccuracyReport report = EvaluationReport.of(outputs, passOf(s, pipeline, out), s.modelRef(), s.parentRef());
            sub.split(1).subTask("Writing the report");
            if (folder != null) {
                AccuracyReportWriter.writeFiles(report, out);
                folder.commit();
            }
            // no cancellation point after the report folder is in place
            sub.worked(1);
            return report;
        }
    }

    /**
     * Opens the models for evaluating the items one at a time elsewhere than in {@link #run}'s single pass, e.g. on the
     * executors of a Spark cluster: the same checks and settings as {@link #run} (an existing report folder is refused
     * here), and the same figures, pictures and label maps, recorded by {@link ItemEvaluation#recorder}, for every
     * output kind.
     */
    public ItemEvaluation open(IProgressMonitor monitor) throws CoreException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        List<Sample> items = dataset.samples();
        if (limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        AtomicFolder folder = null;
        EvaluationSessions.Opened s = null;
        try {
            folder = reportDir == null ? null : AtomicFolder.replace(reportDir, overwrite);
            s = EvaluationSessions.open(model, parent, preprocessing, classes != null ? classes : dataset.classes(), predictor,
                    parentPredictor, outputSelection, monitor);
            if (folder != null) {
                // the folders the local run makes, also when nothing is drawn into them
                Files.createDirectories(folder.path().resolve("images"));
                if (saveLabelMaps) {
                    Files.createDirectories(folder.path().resolve(AccuracyReportWriter.LABELS_DIR));
                }
            }
            ItemEvaluation e = new ItemEvaluation(this, dataset, items, strict, s, folder);
            s = null;
            folder = null;
            return e;
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed while opening " + model.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof FileAlreadyExistsException f ? f.getFile() + " exists; choose another report folder or allow overwriting"
                    : e.getMessage() != null ? e.getMessage() : e.toString();
            throw CoreStatus.exception("evaluation failed: " + msg, e);
        } finally {
            if (s != null) {
                s.close();
            }
            if (folder != null) {
                folder.close();
            }
        }
    }

    /** Whether the label maps are saved ({@link #saveLabelMaps}). */
    boolean savesLabelMaps() {
        return saveLabelMaps;
    }

    /** The evaluation of each reported output of the opened model, in the order of its decoders. */
    List<OutputEvaluation> evaluations(EvaluationSessions.Opened s, List<SkippedItem> skippedBefore, Path out) {
        OutputEvaluation.Settings settings = new OutputEvaluation.Settings(s.classes(), classes, s.pre(), skippedBefore, out,
                renderImages, saveLabelMaps, outputSelection.tolerance(), panelWidth);
        List<OutputEvaluation> list = new ArrayList<>();
        List<LabelDecoder> decoders = s.run().decoders();
        for (int i = 0; i < decoders.size(); i++) {
            list.add(OutputEvaluation.of(decoders.get(i), s.outputNames().get(i), i, settings));
        }
        return list;
    }

    private EvaluationReport.Pass passOf(EvaluationSessions.Opened s, InferencePipeline pipeline, Path out) {
        InferencePipeline.Run parentRun = s.parentRun();
        return new EvaluationReport.Pass(dataset, s.pre(), parentRun != null, out != null && saveLabelMaps,
                s.run().nanos().get() / 1e9, parentRun == null ? 0 : parentRun.nanos().get() / 1e9, pipeline.wallNanos() / 1e9,
                s.workers(), s.threads());
    }

    /**
     * Measures one item on the calling thread for every reported output (the first output's labels are taken from the
     * captures, where the fused argmax reads them; the others were decoded on the inference threads).
     */
    private static void measure(InferencePipeline.Decoded d, Captured cm, Captured cp, List<OutputEvaluation> outputs)
            throws IOException {
        if (d.problem() != null) {
            for (OutputEvaluation o : outputs) {
                o.skip(d.problem());
            }
            return;
        }
        for (int i = 0; i < outputs.size(); i++) {
            OutputEvaluation o = outputs.get(i);
            OutputEvaluation.Pair p = i == 0 ? o.first(cm, cp)
                    : OutputEvaluation.Pair.of(cm.others.get(i - 1), cp == null ? null : cp.others.get(i - 1));
            o.measure(d, p);
        }
    }

    /**
     * Preprocessing recorded in the session's model metadata, else defaults for its input shape.
     *
     * @throws CoreException with {@link CoreStatus#NEEDS_PREPROCESSING} when neither tells the image size and layout
     */
    public static Preprocessing fromModel(OrtSession s) throws OrtException, CoreException {
        return EvaluationSessions.fromModel(s, null);
    }

    /**
     * How many models run at once, and on how many threads each: two runs side by side on half the cores each keep a
     * small machine busier than one run on all cores, whose threads wait for each other between operators (on a 2-core
     * VM the model and the parent ran side by side in 0.81x the time they took one after the other; see
     * {@link EvaluationSpeed}), and decoding and metrics fill the gaps.
     *
     * @return {@code {runs at once, intra-op threads per run}} for a machine with {@code cores} logical cores
     */
    public static int[] inferenceLayout(int cores) {
        return EvaluationSessions.inferenceLayout(cores);
    }
}
