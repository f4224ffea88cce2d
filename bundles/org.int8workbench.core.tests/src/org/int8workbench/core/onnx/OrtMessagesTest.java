package org.int8workbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's error texts (as ONNX Runtime 1.29 writes them) made readable, and random bytes not called truncated. */
class OrtMessagesTest {

    static final String EMPTY = "Error code - ORT_FAIL - message: Load model from empty.onnx failed:/onnxruntime_src/onnxruntime/core/graph/"
            + "model.cc:177 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const "
            + "onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const onnxruntime::ModelOptions&) "
            + "ModelProto does not have a graph.\\n";

    @Test
    void withoutStatusSourcePathAndSignature() {
        assertTrue(OrtMessages.isOrtText(EMPTY));
        assertEquals("ModelProto does not have a graph.", OrtMessages.clean(EMPTY));
        assertEquals(Path.of("empty.onnx"), OrtMessages.failedModel(EMPTY));
        assertEquals("Invalid model. Node input 'nope' is not a graph input, initializer, or output of a previous node.",
                OrtMessages.clean("Error code - ORT_INVALID_ARGUMENT - message: Load model from m.onnx failed:Invalid model. Node input "
                        + "'nope' is not a graph input, initializer, or output of a previous node."));
        String run = "Error code - ORT_INVALID_ARGUMENT - message: Got invalid dimensions for input: X for the following indices\n"
                + " index: 2 Got: 300 Expected: 257\n Please fix either the inputs/outputs or the model.";
        assertEquals("Got invalid dimensions for input: X for the following indices index: 2 Got: 300 Expected: 257 Please fix either the"
                + " inputs/outputs or the model.", OrtMessages.clean(run));
        assertNull(OrtMessages.failedModel(run));
        assertFalse(OrtMessages.isOrtText("no such file: model.onnx"));
        assertEquals("invalid model: node 'Op_0' (FancyOp): No Op registered for FancyOp with domain_version of 13", OrtMessages.clean(
                "Error code - ORT_INVALID_GRAPH - message: Load model from u.onnx failed:This is an invalid model. In Node, (\"Op_0\", FancyOp, \"\","
                        + " -1) : (\"X\": tensor(float),) -> (\"Y\": tensor(float),) , Error No Op registered for FancyOp with domain_version of 13"));
    }

    @Test
    void randomBytesAreNotCalledTruncated() {
        Random r = new Random(1);
        int truncated = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[1 + r.nextInt(3000)];
            r.nextBytes(b);
            try {
                OnnxModel.fromBytes(b, Path.of("random.onnx"));
            } catch (InvalidModelException e) {
                if (e.problem().startsWith("truncated")) {
                    truncated++;
                }
            }
        }
        // only files that start like a model (ir_version first, then a ModelProto field) are called truncated: about 1 in 25,000
        assertTrue(truncated <= 2, truncated + " random files called truncated");
    }
}
