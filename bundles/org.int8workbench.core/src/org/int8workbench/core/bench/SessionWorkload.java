package org.int8workbench.core.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.int8workbench.core.labels.LabelDecoder;

/**
 * One model's requests for the {@link BenchmarkScheduler}: {@code session.run} on pre-built inputs (cycled per
 * stream), closing the outputs; end to end also decodes the label map of every reported output. Does not own the session or the input
 * tensors; {@link #close()} releases only its per-stream {@code RunOptions}.
 */
public final class SessionWorkload implements BenchmarkScheduler.Workload, AutoCloseable {
    private final String name;
    private final OrtSession session;
    private final List<Map<String, OnnxTensor>> inputs;
    private final List<LabelDecoder> decoders;
    private final OrtSession.RunOptions[] runOptions;
    private final int[] cursor;
    private volatile long sink;

    /**
     * @param inputs pre-built input maps, used in turn (at least one)
     * @param decoder label decoder for end-to-end requests, or {@code null} when only model-only requests are made
     * @param streams the largest number of concurrent requests
     */
    public SessionWorkload(String name, OrtSession session, List<Map<String, OnnxTensor>> inputs, LabelDecoder decoder,
            int streams) throws OrtException {
        this(name, session, inputs, streams, decoder != null ? List.of(decoder) : List.of());
    }

    /**
     * @param inputs pre-built input maps, used in turn (at least one)
     * @param streams the largest number of concurrent requests
     * @param decoders label decoders for end-to-end requests, each applied to every result (one per reported output);
     *        empty when only model-only requests are made
     */
    public SessionWorkload(String name, OrtSession session, List<Map<String, OnnxTensor>> inputs, int streams,
            List<LabelDecoder> decoders) throws OrtException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs for " + name);
        }
        this.name = name;
        this.session = Objects.requireNonNull(session);
        this.inputs = List.copyOf(inputs);
        this.decoders = List.copyOf(decoders);
        this.runOptions = new OrtSession.RunOptions[streams];
        this.cursor = new int[streams * 16]; // one cache line apart per stream
        for (int i = 0; i < streams; i++) {
            runOptions[i] = new OrtSession.RunOptions();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void request(int stream, boolean endToEnd) throws OrtException {
        int c = cursor[stream * 16];
        cursor[stream * 16] = c + 1 == inputs.size() ? 0 : c + 1;
        try (OrtSession.Result r = session.run(inputs.get(c), runOptions[stream])) {
            if (endToEnd) {
                for (LabelDecoder d : decoders) {
                    int[] labels = d.decodeBatch(r);
                    sink += labels.length == 0 ? 0 : labels[labels.length >> 1];
                }
            }
        }
    }

    @Override
    public void terminate() {
        for (OrtSession.RunOptions o : runOptions) {
            try {
                o.setTerminate(true);
            } catch (OrtException | IllegalStateException e) {
                // already closed: nothing in flight
            }
        }
    }

    /** The first decoder of end-to-end requests, or {@code null} when there is none. */
    public LabelDecoder decoder() {
        return decoders.isEmpty() ? null : decoders.get(0);
    }

    /** The decoders of end-to-end requests, one per reported output. */
    public List<LabelDecoder> decoders() {
        return decoders;
    }

    @Override
    public void close() {
        for (OrtSession.RunOptions o : runOptions) {
            o.close();
        }
    }

    @Override
    public String toString() {
        return name + " (" + sink + ")";
    }
}
