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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.report.BenchmarkComparison;
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
    void threeModelsInOneRunWithTheExactHeadByDefault() throws Exception {
        Path dir = Files.createDirectories(TestData.scratch("bench-op").resolve("three-" + System.nanoTime()));
        Path full = BenchTinyModels.write(BenchTinyModels.floatConvResize(), dir, "net.onnx");
        Path q = BenchTinyModels.write(BenchTinyModels.qdqConvResize(), dir, "net-qdq.onnx");
        CutHeadOperation.CutHeadResult cut = new CutHeadOperation(full).run(new NullProgressMonitor());
        assertTrue(cut.cut(), cut.reason());
        BenchmarkResult r = new BenchmarkOperation(full).others(List.of(q, cut.output())).iterations(8).rounds(4).warmup(1)
                .run(new NullProgressMonitor());

        assertEquals(3, r.models().size());
        assertEquals(List.of(full, q, cut.output()), r.models().stream().map(m -> Path.of(m.path())).toList());
        for (BenchmarkModelResult m : r.models()) {
            assertEquals(8, m.requests());
            assertEquals(4, m.fpsPerRound().size());
            assertEquals(8, m.endToEnd().requests());
        }
        assertTrue(r.model().endToEnd().decoder().startsWith("argmax"), r.model().endToEnd().decoder());
        assertTrue(r.models().get(2).endToEnd().decoder().startsWith("exact label head"), "the cut model gets the exact head by default: "
                + r.models().get(2).endToEnd().decoder());

        assertEquals(2, r.comparisons().size());
        for (int i = 1; i <= 2; i++) {
            BenchmarkComparison c = r.comparison(i);
            assertEquals(i, c.model());
            assertEquals(r.models().get(i).path(), c.path());
            assertEquals(4, c.speedup().perRound().size());
            assertEquals(4, c.latencySpeedup().perRound().size());
            assertEquals(4, c.endToEndSpeedup().perRound().size());
            // each per-round speedup is that round's images/s over the first model's
            for (int k = 0; k < 4; k++) {
                assertEquals(r.models().get(i).fpsPerRound().get(k) / r.model().fpsPerRound().get(k), c.speedup().perRound().get(k), 1e-9);
                assertEquals(r.models().get(i).endToEnd().fpsPerRound().get(k) / r.model().endToEnd().fpsPerRound().get(k),
                        c.endToEndSpeedup().perRound().get(k), 1e-9);
            }
        }
        // the top-level fields keep meaning "second model against the first"
        assertEquals(r.comparison(1).speedup(), r.speedup());
        assertEquals(r.comparison(1).latencySpeedup(), r.latencySpeedup());
        assertEquals(r.comparison(1).endToEndSpeedup(), r.endToEnd().speedup());

        JsonObject j = JsonParser.parseString(Json.toJson(r)).getAsJsonObject();
        assertEquals(3, j.getAsJsonArray("models").size());
        JsonObject c2 = j.getAsJsonArray("comparisons").get(1).getAsJsonObject();
        assertEquals(2, c2.get("model").getAsInt());
        assertEquals(cut.output().toAbsolutePath().toString(), c2.get("path").getAsString());
        for (String key : new String[] {"speedup", "latencySpeedup", "endToEndSpeedup"}) {
            assertTrue(c2.getAsJsonObject(key).has("median") && c2.getAsJsonObject(key).has("min")
                    && c2.getAsJsonObject(key).has("max") && c2.getAsJsonObject(key).has("perRound"), key);
        }
        assertTrue(j.getAsJsonObject("speedup").has("median"));
        assertTrue(j.getAsJsonObject("endToEnd").getAsJsonObject("speedup").has("median"));
        assertEquals(r, Json.gson().fromJson(Json.toJson(r), BenchmarkResult.class));
    }

    @Test
    void jsonWithoutComparisonsReadsAsTheSecondModelAgainstTheFirst() throws Exception {
        Path dir = TestData.scratch("bench-op");
        Path a = BenchTinyModels.write(BenchTinyModels.floatConv(), dir, "tiny-float.onnx");
        BenchmarkResult r = new BenchmarkOperation(a).other(a).iterations(2).rounds(2).warmup(0).analyzeGraph(false)
                .run(new NullProgressMonitor());
        JsonObject j = JsonParser.parseString(Json.toJson(r)).getAsJsonObject();
        j.remove("comparisons");
        BenchmarkResult old = Json.gson().fromJson(j, BenchmarkResult.class);
        assertEquals(r.comparisons(), old.comparisons(), "derived from speedup, latencySpeedup and endToEnd");
        assertEquals(r, old);
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
        assertTrue(r.comparisons().isEmpty());
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
            LabelDecoder d = LabelDecoders.forSession(s, null);
            int[] labels = d.decodeBatch(out);
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
