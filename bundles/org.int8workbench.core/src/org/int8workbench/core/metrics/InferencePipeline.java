package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.Prediction;

/**
 * The evaluator's data and inference pipeline, one pass over the data: a decoder thread reads and preprocesses the
 * images ahead of inference, inference threads run the model and the parent side by side (one job each per image), and
 * the calling thread hands each image with both predictions to a {@link Measurement}, in the order of the data. Small
 * bounded queues and pools of input and output buffers keep the memory flat. Every thread is joined before
 * {@link #run} returns or throws, so the caller may close the sessions then, also after a failure or a cancellation.
 * <p>
 * It cannot deadlock: the decoder thread takes all buffers of an image (its input and its pinned outputs) when it
 * creates the image's work, in data order, and only the calling thread gives them back, in data order, once the
 * image is measured. The inference workers never wait for a buffer, so the oldest image in flight always has its
 * buffers and its runs finish; the pools only bound how many images are in flight. The waits of the calling thread
 * also look at the monitor, so a cancellation ends the pass within a model run.
 */
final class InferencePipeline {

    /** One decoded item, or the reason it could not be read. */
    record Decoded(Sample sample, BufferedImage image, LabelMask mask, SkippedItem problem) {
    }

    /** What the calling thread does with each item, in data order. */
    @FunctionalInterface
    interface Measurement {
        /**
         * @param model the model's capture; {@code null} when the item could not be read ({@link Decoded#problem})
         * @param parent the parent's capture, or {@code null} without a parent; both are discarded after the call
         */
        void measure(Decoded item, Captured model, Captured parent) throws IOException;
    }

    /**
     * One model's session, how its outputs become labels (one decoder per reported output, the first is
     * {@link #predictor}), and the summed time of its runs.
     */
    record Run(OrtSession session, String input, List<LabelDecoder> decoders, AtomicLong nanos) {
        Run {
            decoders = List.copyOf(decoders);
            if (decoders.isEmpty()) {
                throw new IllegalArgumentException("no output to decode");
            }
        }

        Run(OrtSession session, LabelDecoder predictor) {
            this(session, List.of(predictor));
        }

        Run(OrtSession session, List<LabelDecoder> decoders) {
            this(session, session.getInputNames().iterator().next(), decoders, new AtomicLong());
        }

        /** The decoder of the first reported output. */
        LabelDecoder predictor() {
            return decoders.get(0);
        }
    }

    /**
     * One image in flight: decoded, then run through the model and the parent by the inference workers (one job
     * each), then measured on the calling thread. The input tensor lives in a pooled direct buffer that both jobs read
     * without a copy.
     */
    private static final class Flight {
        final Decoded item;
        final OnnxTensor input;
        final FloatBuffer inputBuffer;
        final CountDownLatch pending;
        /**
         * The pinned outputs taken for the model's and the parent's run, or {@code null} (none pinned, or handed on by
         * the worker to the capture or back to the pool).
         */
        OnnxTensor modelOut;
        OnnxTensor parentOut;
        volatile Captured model;
        volatile Captured parent;
        /** Its buffers were given back (calling thread only). */
        boolean released;

        Flight(Decoded item, OnnxTensor input, FloatBuffer inputBuffer, int jobs) {
            this.item = item;
            this.input = input;
            this.inputBuffer = inputBuffer;
            this.pending = new CountDownLatch(jobs);
        }
    }

    /** One model run of one flight; {@code parent} tells which model. */
    private record Job(Flight flight, boolean parent) {
    }

    private static final Flight END_OF_FLIGHTS = new Flight(null, null, null, 0);
    private static final Job END_OF_JOBS = new Job(null, false);

    private final SegmentationDataset dataset;
    private final boolean strict;
    private final Preprocessing pre;
    private final Run model;
    private final Run parent;
    private final int workers;
    private long wallNanos;

    /**
     * @param parent the parent's run, or {@code null}
     * @param workers inference threads (see {@link EvaluateOperation#inferenceLayout})
     */
    InferencePipeline(SegmentationDataset dataset, boolean strict, Preprocessing pre, Run model, Run parent, int workers) {
        this.dataset = dataset;
        this.strict = strict;
        this.pre = pre;
        this.model = model;
        this.parent = parent;
        this.workers = workers;
    }

    /** Wall time of the last {@link #run}, from starting the threads to joining them. */
    long wallNanos() {
        return wallNanos;
    }

