package org.int8workbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading, checking and writing models: bad input is refused with file and problem named, nothing is written. */
class OnnxModelTest {

    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = TestData.scratch("onnx-model-test");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** x -> Conv(W, B) -> Relu -> y on 1x2x4x4. */
    static ModelProto convRelu() {
        GraphBuilder b = new GraphBuilder("conv-relu").opset(13);
        b.input("x", DataType.FLOAT, 1, 2, 4, 4);
        float[] w = new float[3 * 2 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 - 3) * 0.1f;
        }
        String c = b.conv("x", w, new long[] {3, 2, 3, 3}, new float[] {0.1f, -0.2f, 0.3f}, 1, 1, 1, 1);
        b.node("Relu", c).name("relu").outputs("y");
        b.output("y", DataType.FLOAT, 1, 3, 4, 4);
        return b.build();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Set<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Asserts that loading fails naming the file and the problem, and that quantizing it writes nothing. */
    private void assertRefused(Path model, String problem) throws IOException {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> OnnxModel.load(model));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
        Set<String> before = listing();
        CoreException ce = assertThrows(CoreException.class, () -> new QuantizeOperation(model).calibration(dir)
                .run(new NullProgressMonitor()));
        assertTrue(ce.getStatus().getMessage().contains(problem), ce.getStatus().getMessage());
        assertEquals(before, listing(), "nothing may be written");
    }

    @Test
    void notOnnx() throws IOException {
        assertRefused(write("text.onnx", "this is not a model\n".repeat(20).getBytes(StandardCharsets.UTF_8)), "not an ONNX model");
        assertRefused(write("empty.onnx", new byte[0]), "not an ONNX model");
    }

    @Test
    void truncated() throws IOException {
        byte[] full = convRelu().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(full, full.length * 2 / 3);
        assertRefused(write("truncated.onnx", cut), "truncated");
    }

    @Test
    void unsupportedIrVersion() throws IOException {
        assertRefused(write("ir99.onnx", convRelu().toBuilder().setIrVersion(99).build().toByteArray()), "unsupported IR version 99");
    }

    @Test
    void cycle() throws IOException {
        // relu reads its own output through a second node: a -> n1 -> b -> n2 -> a
        GraphProto g = GraphProto.newBuilder().setName("cycle")
                .addInput(GraphBuilder.valueInfo("x", DataType.FLOAT, (Object) 1, 4))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("n1").addInput("x").addInput("a").addOutput("b"))
                .addNode(NodeProto.newBuilder().setOpType("Relu").setName("n2").addInput("b").addOutput("a"))
                .addOutput(GraphBuilder.valueInfo("b", DataType.FLOAT, (Object) 1, 4)).build();
        ModelProto m = convRelu().toBuilder().setGraph(g).build();
        assertRefused(write("cycle.onnx", m.toByteArray()), "cycle");
    }

    @Test
    void danglingInput() throws IOException {
        ModelProto m = convRelu();
        GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setInput(0, "nowhere"));
        assertRefused(write("dangling.onnx", m.toBuilder().setGraph(g).build().toByteArray()), "dangling input 'nowhere'");
    }

    @Test
    void missingInitializer() throws IOException {
        ModelProto m = convRelu();
        GraphProto.Builder g = m.getGraph().toBuilder();
        String weight = g.getNode(0).getInput(1);
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(weight)) {
                g.removeInitializer(i);
                break;
            }
        }
        assertRefused(write("noweight.onnx", m.toBuilder().setGraph(g).build().toByteArray()), "missing initializer '" + weight + "'");
        // an initializer whose data is shorter than its shape says
        GraphProto.Builder g2 = m.getGraph().toBuilder();
        TensorProto t = g2.getInitializer(0);
        g2.setInitializer(0, t.toBuilder().setRawData(t.getRawData().substring(0, 8)));
        assertRefused(write("shortweight.onnx", m.toBuilder().setGraph(g2).build().toByteArray()), "missing initializer data");
    }

    @Test
    void externalData() throws IOException {
        ModelProto m = convRelu();
        GraphProto.Builder g = m.getGraph().toBuilder();
        TensorProto w = g.getInitializer(0);
        float[] expected = Tensors.toFloats(w, w.getRawData());
        Files.write(dir.resolve("weights.bin"), w.getRawData().toByteArray());
        g.setInitializer(0, external(w, "weights.bin"));
        Path model = write("external.onnx", m.toBuilder().setGraph(g).build().toByteArray());
        OnnxModel loaded = OnnxModel.load(model);
        assertTrue(loaded.hasExternalData());
        assertArrayEquals(expected, loaded.floats(loaded.graph().initializer(w.getName())), 0f);
        // written elsewhere, the data is embedded so the copy stands alone
        Path other = dir.resolve("sub/copy.onnx");
        loaded.save(other, false);
        OnnxModel copy = OnnxModel.load(other);
        assertTrue(!copy.hasExternalData());
        assertArrayEquals(expected, copy.floats(copy.graph().initializer(w.getName())), 0f);

        // a location escaping the model's folder is refused
        Files.write(dir.getParent().resolve("outside.bin"), w.getRawData().toByteArray());
        g.setInitializer(0, external(w, "../outside.bin"));
        assertRefused(write("escape.onnx", m.toBuilder().setGraph(g).build().toByteArray()), "escapes the model's folder");
        g.setInitializer(0, external(w, dir.getParent().resolve("outside.bin").toString()));
        assertRefused(write("absolute.onnx", m.toBuilder().setGraph(g).build().toByteArray()), "escapes the model's folder");
    }

    private static TensorProto external(TensorProto w, String location) {
        return w.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Integer.toString(w.getRawData().size())))
                .build();
    }

    @Test
    void losslessRoundTripKeepsUnknownFields() throws IOException {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(9999, UnknownFieldSet.Field.newBuilder().addVarint(42).addLengthDelimited(
                        com.google.protobuf.ByteString.copyFromUtf8("from a newer ONNX")).build()).build();
        ModelProto m = convRelu();
        GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setUnknownFields(unknown));
        ModelProto withUnknown = m.toBuilder().setGraph(g).setUnknownFields(unknown).setDocString("doc")
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("k").setValue("v")).build();
        byte[] bytes = withUnknown.toByteArray();
        Path src = write("unknown.onnx", bytes);
        OnnxModel loaded = OnnxModel.load(src);
        Path out = dir.resolve("roundtrip.onnx");
        loaded.save(out, false);
        assertArrayEquals(bytes, Files.readAllBytes(out), "bytes identical after a read/write round trip");
        ModelProto back = OnnxModel.load(out).proto();
        assertEquals(42L, back.getUnknownFields().getField(9999).getVarintList().get(0));
        assertEquals(unknown, back.getGraph().getNode(0).getUnknownFields());
        assertEquals("v", OnnxModel.load(out).metadata().get("k"));
        assertEquals(Sha256Of(bytes), OnnxModel.load(out).sha256());

        // never overwritten without being asked, never the source itself
        byte[] before = Files.readAllBytes(out);
        assertThrows(FileAlreadyExistsException.class, () -> loaded.save(out, false));
        assertArrayEquals(before, Files.readAllBytes(out));
        assertThrows(FileAlreadyExistsException.class, () -> loaded.save(src, true));
        loaded.save(out, true);
    }

    private static String Sha256Of(byte[] b) {
        return org.int8workbench.core.Sha256.of(b);
    }

    @Test
    void graphViewOrdersNodesTopologically() throws IOException {
        // nodes listed consumer first in the file
        ModelProto m = convRelu();
        GraphProto.Builder g = m.getGraph().toBuilder();
        NodeProto conv = g.getNode(0).toBuilder().clearName().build();
        NodeProto relu = g.getNode(1);
        g.clearNode().addNode(relu).addNode(conv);
        OnnxModel model = OnnxModel.of(m.toBuilder().setGraph(g).build(), null);
        OnnxGraph view = model.graph();
        assertEquals(List.of("Conv", "Relu"), view.nodes().stream().map(NodeProto::getOpType).toList());
        assertEquals("relu", view.name(view.nodes().get(1)));
        assertEquals("Conv_1", view.name(view.nodes().get(0)));
        assertEquals(conv, view.producer(conv.getOutput(0)));
        assertEquals(List.of(relu), view.consumers(conv.getOutput(0)));
        assertEquals(13L, view.onnxOpset());
        assertEquals(1, view.inputs().size());
        assertEquals(2, view.initializers().size());
        assertTrue(view.valueInfos().containsKey("y"));
    }

    @Test
    void summaryOfASmallModel() throws IOException {
        Path p = write("small.onnx", convRelu().toByteArray());
        ModelSummary s = ModelSummary.of(p);
        assertEquals(ModelSummary.Precision.FP32, s.precision());
        // Conv 2->3 channels, 3x3 kernel, 4x4 output: 3*4*4 outputs * 2*3*3 MACs each = 864
        assertEquals(864, s.macs());
        assertTrue(s.macsComplete());
        assertEquals(3 * 2 * 9 + 3, s.parameters());
        assertEquals((3 * 2 * 9 + 3) * 4, s.weightBytes());
        assertEquals(List.of("1", "2", "4", "4"), s.inputs().get(0).shape());
        assertEquals("float", s.inputs().get(0).elementType());
        assertEquals(1, s.opHistogram().get("Conv"));
        assertEquals(Files.size(p), s.fileSize());
        assertEquals(org.int8workbench.core.Sha256.of(p), s.sha256());
    }

    @Test
    void symbolicDimensionsAreKept() throws IOException {
        GraphBuilder b = new GraphBuilder("sym").opset(13);
        b.input("x", DataType.FLOAT, "N", 3, "H", "W");
        b.node("Relu", "x").outputs("y");
        b.output("y", DataType.FLOAT, "N", 3, "H", "W");
        ModelSummary s = ModelSummary.of(write("sym.onnx", b.toBytes()));
        assertEquals(List.of("N", "3", "H", "W"), s.inputs().get(0).shape());
        assertEquals(0, s.macs());
    }
}
