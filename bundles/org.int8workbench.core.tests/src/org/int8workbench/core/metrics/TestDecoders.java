package org.int8workbench.core.metrics;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.function.Consumer;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.Prediction;

/** Decoders for the evaluator's tests: the default argmax path with a hook that runs first on each result. */
final class TestDecoders {
    private TestDecoders() {
    }

    /** The argmax decoder for {@code pre}, with {@code before} run on every result first (on the inference thread). */
    static LabelDecoder argmaxAfter(Preprocessing pre, Consumer<OrtSession.Result> before) {
        ArgmaxDecoder argmax = new ArgmaxDecoder(null, pre, null);
        return new LabelDecoder() {
            @Override
            public OutputKind kind() {
                return argmax.kind();
            }

            @Override
            public String description() {
                return argmax.description();
            }

            @Override
            public Prediction decode(OrtSession.Result result) throws OrtException {
                before.accept(result);
                return argmax.decode(result);
            }

            @Override
            public int[] decodeBatch(OrtSession.Result result) throws OrtException {
                before.accept(result);
                return argmax.decodeBatch(result);
            }
        };
    }
}
