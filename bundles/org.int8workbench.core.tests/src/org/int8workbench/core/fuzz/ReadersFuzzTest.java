package org.int8workbench.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Images;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.MaskEncoding;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.InvalidModelException;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz tests of the readers of untrusted files ({@link Fuzz} says how long they run and how to run them longer):
 * the ONNX reader with what {@code inspect} does with its result ({@link OnnxModel}, {@link ModelSummary},
 * {@link ExporterGraphs#imageLayout}), the image reader ({@link Images#readRgb}) and the mask reader
 * ({@link Images#readMask}). Any input gives a result or the tool's own exception: {@link InvalidModelException}
 * (or a {@link CoreException}) for models, an {@link IOException} naming the file for images and masks; never
 * another exception, an OutOfMemoryError or a hang. The regression cases at the end are inputs the fuzzers found.
 */
class ReadersFuzzTest {

    @TempDir
    Path dir;

    // ---- ONNX reader -------------------------------------------------------------------------------------------

    @Test
    void onnxReaderAnswersEveryInput() throws IOException {
        Path file = dir.resolve("fuzzed.onnx");
        List<Fuzz.Failure> failures = Fuzz.run("onnx", onnxSeeds(), ReadersFuzzTest::randomModel, bytes -> readModel(bytes, file),
                t -> t instanceof InvalidModelException || t instanceof CoreException);
        assertTrue(failures.isEmpty(), Fuzz.report(failures));
    }

    /** What inspect does with a model file before ONNX Runtime sees it. */
    static void readModel(byte[] bytes, Path nameForMessages) throws Exception {
        OnnxModel m = OnnxModel.fromBytes(bytes, nameForMessages);
        ModelSummary s = ModelSummary.of(m, null);
        s.describe();
        ExporterGraphs.imageLayout(m);
        ModelSummary.of(m, Preprocessing.defaults(17, 13, Preprocessing.Layout.NCHW)).describe();
    }

    static List<byte[]> onnxSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        GraphBuilder b = new GraphBuilder("conv").opset(13).metadata("int8workbench.preprocessing", "{\"width\":8}");
        b.input("X", DataType.FLOAT, 1, 3, 8, 8);
        String c = b.conv("X", new float[4 * 3 * 3 * 3], new long[] {4, 3, 3, 3}, new float[4], 1, 1, 1, 1);
        String r = b.node("Relu", c).output();
        b.node("Resize", r, "", b.initializer("scales", new float[] {1, 1, 2, 2}, 4)).attr("mode", "linear").outputs("Y");
        b.output("Y", DataType.FLOAT, 1, 4, 16, 16);
        seeds.add(b.build().toByteArray());
        GraphBuilder d = new GraphBuilder("dynamic").opset(17);
        d.input("X", DataType.FLOAT, "N", 3, "H", "W");
        d.node("ArgMax", d.node("Softmax", "X").attr("axis", 1L).output()).attr("axis", 1L).outputs("Y");
        d.output("Y", DataType.INT64, "N", 1, "H", "W");
        seeds.add(d.build().toByteArray());
        GraphBuilder q = new GraphBuilder("qdq").opset(13);
        q.input("X", DataType.FLOAT, 1, 3, 4, 4);
        String s = q.initializer("s", new float[] {0.1f});
        String z = q.initializerUint8("z", new byte[] {(byte) 128});
        String xq = q.node("QuantizeLinear", "X", s, z).output();
        q.node("DequantizeLinear", xq, s, z).outputs("Y");
        q.output("Y", DataType.FLOAT, 1, 3, 4, 4);
        seeds.add(q.build().toByteArray());
        return seeds;
    }

    private static final String[] OPS = {"Conv", "Relu", "Add", "Mul", "Resize", "Concat", "Reshape", "MatMul", "Gemm", "ArgMax",
        "Softmax", "If", "Loop", "QuantizeLinear", "DequantizeLinear", "ConvTranspose", "BatchNormalization", "Unknown"};

    /** A structurally valid protobuf with hostile contents: odd shapes, dims, data sizes, external data, names, subgraphs. */
    static byte[] randomModel(Random r) {
        if (r.nextInt(50) == 0) {
            return nestedModel(1 + r.nextInt(400));
        }
        if (r.nextBoolean()) {
            return structuralMutant(r);
        }
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(r.nextInt(14)).setProducerName(name(r));
        int opsets = r.nextInt(3);
        for (int i = 0; i < opsets; i++) {
            m.addOpsetImportBuilder().setDomain(r.nextBoolean() ? "" : name(r)).setVersion(r.nextInt(30) - 2);
        }
        m.setGraph(randomGraph(r, 0));
        if (r.nextInt(4) == 0) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(r.nextBoolean() ? "int8workbench.preprocessing" : name(r))
                    .setValue(r.nextBoolean() ? "{\"width\":" + (r.nextInt(3) - 1) * 100000 + "}" : name(r)));
        }
        return m.build().toByteArray();
    }

    private static final List<byte[]> VALID = onnxSeeds();

    /**
     * A valid seed with one to three structural edits that keep the protobuf well-formed, so the shape inference and
     * the summary see them: a dimension, an op type, an input name, an attribute or an initializer's data changed or
     * removed.
     */
    static byte[] structuralMutant(Random r) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(VALID.get(r.nextInt(VALID.size())));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int e = 1 + r.nextInt(3); e > 0; e--) {
            switch (r.nextInt(9)) {
                case 0 -> { // a dimension of an initializer
                    if (g.getInitializerCount() > 0) {
                        int i = r.nextInt(g.getInitializerCount());
                        TensorProto.Builder t = g.getInitializer(i).toBuilder();
                        if (t.getDimsCount() > 0) {
                            t.setDims(r.nextInt(t.getDimsCount()), new long[] {0, -1, 1, 3, 1L << 31, Long.MAX_VALUE}[r.nextInt(6)]);
                        } else {
                            t.addDims(r.nextInt(5) - 1);
                        }
                        g.setInitializer(i, t);
                    }
                }
                case 1 -> { // a dimension of an input or output
                    var vi = (r.nextBoolean() || g.getOutputCount() == 0) && g.getInputCount() > 0 ? g.getInputBuilder(0) : g.getOutputBuilder(0);
                    var shape = vi.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
                    if (shape.getDimCount() > 0) {
                        int k = r.nextInt(shape.getDimCount());
                        if (r.nextBoolean()) {
                            shape.getDimBuilder(k).setDimValue(new long[] {0, -7, 1, 100000, Long.MAX_VALUE}[r.nextInt(5)]);
                        } else {
                            shape.removeDim(k);
                        }
                    } else {
                        shape.addDimBuilder().setDimParam("N");
                    }
                }
                case 2 -> { // an op type
                    if (g.getNodeCount() > 0) {
                        g.getNodeBuilder(r.nextInt(g.getNodeCount())).setOpType(OPS[r.nextInt(OPS.length)]);
                    }
                }
                case 3 -> { // an input removed or renamed
                    if (g.getNodeCount() > 0) {
                        var n = g.getNodeBuilder(r.nextInt(g.getNodeCount()));
                        if (n.getInputCount() > 0) {
                            if (r.nextBoolean()) {
                                n.setInput(r.nextInt(n.getInputCount()), r.nextBoolean() ? "" : "X");
                            } else {
                                List<String> ins = new ArrayList<>(n.getInputList());
                                ins.remove(r.nextInt(ins.size()));
                                n.clearInput().addAllInput(ins);
                            }
                        } else {
                            n.addInput("X");
                        }
                    }
                }
                case 4 -> { // an attribute of the wrong type or value
                    if (g.getNodeCount() > 0) {
                        var n = g.getNodeBuilder(r.nextInt(g.getNodeCount()));
                        String[] names = {"axis", "pads", "strides", "kernel_shape", "group", "dilations", "transA", "mode", "to", "perm"};
                        AttributeProto.Builder a = AttributeProto.newBuilder().setName(names[r.nextInt(names.length)]);
                        switch (r.nextInt(4)) {
                            case 0 -> a.setType(AttributeProto.AttributeType.INT).setI(new long[] {0, -1, 7, Long.MIN_VALUE}[r.nextInt(4)]);
                            case 1 -> a.setType(AttributeProto.AttributeType.INTS);
                            case 2 -> a.setType(AttributeProto.AttributeType.INTS).addInts(r.nextInt(9) - 4).addInts(0).addInts(-1);
                            default -> a.setType(AttributeProto.AttributeType.FLOATS).addFloats(Float.NaN);
                        }
                        n.addAttribute(a);
                    }
                }
                case 5 -> { // an initializer's data cut or gone
                    if (g.getInitializerCount() > 0) {
                        int i = r.nextInt(g.getInitializerCount());
                        TensorProto.Builder t = g.getInitializer(i).toBuilder();
                        t.setRawData(t.getRawData().substring(0, t.getRawData().size() / 2)).clearFloatData();
                        g.setInitializer(i, t);
                    }
                }
                case 6 -> { // an initializer removed
                    if (g.getInitializerCount() > 0) {
                        g.removeInitializer(r.nextInt(g.getInitializerCount()));
                    }
                }
                case 7 -> { // an initializer's element type
                    if (g.getInitializerCount() > 0) {
                        int i = r.nextInt(g.getInitializerCount());
                        g.setInitializer(i, g.getInitializer(i).toBuilder().setDataType(r.nextInt(22)));
                    }
                }
                default -> { // a node duplicated (two producers of one value) or removed
                    if (g.getNodeCount() > 0) {
                        int i = r.nextInt(g.getNodeCount());
                        if (r.nextBoolean()) {
                            g.addNode(g.getNode(i));
                        } else {
                            g.removeNode(i);
                        }
                    }
                }
            }
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    /** A model whose graph nests {@code depth} If-subgraphs (protobuf's recursion limit and the readers' recursion). */
    static byte[] nestedModel(int depth) {
        GraphProto g = GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < depth; i++) {
            GraphProto.Builder b = GraphProto.newBuilder().setName("g" + i);
            b.addNodeBuilder().setOpType("If").addInput("c").addOutput("o" + i)
                    .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(g))
                    .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
                            .setG(GraphProto.newBuilder().setName("else" + i)));
            g = b.build();
        }
        GraphProto.Builder top = g.toBuilder();
        top.addInput(GraphBuilder.valueInfo("c", DataType.BOOL, new Object[0]));
        top.addOutput(GraphBuilder.valueInfo("o" + (depth - 1), DataType.FLOAT, new Object[] {1L, 3L, 8L, 8L}));
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(ai.onnx.proto.OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(top).build().toByteArray();
    }

    private static GraphProto randomGraph(Random r, int depth) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name(r));
        List<String> values = new ArrayList<>();
        int inputs = r.nextInt(3);
        for (int i = 0; i < inputs; i++) {
            String n = "in" + i;
            g.addInput(GraphBuilder.valueInfo(n, DataType.forNumber(1 + r.nextInt(16)) == null ? DataType.FLOAT
                    : DataType.forNumber(1 + r.nextInt(16)), dims(r)));
            values.add(n);
        }
        int inits = r.nextInt(4);
        for (int i = 0; i < inits; i++) {
            TensorProto.Builder t = TensorProto.newBuilder().setName("w" + i).setDataType(r.nextInt(18));
            long[] shape = new long[r.nextInt(5)];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = switch (r.nextInt(6)) {
                    case 0 -> -1;
                    case 1 -> 0;
                    case 2 -> Long.MAX_VALUE / (1 + r.nextInt(3));
                    case 3 -> Integer.MAX_VALUE;
                    default -> 1 + r.nextInt(4);
                };
                t.addDims(shape[k]);
            }
            switch (r.nextInt(4)) {
                case 0 -> t.setRawData(ByteString.copyFrom(new byte[r.nextInt(64)]));
                case 1 -> {
                    for (int k = r.nextInt(8); k > 0; k--) {
                        t.addFloatData(r.nextFloat());
                    }
                }
                case 2 -> t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(
                                switch (r.nextInt(5)) {
                                    case 0 -> "../../../etc/passwd";
                                    case 1 -> "/etc/hostname";
                                    case 2 -> "";
                                    case 3 -> "fuzzed.onnx";
                                    default -> name(r);
                                }))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey(r.nextBoolean() ? "offset" : "length")
                                .setValue(r.nextInt(6) == 0 ? name(r) : Long.toString(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(64))));
                default -> {
                    // no data at all
                }
            }
            g.addInitializer(t);
            values.add("w" + i);
        }
        int nodes = r.nextInt(6);
        for (int i = 0; i < nodes; i++) {
            var n = g.addNodeBuilder().setOpType(OPS[r.nextInt(OPS.length)]).setName(r.nextBoolean() ? name(r) : "");
            int ins = r.nextInt(4);
            for (int k = 0; k < ins; k++) {
                n.addInput(values.isEmpty() || r.nextInt(8) == 0 ? (r.nextBoolean() ? "" : name(r)) : values.get(r.nextInt(values.size())));
            }
            String out = r.nextInt(10) == 0 && !values.isEmpty() ? values.get(r.nextInt(values.size())) : "v" + depth + "_" + i;
            n.addOutput(out);
            values.add(out);
            int attrs = r.nextInt(3);
            for (int k = 0; k < attrs; k++) {
                AttributeProto.Builder a = AttributeProto.newBuilder().setName(
                        new String[] {"axis", "pads", "strides", "kernel_shape", "group", "mode", "then_branch", "body", "to"}[r.nextInt(9)]);
                switch (r.nextInt(5)) {
                    case 0 -> a.setType(AttributeProto.AttributeType.INT).setI(r.nextInt(9) - 4);
                    case 1 -> a.setType(AttributeProto.AttributeType.INTS).addInts(r.nextInt(5) - 1).addInts(Long.MIN_VALUE);
                    case 2 -> a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(name(r)));
                    case 3 -> {
                        if (depth < 3) {
                            a.setType(AttributeProto.AttributeType.GRAPH).setG(randomGraph(r, depth + 1));
                        }
                    }
                    default -> a.setType(AttributeProto.AttributeType.forNumber(r.nextInt(15)) == null ? AttributeProto.AttributeType.FLOAT
                            : AttributeProto.AttributeType.forNumber(r.nextInt(15)));
                }
                n.addAttribute(a);
            }
        }
        int outs = r.nextInt(3);
        for (int i = 0; i < outs; i++) {
            String n = values.isEmpty() || r.nextInt(6) == 0 ? name(r) : values.get(r.nextInt(values.size()));
            g.addOutput(GraphBuilder.valueInfo(n, DataType.FLOAT, dims(r)));
        }
        return g.build();
    }

    private static Object[] dims(Random r) {
        Object[] d = new Object[r.nextInt(6)];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (r.nextInt(5)) {
                case 0 -> "N";
                case 1 -> -1L;
                case 2 -> 0L;
                case 3 -> (long) Integer.MAX_VALUE * 4;
                default -> (long) (1 + r.nextInt(300));
            };
        }
        return d;
    }

    private static String name(Random r) {
        String alphabet = "ab_/.:\u001b\n\r\u202e\u0000é漢";
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    // ---- image and mask readers --------------------------------------------------------------------------------

    @Test
    void imageReaderAnswersEveryInput() throws IOException {
        List<Fuzz.Failure> failures = new ArrayList<>();
        for (String ext : new String[] {"png", "jpg", "bmp", "gif"}) {
            Path file = dir.resolve("fuzzed." + ext);
            failures.addAll(Fuzz.run("image-" + ext, imageSeeds(ext), ext.equals("png") ? ReadersFuzzTest::randomPng : null, bytes -> {
                Files.write(file, bytes);
                BufferedImage img = Images.readRgb(file);
                assertTrue((long) img.getWidth() * img.getHeight() <= Images.maxPixels(), "decoded beyond the pixel limit");
            }, t -> namesTheFile(t, file), Fuzz.seconds() / 2));
        }
        assertTrue(failures.isEmpty(), Fuzz.report(failures));
    }

    @Test
    void maskReaderAnswersEveryInput() throws IOException {
        Path file = dir.resolve("fuzzed-mask.png");
        List<byte[]> seeds = new ArrayList<>(imageSeeds("png"));
        seeds.add(paletteMask());
        ClassInfo voc = ClassInfo.pascalVoc();
        List<Fuzz.Failure> failures = Fuzz.run("mask", seeds, ReadersFuzzTest::randomPng, bytes -> {
            Files.write(file, bytes);
            for (MaskEncoding e : MaskEncoding.values()) {
                try {
                    LabelMask m = Images.readMask(file, e == MaskEncoding.BINARY ? ClassInfo.binary() : voc, e);
                    assertTrue(m.labels().length == m.width() * m.height(), "labels do not fill the mask");
                } catch (IOException ex) {
                    if (!namesTheFile(ex, file)) {
                        throw ex;
                    }
                }
            }
        }, t -> namesTheFile(t, file));
        assertTrue(failures.isEmpty(), Fuzz.report(failures));
    }

    /**
     * A dataset folder (images/, masks/ and a {@code dataset.json} from the user) opened, its classes and every item
     * read: the metadata file is fuzzed; the answer is a dataset or an IOException.
     */
    @Test
    void datasetMetadataAnswersEveryInput() throws IOException {
        Path root = Files.createDirectories(dir.resolve("ds"));
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.write(root.resolve("images").resolve("a.png"), imageSeeds("png").get(0));
        Files.write(root.resolve("masks").resolve("a.png"), paletteMask());
        Path meta = root.resolve("dataset.json");
        List<byte[]> seeds = new ArrayList<>();
        for (String json : new String[] {
            "{\"name\": \"d\", \"classes\": [\"background\", \"person\"], \"colors\": [\"#000000\", \"#ff0000\"], \"ignoreLabel\": 255,"
                    + " \"maskEncoding\": \"index\", \"images\": \"images\", \"masks\": \"masks\"}",
            "{\"preset\": \"binary\"}", "{\"preset\": \"voc\", \"maskEncoding\": \"color\"}",
            "{\"classes\": [{\"name\": \"a\", \"color\": [1, 2, 3]}], \"ignoreLabel\": -1, \"masks\": \"../ds/masks\"}", "[]", "{}"}) {
            seeds.add(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<Fuzz.Failure> failures = Fuzz.run("dataset-json", seeds, null, bytes -> {
            Files.write(meta, bytes);
            var ds = org.int8workbench.core.dataset.Datasets.open(root);
            ds.classes();
            for (var sample : ds.samples()) {
                try {
                    ds.readImage(sample);
                    if (ds.hasMasks()) {
                        ds.readMask(sample);
                    }
                } catch (IOException e) {
                    // a skipped item with its reason
                }
            }
        }, t -> t instanceof IOException && t.getMessage() != null);
        assertTrue(failures.isEmpty(), Fuzz.report(failures));
    }

    /** The readers' own answer: an IOException whose one-line message names the file. */
    private static boolean namesTheFile(Throwable t, Path file) {
        return t instanceof IOException && t.getMessage() != null && t.getMessage().contains(file.getFileName().toString())
                && t.getMessage().lines().count() == 1;
    }

    static List<byte[]> imageSeeds(String ext) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        BufferedImage rgb = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                rgb.setRGB(x, y, x * 0x230000 + y * 0x2200 + 0x40);
            }
        }
        seeds.add(encode(rgb, ext.equals("jpg") ? "jpeg" : ext));
        if (ext.equals("png")) {
            seeds.add(encode(new BufferedImage(6, 4, BufferedImage.TYPE_USHORT_GRAY), "png"));
            seeds.add(encode(new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY), "png"));
            seeds.add(encode(new BufferedImage(6, 4, BufferedImage.TYPE_INT_ARGB), "png"));
        }
        if (ext.equals("gif") || ext.equals("bmp")) {
            seeds.add(paletteOf(ext));
        }
        return seeds;
    }

    private static byte[] paletteOf(String format) throws IOException {
        byte[] c = new byte[16];
        c[1] = (byte) 128;
        c[2] = (byte) 255;
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, c, c, c));
        return encode(img, format);
    }

    private static byte[] paletteMask() throws IOException {
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

    /** A PNG with valid chunk CRCs but hostile header values (sizes up to 2^31-1, odd depths) and random pixel data. */
    static byte[] randomPng(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        int[] sizes = {1, 2, 7, 255, 65535, 45000, Integer.MAX_VALUE, 0};
        ihdr.putInt(sizes[r.nextInt(sizes.length)]).putInt(sizes[r.nextInt(sizes.length)]);
        int[] depths = {1, 2, 4, 8, 16, 3};
        int[] colors = {0, 2, 3, 4, 6, 5};
        ihdr.put((byte) depths[r.nextInt(depths.length)]).put((byte) colors[r.nextInt(colors.length)]).put((byte) 0).put((byte) 0)
                .put((byte) (r.nextInt(5) == 0 ? 1 : 0));
        chunk(out, "IHDR", ihdr.array());
        if (r.nextBoolean()) {
            byte[] plte = new byte[3 * (1 + r.nextInt(300))];
            r.nextBytes(plte);
            chunk(out, "PLTE", plte);
        }
        byte[] raw = new byte[r.nextInt(2000)];
        r.nextBytes(raw);
        if (r.nextBoolean()) {
            java.util.Arrays.fill(raw, (byte) 0); // compresses well: a small file that inflates to much
        }
        Deflater z = new Deflater();
        z.setInput(raw);
        z.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = z.deflate(buf);
        z.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
    // ---- regression cases: inputs the fuzzers found, each fixed in its own commit ---------------------------------

    /** Models that once crashed the reader or the summary; each must now be read or refused with InvalidModelException. */
    static final String[] MODEL_REGRESSIONS = {
        // a Resize scales constant whose shape claims 2^31 elements: Tensors.toFloats allocated what the shape claimed (OutOfMemoryError)
        "CAgSB+KArl/DqQA6nAEKhAEKAncwCgJ3MAoCdzASBHYwXzAaACIGUmVzaXplKlMKBG1vZGUySBIF4oCuCjoqFBANIgwYtZU9bSQM"
                + "P/DTbD5CAncwKhcI////////////ARABIgS0yfo+QgJ3MSoQEAoiCOWLWj8ooEs/QgJ3MqABBSoRCgRwYWRzIgYNw6nigK6gAQMS"
                + "BRvmvKI6KgwI/////wcQAEICdzBCBAoAEAdCDAoIYWFhOua8ogoQEw==",
        // an initializer of no known element type stored externally in a missing file: reading its data threw NoSuchFileException
        "CAUSBmJiAMOpYTr/EwqJAwoCdzAKA2luMBIEdjBfMBoAIgdSZXNoYXBlKgcKAnRvoAEOKuMCCgRwYWRzMtcCCjsKAncwEgR2MV8w"
                + "GgAiAklmKhYKBGJvZHlAAECAgICAgICAgIABoAEHKhEKBGJvZHkiBsOpOsOpX6ABAxIDDTovKlwIAAj//////////z8I/////wcI"
                + "ABALQgJ3MGofCghsb2NhdGlvbhITLi4vLi4vLi4vZXRjL3Bhc3N3ZGodCgZsZW5ndGgSEzQyOTkzMDczNTA3NDQwOTEwODRwASpR"
                + "CP////8HCAEIAggCEBBCAncxSj0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                + "AAAAAAAAKhkI/////wcI////////////AQgEEAhCAncyWiMKA2luMBIcChoIDBIWCgIIAAoDEgFOCgsI////////////AVoiCgNp"
                + "bjESGwoZCA8SFQoCCAAKAggACgsI////////////AaABBQolCgASBHYwXzEaCC/igK46w6kuIgRMb29wKgsKBG1vZGUiAKABAwqo"
                + "DgoEdjBfMAoEdjBfMBIEdjBfMhoAIgdTb2Z0bWF4KtkECgJ0bzLPBAqkAQoDaW4wCgNpbjAKA2luMBIEdjFfMBoO5ryi4oCu5ryi"
                + "4oCuL18iBkFyZ01heCoUCgJ0b0ACQICAgICAgICAgAGgAQcqXwoHc3RyaWRlczJREgbmvKLDqWIqIggBCKrVqtWq1arVKgj/////"
                + "/////z8I/////wcQD0ICdzBaIwoDaW4wEhwKGggPEhYKAwieAgoLCP///////////wEKAggloAEFCi4SBHYxXzEaCC9fYQov4oCu"
                + "IgZBcmdNYXgqFAoCdG9AAUCAgICAgICAgIABoAEHCjUKBHYxXzASBHYxXzIaAjpiIgRDb252Kh0KC3RoZW5fYnJhbmNoQABAgICA"
                + "gICAgICAAaABBwqJAgoEdjFfMQoEdjFfMRIEdjFfMxoAIg5RdWFudGl6ZUxpbmVhcioWCgRtb2RlQABAgICAgICAgICAAaABByrK"
                + "AQoEYm9keTK+AQovEgR2Ml8wGgQNYRsKIgRSZWx1KhAKC3RoZW5fYnJhbmNooAEKKgkKBHBhZHOgAQcSBhsA4oCuGyogCP////8H"
                + "CAAIAwgAEBEiDLovoT6auvo+WfguP0ICdzAqQhACQgJ3MWoZCghsb2NhdGlvbhINL2V0Yy9ob3N0bmFtZWodCgZsZW5ndGgSEzUz"
                + "MDc1ODAzNjE5NDE3OTY0OTlwASoGEAFCAncyYhUKAncyEg8KDQgBEgkKAxIBTgoCCA6gAQUKGQoEdjFfMgoCDWISBHYxXzQaAwBf"
                + "XyICSWYSBC5iAGFaEgoDaW4wEgsKCQgDEgUKAxIBTqABBSqsCQoLdGhlbl9icmFuY2gymQkK9AQKAAoDaW4wCgNpbjASBHYxXzAa"
                + "BGJhYWEiB1NvZnRtYXgqFgoEbW9kZUABQICAgICAgICAgAGgAQcquAQKBGJvZHkyrAQKIwoDaW4wCgJ3MAoCdzASBHYyXzAaCGLi"
                + "gK4NYcOpIgRHZW1tCs8CEgJ3MRoAIgRMb29wKqgCCgRtb2RlMpwCChYSAncxGgAiDlF1YW50aXplTGluZWFyEgnmvKJiAC86w6kq"
                + "WAgACP///////////wEIBBALQgJ3MGofCghsb2NhdGlvbhITLi4vLi4vLi4vZXRjL3Bhc3N3ZGoeCgZsZW5ndGgSFC00OTUyNTQ5"
                + "OTE3OTc0ODExMDAycAEqGAj/////Bwiq1arVqtWq1SoIAxARQgJ3MSoMCP////8HEA9CAncyWigKA2luMBIhCh8IBxIbCgMI8AEK"
                + "Bgj8////HwoDEgFOCgIIAAoDEgFOYiYKAncxEiAKHggBEhoKCwj///////////8BCgsI////////////AWIjCgJ3MBIdChsIARIX"
                + "CgMSAU4KAwifAQoLCP///////////wGgAQUqFgoEYXhpc0ABQICAgICAgICAgAGgAQcSCi8NYeKArua8oi4qJAgBCAII/////wcI"
                + "AxALIhA+XRI/PY5BP8XcJj+g70E+QgJ3MCo3CAAQBUICdzFqDAoIbG9jYXRpb24SAGodCgZvZmZzZXQSEzgzNjY1NTA2MTcyMTE5"
                + "Nzg3MDVwAVoVCgNpbjASDgoMCAISCAoGCPz///8fYgwKAncxEgYKBAgBEgBiIwoEw6kuDRIbChkIARIVCgYI/P///x8KBgj8////"
                + "HwoDEgFOoAEFCooDEgR2MV8wGgAiBkFyZ01heCrjAgoMa2VybmVsX3NoYXBlMs8CCjYKAncwCgJ3MAoDaW4wEgR2Ml8wGgENIgNB"
                + "ZGQqGQoHc3RyaWRlc0ABQICAgICAgICAgAGgAQcKIBIEdjJfMRoHOhtiYuKAriIER2VtbSoJCgRib2R5oAEIEgXDqV8vYSoGEBBC"
                + "AncwKkQIBAgDEAJCAncxahcKCGxvY2F0aW9uEgtmdXp6ZWQub25ueGodCgZsZW5ndGgSEzc3MDA2ODgxNzMzMjk3MjY1NDNwASpK"
                + "CP////8HCAEI////////////AQgEEAxCAncyagwKCGxvY2F0aW9uEgBqHQoGb2Zmc2V0EhMzNTIwNzAxNzQ5MDg5MDYzNTkwcAFa"
                + "DQoDaW4wEgYKBAgHEgBiMQoEdjJfMRIpCicIARIjCgMSAU4KAghwCgYI/P///x8KAwiBAgoLCP///////////wFiEAoCdzESCgoI"
                + "CAESBAoCCDugAQUqEgoEbW9kZSIHYQpf5ryiL6ABAwoeCgR2MV8wEgR2MV8yGgcAYRs6Xzo6IgdTb2Z0bWF4Ci8KBHYxXzAKBHYx"
                + "XzASBHYxXzMaACIGQ29uY2F0KhEKDGtlcm5lbF9zaGFwZaABCQoREgR2MV80GgAiB1Vua25vd24SA8OpYloNCgNpbjASBgoECAIS"
                + "AGIbCgR2MV8yEhMKEQgBEg0KAwjoAQoGCPz///8foAEFChESBHYwXzMaAWIiBkNvbmNhdApDCgAKAncwCgR2MF8yEgR2MF80GgMK"
                + "w6kiBExvb3AqDAoFZ3JvdXAYAaABAioWCgdzdHJpZGVzIggAOmJhCua8oqABAxICABsqRQgBCAMQAEICdzBqFwoIbG9jYXRpb24S"
                + "C2Z1enplZC5vbm54ah4KBm9mZnNldBIULTQwNzQzOTA3ODkxMzg0NjQ3NTZwAVouCgNpbjASJwolCA8SIQoCCAAKCwj/////////"
                + "//8BCgYI/P///x8KBgj8////H2IvCgNpbjASKAomCAESIgoCCAAKCwj///////////8BCgYI/P///x8KAwjHAQoCCABiGwoEdjBf"
                + "MxITChEIARINCgMIwAEKBgj8////H0IECgAQGXIXCgJfChIReyJ3aWR0aCI6LTEwMDAwMH0=",
        // an external data location with a NUL byte: Path.of threw InvalidPathException
        "CAYSA+a8ojqRARIJ5ryiG2EAG18AKkQI//////////9/CAAQEUICdzBqDwoIbG9jYXRpb24SAy8KAGodCgZsZW5ndGgSEzg5ODQ1"
                + "NDY5ODYwMzQzMjg0NzdwASoZCP///////////wEI/////wcIAhABQgJ3MSojCP////8HCAQI////////////AQj//////////38Q"
                + "CEICdzJCEwoGCsOpDV8bEP///////////wE=",
        // a Gemm whose first input has rank 1: ShapeInference.macs read a[1] (ArrayIndexOutOfBoundsException)
        "CAMSADqdBAodEgR2MF8wGgUuOmIuYiIOUXVhbnRpemVMaW5lYXIKGAoDaW4xCgNpbjASBHYwXzEaACIER2VtbQrXAgoEdjBfMQoE"
                + "djBfMQoDaW4xEgR2MF8yGgAiBEdlbW0qFAoCdG9AAkCAgICAgICAgIABoAEHKp8CCgJ0bzKVAgpECgNpbjAKAncxEgR2MV8wGgAi"
                + "EERlcXVhbnRpemVMaW5lYXIqEQoMa2VybmVsX3NoYXBloAENKgwKBWdyb3VwGAOgAQISBQAv5ryiKhQIAQgAEAAiCBAiED3pZFE/"
                + "QgJ3MCpLCAMI//////////8/CP///////////wEQB0ICdzFKLAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                + "AAAAAAAAKhIIAxAHIgj/KSo/FDoOPkICdzJaHQoDaW4wEhYKFAgFEhAKAggACgYI/P///x8KAgh8YhMKBHYxXzASCwoJCAESBQoD"
                + "COsBYhsKA2luMBIUChIIARIOCgMSAU4KAghyCgMSAU6gAQUKERIEdjBfMxoAIgdSZXNoYXBlEgEKKhoI/////wcIBBAAQgJ3MEoK"
                + "AAAAAAAAAAAAAFoVCgNpbjASDgoMCAISCAoCCAAKAggAWhEKA2luMRIKCggIDxIECgIIAGIsCgR2MF8xEiQKIggBEh4KCwj/////"
                + "//////8BCgIIUwoLCP///////////wFCBAoAEANCBAoAEBU=",
    };

    @Test
    void modelRegressions() throws Exception {
        for (String b64 : MODEL_REGRESSIONS) {
            byte[] bytes = java.util.Base64.getDecoder().decode(b64);
            Fuzz.Failure f = Fuzz.runOne(java.util.concurrent.Executors.newSingleThreadExecutor(), in -> readModel(in, dir.resolve("r.onnx")), bytes,
                    t -> t instanceof InvalidModelException || t instanceof CoreException);
            assertTrue(f == null, () -> Fuzz.report(List.of(f)));
        }
    }
    /** dataset.json files that once crashed Datasets.open; each must now open or be refused with an IOException. */
    static final String[] DATASET_JSON_REGRESSIONS = {
        // "classes": ["background", ] (null from the trailing comma): ClassInfo threw NullPointerException
        "eyJuYW1lIjogImQiLCAiY2xhc3NlcyI6IFsiYmFja2dyb3VuZCIsIF0sICJjb2xvcnMiOiBbIiMwMDAwMDAiLCAiI2ZmMDAwMCJd"
                + "LCAiaWdub3JlTGFiZWwiOiAyNTUsICJtYXNrRW5jb2RpbmciOiAiaW5kZXgiLCAiaW1hZ2VzIjogImltYWdlcyIsICJtYXNrcyI6"
                + "ICJtYXNrcyJ9",
        // 'masks' with a NUL byte
        "eyJuYW1lIjogImQiLCAiY2xhc3NlcyI6IFsiYmFja2dyb3VuZCIsICJwZXJzb24iXSwgImNvbG9ycyI6IFsiIzAwMDAwMCIsICIj"
                + "ZmYwMDAwIl0sICJpZ25vcmVMYWJlbCI6IDI1NSwgIm1hc2tFbmNvZGluZyI6ICJpbmRleCIsICJpbWFnZXMiOiAiAAEAAGVzIiwg"
                + "Im1hc2tzIjogIm1hc2tzIn0=",
        // 'images' with a NUL byte: Datasets.resolveSub threw InvalidPathException
        "eyJjbGFjbGFzc2VzIjogW3sibmFtZSI6ICJhIiwgImNvbG9yIjogWzEsIDIsIDNdfV0sICJpZ25vcmVMYWJlbCI6IC0xLCAibWFz"
                + "a3MiOiAiLi4vAAEAAGFza3MifQ==",
    };

    @Test
    void datasetRegressions() throws Exception {
        Path root = Files.createDirectories(dir.resolve("reg"));
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.write(root.resolve("images").resolve("a.png"), imageSeeds("png").get(0));
        Files.write(root.resolve("masks").resolve("a.png"), paletteMask());
        for (String b64 : DATASET_JSON_REGRESSIONS) {
            Files.write(root.resolve("dataset.json"), java.util.Base64.getDecoder().decode(b64));
            try {
                org.int8workbench.core.dataset.Datasets.open(root);
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("dataset.json"), e.getMessage());
            }
        }
        // a Pascal VOC list naming an id with a NUL byte: findImage threw InvalidPathException; now the entry is skipped
        Path voc = dir.resolve("voc");
        Files.createDirectories(voc.resolve("ImageSets/Segmentation"));
        Files.createDirectories(voc.resolve("JPEGImages"));
        Files.write(voc.resolve("JPEGImages/a.jpg"), imageSeeds("jpg").get(0));
        Files.writeString(voc.resolve("ImageSets/Segmentation/val.txt"), "a\nb\u0000c\n");
        var ds = org.int8workbench.core.dataset.Datasets.open(voc);
        assertTrue(ds.samples().size() == 1 && ds.skipped().size() == 1, ds.skipped().toString());
    }
}
