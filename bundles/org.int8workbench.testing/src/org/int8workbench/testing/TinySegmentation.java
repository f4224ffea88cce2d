package org.int8workbench.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * The tiny segmentation network of the core's pipeline tests and the command-line tests: Conv 3x3 stride 2 + ReLU6, then
 * a 1x1 classifier Conv with {@link #CLASSES} classes, weights drawn from one seeded generator (7), so that every test
 * that builds it gets the same weights. The caller adds the input, the Resize back to the input size and the output.
 */
public final class TinySegmentation {
    /** Classes of the tiny network. */
    public static final int CLASSES = 4;

    private TinySegmentation() {
    }

    /** The two convolutions on {@code x} ([1,3,H,W]); returns the logits at half the input size ([1,4,H/2,W/2]). */
    public static String convs(GraphBuilder b, String x) {
        Random r = new Random(7);
        String c1 = b.relu6(b.conv(x, random(r, 8 * 3 * 9, 0.3f), new long[] {8, 3, 3, 3}, random(r, 8, 0.1f), 1, 2, 1, 1));
        return b.conv(c1, random(r, CLASSES * 8, 0.4f), new long[] {CLASSES, 8, 1, 1}, random(r, CLASSES, 0.1f), 1, 1, 0, 1);
    }

    /** Writes the graph to {@code dir/name} (the folder created when missing); returns the file. */
    public static Path write(GraphBuilder b, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(name);
        Files.write(model, b.toBytes());
        return model;
    }

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }
}
