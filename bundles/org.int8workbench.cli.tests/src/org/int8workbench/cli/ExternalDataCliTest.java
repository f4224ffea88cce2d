package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * A model whose weights are stored as external data beside it (as exporters write large models) works from any working
 * folder: the data is looked up beside the model, not in the folder the command runs from.
 */
class ExternalDataCliTest {

    /** The real DeepLabV3 with every initializer over 1 KB moved into {@code NAME.data} beside it. */
    static Path withExternalData(Path dir) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(TestData.deeplabModel()));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        var g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getRawData().size() > 1024) {
                long offset = data.size();
                t.getRawData().writeTo(data);
                g.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("deeplab.data"))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(t.getRawData().size()))));
            }
        }
        Path model = dir.resolve("deeplab.onnx");
        Files.write(model, m.toBuilder().setGraph(g).build().toByteArray());
        Files.write(dir.resolve("deeplab.data"), data.toByteArray());
        return model;
    }

    private static String[] run(String... args) {
        CliRun.Result r = CliRun.run(args);
        return new String[] {Integer.toString(r.code()), r.out(), r.err()};
    }

    @Test
    void everyCommandFindsTheDataBesideTheModelFromAnotherFolder() throws Exception {
        Path dir = Files.createTempDirectory("external-data");
        Path model = withExternalData(dir);
        assertTrue(Files.size(model) < 100_000, "the weights are outside the model file");
        // the tests run in the module's folder, not the model's: a relative lookup would fail
        assertTrue(!Path.of("").toAbsolutePath().equals(dir));
        String[] r = run("inspect", model.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("parameters"), r[1]);
        Path cal = TestData.calibrationPhotos();
        r = run("optimize", model.toString(), "--calibration", cal.toString(), "--subset", "4");
        assertEquals("0", r[0], r[2] + r[1]);
        Path int8 = dir.resolve("deeplab.int8.onnx");
        assertTrue(Files.exists(int8));
        r = run("benchmark", model.toString(), int8.toString(), "--iterations", "2", "--rounds", "1", "--warmup", "1");
        assertEquals("0", r[0], r[2] + r[1]);
        r = run("evaluate", int8.toString(), "--reference", model.toString(), "--dataset", TestData.vocVal().toString(),
                "--limit", "2");
        assertEquals("0", r[0], r[2] + r[1]);
        Path code = dir.resolve("generated");
        r = run("codegen", model.toString(), "--package", "org.example.seg", "--class", "DeepLab", "--out", code.toString());
        assertEquals("0", r[0], r[2] + r[1]);
    }
}
