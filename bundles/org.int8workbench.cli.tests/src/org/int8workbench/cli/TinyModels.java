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
import org.int8workbench.testing.TinySegmentation;

/**
 * Tiny segmentation networks made by the tests (Conv 3x3 stride 2 + ReLU6, 1x1 classifier Conv with 4 classes, bilinear
 * Resize x2 back to the input size), with a fixed 16x16 input, dynamic height and width, or a rank-3 input; and a
 * folder of small images.
 */
final class TinyModels {
    static final int CLASSES = TinySegmentation.CLASSES;

    private TinyModels() {
    }

    /** input [1,3,16,16]. */
    static Path fixed(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-fixed").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, 16, 16);
        String y = body(b, "input");
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, 16, 16);
        return TinySegmentation.write(b, dir, name);
    }

    /** input [1,3,H,W] with symbolic H and W. */
    static Path dynamic(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-dynamic").opset(13);
        b.input("input", DataType.FLOAT, 1, 3, "H", "W");
        String y = body(b, "input");
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, "H", "W");
        return TinySegmentation.write(b, dir, name);
    }

    /**
     * A rank-3 input: [3,H,W] ({@code channelsLast} false) or [H,W,3] (true), with symbolic H and W; the graph adds the
     * batch axis itself.
     */
    static Path rank3(Path dir, String name, boolean channelsLast) throws IOException {
        return rank3(dir, name, channelsLast, 0);
    }

    /** {@link #rank3} with a fixed {@code size x size} input when {@code size > 0} ([3,16,16] or [16,16,3]). */
    static Path rank3(Path dir, String name, boolean channelsLast, int size) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-rank3").opset(13);
        Object h = size > 0 ? (Object) size : "H";
        Object w = size > 0 ? (Object) size : "W";
        if (channelsLast) {
            b.input("input", DataType.FLOAT, h, w, 3);
        } else {
            b.input("input", DataType.FLOAT, 3, h, w);
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
        return TinySegmentation.write(b, dir, name);
    }

    /** A rank-5 input [1,1,3,H,W] (squeezed to [1,3,H,W] by the graph): not an image input this tool feeds. */
    static Path rank5(Path dir, String name) throws IOException {
        GraphBuilder b = new GraphBuilder("tiny-rank5").opset(13);
        b.input("input", DataType.FLOAT, 1, 1, 3, "H", "W");
        String axes = b.initializer("axes0", new long[] {0}, 1);
        String x = b.node("Squeeze", "input", axes).outputs("squeezed").output();
        String y = body(b, x);
        b.node("Identity", y).outputs("logits");
        b.output("logits", DataType.FLOAT, 1, CLASSES, "H", "W");
        return TinySegmentation.write(b, dir, name);
    }

    private static String body(GraphBuilder b, String x) {
        String logits = TinySegmentation.convs(b, x);
        return b.resize(logits, ResizeSpec.linear().withTransform("half_pixel").withScales(1f, 1f, 2f, 2f));
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
