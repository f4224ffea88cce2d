package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.Json;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.TestData;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkResult;
import org.junit.jupiter.api.Test;

/** The benchmark on real ONNX Runtime sessions: tiny generated graphs, and the real model with very short settings. */
class BenchmarkOperationTest {

    @Test
    void comparesTwoTinyModelsWithBatchEndToEndAndJson() throws Exception {
        Path dir = TestData.scratch("bench-op");
        Path fp = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "tiny-float.onnx");
        Path q = BenchTinyModels.write(BenchTinyModels.qdqConvResize(), dir, "tiny-qdq.onnx");
        BenchmarkResult r = new BenchmarkOperation(fp).other(q).batch(2).iterations(6).rounds(3).warmup(1).profile(true)
                .profileRuns(2).run(new NullProgressMonitor());

        BenchmarkModelResult a = r.model();
        BenchmarkModelResult b = r.other();
        assertEquals(2, a.batch(), "dynamic batch axis takes the requested batch");
        assertEquals(java.util.List.of(2L, 3L, 8L, 8L), a.inputShape());
        assertEquals("", a.batchNote());
        assertEquals(1, b.batch(), "fixed batch axis is kept");
        assertTrue(b.batchNote().contains("fixed batch"), b.batchNote());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("fixed batch")), r.notes().toString());
        for (BenchmarkModelResult m : r.models()) {
            assertEquals(6, m.requests());
            assertEquals(6, m.latencyMs().count());
            assertEquals(3, m.fpsPerRound().size());
            assertTrue(m.fps() > 0 && m.loadMs() > 0);
            assertEquals(6, m.endToEnd().requests());
            assertEquals(Sha256.of(Path.of(m.path())), m.sha256());
            assertNotNull(m.profile());
            assertTrue(m.profile().opTypes().size() > 0);
        }
        assertTrue(a.endToEnd().decoder().startsWith("argmax over axis 1"), a.endToEnd().decoder());
        assertEquals(0, a.optimizedGraph().integerNodes());
        assertEquals(1, b.optimizedGraph().integerConvCount());
        assertEquals(3, r.speedup().perRound().size());
        assertEquals(3, r.endToEnd().speedup().perRound().size());
        assertTrue(r.speedup().min() <= r.speedup().median() && r.speedup().median() <= r.speedup().max());
        assertEquals("latency", r.settings().mode());
        assertEquals(1, r.settings().streams());

        JsonObject j = JsonParser.parseString(Json.toJson(r)).getAsJsonObject();
        JsonObject m0 = j.getAsJsonArray("models").get(0).getAsJsonObject();
        assertTrue(m0.get("fps").getAsDouble() > 0);
        assertTrue(m0.getAsJsonObject("latencyMs").has("median") && m0.getAsJsonObject("latencyMs").has("p90"));
        assertTrue(m0.getAsJsonObject("endToEnd").get("fps").getAsDouble() > 0);
        assertTrue(j.getAsJsonObject("speedup").has("median") && j.getAsJsonObject("speedup").has("min"));
        assertTrue(j.getAsJsonObject("endToEnd").getAsJsonObject("speedup").has("max"));
        assertEquals(r, Json.gson().fromJson(Json.toJson(r), BenchmarkResult.class));
    }

    @Test
    void throughputModeRunsConcurrentStreams() throws Exception {
        Path fp = BenchTinyModels.write(BenchTinyModels.floatConv(), TestData.scratch("bench-op"), "tiny-float.onnx");
        BenchmarkResult r = new BenchmarkOperation(fp).mode(Mode.THROUGHPUT).streams(2).threads(1).iterations(10).rounds(2)
                .warmup(2).endToEnd(false).analyzeGraph(false).run(null);
        assertEquals("throughput", r.settings().mode());
        assertEquals(2, r.settings().streams());
        assertEquals(1, r.settings().intraOpThreads());
        assertEquals(10, r.model().requests());
        assertNull(r.model().endToEnd());
        assertNull(r.speedup());
        assertNull(r.model().optimizedGraph());
    }

    @Test
    void defaultDecoderMatchesAnArgmaxOfTheModelOutput() throws Exception {
        byte[] model = BenchTinyModels.floatConv().toByteArray();
        float[] x = new float[2 * 3 * 8 * 8];
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        try (OrtSession s = Ort.env().createSession(model, new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), new long[] {2, 3, 8, 8});
                OrtSession.Result out = s.run(Map.of("X", in))) {
            LabelDecoder d = LabelDecoder.forOutput(s.getOutputInfo().get("Y"));
            int[] labels = d.decode(out);
            float[][][][] y = (float[][][][]) out.get(0).getValue();
            int[] expected = new int[2 * 64];
            for (int n = 0; n < 2; n++) {
                for (int p = 0; p < 64; p++) {
                    int best = 0;
                    for (int c = 1; c < 4; c++) {
                        if (y[n][c][p / 8][p % 8] > y[n][best][p / 8][p % 8]) {
                            best = c;
                        }
                    }
                    expected[n * 64 + p] = best;
                }
            }
            assertArrayEquals(expected, labels);
        }
    }

    @Test
    void missingModelAndBadSettingsFailClearly() {
        CoreException e = assertThrows(CoreException.class,
                () -> new BenchmarkOperation(Path.of("no-such-model.onnx")).iterations(1).run(null));
        assertTrue(e.getMessage().contains("no-such-model.onnx"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkOperation(Path.of("m.onnx")).rounds(0));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkOperation.parseOptLevel("max"));
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("fast"));
    }

    @Test
    void realModelShortRunWithImagesAndProfile() throws Exception {
        Path model = TestData.deeplabModel();
        BenchmarkResult r = new BenchmarkOperation(model).dataset(Datasets.open(TestData.vocVal())).iterations(3).rounds(3)
                .warmup(1).profile(true).profileRuns(2).run(new NullProgressMonitor());
        BenchmarkModelResult m = r.model();
        assertEquals(java.util.List.of(1L, 3L, 257L, 257L), m.inputShape());
        assertEquals(3, m.requests());
        assertEquals(3, m.endToEnd().requests());
        assertNotNull(m.preprocessing());
        assertTrue(r.settings().input().contains("VOC") || r.settings().input().contains("val"), r.settings().input());
        assertEquals(0, m.optimizedGraph().integerNodes());
        assertEquals(55, m.optimizedGraph().floatConvCount());
        assertEquals("Conv", m.profile().opTypes().get(0).opType(), "convolutions take most of the FP32 time");
        assertTrue(m.profile().floatComputeShare() > 0.9, "all of an FP32 model computes in float");
        JsonObject j = JsonParser.parseString(Json.toJson(r)).getAsJsonObject().getAsJsonArray("models").get(0).getAsJsonObject();
        for (String key : new String[] {"fps", "latencyMs", "endToEnd", "sha256", "loadMs", "profile", "optimizedGraph"}) {
            assertTrue(j.has(key), key);
        }
        assertTrue(j.getAsJsonObject("latencyMs").has("p90"));
        assertTrue(j.getAsJsonObject("endToEnd").has("fps"));
        JsonObject prov = JsonParser.parseString(Json.toJson(r)).getAsJsonObject().getAsJsonObject("provenance");
        assertFalse(prov.getAsJsonObject("cpu").get("modelName").getAsString().isEmpty());
    }

    @Test
    void cancelStopsTheRealModelPromptly() {
        Path model = TestData.deeplabModel();
        NullProgressMonitor monitor = new NullProgressMonitor();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            monitor.setCanceled(true);
        });
        canceller.start();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(OperationCanceledException.class,
                () -> new BenchmarkOperation(model).seconds(120).warmup(1).run(monitor)));
    }
}
