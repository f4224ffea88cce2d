package org.int8workbench.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.int8workbench.core.ModelNames;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.junit.jupiter.api.Test;

/** The names of the outputs: the ones the workbench and the commands have always used, from one place. */
class OutputFilesTest {
    private final Path dir = Path.of("/data/models").toAbsolutePath();
    private final Path model = dir.resolve("deeplab.onnx");

    @Test
    void besideTheModel() {
        OutputFiles f = OutputFiles.besideModel(model);
        assertEquals(dir.resolve("deeplab.int8.onnx"), f.int8());
        assertEquals(dir.resolve("deeplab.int8.head.onnx"), f.head());
        assertEquals(dir.resolve("deeplab.int8.benchmark.json"), f.benchmark(Mode.LATENCY, true));
        assertEquals(dir.resolve("deeplab.int8.benchmark.json"), f.benchmarkJson(Mode.THROUGHPUT, true));
        assertEquals(dir.resolve("deeplab.int8.benchmark-latency.json"), f.benchmark(Mode.LATENCY, false));
        assertEquals(dir.resolve("deeplab.int8.benchmark-throughput.json"), f.benchmark(Mode.THROUGHPUT, false));
        assertEquals(dir.resolve("deeplab.int8.accuracy"), f.accuracyDir());
        assertEquals(dir.resolve("deeplab.int8.accuracy/report.json"), f.accuracyReport());
        assertEquals(dir.resolve("deeplab.optimize.json"), OutputFiles.settingsOf(model));
        assertNull(f.summary());
        assertNull(f.folder());
        // the same names the operations use by default
        assertEquals(QuantizeOperation.defaultOutput(model), f.int8());
        assertEquals(CutHeadOperation.defaultOutput(f.int8()), f.head());
        assertEquals(ModelNames.int8Of(model), f.int8());
        assertEquals(ModelNames.headOf(f.int8()), f.head());
    }

    @Test
    void anExistingModelNamesItsOwnReports() {
        Path other = dir.resolve("Other.ONNX");
        assertEquals("Other", OutputFiles.baseName(other));
        assertEquals(dir.resolve("Other.int8.onnx"), OutputFiles.int8Of(other));
        OutputFiles f = OutputFiles.besideInt8(other);
        assertEquals(dir.resolve("Other.benchmark.json"), f.benchmark(Mode.LATENCY, true));
        assertEquals(dir.resolve("Other.accuracy"), f.accuracyDir());
        assertEquals(OutputFiles.benchmarkOf(other), f.benchmark(Mode.THROUGHPUT, true));
        assertEquals(OutputFiles.accuracyReportOf(other), f.accuracyReport());
        Path json = dir.resolve("somewhere/benchmark.json");
        assertEquals(json, f.withBenchmarkFile(json).benchmarkJson(Mode.LATENCY, true));
        assertThrows(IllegalArgumentException.class, () -> f.withBenchmarkFile(json).benchmark(Mode.LATENCY, false));
    }

    @Test
    void inAReportFolder() {
        Path out = Path.of("/tmp/demo").toAbsolutePath();
        OutputFiles f = OutputFiles.reportFolder(out, model);
        assertTrue(f.isReportFolder());
        assertEquals(out.resolve("deeplab.int8.onnx"), f.int8());
        assertEquals(out.resolve("deeplab.int8.head.onnx"), f.head());
        assertEquals(out.resolve("benchmark-latency"), f.benchmark(Mode.LATENCY, false));
        assertEquals(out.resolve("benchmark-throughput/benchmark.json"), f.benchmarkJson(Mode.THROUGHPUT, true));
        assertEquals(out.resolve("accuracy"), f.accuracyDir());
        assertEquals(out.resolve("accuracy/report.json"), f.accuracyReport());
        assertEquals(out.resolve("summary.json"), f.summary());
        assertEquals(out.resolve("index.html"), f.index());
    }
}
