package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.FloatBuffer;
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
 * Every output kind is measured so (class scores, label maps, binary masks, multi-label and regression outputs). With
 * {@code draw}, {@link #evaluate(int, boolean)} also draws the item's picture and label map as the operation's settings
 * ask ({@link EvaluateOperation#renderImages}, {@link EvaluateOperation#saveLabelMaps}) and returns them as PNG bytes
 * with the result; the {@link Recorder} writes them into the report folder under the names the local run gives them.
 * <p>
 * {@link #evaluate} may be called from several threads at once: the sessions are shared (ONNX Runtime runs are
 * thread-safe), each thread measures with its own state.
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
     * item is a skipped result unless the operation is strict. Draws nothing.
     */
    public ItemResult evaluate(int index) throws CoreException {
        return evaluate(index, false);
    }

    /**
     * {@link #evaluate(int)}, and with {@code draw} the item's picture and label map as the operation asks for them, as
     * PNG bytes in the result (for a report folder written elsewhere, e.g. on the driver of a Spark cluster).
     */
    public ItemResult evaluate(int index, boolean draw) throws CoreException {
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
                    figures.add(o.item(d, p, draw));
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
     * written into the operation's report folder when it has one (JSON, HTML, CSV, and the pictures and label maps the
     * results carry).
     *
     * @param wallSeconds the time of the whole pass, for the report's timing
     * @param concurrentRuns model runs at once (e.g. task slots), for the timing
     */
    public AccuracyReport report(List<ItemResult> results, double wallSeconds, int concurrentRuns) throws CoreException {
        Recorder r = recorder();
        r.add(results);
        return r.report(wallSeconds, concurrentRuns);
    }

    /** A new recorder of this evaluation's results (one per pass). */
    public Recorder recorder() {
        return new Recorder();
    }

    /**
     * Records results in the order of the data as they arrive, in any order: each result is recorded (its pictures and
     * label maps written into the report folder, their bytes dropped) as soon as those of all earlier items are, and
     * only results that arrive ahead of an earlier one wait here. Not thread-safe: one thread adds.
     */
    public final class Recorder {

        private final List<OutputEvaluation> outputs;
        private final java.util.Map<Integer, ItemResult> waiting = new java.util.HashMap<>();
        private int next;
        private long modelNanos;
        private long parentNanos;

        private Recorder() {
            this.outputs = op.evaluations(sessions, dataset.skipped(), folder == null ? null : folder.path());
        }

        /** Adds results, recording those whose earlier items are all recorded. */
        public void add(List<ItemResult> results) throws CoreException {
            for (ItemResult r : results) {
                if (r.index() < 0 || r.index() >= items.size()) {
                    throw new IllegalArgumentException("item " + r.index() + " is not one of the " + items.size() + " items");
                }
                if (r.index() < next || waiting.putIfAbsent(r.index(), r) != null) {
                    throw new IllegalArgumentException("item " + r.index() + " has two results");
                }
            }
            for (ItemResult r = waiting.remove(next); r != null; r = waiting.remove(next)) {
                record(r);
                next++;
            }
        }

        /** Items recorded so far (the first {@code recorded()} of the data). */
        public int recorded() {
            return next;
        }

        private void record(ItemResult r) throws CoreException {
            modelNanos += r.modelNanos();
            parentNanos += r.parentNanos();
            SkippedItem problem = r.skipped();
            Sample s = items.get(r.index());
            try {
                for (int o = 0; o < outputs.size(); o++) {
                    if (problem != null) {
                        outputs.get(o).skip(problem);
                    } else {
                        outputs.get(o).record(s, (OutputEvaluation.Item) r.figures().get(o));
                    }
                }
            } catch (IOException e) {
                throw CoreStatus.exception("writing the report failed on " + s.id() + ": " + e.getMessage(), e);
            }
        }

        /**
         * The report of all items, written into the operation's report folder when it has one (JSON, HTML, CSV beside
         * the pictures and label maps recorded).
         *
         * @param wallSeconds the time of the whole pass, for the report's timing
         * @param concurrentRuns model runs at once (e.g. task slots), for the timing
         * @throws IllegalArgumentException when an item has no result
         */
        public AccuracyReport report(double wallSeconds, int concurrentRuns) throws CoreException {
            if (next < items.size()) {
                throw new IllegalArgumentException("item " + next + " (" + items.get(next).id() + ") has no result");
            }
            try {
                if (outputs.get(0).recorded() == 0) {
                    List<SkippedItem> skipped = outputs.get(0).skipped();
                    throw CoreStatus.exception("evaluation failed: none of the " + items.size() + " items could be read"
                            + (skipped.isEmpty() ? "" : "; the first problem: " + skipped.get(0).reason()), null);
                }
                EvaluationReport.Pass pass = new EvaluationReport.Pass(dataset, sessions.pre(), sessions.parentRun() != null,
                        folder != null && op.savesLabelMaps(), modelNanos / 1e9, parentNanos / 1e9, wallSeconds, concurrentRuns,
                        sessions.threads());
                AccuracyReport report = EvaluationReport.of(outputs, pass, sessions.modelRef(), sessions.parentRef());
                if (folder != null) {
                    AccuracyReportWriter.writeFiles(report, folder.path());
                    folder.commit();
                }
                return report;
            } catch (IOException e) {
                throw CoreStatus.exception("writing the report failed: " + e.getMessage(), e);
            }
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
