package org.int8workbench.core.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import org.int8workbench.core.labels.ExactLabelHead;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.labels.SegmentationHead;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The sigmoid head on real zoo models (../shared/data/zoo, preprocessing from its PROVENANCE.md), on calibration photos:
 * <ul>
 * <li>PAN (three sigmoid maps, Conv -> Resize -> Sigmoid): the FP32 model and its INT8 model (Q/DQ around the final
 * Sigmoid, which ONNX Runtime runs as QLinearSigmoid) are cut, and each cut model read by its head gives the labels
 * of its full model: tolerance 0 differing pixels, per label map and for the display map. The pixels where comparing
 * the resized logit with 0 would differ from the full INT8 model are printed (the quantized sigmoid moves the cut).</li>
 * <li>MediaPipe selfie (ConvTranspose -> Add -> Sigmoid -> Reshape): no Resize to cut, with that reason.</li>
 * </ul>
 * The INT8 model is calibrated on {@code HEAD_ZOO_SUBSET} images (default 16; the figures in the report used 64, as
 * {@code --subset 64}).
 */
class ZooSigmoidHeadTest {

    private static final Preprocessing PAN = Preprocessing.defaults(512, 512, Layout.NCHW)
            .withNormalization(new Rgb(123.675, 116.28, 103.53), new Rgb(58.395, 57.12, 57.375));
    private static final Preprocessing SELFIE = Preprocessing.defaults(256, 256, Layout.NHWC).withNormalization(Rgb.all(0),
            Rgb.all(255));
    private static final int IMAGES = 12;

    /**
     * What {@link #compare} found.
     *
     * @param images images compared
     * @param values label values compared (pixels x labels)
     * @param differing label values where the head and the full model differ
     * @param displayDiffering display-map pixels that differ
     * @param naiveDiffering label values where "resized logit > 0" would differ from the full model
     * @param head the head
     */
    record Report(int images, long values, long differing, long displayDiffering, long naiveDiffering, SegmentationHead head) {
    }

    @Test
    void panFp32AndInt8HeadsGiveTheFullModelsLabels() throws Exception {
        Path parent = TestData.zooModel("pan_mnv3s_skin_clothes_hair_512.onnx");
        Path dir = TestData.scratch("zoo-sigmoid-head");
        Report fp32 = compare(parent, dir.resolve("pan.head.onnx"), PAN, IMAGES);
        print("PAN FP32", fp32);
        assertEquals(0, fp32.differing());
        assertEquals(0, fp32.displayDiffering());
        assertEquals(List.of("Resize", "Sigmoid"), fp32.head().removedOps());
        assertEquals("multilabel", fp32.head().sigmoid().kind());
        assertEquals(3, fp32.head().numClasses());

        int subset = Integer.parseInt(System.getenv().getOrDefault("HEAD_ZOO_SUBSET", "16"));
        Path int8 = dir.resolve("pan.int8.onnx");
        new QuantizeOperation(parent).calibration(TestData.calibrationPhotos()).preprocessing(PAN).subset(subset).output(int8)
                .overwrite(true).verify(false).run(new NullProgressMonitor());
        Report q = compare(int8, dir.resolve("pan.int8.head.onnx"), PAN, IMAGES);
        print("PAN INT8 (calibrated on " + subset + ")", q);
        assertTrue(q.head().sigmoid().tailOps().contains("QuantizeLinear"), q.head().sigmoid().tailOps().toString());
        assertEquals(0, q.differing(), "label values differing between the INT8 model and its head model");
        assertEquals(0, q.displayDiffering());
    }

    @Test
    void selfieHasNoResizeToCut() throws Exception {
        Path parent = TestData.zooModel("mediapipe_selfie_256_nhwc.onnx");
        HeadCut.Result r = HeadCut.cut(ModelProto.parseFrom(Files.readAllBytes(parent)));
        assertFalse(r.found());
        assertTrue(r.reason().contains("no final Resize"), r.reason());
        assertTrue(r.reason().contains("Sigmoid <- Add <- ConvTranspose"), r.reason());
        System.out.println("MediaPipe selfie: " + r.reason());
        assertTrue(SELFIE.layout() == Layout.NHWC);
    }

    private static void print(String what, Report r) {
        System.out.printf("%s: %d images, %d label values, %d differ from the full model (display map: %d); 'logit > 0' would "
                + "differ on %d (%.4f%%); lowest foreground logit %s; head: %s%n", what, r.images(), r.values(), r.differing(),
                r.displayDiffering(), r.naiveDiffering(), 100.0 * r.naiveDiffering() / r.values(), r.head().sigmoid().lowest(),
                r.head().describe());
    }

    /**
     * Cuts {@code model}'s head into {@code headFile} and compares, on the first {@code limit} calibration photos, the
     * full model read by its decoder with the head model read by the head (both from {@link LabelDecoders#forModel}).
     */
    static Report compare(Path model, Path headFile, Preprocessing pre, int limit) throws Exception {
        CutHeadOperation.CutHeadResult cut = new CutHeadOperation(model).output(headFile).overwrite(true).run(new NullProgressMonitor());
        assertTrue(cut.cut(), cut.reason());
        SegmentationHead head = cut.head();
        List<Path> photos;
        try (Stream<Path> s = Files.list(TestData.calibrationPhotos())) {
            photos = s.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().limit(limit).toList();
        }
        long values = 0;
        long differing = 0;
        long display = 0;
        long naive = 0;
        try (OrtSession fs = Ort.env().createSession(model.toString(), new OrtSession.SessionOptions());
                OrtSession hs = Ort.env().createSession(headFile.toString(), new OrtSession.SessionOptions())) {
            LabelDecoder fd = LabelDecoders.forModel(model, fs, pre, null).get(0);
            LabelDecoder hd = LabelDecoders.forModel(headFile, hs, pre, null).get(0);
            assertEquals(fd.kind(), hd.kind());
            assertEquals(OutputKind.MULTILABEL, hd.kind());
            String input = fs.getInputNames().iterator().next();
            for (Path photo : photos) {
                BufferedImage img = ImageIO.read(photo.toFile());
                if (img == null) {
                    throw new IOException("cannot decode " + photo);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(pre.toTensor(img)), pre.shape(1));
                        OrtSession.Result a = fs.run(Map.of(input, t));
                        OrtSession.Result b = hs.run(Map.of(input, t))) {
                    Prediction pf = fd.decode(a);
                    Prediction ph = hd.decode(b);
                    int[] df = pf.labels().labels();
                    int[] dh = ph.labels().labels();
                    for (int p = 0; p < df.length; p++) {
                        display += df[p] != dh[p] ? 1 : 0;
                    }
                    OnnxTensor low = (OnnxTensor) b.get(head.logitsOutput()).orElseThrow();
                    ExactLabelHead h = ExactLabelHead.of(head, low.getInfo().getShape());
                    FloatBuffer fb = low.getFloatBuffer();
                    float[] logits = new float[fb.remaining()];
                    fb.get(logits);
                    int[] zero = new int[h.classes() * h.labelsPerImage()];
                    h.threshold(logits, 0, Math.nextUp(0f), zero, 0);
                    for (int c = 0; c < pf.channels().size(); c++) {
                        int[] f = pf.channels().get(c).labels();
                        int[] m = ph.channels().get(c).labels();
                        for (int p = 0; p < f.length; p++) {
                            differing += f[p] != m[p] ? 1 : 0;
                            naive += f[p] != zero[c * f.length + p] ? 1 : 0;
                        }
                        values += f.length;
                    }
                }
            }
        }
        return new Report(photos.size(), values, differing, display, naive, head);
    }
}
