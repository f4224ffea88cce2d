package org.int8workbench.core.quantize;

import org.int8workbench.testing.TestData;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;

/** Small generated models and images for quantizer tests (seeded, so every run sees the same ones). */
final class TinyModels {
    private TinyModels() {
    }

    static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /**
     * A small segmentation-shaped network on a 1x3x16x16 input: Conv+ReLU6, depthwise Conv+ReLU6, projection Conv,
     * a residual Add, global-pool branch with Conv+Relu and Resize, Concat, a 1x1 classifier Conv (4 classes) and a
     * final bilinear Resize back to 16x16. 5 Conv.
     */
    static ModelProto segmentationNet(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder("tiny-seg").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String c1 = b.relu6(b.conv("input", random(r, 8 * 3 * 9, 0.3f), new long[] {8, 3, 3, 3}, random(r, 8, 0.1f), 1, 2, 1, 1));
        String dw = b.relu6(b.conv(c1, random(r, 8 * 9, 0.3f), new long[] {8, 1, 3, 3}, random(r, 8, 0.1f), 8, 1, 1, 1));
        String pr = b.conv(dw, random(r, 8 * 8, 0.3f), new long[] {8, 8, 1, 1}, random(r, 8, 0.1f), 1, 1, 0, 1);
        String res = b.add(pr, c1);
        String gp = b.relu(b.conv(b.globalAveragePool(res), random(r, 8 * 8, 0.3f), new long[] {8, 8, 1, 1}, random(r, 8, 0.1f), 1, 1, 0, 1));
        String up = b.resize(gp, ResizeSpec.linear().withTransform("align_corners").withSizes(1, 8, 8, 8));
        String cat = b.concat(1, up, res);
        String logits = b.conv(cat, random(r, 4 * 16, 0.3f), new long[] {4, 16, 1, 1}, random(r, 4, 0.1f), 1, 1, 0, 1);
        String full = b.resize(logits, ResizeSpec.linear().withTransform("align_corners").withSizes(1, 4, 16, 16));
        b.node("Identity", full).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, 4, 16, 16);
        return b.build();
    }

    /** Writes {@code n} seeded random-pattern images (smooth gradients plus noise) of size {@code w x h} as PNG. */
    static Path images(Path dir, int n, int w, int h, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (int k = 0; k < n; k++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = r.nextInt(200);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int red = Math.min(255, base + x * 3 + r.nextInt(30));
                    int green = Math.min(255, (y * 7 + r.nextInt(40)) % 256);
                    int blue = Math.min(255, (x * y) % 256);
                    img.setRGB(x, y, (red << 16) | (green << 8) | blue);
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img_%03d.png", k)).toFile());
        }
        return dir;
    }

    /** A fresh empty folder under the test scratch area. */
    static Path fresh(String name) throws IOException {
        Path dir = TestData.scratch(name);
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
        return dir;
    }
}
