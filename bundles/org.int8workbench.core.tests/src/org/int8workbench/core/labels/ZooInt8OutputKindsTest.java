package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * An INT8 model (QDQ around its operators, quantized by the core from a zoo model) reads like its parent: the same
 * output kinds and reasons, with the preprocessing its metadata records.
 */
class ZooInt8OutputKindsTest {

    @Test
    void int8SelfieAndPanKeepTheirParentsKinds() throws Exception {
        Preprocessing selfie = Preprocessing.defaults(256, 256, Layout.NHWC).withNormalization(Rgb.all(0), Rgb.all(255));
        Preprocessing pan = Preprocessing.defaults(512, 512, Layout.NCHW)
                .withNormalization(new Rgb(123.675, 116.28, 103.53), new Rgb(58.395, 57.12, 57.375));
        check("mediapipe_selfie_256_nhwc.onnx", selfie, OutputKind.BINARY);
        check("pan_mnv3s_skin_clothes_hair_512.onnx", pan, OutputKind.MULTILABEL);
    }

    private static void check(String file, Preprocessing pre, OutputKind kind) throws Exception {
        Path parent = TestData.zooModel(file);
        Path int8 = TestData.scratch("zoo-int8-kinds").resolve(file.replace(".onnx", ".int8.onnx"));
        new QuantizeOperation(parent).calibration(TestData.calibrationPhotos()).preprocessing(pre).subset(2).output(int8).overwrite(true)
                .verify(false).run(new NullProgressMonitor());
        try (OrtSession p = Ort.env().createSession(parent.toString(), new OrtSession.SessionOptions());
                OrtSession q = Ort.env().createSession(int8.toString(), new OrtSession.SessionOptions())) {
            List<ModelOutput> expected = LabelDecoders.forModel(parent, p, pre, null).stream().map(LabelDecoder::output).toList();
            List<ModelOutput> actual = LabelDecoders.forModel(int8, q, null, null).stream().map(LabelDecoder::output).toList();
            assertEquals(kind, expected.get(0).kind());
            assertEquals(expected, actual, file);
        }
    }
}
