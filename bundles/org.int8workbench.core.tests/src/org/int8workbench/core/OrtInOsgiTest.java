package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.int8workbench.testing.TestData;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.int8workbench.core.dataset.Preprocessing;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's natives load and a real model runs, inside OSGi under Tycho (and on a plain classpath). */
class OrtInOsgiTest {

    @Test
    void realDeepLabSegmentsARealImage() throws Exception {
        Path model = TestData.deeplabModel();
        String id = Files.readAllLines(TestData.vocVal().resolve("ImageSets/Segmentation/val.txt")).get(0).trim();
        Path image = TestData.vocVal().resolve("JPEGImages/" + id + ".jpg");
        BufferedImage img = ImageIO.read(image.toFile());
        Raster mask = ImageIO.read(TestData.vocVal().resolve("SegmentationClass/" + id + ".png").toFile()).getRaster();
        Preprocessing pre = Preprocessing.defaults(257, 257, Preprocessing.Layout.NCHW);
        float[] input = pre.toTensor(img);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = Ort.env().createSession(model.toString(), o);
                OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(input), pre.shape(1));
                OrtSession.Result r = s.run(java.util.Map.of("input", t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            assertArrayEquals(new long[] {1, 21, 257, 257}, ((TensorInfo) out.getInfo()).getShape());
            FloatBuffer logits = out.getFloatBuffer();
            int plane = 257 * 257;
            // nearest sampling of the 257x257 argmax back to the mask, ignoring label 255
            int correct = 0;
            int counted = 0;
            for (int y = 0; y < mask.getHeight(); y++) {
                int my = Math.min(256, (int) ((y + 0.5) * 257 / mask.getHeight()));
                for (int x = 0; x < mask.getWidth(); x++) {
                    int truth = mask.getSample(x, y, 0);
                    if (truth == 255) {
                        continue;
                    }
                    int mx = Math.min(256, (int) ((x + 0.5) * 257 / mask.getWidth()));
                    int best = 0;
                    for (int c = 1; c < 21; c++) {
                        if (logits.get(c * plane + my * 257 + mx) > logits.get(best * plane + my * 257 + mx)) {
                            best = c;
                        }
                    }
                    counted++;
                    correct += best == truth ? 1 : 0;
                }
            }
            double accuracy = (double) correct / counted;
            assertTrue(accuracy > 0.85, "pixel accuracy on " + id + " was " + accuracy);
        }
        assertTrue(Ort.version().startsWith("1."), Ort.version());
    }
}
