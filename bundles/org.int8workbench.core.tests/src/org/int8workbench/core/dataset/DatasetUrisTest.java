package org.int8workbench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * A {@link RemoteDataset}'s recipe names its URI ({@link DatasetRecipe#remote()}) and opens again, whole or a part of
 * it, through the {@link DatasetUris} given (here a file system named {@code mem:} over the local files, as the Spark
 * module's Hadoop file systems are); without one a URI is refused with one line.
 */
class DatasetUrisTest {

    /** The local files under another name: {@code mem:/path}. */
    private static final DatasetFiles MEM = new DatasetFiles() {
        @Override
        public boolean exists(Path p) {
            return LOCAL.exists(p);
        }

        @Override
        public boolean isDirectory(Path p) {
            return LOCAL.isDirectory(p);
        }

        @Override
        public boolean isFile(Path p) {
            return LOCAL.isFile(p);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            return LOCAL.list(dir);
        }

        @Override
        public byte[] read(Path file) throws IOException {
            return LOCAL.read(file);
        }

        @Override
        public String location(Path p) {
            return "mem:" + p;
        }
    };

    private static final DatasetUris URIS = (uri, split) -> Datasets.open(MEM, Path.of(uri.substring("mem:".length())), split);

    @Test
    void aRemoteDatasetsRecipeNamesItsUriAndOpensAgainThroughTheUrisGiven() throws Exception {
        SegmentationDataset voc = Datasets.open(MEM, TestData.vocVal(), "val");
        assertTrue(voc instanceof RemoteDataset, voc.getClass().getName());
        DatasetRecipe r = voc.recipe();
        assertTrue(r.remote(), r.root());
        assertEquals("mem:" + TestData.vocVal().toAbsolutePath().normalize(), r.root());
        for (SegmentationDataset d : List.of(voc, SampleSubset.range(voc, 10, 14))) {
            SegmentationDataset again = d.recipe().open(URIS);
            assertEquals(d.samples().stream().map(Sample::id).toList(), again.samples().stream().map(Sample::id).toList());
            assertEquals(d.recipe(), again.recipe());
        }
        assertEquals(voc.description(), voc.recipe().open(URIS).description());
        assertTrue(voc.description().endsWith(" at " + r.root()), voc.description());
        IOException e = assertThrows(IOException.class, () -> r.open());
        assertTrue(e.getMessage().startsWith(r.root() + " is a URI") && !e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Datasets.open(TestData.vocVal(), "val").recipe().remote(), "a local folder");
    }
}
