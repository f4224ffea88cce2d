package org.int8workbench.fuzz;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * The seeds of {@link ReadersFuzzTest}: small valid files the project writes itself (models built with
 * {@link GraphBuilder}, images encoded with ImageIO, dataset.json texts), the same as core.tests' fuzz test starts
 * from. They are kept as files in Jazzer's inputs directory
 * ({@code src/test/resources/org/int8workbench/fuzz/ReadersFuzzTestInputs/TARGET/}, a few kB in all); {@link SeedsTest}
 * checks they are there and rewrites them with {@code -Dint8workbench.fuzz.writeSeeds=true}. The files named
 * {@code regression-*} there are inputs that once crashed a reader (found by core.tests' fuzzer or by Jazzer).
 */
final class Seeds {

    private Seeds() {
    }

    /** Seed file name to content, per fuzz target (the method names of {@link ReadersFuzzTest}). */
    static Map<String, Map<String, byte[]>> all() throws IOException {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put("onnxModel", models());
        Map<String, byte[]> images = new LinkedHashMap<>();
        images.put("seed-rgb.png", rgbPng());
        images.put("seed-rgb.jpg", encode(rgb(), "jpeg"));
        images.put("seed-gray16.png", encode(new BufferedImage(6, 4, BufferedImage.TYPE_USHORT_GRAY), "png"));
        images.put("seed-gray8.png", encode(new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY), "png"));
        images.put("seed-argb.png", encode(new BufferedImage(6, 4, BufferedImage.TYPE_INT_ARGB), "png"));
        images.put("seed-palette.bmp", palette16("bmp"));
        images.put("seed-palette.gif", palette16("gif"));
        all.put("image", images);
        Map<String, byte[]> masks = new LinkedHashMap<>();
        masks.put("seed-voc-palette.png", paletteMask());
        masks.put("seed-gray8.png", encode(new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY), "png"));
        masks.put("seed-rgb.png", rgbPng());
        all.put("mask", masks);
        Map<String, byte[]> json = new LinkedHashMap<>();
        String[] texts = {
            "{\"name\": \"d\", \"classes\": [\"background\", \"person\"], \"colors\": [\"#000000\", \"#ff0000\"], \"ignoreLabel\": 255,"
                    + " \"maskEncoding\": \"index\", \"images\": \"images\", \"masks\": \"masks\"}",
            "{\"preset\": \"binary\"}", "{\"preset\": \"voc\", \"maskEncoding\": \"color\"}",
            "{\"classes\": [{\"name\": \"a\", \"color\": [1, 2, 3]}], \"ignoreLabel\": -1, \"masks\": \"../ds/masks\"}", "[]", "{}"};
        for (int i = 0; i < texts.length; i++) {
            json.put("seed-" + i + ".json", texts[i].getBytes(StandardCharsets.UTF_8));
        }
        all.put("datasetJson", json);
        return all;
    }

    /** Writes every seed into {@code inputs} (the ReadersFuzzTestInputs folder). */
    static void write(Path inputs) throws IOException {
        for (var target : all().entrySet()) {
            Path d = Files.createDirectories(inputs.resolve(target.getKey()));
            for (var seed : target.getValue().entrySet()) {
                Files.write(d.resolve(seed.getKey()), seed.getValue());
            }
        }
    }

    static Map<String, byte[]> models() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        GraphBuilder b = new GraphBuilder("conv").opset(13).metadata("int8workbench.preprocessing", "{\"width\":8}");
        b.input("X", DataType.FLOAT, 1, 3, 8, 8);
        String c = b.conv("X", new float[4 * 3 * 3 * 3], new long[] {4, 3, 3, 3}, new float[4], 1, 1, 1, 1);
        String r = b.node("Relu", c).output();
        b.node("Resize", r, "", b.initializer("scales", new float[] {1, 1, 2, 2}, 4)).attr("mode", "linear").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 4, 16, 16);
        seeds.put("seed-conv-resize.onnx", b.build().toByteArray());
        GraphBuilder d = new GraphBuilder("dynamic").opset(17);
        d.input("X", DataType.FLOAT, "N", 3, "H", "W");
        d.node("ArgMax", d.node("Softmax", "X").attr("axis", 1L).output()).attr("axis", 1L).outputs("Y");
        d.output("Y", DataType.INT64, "N", 1, "H", "W");
        seeds.put("seed-dynamic-argmax.onnx", d.build().toByteArray());
        GraphBuilder q = new GraphBuilder("qdq").opset(13);
        q.input("X", DataType.FLOAT, 1, 3, 4, 4);
        String s = q.initializer("s", new float[] {0.1f});
        String z = q.initializerUint8("z", new byte[] {(byte) 128});
        String xq = q.node("QuantizeLinear", "X", s, z).output();
        q.node("DequantizeLinear", xq, s, z).outputs("Y");
        q.output("Y", DataType.FLOAT, 1, 3, 4, 4);
        seeds.put("seed-qdq.onnx", q.build().toByteArray());
        return seeds;
    }

    private static BufferedImage rgb() {
        BufferedImage rgb = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                rgb.setRGB(x, y, x * 0x230000 + y * 0x2200 + 0x40);
            }
        }
        return rgb;
    }

    static byte[] rgbPng() throws IOException {
        return encode(rgb(), "png");
    }

    private static byte[] palette16(String format) throws IOException {
        byte[] c = new byte[16];
        c[1] = (byte) 128;
        c[2] = (byte) 255;
        return encode(new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, c, c, c)), format);
    }

    /** A Pascal VOC palette mask, 6x4, with labels 0..20. */
    static byte[] paletteMask() throws IOException {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 21; i++) {
            int rgb = ClassInfo.vocColor(i);
            r[i] = (byte) (rgb >> 16);
            g[i] = (byte) (rgb >> 8);
            b[i] = (byte) rgb;
        }
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        for (int i = 0; i < 24; i++) {
            img.getRaster().setSample(i % 6, i / 6, 0, i % 21);
        }
        return encode(img, "png");
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }
}
