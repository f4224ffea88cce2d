package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.int8workbench.core.accuracy.AccuracyAwareOperation;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.Candidate;
import org.int8workbench.core.accuracy.CandidateScorer;
import org.int8workbench.core.accuracy.NodeSensitivity;
import org.int8workbench.core.dataset.SampleSubset;
import org.int8workbench.core.accuracy.SensitivityOperation;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.accuracy.Validation;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sensitivity ranking and the Accuracy-aware method with their candidates scored on a real local Spark
 * ({@code local[2]}: two task slots in this JVM, the calibration restored and the validation reopened from the broadcast
 * recipe as on an executor) give the local scorer's results, field by field: the real DeepLabV3 calibrated on 4 photos,
 * validated on 8 real VOC val pairs (val images 41-48, mIoU against the masks).
 */
class SparkScoringTest {

    /** What may differ between two runs: when and how fast they ran. */
    static final Set<String> RUN_FIELDS = Set.of("seconds", "provenance");

    static JavaSparkContext sc;
    static Calibration calibration;
    static Validation validation;
    /** Recipes opened by executors (this JVM) before this class: other test classes share the JVM. */
    static int openedBefore;

    @BeforeAll
    static void start() throws Exception {
        calibration = new QuantizeOperation(TestData.deeplabModel()).calibration(TestData.calibrationPhotos()).subset(4)
                .calibrate(new NullProgressMonitor());
        validation = Validation.prepare(TestData.deeplabModel(), SampleSubset.range(Datasets.open(TestData.vocVal(), null), 40, 48),
                calibration.preprocessing(), OutputSelection.AUTO, null, new NullProgressMonitor());
        assertEquals(AccuracyMetric.MIOU, validation.metric());
        sc = LocalSpark.start("SparkScoringTest");
        openedBefore = ExecutorScorings.OPENED.get();
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop(sc);
        if (validation != null) {
            validation.close();
        }
    }

    @Test
    void sensitivityRankingOnSparkEqualsTheLocalOne() throws Exception {
        long t0 = System.nanoTime();
        SensitivityResult local = SensitivityOperation.analyze(calibration, validation, 4, new NullProgressMonitor());
        long t1 = System.nanoTime();
        AtomicInteger tasks = new AtomicInteger();
        SensitivityResult spark;
        // slices of 1 image at least: the INT8 model's scores on 8 and 4 images come from 4 parts each
        try (SparkScorer s = SparkScorer.on(sc, calibration, validation).minSliceImages(1)) {
            NullProgressMonitor counting = new NullProgressMonitor() {
                @Override
                public void subTask(String name) {
                    if (name.matches("\\d+/\\d+ tasks") && !name.startsWith("0/")) {
                        tasks.incrementAndGet();
                    }
                }
            };
            spark = SensitivityOperation.analyze(calibration, validation, 4, null, null, s, counting);
            System.out.printf("SPARK sensitivity: local %.1f s, local[2] %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);

            // cancelled: the job stops, no result
            NullProgressMonitor cancelled = new NullProgressMonitor();
            cancelled.setCanceled(true);
            List<Candidate> all = calibration.groups().stream().map(g -> new Candidate(g.node(), g.nodes())).toList();
            long c0 = System.nanoTime();
            assertThrows(OperationCanceledException.class, () -> s.score(all, null, true, cancelled));
            assertTrue((System.nanoTime() - c0) / 1e9 < 20, "cancelled at once, not after 67 candidates");
        }
        assertEquals(67, local.nodes().size(), "DeepLabV3's revertible groups");
        assertEquals(4, spark.rankingImages().size());
        assertSame(local, spark);
        for (int i = 0; i < local.nodes().size(); i++) {
            NodeSensitivity l = local.nodes().get(i);
            assertEquals(l, spark.nodes().get(i), l.node());
        }
        assertTrue(spark.nodes().stream().anyMatch(n -> Boolean.TRUE.equals(n.revertedRunsFloat())), "kernels were checked");
        assertNotEquals(spark.rankingInt8Metric(), spark.nodes().get(0).revertedMetric(), "the top group changes the metric");
        // the executors (this JVM) restored the calibration and opened the validation once for all jobs and tasks (and
        // for both tests: the same calibration and validation are the same recipe)
        assertEquals(openedBefore + 1, ExecutorScorings.OPENED.get());
        // 67 candidates on 2 slots: one task each; the INT8 model alone on 8 and on 4 images: 4 slices each
        assertEquals(67 + 4 + 4, tasks.get(), "every task counted");
    }

    @Test
    void accuracyAwareMethodOnSparkEqualsTheLocalOne() throws Exception {
        // a drop of 0 on these 8 images: the greedy keeps Conv_8, steps Conv_5 and Conv_41 back, then ranks every group in
        // isolation (one Spark job of 67 candidates) and searches the shortest head of that ranking (measured locally: the
        // head of 1 reaches it)
        AccuracyControl control = AccuracyControl.maxDrop(0).withMaxReverts(3).withRankingImages(4);
        long t0 = System.nanoTime();
        AccuracyAwareResult local = new AccuracyAwareOperation(calibration, validation, control).run(new NullProgressMonitor());
        long t1 = System.nanoTime();
        AccuracyAwareResult spark = new AccuracyAwareOperation(calibration, validation, control)
                .scorers((c, v) -> SparkScorer.on(sc, c, v)).run(new NullProgressMonitor());
        System.out.printf("SPARK Accuracy-aware: local %.1f s, local[2] %.1f s%n%s", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                spark.describe());
        assertTrue(local.steps().stream().anyMatch(AccuracyAwareResult.Step::kept), local.describe());
        assertTrue(local.steps().stream().anyMatch(s -> !s.kept()), local.describe());
        assertTrue(local.steps().stream().anyMatch(s -> s.node().contains("isolated harm")), local.describe());
        assertTrue(local.keptFloat().size() >= 2, local.describe());
        assertSame(local, spark);
    }

    @Test
    void candidatesAreSlicedOnlyWhenTooFewToKeepEverySlotBusy() {
        assertEquals(1, SparkScorer.slices(67, 8, 2, 16), "67 candidates on 2 slots: one task each");
        assertEquals(1, SparkScorer.slices(4, 1449, 2, 16), "two per slot already");
        assertEquals(16, SparkScorer.slices(1, 1449, 8, 16), "one candidate on 8 slots: 16 slices of 90 images");
        assertEquals(2, SparkScorer.slices(3, 1449, 2, 16), "3 candidates, 2 slots: 6 tasks");
        assertEquals(1, SparkScorer.slices(1, 20, 2, 16), "20 images: one slice of 16 at least");
        assertEquals(4, SparkScorer.slices(1, 8, 2, 1));
        assertEquals(8, SparkScorer.slices(1, 8, 8, 1), "at most one slice per image");
    }

    /** Every field of two records is equal, apart from the {@link #RUN_FIELDS}. */
    static void assertSame(Record expected, Record actual) throws Exception {
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            if (!RUN_FIELDS.contains(c.getName())) {
                assertEquals(c.getAccessor().invoke(expected), c.getAccessor().invoke(actual), c.getName());
            }
        }
    }
}
