package org.int8workbench.core.quantize;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.Ort;

/**
 * Runs a model in ONNX Runtime with chosen intermediate tensors exposed as extra graph outputs (the model is
 * augmented in memory and handed to ONNX Runtime as bytes; nothing is written to disk).
 */
public final class ModelRunner implements AutoCloseable {

    /** Receives one exposed tensor of one image. */
    @FunctionalInterface
    public interface Sink {
        void accept(String tensor, FloatBuffer values, long[] shape);
    }

    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final String input;
    private final Set<String> outputs;

    /**
     * @param model the model, with external data inlined
     * @param tensors float tensors to expose
     * @param level ONNX Runtime optimization level (NO_OPT to run a QDQ model as written, i.e. simulated)
     */
    public ModelRunner(ModelProto model, List<String> tensors, OptLevel level) throws OrtException {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> existing = new HashSet<>();
        for (ValueInfoProto v : g.getOutputList()) {
            existing.add(v.getName());
        }
        for (String t : tensors) {
            if (existing.add(t)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        byte[] bytes = model.toBuilder().setGraph(g).build().toByteArray();
        options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(level);
            session = Ort.env().createSession(bytes, options);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
        if (session.getInputNames().size() != 1) {
            close();
            throw new IllegalArgumentException("the model has " + session.getInputNames().size()
                    + " inputs; calibration supports models with one image input");
        }
        input = session.getInputNames().iterator().next();
        outputs = new LinkedHashSet<>(tensors);
    }

    /** Runs one input and hands every exposed tensor to {@code sink}. */
    public void run(float[] data, long[] shape, Sink sink) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(data), shape);
                OrtSession.Result r = session.run(Map.of(input, in), outputs)) {
            for (Map.Entry<String, OnnxValue> e : r) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                sink.accept(e.getKey(), t.getFloatBuffer(), t.getInfo().getShape());
            }
        }
    }

    /** The model's input shape as ONNX Runtime reports it (-1 for symbolic dimensions). */
    public long[] inputShape() throws OrtException {
        return ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release
        } finally {
            options.close();
        }
    }
}
