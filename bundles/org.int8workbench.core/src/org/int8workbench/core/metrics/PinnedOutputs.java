package org.int8workbench.core.metrics;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.int8workbench.core.Ort;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;

/**
 * Output tensors ONNX Runtime writes into directly, lent to one run and its measurement at a time: the evaluator
 * saves a copy of the logits per run with them. Closing closes every tensor, lent or not, so it is closed only after
 * every run that may use one has ended.
 */
final class PinnedOutputs implements AutoCloseable {
    final String name;
    final BlockingQueue<OnnxTensor> free;
    private final List<OnnxTensor> all = new ArrayList<>();

    private PinnedOutputs(String name, long[] shape, int count) throws OrtException {
        this.name = name;
        this.free = new ArrayBlockingQueue<>(count);
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        try {
            for (int i = 0; i < count; i++) {
                FloatBuffer b = ByteBuffer.allocateDirect((int) size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), b, shape);
                all.add(t);
                free.add(t);
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * {@code count} pinned outputs when the predictor reads only the model's first output and that output is a float
     * tensor of fixed shape; else {@code null} (the runs then let ONNX Runtime allocate their outputs).
     */
    static PinnedOutputs forSession(OrtSession s, LabelDecoder p, int count) throws OrtException {
        if (!(p instanceof ArgmaxDecoder ap) || ap.outputName() != null) {
            return null;
        }
        NodeInfo first = s.getOutputInfo().values().iterator().next();
        if (!(first.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            return null;
        }
        long size = 1;
        for (long d : ti.getShape()) {
            if (d <= 0) {
                return null;
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE / 4) {
            return null;
        }
        return new PinnedOutputs(first.getName(), ti.getShape(), count);
    }

    @Override
    public void close() {
        for (OnnxTensor t : all) {
            t.close();
        }
    }
}
