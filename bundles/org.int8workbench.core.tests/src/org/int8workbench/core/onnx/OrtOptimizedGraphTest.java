package org.int8workbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.core.Json;
import org.int8workbench.testing.TestData;
import org.int8workbench.testing.BenchTinyModels;
import org.int8workbench.core.onnx.OrtOptimizedGraph.FloatNode;
import org.junit.jupiter.api.Test;

class OrtOptimizedGraphTest {

    @Test
    void realFloatModelHas55FloatConvAndNoIntegerNodes() throws Exception {
        Path model = TestData.deeplabModel();
        OrtOptimizedGraph g = OrtOptimizedGraph.analyze(model);
        assertEquals("ALL", g.requestedLevel());
        assertEquals(0, g.integerNodes());
        assertEquals(0, g.integerConvCount());
        assertEquals(55, g.count("Conv") + g.count("FusedConv"), g.opHistogram().toString());
        assertEquals(55, g.floatConvCount());
        assertTrue(g.count("Resize") + g.count("Upsample") >= 3, g.opHistogram().toString());
        assertEquals(g.nodeCount(), g.opHistogram().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(g.floatComputeNodes().stream().allMatch(f -> !f.reason().isEmpty()));

        OrtOptimizedGraph extended = OrtOptimizedGraph.analyze(model, OptLevel.EXTENDED_OPT);
        assertEquals("EXTENDED", extended.savedLevel());
        assertEquals(55, extended.floatConvCount());
        assertEquals(0, extended.integerNodes());
    }

    @Test
    void qdqConvFusesAndResizeStaysFloatWithAReason() throws Exception {
        byte[] bytes = BenchTinyModels.qdqConvResize().toByteArray();
        for (OptLevel level : new OptLevel[] {OptLevel.EXTENDED_OPT, OptLevel.ALL_OPT}) {
            OrtOptimizedGraph g = OrtOptimizedGraph.analyze(bytes, "tiny", level);
            assertEquals(1, g.integerConvCount(), level + ": " + g.opHistogram());
            assertEquals(0, g.floatConvCount(), level + ": " + g.opHistogram());
            FloatNode resize = g.floatComputeNodes().stream().filter(f -> f.opType().equals("Resize")).findFirst()
                    .orElseThrow(() -> new AssertionError(level + ": no float Resize in " + g.floatComputeNodes()));
            assertTrue(resize.reason().startsWith("DequantizeLinear → Resize → QuantizeLinear"), resize.reason());
            assertTrue(g.conversionNodes() >= 2, g.opHistogram().toString());
        }
    }

    @Test
    void leavesNoTemporaryFileAndSerialisesToJson() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countTemp(tmp);
        OrtOptimizedGraph g = OrtOptimizedGraph.analyze(BenchTinyModels.floatConv().toByteArray(), "float", OptLevel.ALL_OPT);
        assertEquals(before, countTemp(tmp));
        String json = Json.toJson(g);
        assertTrue(json.contains("\"floatComputeNodes\""), json);
        assertEquals(g, Json.gson().fromJson(json, OrtOptimizedGraph.class));
    }

    private static long countTemp(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("int8wb-optimized-")).count();
        }
    }
}
