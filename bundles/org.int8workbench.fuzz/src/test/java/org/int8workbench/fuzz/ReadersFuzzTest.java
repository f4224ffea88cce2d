package org.int8workbench.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Images;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.MaskEncoding;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.InvalidModelException;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.OnnxModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzz tests (Jazzer) of the readers of untrusted files: the ONNX reader with what {@code inspect}
 * does with its result, the image reader, the mask reader and a dataset folder's {@code dataset.json}. The property
 * (the one of core.tests' {@code ReadersFuzzTest}): any input gives a result or the tool's own exception
 * ({@link InvalidModelException} or {@link CoreException} for models, a one-line {@link IOException} naming the file
 * for images, masks and datasets); never another exception, an {@link OutOfMemoryError} or a hang (longer than the
 * {@link #TIMEOUT_SECONDS} for one input). Anything else is a finding: Jazzer saves the input into
 * {@code src/test/resources/org/int8workbench/fuzz/ReadersFuzzTestInputs/TARGET/} and from then on it is a regression
 * case of the normal test run, like the seeds there ({@link Seeds} writes them).
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs on its seeds and saved findings (regression mode); with
 * {@code JAZZER_FUZZ=1} and a {@code -Dtest=ReadersFuzzTest#TARGET} filter Jazzer fuzzes that target (the module's
 * POM does so for each target in every build; see there for longer runs).
 */
class ReadersFuzzTest {

    /** Longest one input may take. */
    static final long TIMEOUT_SECONDS = Long.getLong("int8workbench.fuzz.timeoutSeconds", 10);
    private static final ExecutorService EXEC = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-target");
        t.setDaemon(true);
        return t;
    });

    private static Path dir;
    private static Path dataset;

    @BeforeAll
    static void folders() throws IOException {
        dir = Files.createTempDirectory("int8wb-fuzz");
        dataset = Files.createDirectories(dir.resolve("ds"));
        Files.createDirectories(dataset.resolve("images"));
        Files.createDirectories(dataset.resolve("masks"));
        Files.write(dataset.resolve("images").resolve("a.png"), Seeds.rgbPng());
        Files.write(dataset.resolve("masks").resolve("a.png"), Seeds.paletteMask());
    }

    @AfterAll
    static void removeFolders() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** What inspect does with a model file before ONNX Runtime sees it. */
    @FuzzTest
    void onnxModel(byte[] bytes) throws Exception {
        withinTime(() -> { onnxModelOnce(bytes); return null; });
    }

    private static void onnxModelOnce(byte[] bytes) throws IOException {
        try {
            OnnxModel m = OnnxModel.fromBytes(bytes, dir.resolve("fuzzed.onnx"));
            ModelSummary.of(m, null).describe();
            ExporterGraphs.imageLayout(m);
            ModelSummary.of(m, Preprocessing.defaults(17, 13, Preprocessing.Layout.NCHW)).describe();
        } catch (InvalidModelException e) {
            oneLine(e);
        }
    }

    @FuzzTest
    void image(byte[] bytes) throws Exception {
        withinTime(() -> { imageOnce(bytes); return null; });
    }

    private static void imageOnce(byte[] bytes) throws IOException {
        Path file = dir.resolve("fuzzed.png");
        Files.write(file, bytes);
        try {
            BufferedImage img = Images.readRgb(file);
            assertTrue((long) img.getWidth() * img.getHeight() <= Images.maxPixels(), "decoded beyond the pixel limit");
        } catch (IOException e) {
            namesTheFile(e, file);
        }
    }

    @FuzzTest
    void mask(byte[] bytes) throws Exception {
        withinTime(() -> { maskOnce(bytes); return null; });
    }

    private static void maskOnce(byte[] bytes) throws IOException {
        Path file = dir.resolve("fuzzed-mask.png");
        Files.write(file, bytes);
        for (MaskEncoding enc : MaskEncoding.values()) {
            try {
                LabelMask m = Images.readMask(file, enc == MaskEncoding.BINARY ? ClassInfo.binary() : ClassInfo.pascalVoc(), enc);
                assertTrue(m.labels().length == m.width() * m.height(), "labels do not fill the mask");
            } catch (IOException e) {
                namesTheFile(e, file);
            }
        }
    }

    /** A dataset folder with one image and its mask, opened with a fuzzed dataset.json; every item read. */
    @FuzzTest
    void datasetJson(byte[] bytes) throws Exception {
        withinTime(() -> { datasetJsonOnce(bytes); return null; });
    }

    private static void datasetJsonOnce(byte[] bytes) throws IOException {
        Files.write(dataset.resolve("dataset.json"), bytes);
        SegmentationDataset ds;
        try {
            ds = Datasets.open(dataset);
        } catch (IOException e) {
            oneLine(e);
            return;
        }
        ds.classes();
        for (var sample : ds.samples()) {
            try {
                ds.readImage(sample);
                if (ds.hasMasks()) {
                    ds.readMask(sample);
                }
            } catch (IOException e) {
                oneLine(e); // a skipped item with its reason
            }
        }
    }

    /**
     * Runs one input under a time limit: longer is a hang (Jazzer reports the exception as a finding). JUnit's
     * {@code @Timeout} would limit the whole fuzzing run instead, which is one invocation of the test.
     */
    private static void withinTime(Callable<Void> target) throws Exception {
        Future<Void> f = EXEC.submit(target);
        try {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer after " + TIMEOUT_SECONDS + " s (a hang)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw (Error) e.getCause();
        }
    }

    /** The readers' own answer: an IOException whose one-line message names the file; anything else is rethrown. */
    private static void namesTheFile(IOException e, Path file) throws IOException {
        oneLine(e);
        if (!e.getMessage().contains(file.getFileName().toString())) {
            throw e;
        }
    }

    private static void oneLine(IOException e) throws IOException {
        if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().lines().count() != 1) {
            throw e;
        }
    }
}
