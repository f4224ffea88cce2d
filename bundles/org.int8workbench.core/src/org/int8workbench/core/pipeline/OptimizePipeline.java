package org.int8workbench.core.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Json;
import org.int8workbench.core.accuracy.AccuracyAwareOperation;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.accuracy.Scorers;
import org.int8workbench.core.accuracy.Validation;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.head.CutHeadOperation.CutHeadResult;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.core.runs.RunOutcome;

/**
 * The one optimize pipeline: quantize → cut the exact label head → benchmark → compare predictions, each step as the
 * {@link PipelineRequest} says, the outputs named by its {@link OutputFiles}. {@code int8wb optimize}, {@code int8wb
 * demo} and the workbench's Optimize, Benchmark and Evaluate actions all run it, so one request gives the same kind
 * of measurement wherever it is started.
 *
 * <p>Which models are measured (one rule for every entry point):
 * <ul>
 * <li>The <em>measured model</em> is the fastest model the run has: the INT8 model cut before its head when the head
 * was cut (or given), else the INT8 model (quantized by this run, or the existing one).</li>
 * <li>The benchmark times, in one interleaved run per mode, the parent (when known), the INT8 model and, when there is
 * one, the INT8 model with the exact head; every speedup is against the parent. End-to-end figures decode each model's
 * labels with the decoder its model asks for (the exact label head for the cut model, argmax otherwise).</li>
 * <li>The comparison evaluates the measured model against the parent: with a head, the cut model with the head-aware
 * decoder, so the report measures exactly the labels the user's fastest model produces (bit for bit those of the full
 * INT8 graph).</li>
 * <li>Without an explicit preprocessing, the quantization's (from the model's metadata or its input shape) is used by
 * every later step.</li>
 * </ul>
 *
 * <p>Outputs are all or nothing. Before any work the run refuses an output that is one of its input models or lies
 * inside (or contains) a dataset folder it reads, even when replacing; and, unless the request allows replacing, an
 * output that exists. When replacing, every output that exists is first moved to a hidden backup beside it
 * ({@code .NAME.replaced-...}). Each file is written atomically; the new INT8 model and its head model are written under
 * hidden names ({@code .NAME.new-...}) and moved into place together once both exist. A JVM shutdown (Ctrl-C, SIGTERM)
 * before the end rolls the run back like a failure ({@link org.int8workbench.core.Temporaries}). When the run completes the backups are deleted; when
 * it is cancelled (through the monitor, stopping at the next check) or fails, everything this run wrote is deleted and
 * the backups are moved back, so the folder holds what it held before the run: the earlier outputs, consistent with
 * each other, or none. The parent model is never written.
 *
 * <p>A run that quantizes owns the name of the head model ({@link OutputFiles#head}) even when it cuts no head: a head
 * model there was cut from an earlier INT8 model, so it is refused without replacing, and when replacing it goes with
 * the INT8 model it belonged to (unless this run cuts a new one).
 */
public final class OptimizePipeline {

    /** The steps, announced as a sub-task with their label when they start. */
    public enum Step {
        /** Calibrate and quantize. */
        QUANTIZE("Quantizing"),
        /** The Accuracy-aware method: rank the groups and keep the most harmful in FP32. */
        ACCURACY_CONTROL("Keeping the layers that cost the most accuracy in FP32"),
        /** Cut the INT8 model before its segmentation head. */
        CUT_HEAD("Cutting the label head"),
        /** Benchmark parent, INT8 and INT8 with the exact head. */
        BENCHMARK("Benchmarking"),
        /** Compare predictions with the parent (and the ground truth). */
        COMPARE("Comparing predictions");

        private final String label;

        Step(String label) {
            this.label = label;
        }

        /** The sub-task name announced when the step starts. */
        public String label() {
            return label;
        }
    }

    private final PipelineRequest request;
    private Scorers scorers = Scorers.LOCAL;

