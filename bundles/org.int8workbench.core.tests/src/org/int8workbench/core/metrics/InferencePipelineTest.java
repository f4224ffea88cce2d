package org.int8workbench.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.Sample;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.ArgmaxDecoder;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.report.AccuracyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator's pipeline finishes however slow its measuring side is, and stops promptly when cancelled while it
 * waits: tiny 1x1-convolution models in real ONNX Runtime sessions over many generated images.
 */
class InferencePipelineTest {

    private static final int SIZE = 8;
    private static final Preprocessing PRE = Preprocessing.defaults(SIZE, SIZE, Preprocessing.Layout.NCHW);

    @TempDir
    Path tmp;

    /** Logits {@code [1,2,8,8]} of a fixed shape (so the evaluator pins its outputs): red against {@code channel}. */
    private Path model(String name, int channel) throws IOException {
        GraphBuilder b = new GraphBuilder(name).opset(13);
        b.input("image", DataType.FLOAT, 1, 3, SIZE, SIZE);
        float[] w = new float[2 * 3];
        w[0] = 1;
        w[3 + channel] = 1;
        b.output(b.conv("image", w, new long[] {2, 3, 1, 1}, null, 1, 1, 0, 1), DataType.FLOAT, 1, 2, SIZE, SIZE);
        Path file = tmp.resolve(name + ".onnx");
        Files.write(file, b.build().toByteArray());
        return file;
    }

    @Test
    void aSlowMeasurementNeverStallsThePassAndBoundsTheImagesInFlight() throws Exception {
        int workers = 2;
        int images = 300;
        Counting data = new Counting(Datasets.generated(images, SIZE, SIZE, 3, GeneratedDataset.Kind.PATTERN));
        List<String> measured = new ArrayList<>();
        List<Integer> ahead = new ArrayList<>();
        try (OrtSession.SessionOptions o = EvaluationSessions.sessionOptions(1);
                OrtSession m = Ort.env().createSession(model("model", 2).toString(), o);
                OrtSession p = Ort.env().createSession(model("parent", 1).toString(), o)) {
            InferencePipeline pipeline = new InferencePipeline(data, true, PRE,
                    new InferencePipeline.Run(m, new ArgmaxDecoder(null, PRE, null)),
                    new InferencePipeline.Run(p, new ArgmaxDecoder(null, PRE, null)), workers);
            List<Sample> items = data.samples();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> pipeline.run(items,
                    SubMonitor.convert(new NullProgressMonitor(), items.size()), (item, cm, cp) -> {
                        int i = measured.size();
                        // the measuring side lags: the decoder and the workers run as far ahead as they may
                        sleep(i == 0 ? 300 : i % 50 == 0 ? 100 : 1);
                        ahead.add(data.reads().get() - i - 1);
                        assertEquals(SIZE * SIZE, cm.prediction().labels().labels().length);
                        assertEquals(SIZE * SIZE, cp.prediction().labels().labels().length);
                        measured.add(item.sample().id());
                    }));
        }
        assertEquals(data.samples().stream().map(Sample::id).toList(), measured, "every image, in data order");
        int max = ahead.stream().mapToInt(Integer::intValue).max().orElseThrow();
        // in flight beside the measured image: one per worker, one queued for the next free worker, and one decoded
        // by the decoder thread waiting for the measured image's buffers
        assertTrue(max <= workers + 2, "images read ahead of the measured one: " + max);
        assertTrue(max >= 1, "the decoder ran ahead of the measurement: " + max);
    }

    @Test
    void manyImagesWithPicturesAndAParentFinish() throws Exception {
        Path report = tmp.resolve("report");
        AccuracyReport r = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> new EvaluateOperation()
                .model(model("model", 2)).parent(model("parent", 1))
                .dataset(Datasets.generated(150, 40, 30, 9, GeneratedDataset.Kind.PATTERN)).preprocessing(PRE)
                .reportDir(report).saveLabelMaps(true).run(new NullProgressMonitor()));
        assertEquals(150, r.images().size());
        try (Stream<Path> s = Files.list(report.resolve("images"))) {
            assertEquals(150, s.count(), "a picture per image");
        }
        assertNotNull(r.agreement());
    }

    @Test
    void cancellingWhileWaitingForARunReturnsPromptly() throws Exception {
        NullProgressMonitor monitor = new NullProgressMonitor();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        // the parent's first prediction cancels and then hangs, as a long run would, until the pipeline interrupts it
        LabelDecoder hanging = TestDecoders.argmaxAfter(PRE, result -> {
            if (calls.incrementAndGet() == 1) {
                monitor.setCanceled(true);
                try {
                    never.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted by the cancellation");
                }
            }
        });
        Path model = model("model", 2);
        Path report = tmp.resolve("cancelled");
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(OperationCanceledException.class,
                () -> new EvaluateOperation().model(model).parent(model).parentPredictor(hanging)
                        .dataset(Datasets.generated(20, SIZE, SIZE, 1, GeneratedDataset.Kind.PATTERN)).preprocessing(PRE)
                        .reportDir(report).run(monitor)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "returned " + seconds + " s after the cancellation");
        assertTrue(Files.notExists(report), "no report folder");
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("int8wb-evaluate-")).toList(), "the decoder and inference threads have ended");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A dataset that counts the images read from it. */
    private record Counting(SegmentationDataset data, AtomicInteger reads) implements SegmentationDataset {
        Counting(SegmentationDataset data) {
            this(data, new AtomicInteger());
        }

        @Override
        public String description() {
            return data.description();
        }

        @Override
        public boolean synthetic() {
            return data.synthetic();
        }

        @Override
        public boolean hasMasks() {
            return data.hasMasks();
        }

        @Override
        public List<Sample> samples() {
            return data.samples();
        }

        @Override
        public BufferedImage readImage(Sample sample) throws IOException {
            reads.incrementAndGet();
            return data.readImage(sample);
        }

        @Override
        public LabelMask readMask(Sample sample) throws IOException {
            return data.readMask(sample);
        }

        @Override
        public ClassInfo classes() {
            return data.classes();
        }
    }
}
