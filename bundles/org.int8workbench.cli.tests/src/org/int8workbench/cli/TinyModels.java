package org.int8workbench.cli;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;

/**
 * Tiny segmentation networks made by the tests (Conv 3x3 stride 2 + ReLU6, 1x1 classifier Conv with 4 classes, bilinear
 * Resize x2 back to the input size), with a fixed 16x16 input, dynamic height and width, or a rank-3 input; and a
 * folder of small images.
 */
final class TinyModels {
    static final int CLASSES = 4;

    private TinyModels() {
    }

    /** input [1,3,16,16]. */
    static Path fixed(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-fixed").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String y = body(b, "input");
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, 16, 16);
        return write(b, dir, name);
    }

    /** input [1,3,H,W] with symbolic H and W. */
    static Path dynamic(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-dynamic").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, "H", "W");
        String y = body(b, "input");
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, "H", "W");
        return write(b, dir, name);
    }

    /**
     * A rank-3 input: [3,H,W] ({@code channelsLast} false) or [H,W,3] (true), with symbolic H and W; the graph adds the
     * batch axis itself.
     */
    static Path rank3(Path dir, String name, boolean channelsLast) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-rank3").opset(13);
        if (channelsLast) {
            b.input("input", DataType.FLOAT, "H", "W", 3);
        } else {
            b.input("input", DataType.FLOAT, 3, "H", "W");
        }
        String x = "input";
        if (channelsLast) {
            x = b.node("Transpose", x).attrInts("perm", 2, 0, 1).outputs("chw").output();
        }
        String axes = b.initializer("axes0", new long[] {0}, 1);
        x = b.node("Unsqueeze", x, axes).outputs("batched").output();
        String y = body(b, x);
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, "H", "W");
        return write(b, dir, name);
    }

    private static String body(GraphBuilder b, String x) {
        Random r = new Random(7);
        String c1 = b.relu6(b.conv(x, random(r, 8 * 3 * 9, 0.3f), new long[] {8, 3, 3, 3}, random(r, 8, 0.1f), 1, 2, 1, 1));
        String logits = b.conv(c1, random(r, CLASSES * 8, 0.4f), new long[] {CLASSES, 8, 1, 1}, random(r, CLASSES, 0.1f), 1, 1, 0, 1);
        return b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withScales(1f, 1f, 2f, 2f));
    }

    private static Path write(GraphBuilder b, Path dir, String name) throws IOException {
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

    /** {@code n} seeded 24x20 RGB PNG images in {@code dir}. */
    static Path images(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(0x1000000));
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img%02d.png", i)).toFile());
        }
        return dir;
    }

    /** {@code model} with every initializer moved into {@code DATA} beside it (as exporters write large models). */
    static Path externalize(Path model, String data) throws IOException {
        ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        var g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            ai.onnx.proto.OnnxMl.TensorProto t = g.getInitializer(i);
            com.google.protobuf.ByteString raw = t.getRawData();
            if (raw.isEmpty() && t.getFloatDataCount() > 0) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * t.getFloatDataCount()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                t.getFloatDataList().forEach(b::putFloat);
                raw = com.google.protobuf.ByteString.copyFrom(b.array());
            }
            if (raw.size() <= 64) { // Resize's scales and other small tensors stay inline (shape inference reads them)
                continue;
            }
            long offset = bytes.size();
            raw.writeTo(bytes);
            g.setInitializer(i, t.toBuilder().clearRawData().clearFloatData()
                    .setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", data)).addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(raw.size()))));
        }
        Files.write(model, m.toBuilder().setGraph(g).build().toByteArray());
        Files.write(model.resolveSibling(data), bytes.toByteArray());
        return model;
    }

    private static ai.onnx.proto.OnnxMl.StringStringEntryProto entry(String k, String v) {
        return ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