    /**
     * Runs the pass; one monitor step per item.
     *
     * @throws org.eclipse.core.runtime.OperationCanceledException when the monitor is cancelled, also while waiting for an
     *         image
     */
    void run(List<Sample> items, SubMonitor sub, Measurement measurement) throws OrtException, IOException {
        // the pinned outputs bound the images in flight: one measured by the calling thread, one run by each worker,
        // and one decoded ahead for the next free worker
        int count = workers + 2;
        // outputs are pinned only when one output is read (a pinned run returns the pinned output alone)
        try (PinnedOutputs pinned = model.decoders().size() > 1 ? null
                : PinnedOutputs.forSession(model.session(), model.predictor(), count);
                PinnedOutputs parentPinned = parent == null || parent.decoders().size() > 1 ? null
                        : PinnedOutputs.forSession(parent.session(), parent.predictor(), count)) {
            run(items, sub, measurement, pinned, parentPinned);
        }
    }

    private void run(List<Sample> items, SubMonitor sub, Measurement measurement, PinnedOutputs pinned, PinnedOutputs parentPinned)
            throws OrtException, IOException {
        int jobsPerImage = parent == null ? 1 : 2;
        // images decoded ahead of inference, and images between decoding and measurement
        BlockingQueue<Flight> flights = new ArrayBlockingQueue<>(workers + 3);
        BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(jobsPerImage * (workers + 3) + workers);
        BlockingQueue<FloatBuffer> inputs = new ArrayBlockingQueue<>(workers + 5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().daemon().name("int8wb-evaluate-decoder")
                .start(() -> decodeAll(items, flights, jobs, inputs, pinned, parentPinned, stop, failure)));
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().daemon().name("int8wb-evaluate-inference-" + w)
                    .start(() -> infer(jobs, pinned, parentPinned, stop, failure)));
        }
        Flight current = null;
        try {
            while (true) {
                Flight f = Handoff.take(flights, failure, sub);
                if (f == END_OF_FLIGHTS) {
                    break;
                }
                current = f;
                SubMonitor step = sub.split(1);
                step.subTask(f.item.sample().id());
                Handoff.await(f.pending, failure, sub);
                measurement.measure(f.item, f.model, f.parent);
                release(f, inputs, pinned, parentPinned);
                current = null;
            }
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.interrupt();
            }
            // a worker finishes the run it is in; only then may its input and the sessions be closed
            boolean interrupted = false;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (current != null) {
                release(current, inputs, pinned, parentPinned);
            }
            for (Flight f; (f = flights.poll()) != null;) {
                release(f, inputs, pinned, parentPinned);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        wallNanos = System.nanoTime() - start;
        Handoff.rethrow(failure.get());
    }

    /** Closes a flight's input tensor and gives back its buffers, once; only when no run of it is going on. */
    private static void release(Flight f, BlockingQueue<FloatBuffer> inputs, PinnedOutputs pinned, PinnedOutputs parentPinned) {
        if (f == END_OF_FLIGHTS || f.released) {
            return;
        }
        f.released = true;
        if (f.input != null) {
            f.input.close();
            inputs.offer(f.inputBuffer);
        }
        if (f.model != null) {
            f.model.discard();
        }
        if (f.parent != null) {
            f.parent.discard();
        }
        // outputs of runs that never happened (a failure or a cancellation came first)
        if (f.modelOut != null) {
            pinned.free.offer(f.modelOut);
            f.modelOut = null;
        }
        if (f.parentOut != null) {
            parentPinned.free.offer(f.parentOut);
            f.parentOut = null;
        }
    }

    /**
     * Decoder thread: reads and preprocesses items in order, takes each one's input and output buffers (waiting for the
     * measurement to give back those of earlier items), and hands it to the measurement and its jobs to the workers.
     */
    private void decodeAll(List<Sample> items, BlockingQueue<Flight> flights, BlockingQueue<Job> jobs, BlockingQueue<FloatBuffer> inputs,
            PinnedOutputs pinned, PinnedOutputs parentPinned, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        int created = 0;
        int capacity = inputs.remainingCapacity();
        float[] tensor = new float[pre.tensorSize()];
        try {
            long[] shape = pre.inputShape(Ort.inputShape(model.session())); // rank 3: no batch axis
            for (Sample s : items) {
                if (stop.get()) {
                    return;
                }
                Decoded d = decode(s, tensor);
                if (d.problem() != null) {
                    Handoff.offer(flights, new Flight(d, null, null, 0), stop);
                    continue;
                }
                FloatBuffer buffer = inputs.poll();
                if (buffer == null && created < capacity) {
                    buffer = ByteBuffer.allocateDirect(tensor.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    created++;
                }
                if (buffer == null) {
                    buffer = Handoff.poll(inputs, stop);
                }
                if (buffer == null || stop.get()) {
                    return;
                }
                OnnxTensor modelOut = pinned == null ? null : Handoff.poll(pinned.free, stop);
                OnnxTensor parentOut = parentPinned == null ? null : Handoff.poll(parentPinned.free, stop);
                if ((pinned != null && modelOut == null) || (parentPinned != null && parentOut == null) || stop.get()) {
                    return; // stopped; the pools are closed after this thread was joined
                }
                buffer.clear();
                buffer.put(tensor).flip();
                Flight f = new Flight(d, OnnxTensor.createTensor(Ort.env(), buffer, shape), buffer, parent == null ? 1 : 2);
                f.modelOut = modelOut;
                f.parentOut = parentOut;
                if (!Handoff.offer(flights, f, stop)) {
                    f.input.close();
                    return;
                }
                if (!Handoff.offer(jobs, new Job(f, false), stop) || (parent != null && !Handoff.offer(jobs, new Job(f, true), stop))) {
                    return;
                }
            }
            if (Handoff.offer(flights, END_OF_FLIGHTS, stop)) {
                for (int w = 0; w < workers; w++) {
                    Handoff.offer(jobs, END_OF_JOBS, stop);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Reads and preprocesses one item into {@code tensor}; an unreadable item is a problem unless strict. */
    Decoded decode(Sample s, float[] tensor) throws IOException {
        try {
            BufferedImage img = dataset.readImage(s);
            LabelMask mask = dataset.hasMasks() && s.mask() != null ? dataset.readMask(s) : null;
            if (mask != null) {
                Datasets.checkPair(s, img, mask);
            }
            pre.toTensor(img, tensor, 0);
            return new Decoded(s, img, mask, null);
        } catch (IOException e) {
            if (strict) {
                throw e;
            }
            String file = s.image() != null ? s.image().toString() : "";
            return new Decoded(s, null, null, new SkippedItem(s.id(), file, e.getMessage()));
        }
    }

    /**
     * Inference worker: runs jobs until the end of the data or a stop. It waits only for the next job: each job comes
     * with its output buffer.
     */
    private void infer(BlockingQueue<Job> jobs, PinnedOutputs pinned, PinnedOutputs parentPinned,
            AtomicBoolean stop, AtomicReference<Throwable> failure) {
        try {
            while (!stop.get()) {
                Job job = Handoff.poll(jobs, stop);
                if (job == END_OF_JOBS || job == null) {
                    return;
                }
                Flight f = job.flight();
                Captured c;
                if (job.parent()) {
                    OnnxTensor out = f.parentOut;
                    f.parentOut = null;
                    c = runOnce(parent, f.input, parentPinned, out);
                } else {
                    OnnxTensor out = f.modelOut;
                    f.modelOut = null;
                    c = runOnce(model, f.input, pinned, out);
                }
                if (job.parent()) {
                    f.parent = c;
                } else {
                    f.model = c;
                }
                f.pending.countDown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * One run into {@code out}, a pinned output of {@code pinned} ({@code null} without one), which the capture then
     * owns or which goes back to the pool.
     */
    static Captured runOnce(Run run, OnnxTensor tensor, PinnedOutputs pinned, OnnxTensor out) throws OrtException {
        OnnxTensor lent = out;
        boolean kept = false;
        try {
            long t0 = System.nanoTime();
            Map<String, OnnxTensor> in = Map.of(run.input(), tensor);
            try (OrtSession.Result r = lent == null ? run.session().run(in) : run.session().run(in, Map.of(pinned.name, lent))) {
                run.nanos().addAndGet(System.nanoTime() - t0);
                Captured c;
                if (run.predictor() instanceof ArgmaxDecoder ap) {
                    c = lent == null ? Captured.of(ap, r, null, null)
                            : Captured.of(ap, r, (FloatBuffer) lent.getBufferRef().orElseThrow(), () -> pinned.free.offer(lent));
                } else {
                    c = new Captured(null, run.predictor().decode(r), null, null, null, null);
                }
                if (run.decoders().size() > 1) {
                    List<Prediction> others = new ArrayList<>();
                    for (LabelDecoder d : run.decoders().subList(1, run.decoders().size())) {
                        others.add(d.decode(r));
                    }
                    c.others = List.copyOf(others);
                }
                kept = lent != null;
                return c;
            }
        } finally {
            if (lent != null && !kept) {
                pinned.free.offer(lent);
            }
        }
    }
}
