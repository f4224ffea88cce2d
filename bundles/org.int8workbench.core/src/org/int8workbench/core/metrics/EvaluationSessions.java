package org.int8workbench.core.metrics;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.labels.ScoreLayout;
import org.int8workbench.core.report.AccuracyReport;

/**
 * The checks and settings around the evaluator's sessions: the model files as the report names them, the options and
 * thread layout of the sessions, the preprocessing taken from a model, whether a model's input fits the preprocessing,
 * and the label set grown to the model's class count. {@link #open} puts them together for {@link EvaluateOperation} and
 * {@link PredictOperation}; {@link EvaluationSpeed} uses the options and layout, so that all three run the models the
 * same way.
 */
final class EvaluationSessions {

    private EvaluationSessions() {
    }

    /** A model file as the report names it: absolute path, SHA-256 and size. */
    static AccuracyReport.Model describe(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new NoSuchFileException(abs.toString(), null, "the model file does not exist");
        }
        return new AccuracyReport.Model(abs.toString(), Sha256.of(abs), Files.size(abs));
    }

    /** See {@link EvaluateOperation#inferenceLayout}. */
    static int[] inferenceLayout(int cores) {
        int workers = Math.max(1, Math.min(2, cores));
        return new int[] {workers, Math.max(1, cores / workers)};
    }

    /**
     * The options of the evaluator's sessions: full graph optimisation, {@code threads} intra-op threads that do not
     * spin between operators (ONNX Runtime's default), since the other run, the decoder and the metrics need those
     * cycles. {@link EvaluationSpeed} times pure inference side by side with the same options.
     */
    static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setIntraOpNumThreads(threads);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /**
     * See {@link EvaluateOperation#fromModel}; {@code name} names the model in the refusal ({@code null}: "the model").
     *
     * @throws CoreException with {@link CoreStatus#NEEDS_PREPROCESSING} when the input shape does not tell the size
     */
    static Preprocessing fromModel(OrtSession s, Object name) throws OrtException, CoreException {
        long[] shape = ((TensorInfo) s.getInputInfo().values().iterator().next().getInfo()).getShape();
        return Preprocessing.forModel(s.getMetadata().getCustomMetadata(), shape)
                .orElseThrow(() -> CoreStatus.needsPreprocessing(name, shape));
    }

    /** Fails with a message naming the model when its first input is not a float image of the preprocessing's shape. */
    static void checkInput(OrtSession s, Preprocessing pre, Path file) throws OrtException {
        NodeInfo in = s.getInputInfo().values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(file.getFileName() + ": the first input '" + in.getName()
                    + "' is not a float tensor; evaluation feeds float images");
        }
        long[] shape = ti.getShape();
        String rank = Preprocessing.rankProblem(shape.length);
        if (rank != null) {
            throw new IllegalArgumentException(file.getFileName() + ": input '" + in.getName() + "' has shape "
                    + Arrays.toString(shape) + "; " + rank);
        }
        long[] want = pre.inputShape(shape);
        for (int i = 0; i < want.length; i++) {
            if (shape[i] > 0 && shape[i] != want[i]) {
                throw new IllegalArgumentException(file.getFileName() + ": input '" + in.getName() + "' has shape "
                        + Arrays.toString(shape) + " but the preprocessing (" + pre.describe() + ") gives "
                        + Arrays.toString(want) + "; fix the input size or layout");
            }
        }
    }

    /** The label set grown to the model's class count with generated names and colours. */
    static ClassInfo extendClasses(ClassInfo base, OrtSession s, Preprocessing pre) throws OrtException {
        int n = base.count();
        NodeInfo out = s.getOutputInfo().values().iterator().next();
        if (out.getInfo() instanceof TensorInfo ti) {
            n = Math.max(n, ScoreLayout.classCount(ti.getShape(), pre));
        }
        if (n <= 0) {
            n = 256;
        }
        if (n == base.count()) {
            return base;
        }
        List<String> names = new ArrayList<>(base.names());
        List<Integer> colors = new ArrayList<>(base.colors());
        List<Integer> extra = ClassInfo.distinctColors(n);
        for (int i = base.count(); i < n; i++) {
            names.add("class " + i);
            colors.add(extra.get(i));
        }
        return new ClassInfo(names, colors, base.ignoreLabel());
    }

    /**
     * Opens the sessions of a model and its optional parent the same way for every pass: the files described (they
     * must exist), the sessions in the {@link #inferenceLayout}, the preprocessing ({@code given}, else
     * {@link #fromModel}) checked against both inputs, {@code classes} grown to the model's class count, and a run per
     * session with its decoders: {@code predictor} when given, else {@link LabelDecoders#forModel} with
     * {@code selection} (one decoder per reported output; the parent's are matched to the model's by output name, see
     * {@link #matchParent}). Two monitor steps.
     */
    static Opened open(Path model, Path parent, Preprocessing given, ClassInfo classes, LabelDecoder predictor,
            LabelDecoder parentPredictor, OutputSelection selection, IProgressMonitor monitor)
            throws IOException, OrtException, CoreException {
        return open(model, parent, given, classes, predictor == null ? null : List.of(predictor),
                parentPredictor == null ? null : List.of(parentPredictor), selection, monitor);
    }

    /** {@link #open} with the decoders of every reported output given ({@code null}: from the model). */
    static Opened open(Path model, Path parent, Preprocessing given, ClassInfo classes, List<LabelDecoder> predictors,
            List<LabelDecoder> parentPredictors, OutputSelection selection, IProgressMonitor monitor)
            throws IOException, OrtException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, 2);
        AccuracyReport.Model modelRef = describe(model);
        AccuracyReport.Model parentRef = parent == null ? null : describe(parent);
        sub.split(1);
        int[] layout = inferenceLayout(Runtime.getRuntime().availableProcessors());
        List<AutoCloseable> open = new ArrayList<>();
        try {
            OrtSession.SessionOptions options = EvaluationSessions.sessionOptions(layout[1]);
            open.add(options);
            OrtSession session = Ort.env().createSession(model.toString(), options);
            open.add(session);
            OrtSession parentSession = null;
            if (parent != null) {
                parentSession = Ort.env().createSession(parent.toString(), options);
                open.add(parentSession);
            }
            sub.split(1);
            Preprocessing pre = given != null ? given : fromModel(session, model.getFileName());
            checkInput(session, pre, model);
            if (parentSession != null) {
                checkInput(parentSession, pre, parent);
            }
            ClassInfo cls = extendClasses(classes, session, pre);
            List<LabelDecoder> decoders = predictors != null ? predictors
                    : LabelDecoders.forModel(model, session, pre, selection);
            InferencePipeline.Run run = new InferencePipeline.Run(session, decoders);
            InferencePipeline.Run parentRun = null;
            if (parentSession != null) {
                List<LabelDecoder> parentDecoders = parentPredictors != null ? parentPredictors
                        : LabelDecoders.forModel(parent, parentSession, pre, selection);
                parentRun = new InferencePipeline.Run(parentSession, matchParent(decoders, parentDecoders, model, parent));
            }
            return new Opened(modelRef, parentRef, pre, cls, run, parentRun, layout[0], layout[1], List.copyOf(open),
                    outputNames(session, decoders));
        } catch (OrtException | CoreException | IOException | RuntimeException | Error e) {
            close(open, e);
            throw e;
        }
    }

    /**
     * The parent's decoders in the order of the model's: with one output each they are paired whatever their names (a
     * model cut before its head reads another output than its parent); with several, by output name.
     *
     * @throws IllegalArgumentException when the two models do not report the same outputs
     */
    static List<LabelDecoder> matchParent(List<LabelDecoder> model, List<LabelDecoder> parent, Path modelFile, Path parentFile) {
        if (model.size() == 1 && parent.size() == 1) {
            return parent;
        }
        List<LabelDecoder> out = new ArrayList<>();
        for (LabelDecoder d : model) {
            String name = d.output().name();
            LabelDecoder match = null;
            for (LabelDecoder p : parent) {
                if (java.util.Objects.equals(name, p.output().name())) {
                    match = p;
                }
            }
            if (match == null || model.size() != parent.size()) {
                throw new IllegalArgumentException("the models report different outputs: " + modelFile.getFileName() + " "
                        + names(model) + ", parent " + parentFile.getFileName() + " " + names(parent)
                        + "; compare models with the same outputs, or choose one output with --output-name");
            }
            out.add(match);
        }
        return out;
    }

    private static List<String> names(List<LabelDecoder> decoders) {
        List<String> n = new ArrayList<>();
        for (LabelDecoder d : decoders) {
            n.add(d.output().name() + " (" + d.kind().cliName() + ")");
        }
        return n;
    }

    /** The graph output name each decoder reads: its own, else the session's first output. */
    private static List<String> outputNames(OrtSession session, List<LabelDecoder> decoders) throws OrtException {
        String first = session.getOutputNames().iterator().next();
        List<String> n = new ArrayList<>();
        for (LabelDecoder d : decoders) {
            n.add(d.output().name() != null ? d.output().name() : first);
        }
        return n;
    }

    /**
     * The opened sessions with what was settled on the way; closing closes the sessions and their options.
     *
     * @param parentRef the parent's description, or {@code null} without a parent
     * @param parentRun the parent's run, or {@code null} without a parent
     * @param workers inference threads, runs at once
     * @param threads intra-op threads per run
     * @param outputNames the graph output each of the model's decoders reads
     */
    record Opened(AccuracyReport.Model modelRef, AccuracyReport.Model parentRef, Preprocessing pre, ClassInfo classes,
            InferencePipeline.Run run, InferencePipeline.Run parentRun, int workers, int threads, List<AutoCloseable> resources,
            List<String> outputNames) implements AutoCloseable {
        @Override
        public void close() {
            EvaluationSessions.close(resources, null);
        }
    }

    /** Closes {@code open} last first; a failure on the way is added to {@code primary}, else rethrown at the end. */
    private static void close(List<AutoCloseable> open, Throwable primary) {
        RuntimeException first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
