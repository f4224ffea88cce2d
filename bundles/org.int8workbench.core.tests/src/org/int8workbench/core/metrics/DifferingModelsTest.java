package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model and a parent whose labels differ on known pixels: two 1x1 convolutions over a 4x4 RGB image, the parent
 * scoring class 1 by green against red, the model by blue against red. Every figure of the report is worked out by hand.
 */
class DifferingModelsTest {

    private static final Preprocessing PRE = Preprocessing.defaults(4, 4, Preprocessing.Layout.NCHW);
    private static final ClassInfo CLASSES = new ClassInfo(List.of("background", "thing"), List.of(0x000000, 0x800000), 255);

    // colour -> (parent label, model label): A (0,0), B (1,1), C (1,0), D (0,1)
    private static final int A = 0xC80000;
    private static final int B = 0x00C8C8;
    private static final int C = 0x32C800;
    private static final int D = 0x3200C8;
    private static final int[] PIXELS = {
        A, A, A, A,
        B, B, B, B,
        A, B, C, C,
        C, D, D, D};

    @TempDir
    Path tmp;

    /** Logits {@code [1,2,4,4]}: class 0 = red, class 1 = the given channel (1 green, 2 blue). */
    private Path model(String name, int channel) throws Exception {
        GraphBuilder b = new GraphBuilder(name).opset(13);
        b.input("image", DataType.FLOAT, 1, 3, 4, 4);
        float[] w = new float[2 * 3];
        w[0] = 1;
        w[3 + channel] = 1;
        b.output(b.conv("image", w, new long[] {2, 3, 1, 1}, null, 1, 1, 0, 1), DataType.FLOAT);
        Path file = tmp.resolve(name + ".onnx");
        Files.write(file, b.build().toByteArray());
        return file;
    }

    /** The ground truth: the parent's labels, with the first pixel (an A) ignored. */
    private static LabelMask truth() {
        int[] t = new int[16];
        for (int i = 0; i < 16; i++) {
            t[i] = PIXELS[i] == B || PIXELS[i] == C ? 1 : 0;
        }
        t[0] = 255;
        return new LabelMask(4, 4, t);
    }

    @Test
    void agreementAndIoUAreTheHandCountedOnes() throws Exception {
        Path parent = model("parent", 1);
        Path model = model("model", 2);
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 4, 4, PIXELS, 0, 4);
        Sample sample = new Sample("tile", null, null, 0);
        SegmentationDataset data = new InMemory(sample, image, truth());

        AccuracyReport r = new EvaluateOperation().model(model).parent(parent).dataset(data).preprocessing(PRE)
                .run(new NullProgressMonitor());

        // parent vs model over all 16 pixels: A 5x (0,0), B 5x (1,1), C 3x (1,0), D 3x (0,1)
        AccuracyReport.Agreement a = r.agreement();
        assertEquals(16, a.pixels());
        assertEquals(6, a.changedPixels());
        assertEquals(10 / 16.0, a.pixelAgreement(), 1e-15);
        // IoU of each class: intersection 5, union 8 + 8 - 5 = 11
        assertEquals(5 / 11.0, a.meanIoU(), 1e-15);
        assertEquals(5 / 11.0, a.classes().get(0).iou(), 1e-15);
        assertEquals(5 / 11.0, a.classes().get(1).iou(), 1e-15);

        // against the truth, 15 pixels (one ignored): the parent is right everywhere
        assertEquals(15, r.reference().pixels());
        assertEquals(1.0, r.reference().meanIoU(), 1e-15);
        assertEquals(1.0, r.reference().pixelAccuracy(), 1e-15);
        // the model: class 0 intersection 4 (A), union 7 + 7 - 4 = 10; class 1 intersection 5 (B), union 8 + 8 - 5 = 11
        assertEquals(15, r.groundTruth().pixels());
        assertEquals((4 / 10.0 + 5 / 11.0) / 2, r.groundTruth().meanIoU(), 1e-15);
        assertEquals(9 / 15.0, r.groundTruth().pixelAccuracy(), 1e-15);

        AccuracyReport.ImageRow row = r.images().get(0);
        assertEquals(10 / 16.0, row.pixelAgreement(), 1e-15);
        assertEquals(5 / 11.0, row.agreementMeanIoU(), 1e-15);
        assertEquals(6, row.changedPixels());
        assertEquals((4 / 10.0 + 5 / 11.0) / 2, row.meanIoU(), 1e-15);
        assertEquals(1.0, row.referenceMeanIoU(), 1e-15);

        // the logits differ by (green - blue) in class 1: the distance from the preprocessed tensor
        float[] x = PRE.toTensor(image);
        double se = 0;
        double dot = 0;
        double np = 0;
        double nm = 0;
        for (int i = 0; i < 16; i++) {
            double red = x[i];
            double green = x[16 + i];
            double blue = x[32 + i];
            se += (green - blue) * (green - blue);
            dot += red * red + green * blue;
            np += red * red + green * green;
            nm += red * red + blue * blue;
        }
        assertEquals(se / 32, row.mse(), 1e-12);
        assertEquals(dot / Math.sqrt(np) / Math.sqrt(nm), row.cosine(), 1e-12);

        // Visualize shows the same labels
        ImagePrediction p = new PredictOperation().model(model).parent(parent).preprocessing(PRE).classes(CLASSES)
                .image("tile", image).run(new NullProgressMonitor());
        int[] parentLabels = new int[16];
        int[] modelLabels = new int[16];
        for (int i = 0; i < 16; i++) {
            parentLabels[i] = PIXELS[i] == B || PIXELS[i] == C ? 1 : 0;
            modelLabels[i] = PIXELS[i] == B || PIXELS[i] == D ? 1 : 0;
        }
        assertArrayEquals(parentLabels, p.parent().labels());
        assertArrayEquals(modelLabels, p.model().labels());
    }

    /** One image with its mask, in memory. */
    private record InMemory(Sample sample, BufferedImage image, LabelMask mask) implements SegmentationDataset {
        @Override
        public String description() {
            return "one tile";
        }

        @Override
        public boolean synthetic() {
            return false;
        }

        @Override
        public boolean hasMasks() {
            return true;
        }

        @Override
        public List<Sample> samples() {
            return List.of(new Sample(sample.id(), null, Path.of("tile.png"), 0));
        }

        @Override
        public BufferedImage readImage(Sample s) {
            return image;
        }

        @Override
        public LabelMask readMask(Sample s) {
            return mask;
        }

        @Override
        public ClassInfo classes() {
            return CLASSES;
        }
    }
}
