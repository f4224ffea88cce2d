package org.int8workbench.core.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;

/**
 * A calibration's state writes the same INT8 models in another JVM: {@code restore(c.state()).write(keep)} gives the
 * graph (nodes, initializers, Q/DQ parameters, bias shifts) and metadata of {@code c.write(keep)}, the write time aside,
 * also after a Java serialization round trip.
 */
class CalibrationStateTest {

    @Test
    void aRestoredCalibrationWritesTheSameModels() throws Exception {
        Path dir = TinyModels.fresh("calibration-state-test");
        Path model = dir.resolve("tiny.onnx");
        Files.write(model, TinyModels.segmentationNet(11).toByteArray());
        Path images = TinyModels.images(dir.resolve("images"), 12, 24, 20, 5);
        // the Default settings, and others: mixed preset, percentile ranges, a node ignored, first/last kept, no bias
        // correction
        List<QuantizeOperation> ops = List.of(new QuantizeOperation(model).calibration(images),
                new QuantizeOperation(model).calibration(images).preset(Preset.MIXED).method(RangeMethod.PERCENTILE)
                        .ignore(IgnoredScope.parse(List.of("type:Concat"))).keepFirstLast(true).fastBiasCorrection(false));
        for (QuantizeOperation op : ops) {
            Calibration c = op.calibrate(new NullProgressMonitor());
            Calibration restored = Calibration.restore(c.state());
            Calibration shipped = Calibration.restore(roundTrip(c.state()));

            List<Calibration.Group> groups = c.groups();
            assertFalse(groups.isEmpty());
            assertEquals(groups, restored.groups());
            assertEquals(c.imageIds(), shipped.imageIds());
            assertEquals(c.settings(), shipped.settings());
            assertEquals(c.preprocessing(), shipped.preprocessing());
            assertEquals(c.calibration(), shipped.calibration());
            List<List<String>> keeps = new ArrayList<>();
            keeps.add(List.of());
            keeps.add(groups.get(0).nodes());
            keeps.add(groups.get(groups.size() - 1).nodes());
            List<String> half = new ArrayList<>();
            for (int i = 0; i < groups.size(); i += 2) {
                half.addAll(groups.get(i).nodes());
            }
            keeps.add(half);
            for (List<String> keep : keeps) {
                Calibration.Written w = c.write(keep);
                assertSameModel(w, restored.write(keep), c.settings().toMap() + ": restored, keep " + keep);
                assertSameModel(w, shipped.write(keep), c.settings().toMap() + ": serialized and restored, keep " + keep);
            }
        }
    }

    static void assertSameModel(Calibration.Written expected, Calibration.Written actual, String what) throws Exception {
        ModelProto a = ModelProto.parseFrom(expected.bytes());
        ModelProto b = ModelProto.parseFrom(actual.bytes());
        assertEquals(a.getGraph(), b.getGraph(), what + ": graph and initializers");
        assertEquals(a.getOpsetImportList(), b.getOpsetImportList(), what);
        assertEquals(a.getIrVersion(), b.getIrVersion(), what);
        assertEquals(withoutTime(a), withoutTime(b), what + ": metadata");
        assertEquals(expected.keptFloat(), actual.keptFloat(), what);
        assertEquals(expected.settings(), actual.settings(), what);
        assertEquals(expected.dequantized(), actual.dequantized(), what);
        assertNotEquals(0, a.getMetadataPropsCount());
    }

    private static List<String> withoutTime(ModelProto m) {
        List<String> out = new ArrayList<>();
        for (StringStringEntryProto e : m.getMetadataPropsList()) {
            out.add(e.getKey() + "=" + e.getValue().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "TIME"));
        }
        return out;
    }

    static CalibrationState roundTrip(CalibrationState s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (CalibrationState) in.readObject();
        }
    }
}
