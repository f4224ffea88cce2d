package org.int8workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.sample.EmbeddedSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded sample (bundle org.int8workbench.sample), read through the OSGi bundle's class loader: the model is the
 * real VOC DeepLabV3 byte for byte (its sha256 from PROVENANCE.md), the VOC folder opens with 10 pairs and the
 * calibration images are disjoint from the hold-out split; extraction is all or nothing and never writes into a folder
 * that holds anything.
 */
class EmbeddedSampleTest {

    @TempDir
    Path tmp;

    @Test
    void extractsTheRealModelAndTenVocPairs() throws Exception {
        EmbeddedSample.Extracted s = EmbeddedSample.extractTo(tmp.resolve("sample"));
        assertEquals("08cb52af92b98e570bef388c513a523df1295386c6d9419723769d82497b231e",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(s.model()))));
        assertEquals(55, ModelSummary.of(s.model()).opHistogram().get("Conv"));
        SegmentationDataset all = Datasets.open(s.dataset());
        assertEquals(10, all.samples().size());
        SegmentationDataset holdout = Datasets.open(s.dataset(), EmbeddedSample.HOLDOUT_SPLIT);
        assertEquals(5, holdout.samples().size());
        List<String> calibration;
        try (Stream<Path> f = Files.list(s.calibration())) {
            calibration = f.map(p -> p.getFileName().toString().replace(".jpg", "")).sorted().toList();
        }
        assertEquals(EmbeddedSample.calibrationIds(), calibration);
        for (int i = 0; i < holdout.samples().size(); i++) {
            assertFalse(calibration.contains(holdout.samples().get(i).id()), "hold-out image used for calibration: " + holdout.samples().get(i).id());
        }
        assertTrue(Files.readString(s.notice()).contains("Apache License 2.0"));
        assertTrue(EmbeddedSample.isExtractedAt(s.root()));
        try (Stream<Path> f = Files.list(tmp)) {
            assertEquals(List.of(s.root()), f.toList(), "no temporary folder left beside it");
        }
    }

    @Test
    void refusesAFolderThatHoldsAnythingAndWritesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> EmbeddedSample.extractTo(dir));
        try (Stream<Path> f = Files.list(dir)) {
            assertEquals(1, f.count());
        }
        try (Stream<Path> f = Files.list(tmp)) {
            assertEquals(1, f.count(), "no temporary folder left");
        }
        assertFalse(EmbeddedSample.isExtractedAt(dir));
        // an empty folder is fine
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(EmbeddedSample.isExtractedAt(EmbeddedSample.extractTo(empty).root()));
    }
}
