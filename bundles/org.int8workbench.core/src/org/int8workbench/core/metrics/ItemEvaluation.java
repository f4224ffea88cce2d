package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;

/**
 * The evaluation of {@link EvaluateOperation} one item at a time, for running the items elsewhere than in one pass
 * (e.g. on the executors of a Spark cluster): {@link #evaluate} reads one item, runs the model and the parent on it and
 * measures it, giving a serializable {@link ItemResult}; {@link #report} records the results of all items in the order
 * of the data into the same report a local run gives. Measuring and recording are the local run's own code
 * ({@code OutputEvaluation.figures} and {@code record}, which its {@code measure} is made of), so the confusion matrices,
 * rows and figures are the same whatever the order or the place the items were evaluated in.
 * <p>
 * {@link #evaluate} may be called from several threads at once: the sessions are shared (ONNX Runtime runs are
 * thread-safe), each thread measures with its own state. Pictures and label maps are not drawn. Label outputs (class
 * scores, label maps, binary masks) only: multi-label and regression outputs are refused by
 * {@link EvaluateOperation#open}.
 */
public final class ItemEvaluation implements AutoCloseable {

    private final EvaluateOperation op;
    private final SegmentationDataset dataset;
    private final List<Sample> items;
    private final EvaluationSessions.Opened sessions;
    private final AtomicFolder folder;
    private final InferencePipeline decoder;
    /** Each thread's tensor and measuring state (the outputs' evaluations, whose totals are never used). */
    private final ThreadLocal<Worker> workers;

    private record Worker(float[] tensor, List<OutputEvaluation> outputs) {
    }

    ItemEvaluation(EvaluateOperation op, SegmentationDataset dataset, List<Sample> items, boolean strict, EvaluationSessions.Opened s,
            AtomicFolder folder) {
        this.op = op;
        this.dataset = dataset;
        this.items = List.copyOf(items);
        this.sessions = s;
        this.folder = folder;
        this.decoder = new InferencePipeline(dataset, strict, s.pre(), s.run(), s.parentRun(), 1);
        this.workers = ThreadLocal.withInitial(() -> new Worker(new float[s.pre().tensorSize()], op.evaluations(s, List.of(), null)));
    }

    /** The items to evaluate (the dataset's, up to the operation's limit), in the order of the report. */
    public List<Sample> items() {
        return items;
    }

    /**
     * Reads item {@code index} of {@link #items()}, runs the model and the parent on it and measures it; an unreadable
     * item is a skipped result unless the operation is strict.
     */
    public ItemResult evaluate(int index) throws CoreException {
        Sample s = items.get(index);
        Worker w = workers.get();
        try {
            InferencePipeline.Decoded d = decoder.decode(s, w.tensor());
            if (d.problem() != null) {
                return new ItemResult(index, d.problem(), List.of(), 0, 0);
            }
            Captured cm = null;
            Captured cp = null;
            long modelNanos;
            long parentNanos = 0;
            try (OnnxTensor input = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(w.tensor()), sessions.pre().shape(1))) {
                long t0 = System.nanoTime();
                cm = InferencePipeline.runOnce(sessions.run(), input, null, null);
                modelNanos = System.nanoTime() - t0;
                if (sessions.parentRun() != null) {
                    long t1 = System.nanoTime();
                    cp = InferencePipeline.runOnce(sessions.parentRun(), input, null, null);
                    parentNanos = System.nanoTime() - t1;
                }
                List<Serializable> figures = new ArrayList<>();
                for (int i = 0; i < w.outputs().size(); i++) {
                    OutputEvaluation o = w.outputs().get(i);
                    OutputEvaluation.Pair p = i == 0 ? o.first(cm, cp)
                            : OutputEvaluation.Pair.of(cm.others.get(i - 1), cp == null ? null : cp.others.get(i - 1));
                    figures.add(o.figures(d, p));
                }
                return new ItemResult(index, null, List.copyOf(figures), modelNanos, parentNanos);
            } finally {
                if (cm != null) {
                    cm.discard();
                }
                if (cp != null) {
                    cp.discard();
                }
            }
        } catch (OrtException e) {
            throw CoreStatus.exception("ONNX Runtime failed on " + s.id() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw CoreStatus.exception("evaluation failed on " + s.id() + ": " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /**
     * The report of the results of all {@link #items()}, recorded in the order of the data whatever the order given, and
     * written into the operation's report folder when it has one (JSON, HTML, CSV).
     *
     * @param wallSeconds the time of the whole pass, for the report's timing
     * @param concurrentRuns model runs at once (e.g. task slots), for the timing
     */
    public AccuracyReport report(List<ItemResult> results, double wallSeconds, int concurrentRuns) throws CoreException {
        ItemResult[] ordered = new ItemResult[items.size()];
        for (ItemResult r : results) {
            if (ordered[r.index()] != null) {
                throw new IllegalArgumentException("item " + r.index() + " has two results");
            }
            ordered[r.index()] = r;
        }
        List<OutputEvaluation> outputs = op.evaluations(sessions, dataset.skipped(), null);
        long modelNanos = 0;
        long parentNanos = 0;
        for (int i = 0; i < ordered.length; i++) {
            ItemResult r = ordered[i];
            if (r == null) {
                throw new IllegalArgumentException("item " + i + " (" + items.get(i).id() + ") has no result");
            }
            modelNanos += r.modelNanos();
            parentNanos += r.parentNanos();
            SkippedItem problem = r.skipped();
            for (int o = 0; o < outputs.size(); o++) {
                if (problem != null) {
                    outputs.get(o).skip(problem);
                } else {
                    outputs.get(o).record(items.get(i), r.figures().get(o));
                }
            }
        }
        try {
            if (outputs.get(0).recorded() == 0) {
                List<SkippedItem> skipped = outputs.get(0).skipped();
                throw CoreStatus.exception("evaluation failed: none of the " + items.size() + " items could be read"
                        + (skipped.isEmpty() ? "" : "; the first problem: " + skipped.get(0).reason()), null);
            }
            EvaluationReport.Pass pass = new EvaluationReport.Pass(dataset, sessions.pre(), sessions.parentRun() != null, false,
                    modelNanos / 1e9, parentNanos / 1e9, wallSeconds, concurrentRuns, sessions.threads());
            AccuracyReport report = EvaluationReport.of(outputs, pass, sessions.modelRef(), sessions.parentRef());
            if (folder != null) {
                Path out = folder.path();
                AccuracyReportWriter.writeFiles(report, out);
                folder.commit();
            }
            return report;
        } catch (IOException e) {
            throw CoreStatus.exception("writing the report failed: " + e.getMessage(), e);
        }
    }

    /** Closes the sessions, and drops the report folder when {@link #report} did not write it. */
    @Override
    public void close() {
        try {
            sessions.close();
        } finally {
            if (folder != null) {
                folder.close();
            }
        }
    }
}
