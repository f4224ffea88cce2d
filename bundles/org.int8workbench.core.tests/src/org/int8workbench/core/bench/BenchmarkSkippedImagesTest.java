package org.int8workbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SkippedItem;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@code benchmark --dataset} with images that cannot be read: they are skipped, counted and named (as evaluate does)
 * and the benchmark runs on the readable ones; only a dataset with no readable image fails. Real model, real photos.
 */
class BenchmarkSkippedImagesTest {

    @Test
    void unreadableImagesAreSkippedAndNamed() throws Exception {
        Path dir = Files.createTempDirectory(TestData.scratch("bench-skip"), "images");
        List<Path> photos;
        try (Stream<Path> s = Files.list(TestData.vocVal().resolve("JPEGImages"))) {
            photos = s.sorted().limit(3).toList();
        }
        Files.copy(photos.get(0), dir.resolve("a.jpg"));
        byte[] jpeg = Files.readAllBytes(photos.get(1));
        Files.write(dir.resolve("b.jpg"), Arrays.copyOf(jpeg, jpeg.length / 4)); // cut off: not decodable
        Files.writeString(dir.resolve("c.jpg"), "not an image", StandardCharsets.UTF_8);
        Files.copy(photos.get(2), dir.resolve("d.jpg"));
        BenchmarkOperation op = new BenchmarkOperation(TestData.deeplabModel()).dataset(Datasets.open(dir)).iterations(2).rounds(1)
                .warmup(0);
        BenchmarkResult r = op.run(new NullProgressMonitor());
        assertEquals(2, r.model().requests());
        List<SkippedItem> skipped = op.skipped();
        assertEquals(List.of("b", "c"), skipped.stream().map(SkippedItem::id).toList(), skipped.toString());
        assertTrue(skipped.get(1).reason().contains("not an image"), skipped.get(1).reason());
        String note = r.notes().stream().filter(n -> n.contains("skipped")).findFirst().orElseThrow();
        assertTrue(note.startsWith("2 images skipped (cannot be read; the benchmark used the next readable ones): b ("), note);
        assertTrue(note.contains("; c ("), note);

        // nothing readable: one line naming the first problem
        Files.delete(dir.resolve("a.jpg"));
        Files.delete(dir.resolve("d.jpg"));
        CoreException e = assertThrows(CoreException.class, () -> new BenchmarkOperation(TestData.deeplabModel())
                .dataset(Datasets.open(dir)).iterations(1).rounds(1).warmup(0).run(new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith("cannot read the benchmark inputs: none of the 2 images"), e.getMessage());
        assertTrue(e.getMessage().contains("the first problem: b: "), e.getMessage());
    }
}
