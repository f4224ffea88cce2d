package org.int8workbench.core.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.SampleSubset;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.quantize.Calibration;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The candidate-scoring seam on the real DeepLabV3 and VOC 2012 val pairs: a score folded from parts scored apart is the
 * score of all the images at once, bit for bit; a validation opened from its recipe (after Java serialization, as a Spark
 * executor gets it) scores a candidate exactly as the prepared one; the local scorer gives {@link Validation#score}'s
 * figures. Calibrated on 16 photos: the candidates only need to differ from FP32.
 */
class CandidateScoringTest {
    // measured here (AMD EPYC, 2 cores, shared): 35-49 s in all; the scoring recipe of DeepLabV3 is 2.8 MB, made in 0.05 s

    private static SegmentationDataset voc;
    private static Calibration calibration;
    private static Validation subset; // 14 val pairs

    @BeforeAll
    static void prepare() throws Exception {
        voc = Datasets.open(TestData.vocVal(), "val");
        calibration = new QuantizeOperation(TestData.deeplabModel()).calibration(TestData.calibrationPhotos())
                .preprocessing(DeeplabValidationTest.PRE).subset(16).calibrate(new NullProgressMonitor());
        subset = Validation.prepare(TestData.deeplabModel(), SampleSubset.range(voc, 20, 34), DeeplabValidationTest.PRE, null,
                null, new NullProgressMonitor());
    }

    @AfterAll
    static void close() {
        if (subset != null) {
            subset.close();
        }
    }

    private static byte[] candidate() throws Exception {
        List<Calibration.Group> groups = calibration.groups();
        return calibration.write(groups.get(groups.size() / 2).nodes()).bytes();
    }

    static void assertSameScore(Score expected, Score actual, String what) {
        assertEquals(expected.metric(), actual.metric(), what);
        assertEquals(expected.value(), actual.value(), what + ": value, exactly");
        assertEquals(expected.agreement(), actual.agreement(), what + ": agreement, exactly");
        assertEquals(expected.outputError(), actual.outputError(), what + ": output error, exactly");
        assertArrayEquals(expected.images(), actual.images(), what + ": images");
        assertArrayEquals(expected.imageAgreement(), actual.imageAgreement(), what + ": per-image agreement, exactly");
    }

    @Test
    void partsScoredApartCombineToTheScoreBitForBit() throws Exception {
        assertEquals(14, subset.size());
        assertEquals(AccuracyMetric.MIOU, subset.metric());
        byte[] model = candidate();
        int[] images = {9, 2, 13, 0, 5, 7, 1, 11, 3, 12, 4, 8, 6, 10};
        Score whole = subset.score(model, images, new NullProgressMonitor());
        ScorePart a = subset.scorePart(model, new int[] {9, 2}, new NullProgressMonitor());
        ScorePart b = subset.scorePart(model, new int[] {3, 11, 1, 7, 5, 0, 13}, new NullProgressMonitor());
        ScorePart c = subset.scorePart(model, new int[] {12, 4, 8, 6, 10}, new NullProgressMonitor());
        Score combined = subset.combine(images, List.of(c, a, b));
        System.out.printf("14 VOC val pairs, one group kept in FP32: %s; combined from parts of 2, 7 and 5 images: %s%n", whole,
                combined);
        assertSameScore(whole, combined, "3 uneven parts in shuffled order");
        assertTrue(whole.value() > 0.3 && whole.value() < 1, "a real mIoU: " + whole);
        assertTrue(whole.outputError() > 0, "a real output error: " + whole);

        // all images (null), in their order
        Score all = subset.score(model, null, new NullProgressMonitor());
        assertSameScore(all, subset.combine(null, List.of(b, c, a)), "all images");
        // a part survives Java serialization
        assertSameScore(all, subset.combine(null, List.of(roundTrip(b), roundTrip(c), roundTrip(a))), "serialized parts");

        assertThrows(IllegalArgumentException.class, () -> subset.combine(images, List.of(a, b)), "an image missing");
        assertThrows(IllegalArgumentException.class, () -> subset.combine(new int[] {9, 2}, List.of(a, c)),
                "images not asked for");
    }

    @Test
    void aValidationOpenedFromItsRecipeScoresAsThePreparedOne() throws Exception {
        byte[] model = candidate();
        // the whole val split (a FileDataset), 12 of its images scored
        try (Validation prepared = Validation.prepare(TestData.deeplabModel(), voc, DeeplabValidationTest.PRE, null, null,
                new NullProgressMonitor())) {
            ValidationRecipe recipe = roundTrip(prepared.recipe());
            assertEquals(null, recipe.data().ids(), "the whole split");
            int[] images = new int[12];
            for (int i = 0; i < images.length; i++) {
                images[i] = i * 8 + 3;
            }
            try (Validation opened = Validation.open(recipe)) {
                assertEquals(prepared.imageIds(), opened.imageIds());
                assertEquals(prepared.size(), opened.size());
                assertEquals(prepared.metric(), opened.metric());
                assertEquals(prepared.outputKind(), opened.outputKind());
                assertEquals(prepared.description(), opened.description());
                assertEquals(prepared.preprocessing(), opened.preprocessing());
                assertTrue(Double.isNaN(opened.parentMetric()), "only the driver has the parent's metric");
                assertSameScore(prepared.score(model, images, new NullProgressMonitor()),
                        opened.score(model, images, new NullProgressMonitor()), "opened from the recipe of the val split");
                assertArrayEquals(prepared.input(images[3]), opened.input(images[3]), "the same input tensor");
                assertEquals(recipe, opened.recipe(), "an opened validation gives its recipe");
            }
        }
        // a part of it (SampleSubset), scored from two threads at once on the opened one: each image prepared once
        ValidationRecipe recipe = roundTrip(subset.recipe());
        assertEquals(subset.imageIds(), recipe.data().ids());
        try (Validation opened = Validation.open(recipe)) {
            CompletableFuture<ScorePart> first = CompletableFuture.supplyAsync(() -> part(opened, model, new int[] {0, 1, 2, 3, 4, 5, 6}));
            CompletableFuture<ScorePart> second = CompletableFuture.supplyAsync(() -> part(opened, model, new int[] {13, 12, 11, 10, 9, 8, 7, 3}));
            ScorePart rest = part(opened, model, new int[] {3});
            int[] images = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3, 3};
            assertSameScore(subset.score(model, images, new NullProgressMonitor()),
                    opened.combine(images, List.of(second.get(), rest, first.get())), "opened from the recipe of a subset");
        }
        // one intra-op thread (an executor running a task per core) gives the same bits
        try (Validation single = Validation.open(recipe, 1)) {
            assertSameScore(subset.score(model, null, new NullProgressMonitor()), single.score(model, null, new NullProgressMonitor()),
                    "opened with 1 thread");
        }
    }

    private static ScorePart part(Validation v, byte[] model, int[] images) {
        try {
            return v.scorePart(model, images, new NullProgressMonitor());
        } catch (CoreException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theLocalScorerGivesTheValidationsFigures() throws Exception {
        List<Calibration.Group> groups = calibration.groups();
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate("INT8", List.of()));
        for (int i : new int[] {0, groups.size() / 2, groups.size() - 1}) {
            candidates.add(new Candidate(groups.get(i).node(), groups.get(i).nodes()));
        }
        int[] images = {1, 4, 9};
        List<CandidateScore> scores;
        try (CandidateScorer scorer = Scorers.LOCAL.open(calibration, subset)) {
            scores = scorer.score(candidates, images, true, new NullProgressMonitor());
        }
        assertEquals(candidates.size(), scores.size());
        for (int i = 0; i < scores.size(); i++) {
            Candidate c = candidates.get(i);
            assertEquals(c, scores.get(i).candidate(), "in the order asked");
            assertSameScore(subset.score(calibration.write(c.keepFloat()).bytes(), images, new NullProgressMonitor()),
                    scores.get(i).score(), c.label());
        }
        assertEquals(Boolean.FALSE, scores.get(0).runsFloat(), "the full INT8 model keeps nothing in float");
        for (CandidateScore s : scores.subList(1, scores.size())) {
            assertNotNull(s.runsFloat(), s.candidate().label());
        }
    }

    @Test
    void aScoringRecipeIsNamedByItsContentAndRestoresTheSameCandidates() throws Exception {
        long t0 = System.nanoTime();
        ScoringRecipe r = ScoringRecipe.of(calibration, subset);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(r.key(), ScoringRecipe.of(calibration, subset).key(), "the same calibration and validation, the same key");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        System.out.printf("scoring recipe of DeepLabV3 (%s): %d bytes serialized, made in %.2f s%n", r.key().substring(0, 12),
                bytes.size(), seconds);
        ScoringRecipe shipped = roundTrip(r);
        assertEquals(r.key(), shipped.key());
        assertEquals(64, r.key().length(), "a SHA-256");
        Calibration restored = shipped.restoreCalibration();
        List<String> keep = calibration.groups().get(1).nodes();
        try (Validation opened = shipped.openValidation()) {
            assertSameScore(subset.score(calibration.write(keep).bytes(), new int[] {0, 5}, new NullProgressMonitor()),
                    opened.score(restored.write(keep).bytes(), new int[] {0, 5}, new NullProgressMonitor()),
                    "restored calibration, opened validation");
        }
        try (Validation other = Validation.prepare(TestData.deeplabModel(), SampleSubset.range(voc, 20, 22),
                DeeplabValidationTest.PRE, null, null, new NullProgressMonitor())) {
            assertNotEquals(r.key(), ScoringRecipe.of(calibration, other).key(), "another validation, another key");
        }
        // generated images cannot be opened elsewhere: a clear refusal
        try (Validation generated = Validation.prepare(TestData.deeplabModel(),
                Datasets.generated(2, 64, 48, 1, GeneratedDataset.Kind.values()[0]), DeeplabValidationTest.PRE, null, null,
                new NullProgressMonitor())) {
            CoreException e = assertThrows(CoreException.class, generated::recipe);
            assertTrue(e.getMessage().contains("cannot be opened again in another JVM"), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
