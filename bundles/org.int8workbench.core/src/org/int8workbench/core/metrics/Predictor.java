package org.int8workbench.core.metrics;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Turns a model's outputs into a label map at model-output resolution. {@link ArgmaxPredictor} handles logits and
 * label-map outputs; a model cut before its label head can plug in a predictor that computes the head itself.
 * Implementations must be thread-safe: {@link EvaluateOperation} calls one from several inference threads at once.
 */
@FunctionalInterface
public interface Predictor {

    /**
     * @param result the outputs of one run with a batch of one image; still owned (and closed) by the caller
     */
    Prediction predict(OrtSession.Result result) throws OrtException;
}
