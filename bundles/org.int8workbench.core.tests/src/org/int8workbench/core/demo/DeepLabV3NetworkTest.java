package org.int8workbench.core.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.int8workbench.core.Ort;
import org.int8workbench.core.TestData;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.head.HeadCut;
import org.int8workbench.core.head.HeadExactness;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.SegmentationHead;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo DeepLabV3: size and cost, determinism, and a run in ONNX Runtime with a sensible output (shape, finite
 * values, several classes in the argmax); its head is recognised and the fast label head is exact on it.
 */
class DeepLabV3NetworkTest {

    private static ModelProto model;

    @BeforeAll
    static void build() {
        model = new DeepLabV3Network().build(7);
    }

    @Test
    void sizeAndCostMatchTheReferenceArchitecture() {
        DeepLabV3Network.Stats full = new DeepLabV3Network().stats();
        assertEquals(58, full.convCount(), "MobileNetV2 51 + ASPP 5 + projection + classifier");
        assertTrue(full.gmacs() > 5.2 && full.gmacs() < 5.5, "GMAC " + full.gmacs());
        assertEquals(full.convCount(), model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count());

        // TF DeepLab's MobileNetV2 head (no atrous branches): the 2.74 GMAC network of ../shared/notes/ort-int8.md
        DeepLabV3Network.Stats mobile = new DeepLabV3Network().atrousRates().stats();
        assertEquals(55, mobile.convCount());
        assertTrue(mobile.gmacs() > 2.6 && mobile.gmacs() < 2.9, "GMAC " + mobile.gmacs());

        long clips = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Clip")).count();
        assertEquals(34, clips, "ReLU6 after the stem and after every expand and depthwise conv (as in the real model)");
        assertEquals(10, model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Add")).count());
        NodeProto last = model.getGraph().getNode(model.getGraph().getNodeCount() - 2);
        assertEquals("Resize", last.getOpType());
    }

    @Test
    void sameSeedSameBytes() {
        byte[] a = new DeepLabV3Network().build(7).toByteArray();
        assertArrayEquals(a, model.toByteArray());
        assertFalse(Arrays.equals(a, new DeepLabV3Network().build(8).toByteArray()));
    }

    @Test
    void writesAtomicallyAndRecordsPreprocessing() throws Exception {
        Path dir = Files.createDirectories(TestData.scratch("demo-net").resolve("w-" + System.nanoTime()));
        Path file = dir.resolve("deeplab.onnx");
        DeepLabV3Network net = new DeepLabV3Network().inputSize(65).classes(5);
        net.write(file, 3);
        ModelProto read = ModelProto.parseFrom(Files.readAllBytes(file));
        assertArrayEquals(net.build(3).toByteArray(), read.toByteArray());
        assertThrows(FileAlreadyExistsException.class, () -> net.write(file, 3));
        String pre = read.getMetadataPropsList().stream().filter(e -> e.getKey().equals(Preprocessing.METADATA_KEY)).findFirst()
                .orElseThrow().getValue();
        assertEquals(Preprocessing.defaults(65, 65, Preprocessing.Layout.NCHW), Preprocessing.fromJson(pre));
        assertTrue(read.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals(DeepLabV3Network.SYNTHETIC_KEY)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void runsInOnnxRuntimeAndTheFastHeadIsExactOnIt() throws Exception {
        int size = 513;
        float[] image = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    image[(c * size + y) * size + x] = (float) (((x / 64 + y / 64) % 2 == 0 ? 0.7 : -0.5) + 0.3 * Math.sin(x * 0.05 + c));
                }
            }
        }
        HeadCut.Result cut = HeadCut.cut(model);
        assertTrue(cut.found(), cut.reason());
        SegmentationHead head = cut.head().get();
        assertEquals("half_pixel", head.coordinateTransformation());
        assertEquals(513, head.outputWidth());
        int pixels = size * size;
        int[] labels = new int[pixels];
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession full = Ort.env().createSession(model.toByteArray(), o);
                OrtSession low = Ort.env().createSession(cut.model().toByteArray(), o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(image), new long[] {1, 3, size, size});
                OrtSession.Result a = full.run(Map.of("input", t));
                OrtSession.Result b = low.run(Map.of("input", t))) {
            OnnxTensor logits = (OnnxTensor) a.get("logits").orElseThrow();
            assertArrayEquals(new long[] {1, 21, size, size}, logits.getInfo().getShape());
            FloatBuffer fb = logits.getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            int[] reference = new int[pixels];
            HeadExactness.argmax(v, 21, pixels, false, false, reference);
            int[] histogram = new int[21];
            for (int i = 0; i < pixels; i++) {
                assertTrue(Float.isFinite(v[i]));
                histogram[reference[i]]++;
            }
            long present = Arrays.stream(histogram).filter(n -> n > 0).count();
            int largest = Arrays.stream(histogram).max().getAsInt();
            assertTrue(present >= 4, "classes present: " + Arrays.toString(histogram));
            assertTrue(largest < 0.8 * pixels, "one class dominates: " + Arrays.toString(histogram));

            OnnxTensor lowLogits = (OnnxTensor) b.get(head.logitsOutput()).orElseThrow();
            FloatBuffer lb = lowLogits.getFloatBuffer();
            float[] lv = new float[lb.remaining()];
            lb.get(lv);
            ExactLabelHead.of(head, lowLogits.getInfo().getShape()).decode(lv, 0, labels, 0, null);
            assertArrayEquals(reference, labels);
        }
    }
}
