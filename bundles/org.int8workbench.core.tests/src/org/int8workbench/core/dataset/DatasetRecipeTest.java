package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * A dataset folder, or a part of one, opens again from its recipe (after Java serialization, as a Spark executor gets
 * it) with the same samples in the same order; generated data has no recipe.
 */
class DatasetRecipeTest {

    @Test
    void foldersAndTheirPartsOpenAgainWithTheSameSamples() throws Exception {
        SegmentationDataset voc = Datasets.open(TestData.vocVal(), "val");
        SegmentationDataset photos = Datasets.open(TestData.calibrationPhotos());
        for (SegmentationDataset d : List.of(voc, photos, SampleSubset.range(voc, 10, 30),
                SampleSubset.without(photos, List.of(photos.samples().get(0).id(), photos.samples().get(5).id()), "unused"),
                SampleSubset.range(SampleSubset.range(voc, 10, 30), 2, 6))) {
            DatasetRecipe r = roundTrip(d.recipe());
            SegmentationDataset again = r.open();
            assertEquals(ids(d), ids(again), d.description());
            assertEquals(d.hasMasks(), again.hasMasks(), d.description());
            assertEquals(d.classes(), again.classes(), d.description());
            assertEquals(d.recipe(), again.recipe(), "a reopened dataset gives the same recipe: " + d.description());
            Sample s = again.samples().get(again.samples().size() - 1);
            assertEquals(d.readImage(d.samples().get(d.samples().size() - 1)).getWidth(), again.readImage(s).getWidth());
        }
        assertNull(voc.recipe().ids(), "the whole split");
        assertTrue(voc.recipe().root().startsWith("/"), "an absolute path: " + voc.recipe().root());
        assertEquals(20, SampleSubset.range(voc, 10, 30).recipe().ids().size());
    }

    @Test
    void generatedDataHasNoRecipeAndAMissingSampleIsAnError() throws Exception {
        assertNull(Datasets.generated(3, 32, 32, 1, GeneratedDataset.Kind.NOISE).recipe());
        assertNull(SampleSubset.range(Datasets.generated(3, 32, 32, 1, GeneratedDataset.Kind.NOISE), 0, 2).recipe());
        DatasetRecipe r = Datasets.open(TestData.vocVal(), "val").recipe().only(List.of("no-such-image"));
        IOException e = assertThrows(IOException.class, r::open);
        assertTrue(e.getMessage().contains("no longer has 1 of the 1 samples"), e.getMessage());
    }

    private static List<String> ids(SegmentationDataset d) {
        return d.samples().stream().map(Sample::id).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
