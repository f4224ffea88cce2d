package org.int8workbench.cli;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import org.int8workbench.core.onnx.build.GraphBuilder;

/**
 * Bad inputs a user can hand the tool, made on the fly (no binary fixtures): broken and hostile models, broken
 * images, broken datasets, next to a few good ones to combine them with. Everything the user owns is under
 * {@link #user}; commands write under {@link #out}.
 */
final class BadInputCorpus {
    /** Side of the tiny model's input and of most images. */
    static final int SIDE = 16;
    /** Classes of the tiny model's output: the 21 of Pascal VOC, so the good VOC dataset fits it. */
    static final int CLASSES = 21;

    final Path root;
    final Path user;
    final Path out;

    // models
    final Path model;
    final Path empty;
    final Path truncated;
    final Path random;
    final Path unknownOp;
    final Path dangling;
    final Path danglingEscape;
    final Path uint8Input;
    final Path classifier;
    final Path folderModel;
    final Path missing;
    final Path textModel;
    // calibration folders
    final Path calibration;
    final Path calibrationAllBad;
    final Path calibrationMixed;
    final Path calibrationEmpty;
    final Path calibrationOdd;
    final Path hugePng;
    // datasets
    final Path voc;
    final Path vocMissingMask;
    final Path vocMaskSize;
    final Path vocLabelRange;
    final Path vocNoSplit;
    final Path vocMissingImage;
    final Path emptyFolder;
    final Path imagesOnly;
    final Path json;

    BadInputCorpus(Path root) throws IOException {
        this.root = root;
        this.user = Files.createDirectories(root.resolve("user"));
        this.out = Files.createDirectories(root.resolve("out"));
        Path m = Files.createDirectories(user.resolve("models"));
        byte[] good = tinyModel(DataType.FLOAT).toByteArray();
        model = write(m.resolve("tiny.onnx"), good);
        empty = write(m.resolve("empty.onnx"), new byte[0]);
        truncated = write(m.resolve("truncated.onnx"), Arrays.copyOf(good, good.length * 2 / 3));
        byte[] noise = new byte[4096];
        new Random(17).nextBytes(noise);
        noise[0] = 0x7f; // not ONNX's first tag (ir_version), as in most random files
        random = write(m.resolve("random.onnx"), noise);
        textModel = write(m.resolve("notes.onnx"), "This is not a model, just some notes.\n".getBytes(StandardCharsets.UTF_8));
        unknownOp = write(m.resolve("unknown-op.onnx"), unknownOpModel());
        dangling = write(m.resolve("dangling.onnx"), danglingModel("nowhere"));
        danglingEscape = write(m.resolve("dangling-escape.onnx"), danglingModel("evil\u001b]0;owned\u0007\r\nint8wb: forged"));
        uint8Input = write(m.resolve("uint8-input.onnx"), tinyModel(DataType.UINT8).toByteArray());
        classifier = write(m.resolve("classifier.onnx"), classifierModel());
        folderModel = Files.createDirectories(m.resolve("folder.onnx"));
        missing = m.resolve("missing.onnx");
        json = write(user.resolve("result.json"), "{\"kept\": true}\n".getBytes(StandardCharsets.UTF_8));

        Path c = user.resolve("calibration");
        calibration = Files.createDirectories(c.resolve("good"));
        for (int i = 0; i < 3; i++) {
            writeImage(calibration.resolve("img" + i + ".jpg"), rgb(SIDE + 8, SIDE + 4, i), "jpg");
        }
        calibrationAllBad = Files.createDirectories(c.resolve("all-bad"));
        writeBrokenImages(calibrationAllBad);
        calibrationMixed = Files.createDirectories(c.resolve("mixed"));
        writeImage(calibrationMixed.resolve("good.jpg"), rgb(SIDE + 8, SIDE + 4, 7), "jpg");
        writeBrokenImages(calibrationMixed);
        calibrationEmpty = Files.createDirectories(c.resolve("empty"));
        calibrationOdd = Files.createDirectories(c.resolve("odd"));
        writeOddImages(calibrationOdd);
        hugePng = Files.createDirectories(c.resolve("huge"));
        write(hugePng.resolve("huge.png"), hugeHeaderPng(45000, 45000));

        Path d = user.resolve("datasets");
        voc = voc(d.resolve("voc"), 3, null);
        vocMissingMask = voc(d.resolve("voc-missing-mask"), 3, "missing-mask");
        vocMaskSize = voc(d.resolve("voc-mask-size"), 3, "mask-size");
        vocLabelRange = voc(d.resolve("voc-label-range"), 3, "label-range");
        vocNoSplit = voc(d.resolve("voc-no-split"), 2, "no-split");
        vocMissingImage = voc(d.resolve("voc-missing-image"), 3, "missing-image");
        emptyFolder = Files.createDirectories(d.resolve("empty"));
        imagesOnly = Files.createDirectories(d.resolve("images-only"));
        writeBrokenImages(imagesOnly);
    }