    /** A pipeline that runs {@code request}. */
    public OptimizePipeline(PipelineRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    /**
     * Where the Accuracy-aware method scores its INT8 candidates (default {@link Scorers#LOCAL}: in this JVM; a cluster's
     * from {@code ClusterScoring.find().scorers(master)}).
     */
    public OptimizePipeline scorers(Scorers s) {
        this.scorers = Objects.requireNonNull(s, "scorers");
        return this;
    }

    /** Where the Accuracy-aware method scores its candidates. */
    public Scorers scorers() {
        return scorers;
    }

    /** The request this pipeline runs. */
    public PipelineRequest request() {
        return request;
    }

    /**
     * Runs the steps of the request.
     *
     * @throws CoreException saying what is wrong (a missing model, no calibration images, an existing output, an output
     *         that would overwrite an input, a model ONNX Runtime cannot run, ...); the outputs are then as before the run
     * @throws OperationCanceledException when cancelled; the outputs are then as before the run
     */
    public PipelineResult run(IProgressMonitor monitor) throws CoreException {
        OutputTransaction tx = new OutputTransaction();
        boolean done = false;
        try {
            checkInputs(request);
            List<Path> targets = PipelineTargets.of(request);
            PipelineTargets.refuseInputs(request, targets);
            PipelineTargets.refuseExisting(request);
            if (request.replace()) {
                tx.setAside(targets);
            }
            PipelineResult result = doRun(monitor, tx);
            tx.commit();
            done = true;
            recordRun(result);
            return result;
        } catch (IOException e) {
            throw CoreStatus.exception("cannot write the results: " + message(e), e);
        } finally {
            if (!done) {
                tx.rollback();
            }
        }
    }

    private PipelineResult doRun(IProgressMonitor monitor, OutputTransaction tx) throws CoreException, IOException {
        PipelineRequest r = request;
        OutputFiles out = r.outputs();
        PipelineRequest.Benchmark bench = r.benchmark();
        PipelineRequest.Compare compare = r.compare();
        int quantizeWork = r.accuracyControl() != null ? 100 : 45;
        int total = (r.quantizes() ? quantizeWork : 0) + (r.cutHead() ? 3 : 0) + (bench != null ? 27 : 0) + (compare != null ? 25 : 0);
        Path named = r.quantizes() ? r.model() : r.existing();
        SubMonitor sub = SubMonitor.convert(monitor, "Optimizing " + named.getFileName(), Math.max(1, total));

        // 0. the outputs read and as what, from the parent before any work: a selection that does not fit fails here
        List<ModelOutput> outputKinds = r.model() == null ? null : ModelOutputs.findOrNone(r.model(), r.preprocessing(), r.outputSelection());

        // 1. quantize, or start from the existing model
        QuantizationResult quantization = null;
        AccuracyAwareResult accuracyAware = null;
        Path int8;
        // the new models are written under hidden names beside their targets and moved into place together once both
        // exist, so that no stop in between (even a kill -9) leaves a new INT8 model without its head or beside a stale one
        Path stagedInt8 = r.quantizes() ? staged(out.int8()) : null;
        Preprocessing pre = r.preprocessing();
        if (r.accuracyControl() != null) {
            // the Accuracy-aware method: one calibration, INT8 candidates scored on the validation images, the chosen
            // model written
            QuantizeOperation q = quantize(r).output(stagedInt8);
            SubMonitor steps = sub.split(quantizeWork).setWorkRemaining(100);
            sub.subTask(Step.QUANTIZE.label());
            Calibration c = q.calibrate(steps.split(35));
            AccuracyControl control = r.accuracyControl();
            SegmentationDataset data = control.validation() != null ? control.validation()
                    : AccuracyAwareOperation.defaultValidation(r.calibration(), c);
            sub.subTask(Step.ACCURACY_CONTROL.label());
            try (Validation v = Validation.prepare(r.model(), data, c.preprocessing(), r.outputSelection(), control.metricOrNull(),
                    steps.split(10))) {
                accuracyAware = new AccuracyAwareOperation(c, v, control).scorers(scorers).run(steps.split(50));
            }
            sub.subTask(Step.QUANTIZE.label());
            tx.staged(stagedInt8);
            quantization = q.write(c, accuracyAware.keptFloat(), steps.split(5));
            int8 = stagedInt8;
            if (pre == null) {
                pre = quantization.preprocessing();
            }
        } else if (r.quantizes()) {
            sub.subTask(Step.QUANTIZE.label());
            tx.staged(stagedInt8);
            quantization = quantize(r).output(stagedInt8).run(sub.split(45));
            int8 = stagedInt8;
            if (pre == null) {
                pre = quantization.preprocessing();
            }
        } else {
            int8 = r.existing().toAbsolutePath().normalize();
            if (pre == null) {
                // the preprocessing the INT8 model records holds for its parent too (a parent with dynamic input
                // dimensions has no other source for its size)
                pre = ModelOutputs.recordedPreprocessing(int8);
            }
        }

        // 2. the exact label head
        CutHeadResult headCut = null;
        Path head = r.existingHead() == null ? null : r.existingHead().toAbsolutePath().normalize();
        if (r.cutHead()) {
            sub.subTask(Step.CUT_HEAD.label());
            Path target = stagedInt8 != null ? staged(out.head()) : out.head();
            if (stagedInt8 != null) {
                tx.staged(target);
            }
            headCut = new CutHeadOperation(int8).output(target).overwrite(r.replace()).run(sub.split(3));
            if (headCut.cut()) {
                head = headCut.output();
                if (stagedInt8 == null) {
                    tx.wrote(head);
                }
            }
        }
        if (stagedInt8 != null) {
            // both new models exist: into place, the head first (a stop between the two renames leaves at most a head
            // without its INT8 model for a moment, never a new INT8 model beside a stale head)
            tx.wrote(out.int8());
            if (head != null) {
                tx.wrote(out.head());
                move(head, out.head());
                head = out.head();
            }
            if (headCut != null) {
                headCut = new CutHeadResult(out.int8(), headCut.modelSha256(), head, headCut.outputSha256(), headCut.head(), headCut.reason(),
                        headCut.provenance());
            }
            move(stagedInt8, out.int8());
            int8 = out.int8();
            quantization = withOutput(quantization, int8);
        }
        Path parent = r.model() == null ? null : r.model().toAbsolutePath().normalize();
        Path measured = head != null ? head : int8;
        if (outputKinds == null) {
            outputKinds = ModelOutputs.findOrNone(int8, pre, r.outputSelection());
        }

        // 3. benchmark: parent, INT8 and INT8 with the exact head in one interleaved run per mode
        Map<Mode, BenchmarkResult> benchmarks = new LinkedHashMap<>();
        Map<Mode, Path> benchmarkFiles = new LinkedHashMap<>();
        if (bench != null) {
            sub.subTask(Step.BENCHMARK.label());
            SubMonitor modes = sub.split(27).setWorkRemaining(bench.modes().size());
            List<Path> models = new ArrayList<>();
            if (parent != null) {
                models.add(parent);
            }
            models.add(int8);
            if (head != null) {
                models.add(head);
            }
            boolean only = bench.modes().size() == 1;
            for (Mode mode : bench.modes()) {
                BenchmarkResult result = benchmark(models, mode, bench, pre, r.outputSelection()).run(modes.split(1));
                Path target = out.benchmark(mode, only);
                if (out.isReportFolder()) {
                    // the folder is this run's only when this run creates it; else only the report files in it are
                    List<Path> mine = Files.exists(target) ? PipelineTargets.reportFiles(target) : List.of(target);
                    try {
                        BenchmarkReportWriter.writeFiles(result, target, r.replace());
                    } finally {
                        mine.forEach(tx::wrote);
                    }
                } else {
                    Json.write(target, result, r.replace());
                    tx.wrote(target);
                }
                benchmarks.put(mode, result);
                benchmarkFiles.put(mode, out.benchmarkJson(mode, only));
            }
        }

        // 4. compare the measured model with the parent (and the ground truth)
        AccuracyReport accuracy = null;
        Path accuracyReport = null;
        if (compare != null) {
            sub.subTask(Step.COMPARE.label());
            EvaluateOperation ev = new EvaluateOperation().model(measured).dataset(compare.dataset()).reportDir(out.accuracyDir())
                    .overwrite(r.replace()).limit(compare.limit()).renderImages(compare.pictures()).outputs(r.outputSelection());
            if (parent != null) {
                ev.parent(parent);
            }
            if (pre != null) {
                ev.preprocessing(pre);
            }
            accuracy = ev.run(sub.split(25));
            tx.wrote(out.accuracyDir());
            accuracyReport = out.accuracyReport();
        }
        return new PipelineResult(quantization, headCut, parent, int8, head, measured, benchmarks, benchmarkFiles, accuracy, accuracyReport,
                tx.written(), outputKinds, accuracyAware);
    }

    /** A hidden, unused name beside {@code target} for writing it before it is moved into place. */
    private static Path staged(Path target) {
        Path dir = target.toAbsolutePath().normalize().getParent();
        java.util.Random random = new java.security.SecureRandom();
        Path p;
        do {
            p = dir.resolve("." + target.getFileName() + ".new-" + Long.toUnsignedString(random.nextLong(), 36));
        } while (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return p;
    }

    /** Moves a staged output into place (a rename in the same folder). */
    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code q} naming {@code output} as the model it wrote (it was written under a staged name). */
    private static QuantizationResult withOutput(QuantizationResult q, Path output) {
        return new QuantizationResult(q.sourceModel(), q.sourceSha256(), output.toString(), q.outputSha256(), q.settings(), q.preprocessing(),
                q.calibration(), q.calibrationImages(), q.quantizedNodes(), q.floatNodes(), q.integerNodes(), q.convNodes(),
                q.integerConvNodes(), q.ortFloatNodes(), q.optimizedGraph(), q.seconds(), q.calibrationSeconds(), q.nodes(), q.warnings(),
                q.provenance(), q.notes());
    }

    private QuantizeOperation quantize(PipelineRequest r) {
        QuantizationSettings s = r.quantization();
        QuantizeOperation q = new QuantizeOperation(r.model()).calibration(r.calibration()).preset(s.preset()).method(s.method())
                .percentile(s.percentile()).seed(s.seed()).ignore(s.ignoredScope()).keepFirstLast(s.keepFirstLast())
                .fastBiasCorrection(s.fastBiasCorrection()).output(r.outputs().int8()).overwrite(r.replace());
        if (s.subsetSize() > 0) {
            q.subset(s.subsetSize());
        } else {
            q.subsetPercent(s.subsetPercent());
        }
        if (r.preprocessing() != null) {
            q.preprocessing(r.preprocessing());
        }
        return q;
    }

    private static BenchmarkOperation benchmark(List<Path> models, Mode mode, PipelineRequest.Benchmark b, Preprocessing pre,
            OutputSelection selection) {
        BenchmarkOperation op = new BenchmarkOperation(models.get(0)).others(models.subList(1, models.size())).mode(mode)
                .seconds(b.seconds()).rounds(b.rounds()).seed(b.seed()).endToEnd(b.endToEnd()).profile(b.profile()).threads(b.threads());
        // end-to-end figures decode the outputs the user selected
        op.outputs(selection);
        if (b.images() != null) {
            op.dataset(b.images());
        }
        if (pre != null) {
            // also without images: a model with dynamic input dimensions gets its random input's size from it
            op.preprocessing(pre);
        }
        return op;
    }

    private static void checkInputs(PipelineRequest r) throws CoreException {
        for (Path p : new Path[] {r.model(), r.existing(), r.existingHead()}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw CoreStatus.exception("no model at " + p.toAbsolutePath().normalize()
                        + "; give the path of an .onnx file", null);
            }
        }
        if (r.quantizes() && r.calibration() == null) {
            throw CoreStatus.exception("no calibration images for quantizing " + r.model().getFileName()
                    + "; give a folder of images or a dataset", null);
        }
        // a size the model cannot take fails here, with the model's own size, not inside ONNX Runtime after calibration
        Preprocessing pre = r.preprocessing();
        Path sized = r.model() != null ? r.model() : r.existing();
        String problem = pre == null || sized == null ? null : sizeProblem(sized, pre.width(), pre.height(), pre.layout());
        if (problem != null) {
            throw CoreStatus.exception(sized.getFileName() + ": " + problem, null);
        }
    }

