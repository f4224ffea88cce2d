package org.int8workbench.core.labels;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * How a model's outputs become labels: the one decoder the benchmark (end to end), the evaluator, Visualize and the
 * generated code's expectations share. {@link LabelDecoders#forModel} chooses one per reported output from the model
 * file ({@link LabelDecoders#forSession} from a session alone). Implementations
 * are immutable (or otherwise safe for concurrent use): the evaluator and the throughput benchmark call one decoder
 * from several threads at once. Neither method closes the result, which stays owned by the caller.
 */
public interface LabelDecoder {

    /** What the model outputs, and so how this decoder reads it. */
    OutputKind kind();

    /** What it does, for reports, e.g. {@code argmax over axis 1 (NCHW, Java)}. */
    String description();

    /**
     * The output this decoder reads, its kind and why that kind. The default names no output (the first one) and
     * gives {@link #description} as the reason.
     */
    default ModelOutput output() {
        return new ModelOutput(null, kind(), -1, java.util.List.of(), false, null, description());
    }

    /**
     * The prediction for a run with a batch of one image: the label map at the resolution of the model's output
     * (normally the model-input size), with the raw scores when the kind has comparable ones.
     *
     * @throws IllegalArgumentException when the output is missing or its shape or type is not what this decoder reads
     */
    Prediction decode(OrtSession.Result result) throws OrtException;

    /**
     * The label maps of every image of a batch, concatenated ({@code batch * height * width} labels, row-major), with
     * the same labels as {@link #decode} and without keeping the raw scores; for the benchmark's end-to-end requests.
     */
    int[] decodeBatch(OrtSession.Result result) throws OrtException;

    /**
     * Chooses the decoder for a model. {@link LabelDecoders#forSession} is the one the core uses; another factory is a
     * seam for tests and for callers that decode differently on purpose.
     */
    @FunctionalInterface
    interface Factory {
        /**
         * @param preprocessing the model's input size and layout, or {@code null} to read them from the model
         */
        LabelDecoder create(OrtSession session, Preprocessing preprocessing) throws OrtException;
    }
}
