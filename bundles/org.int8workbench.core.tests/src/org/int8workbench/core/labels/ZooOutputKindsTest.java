package org.int8workbench.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The four real models of {@code ../shared/data/zoo}, with the preprocessing of their PROVENANCE.md and no kind given:
 * the output kinds are found from their graphs, and a real photo decodes into maps of the expected size.
 */
class ZooOutputKindsTest {

    @Test
    void twinLiteNetHasTwoClassOutputs() throws Exception {
        Preprocessing pre = Preprocessing.defaults(320, 320, Layout.NCHW).withNormalization(Rgb.all(0), Rgb.all(255));
        List<LabelDecoder> ds = decodeAPhoto("twinlitenet_320.onnx", pre, 320, 320);
        assertEquals(List.of("drivable_area", "lanes"), ds.stream().map(d -> d.output().name()).toList());
        for (LabelDecoder d : ds) {
            assertEquals(OutputKind.CLASS_SCORES, d.kind(), d.output().reason());
            assertEquals(2, d.output().channels());
        }
    }

    @Test
    void mediaPipeSelfieIsBinary() throws Exception {
        Preprocessing pre = Preprocessing.defaults(256, 256, Layout.NHWC).withNormalization(Rgb.all(0), Rgb.all(255));
        List<LabelDecoder> ds = decodeAPhoto("mediapipe_selfie_256_nhwc.onnx", pre, 256, 256);
        assertEquals(1, ds.size());
        ModelOutput o = ds.get(0).output();
        assertEquals(OutputKind.BINARY, o.kind(), o.reason());
        assertEquals("final Sigmoid, 1 channel", o.reason());
        assertTrue(o.probabilities());
        assertEquals(0.5, o.threshold());
    }

    @Test
    void ppHumanSegIsClassesWithItsDynamicShape() throws Exception {
        Preprocessing pre = Preprocessing.defaults(398, 224, Layout.NCHW);
        List<LabelDecoder> ds = decodeAPhoto("pphumanseg_lite_portrait.onnx", pre, 398, 224);
        assertEquals(1, ds.size());
        assertEquals(OutputKind.CLASS_SCORES, ds.get(0).kind(), ds.get(0).output().reason());
        assertEquals(2, ds.get(0).output().channels());
    }

    @Test
    void panIsMultiLabelWithThreeLabels() throws Exception {
        Preprocessing pre = Preprocessing.defaults(512, 512, Layout.NCHW)
                .withNormalization(new Rgb(123.675, 116.28, 103.53), new Rgb(58.395, 57.12, 57.375));
        List<LabelDecoder> ds = decodeAPhoto("pan_mnv3s_skin_clothes_hair_512.onnx", pre, 512, 512);
        assertEquals(1, ds.size());
        ModelOutput o = ds.get(0).output();
        assertEquals(OutputKind.MULTILABEL, o.kind(), o.reason());
        assertEquals(3, o.channels());
        assertEquals(3, o.labelNames().size());
        assertTrue(o.probabilities());
    }

    /** The decoders found for a zoo model, after decoding one calibration photo with each (checked for size and content). */
    private static List<LabelDecoder> decodeAPhoto(String file, Preprocessing pre, int width, int height) throws Exception {
        Path model = TestData.zooModel(file);
        BufferedImage photo;
        try (Stream<Path> photos = Files.list(TestData.calibrationPhotos())) {
            photo = ImageIO.read(photos.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow().toFile());
        }
        try (OrtSession s = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(pre.toTensor(photo)), pre.shape(1));
                OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
            List<LabelDecoder> ds = LabelDecoders.forModel(model, s, pre, null);
            for (LabelDecoder d : ds) {
                Prediction p = d.decode(r);
                assertEquals(width, p.labels().width(), file);
                assertEquals(height, p.labels().height(), file);
                assertTrue(p.raw() != null && p.raw().length >= width * height, file);
                if (d.kind() == OutputKind.MULTILABEL) {
                    assertEquals(d.output().channels(), p.channels().size());
                } else {
                    assertTrue(p.channels().isEmpty());
                }
                assertNull(p.values());
                assertEquals(width * height, d.decodeBatch(r).length);
            }
            return ds;
        }
    }
}