    /**
     * Why {@code model} cannot take images of {@code width x height} ({@link Preprocessing#checkRequestedSize}: larger
     * than the pixel limit, or not the size its input fixes), or {@code null} when it can; for a wizard's validation
     * before any work (opens the model to read its input shape).
     */
    public static String sizeProblem(Path model, int width, int height, Preprocessing.Layout layout) {
        try {
            Preprocessing.checkRequestedSize(width, height, ModelOutputs.inputShape(model), layout);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // ---- run history (issue 14, "Compare runs") ----

    private RunHistory history;
    private RunHistory.Run recorded;
    private String historyProblem;

    /**
     * Remembers every completed run that quantizes in {@code h} (its settings, figures and copies of its INT8 models);
     * {@code null} (the default) remembers nothing. A run that cannot be remembered still succeeds:
     * {@link #historyProblem()} then says why.
     */
    public OptimizePipeline withHistory(RunHistory h) {
        this.history = h;
        return this;
    }

    /** The run remembered by the last {@link #run}, or {@code null}. */
    public RunHistory.Run recordedRun() {
        return recorded;
    }

    /** Why the last {@link #run} could not be remembered, or {@code null}. */
    public String historyProblem() {
        return historyProblem;
    }

    private void recordRun(PipelineResult r) {
        recorded = null;
        historyProblem = null;
        if (history == null || r.quantization() == null || r.parent() == null) {
            return;
        }
        try {
            recorded = history.record(new RunOutcome(r.parent(), r.int8(), r.head(), r.measured(), null, r.quantization(),
                    List.copyOf(r.benchmarks().values()), List.copyOf(r.benchmarkFiles().values()), r.accuracy(), r.accuracyReport(),
                    List.of()));
        } catch (IOException | RuntimeException e) {
            historyProblem = "the run was not remembered in the run history: " + message(e);
        }
    }
}