    /** {@code X[1,3,16,16] (float or uint8, then Cast) → Conv(3→21, 3x3, pad 1) → Y[1,21,16,16]}: per-pixel class logits. */
    static ai.onnx.proto.OnnxMl.ModelProto tinyModel(DataType input) {
        GraphBuilder b = new GraphBuilder("tiny_seg").opset(13);
        b.input("X", input, 1, 3, SIDE, SIDE);
        String x = input == DataType.FLOAT ? "X" : b.node("Cast", "X").attr("to", (long) DataType.FLOAT.getNumber()).output();
        Random r = new Random(3);
        float[] w = new float[CLASSES * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.3);
        }
        float[] bias = new float[CLASSES];
        bias[0] = 0.5f;
        String conv = b.conv(x, w, new long[] {CLASSES, 3, 3, 3}, bias, 1, 1, 1, 1);
        b.node("Identity", conv).outputs("Y");
        b.output("Y", DataType.FLOAT, 1, CLASSES, SIDE, SIDE);
        return b.build();
    }

    /** A valid classifier, not a segmentation model: {@code X[1,3,16,16] → GlobalAveragePool → Flatten → scores[1,3]}. */
    private static byte[] classifierModel() {
        GraphBuilder b = new GraphBuilder("classifier").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, SIDE, SIDE);
        b.node("Flatten", b.node("GlobalAveragePool", "X").output()).outputs("scores");
        b.output("scores", DataType.FLOAT, 1, 3);
        return b.build().toByteArray();
    }

    private static byte[] unknownOpModel() {
        GraphBuilder b = new GraphBuilder("unknown_op").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, SIDE, SIDE);
        b.node("FancyUnknownOp", "X").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 3, SIDE, SIDE);
        return b.build().toByteArray();
    }

    private static byte[] danglingModel(String input) {
        GraphBuilder b = new GraphBuilder("dangling").opset(13);
        b.input("X", DataType.FLOAT, 1, 3, SIDE, SIDE);
        b.node("Relu", input).outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 3, SIDE, SIDE);
        return b.build().toByteArray();
    }

    /** The broken images every image reader must survive. */
    static void writeBrokenImages(Path dir) throws IOException {
        write(dir.resolve("zero.jpg"), new byte[0]);
        byte[] jpg = encode(rgb(40, 30, 1), "jpg");
        write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpg, jpg.length / 3));
        byte[] png = encode(rgb(40, 30, 2), "png");
        write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        write(dir.resolve("huge-header.png"), hugeHeaderPng(45000, 45000));
        write(dir.resolve("text.jpg"), "not an image".getBytes(StandardCharsets.UTF_8));
    }

    /** Readable but unusual images: 16-bit PNG, grayscale, a four-component (CMYK-like) JPEG. */
    static void writeOddImages(Path dir) throws IOException {
        write(dir.resolve("cmyk.jpg"), cmykJpeg(24, 20));
        write(dir.resolve("gray16.png"), encode(gray16(24, 20), "png"));
        BufferedImage gray = new BufferedImage(24, 20, BufferedImage.TYPE_BYTE_GRAY);
        write(dir.resolve("gray8.png"), encode(gray, "png"));
        write(dir.resolve("rgb16.png"), encode(rgb16(24, 20), "png"));
    }

    /**
     * A Pascal VOC folder with {@code n} images and palette masks; {@code flaw} breaks it: "missing-mask" (an image
     * without its mask), "mask-size" (a mask of another size), "label-range" (a label outside 0..20 and 255),
     * "no-split" (no ImageSets list), "missing-image" (the list names an image that is not there).
     */
    static Path voc(Path dir, int n, String flaw) throws IOException {
        Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
        Path masks = Files.createDirectories(dir.resolve("SegmentationClass"));
        Path sets = Files.createDirectories(dir.resolve("ImageSets").resolve("Segmentation"));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String id = "2007_00000" + i;
            list.append(id).append('\n');
            if (!("missing-image".equals(flaw) && i == 1)) {
                writeImage(jpeg.resolve(id + ".jpg"), rgb(SIDE + 8, SIDE + 4, 10 + i), "jpg");
            }
            if ("missing-mask".equals(flaw) && i == 1) {
                continue;
            }
            boolean wrongSize = "mask-size".equals(flaw) && i == 1;
            int bad = "label-range".equals(flaw) && i == 1 ? 77 : -1;
            write(masks.resolve(id + ".png"), encode(vocMask(wrongSize ? SIDE : SIDE + 8, wrongSize ? SIDE : SIDE + 4, i, bad), "png"));
        }
        if (!"no-split".equals(flaw)) {
            Files.writeString(sets.resolve("val.txt"), list.toString());
        }
        return dir;
    }

    private static BufferedImage vocMask(int w, int h, int seed, int badLabel) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) { // the Pascal VOC palette
            int c = i;
            int rr = 0;
            int gg = 0;
            int bb = 0;
            for (int j = 0; j < 8; j++) {
                rr |= ((c >> 0) & 1) << (7 - j);
                gg |= ((c >> 1) & 1) << (7 - j);
                bb |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            r[i] = (byte) rr;
            g[i] = (byte) gg;
            b[i] = (byte) bb;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        WritableRaster ras = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int label = x < w / 2 ? 0 : 1 + seed % 20;
                if (y == 0) {
                    label = 255;
                }
                if (badLabel >= 0 && x == w - 1 && y == h - 1) {
                    label = badLabel;
                }
                ras.setSample(x, y, 0, label);
            }
        }
        return img;
    }

    static BufferedImage rgb(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 9 + r.nextInt(20)) << 16 | (y * 11) << 8 | r.nextInt(256));
            }
        }
        return img;
    }

    private static BufferedImage gray16(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, x * 2000 + y);
            }
        }
        return img;
    }

    private static BufferedImage rgb16(int w, int h) {
        var cs = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster ras = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setPixel(x, y, new int[] {x * 2000, y * 3000, 40000});
            }
        }
        return new BufferedImage(cm, ras, false, null);
    }

    /** A four-component (CMYK-like) JPEG, written from a raster without a colour space as print workflows do. */
    static byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster ras = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setPixel(x, y, new int[] {x * 10, y * 10, 128, 30});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(ras, null, null), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A valid 1x1 PNG whose header claims {@code w x h} pixels (a decompression bomb's header, a few hundred bytes). */
    static byte[] hugeHeaderPng(int w, int h) throws IOException {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png");
        ByteBuffer buf = ByteBuffer.wrap(png);
        // signature (8), IHDR length (4), "IHDR" (4), width, height, ...; CRC over type + 13 data bytes
        buf.putInt(16, w);
        buf.putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return png;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, bytes)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return bytes.toByteArray();
    }

    static void writeImage(Path file, BufferedImage img, String format) throws IOException {
        write(file, encode(img, format));
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
