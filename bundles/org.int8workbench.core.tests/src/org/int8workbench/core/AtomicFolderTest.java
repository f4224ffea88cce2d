package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder swap: all or nothing, the old content intact until the new is in place. */
class AtomicFolderTest {

    @TempDir
    Path tmp;

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(AtomicFolder.MARKER))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void aFailureInTheMiddleLeavesTheOldFolderIntactAndNoTemporaryFolder() throws IOException {
        Path target = tmp.resolve("report");
        Files.createDirectories(target.resolve("images"));
        Files.writeString(target.resolve("report.json"), "old");
        Files.writeString(target.resolve("images/a.png"), "old picture");
        Files.writeString(target.resolve(AtomicFolder.MARKER), "");
        IOException e = assertThrows(IOException.class, () -> {
            try (AtomicFolder f = AtomicFolder.replace(target, true)) {
                Files.writeString(f.path().resolve("report.json"), "new");
                assertEquals(target.getParent(), f.path().getParent(), "written beside the target");
                assertTrue(f.path().getFileName().toString().startsWith(".report.tmp-"));
                throw new IOException("disk full on purpose");
            }
        });
        assertEquals("disk full on purpose", e.getMessage());
        assertEquals(List.of("report"), siblings());
        assertEquals(List.of("images/a.png", "report.json"), tree(target));
        assertEquals("old", Files.readString(target.resolve("report.json")));
    }

    @Test
    void aCommitReplacesTheWholeFolder() throws IOException {
        Path target = tmp.resolve("report");
        Files.createDirectories(target.resolve("images"));
        Files.writeString(target.resolve("images/a.png"), "old picture");
        Files.writeString(target.resolve(AtomicFolder.MARKER), "");
        try (AtomicFolder f = AtomicFolder.replace(target, true)) {
            Files.writeString(f.path().resolve("report.json"), "new");
            assertTrue(Files.exists(target.resolve("images/a.png")), "the old content stays until the commit");
            f.commit();
        }
        assertEquals(List.of("report"), siblings(), "neither the temporary folder nor the old folder remain");
        assertEquals(List.of("report.json"), tree(target));
        assertEquals("new", Files.readString(target.resolve("report.json")));
    }

    @Test
    void anExistingFolderIsRefusedBeforeAnythingIsWrittenUnlessOverwriting() throws IOException {
        Path target = tmp.resolve("report");
        Files.createDirectories(target);
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFolder.replace(target, false));
        assertEquals(List.of("report"), siblings());
        Path fresh = tmp.resolve("sub/new");
        try (AtomicFolder f = AtomicFolder.replace(fresh, false)) {
            Files.writeString(f.path().resolve("x.txt"), "x");
            f.commit();
        }
        assertEquals(List.of("x.txt"), tree(fresh));
    }

    @Test
    void aFolderTheToolDidNotWriteIsNeverReplacedEvenWhenOverwriting() throws IOException {
        // e.g. `evaluate --report DATASET --force`: the dataset must survive
        Path dataset = tmp.resolve("victim");
        Files.createDirectories(dataset.resolve("JPEGImages"));
        Files.writeString(dataset.resolve("JPEGImages/a.jpg"), "photo");
        IOException e = assertThrows(IOException.class, () -> AtomicFolder.replace(dataset, true));
        assertTrue(e.getMessage().contains("did not write"), e.getMessage());
        assertEquals(List.of("JPEGImages/a.jpg"), tree(dataset));
        assertEquals(List.of("victim"), siblings(), "nothing created beside it");
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        assertThrows(IOException.class, () -> AtomicFolder.replace(file, true));

        // an empty folder, or one the tool wrote (its marker), is replaced; the new one carries the marker again
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        try (AtomicFolder f = AtomicFolder.replace(empty, true)) {
            Files.writeString(f.path().resolve("report.json"), "1");
            f.commit();
        }
        assertTrue(Files.isRegularFile(empty.resolve(AtomicFolder.MARKER)));
        try (AtomicFolder f = AtomicFolder.replace(empty, true)) {
            Files.writeString(f.path().resolve("report.json"), "2");
            f.commit();
        }
        assertEquals("2", Files.readString(empty.resolve("report.json")));
    }

    @Test
    void outputsGetTheModeTheUmaskGivesNotOwnerOnly() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(tmp.resolve("plain.txt"));
        Path plainDir = Files.createDirectory(tmp.resolve("plainDir"));
        Path out = tmp.resolve("out.txt");
        AtomicOutput.write(out, false, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
        Path folder = tmp.resolve("folder");
        try (AtomicFolder f = AtomicFolder.replace(folder, false)) {
            f.commit();
        }
        assertEquals(Files.getPosixFilePermissions(plainDir), Files.getPosixFilePermissions(folder));
    }

    @Test
    void aMergeKeepsOtherFilesReplacesItsOwnAndIsAlsoAllOrNothing() throws IOException {
        Path target = tmp.resolve("project");
        Files.createDirectories(target.resolve("own/samples"));
        Files.createDirectories(target.resolve("src"));
        Files.writeString(target.resolve("own/samples/stale.png"), "stale");
        Files.writeString(target.resolve("src/Mine.java"), "user's");
        Files.writeString(target.resolve("pom.xml"), "old pom");
        assertThrows(IllegalStateException.class, () -> {
            try (AtomicFolder f = AtomicFolder.merge(target, List.of(Path.of("own/samples")))) {
                Files.writeString(f.path().resolve("pom.xml"), "half-written");
                throw new IllegalStateException("cancelled");
            }
        });
        assertEquals(List.of("project"), siblings());
        assertEquals(List.of("own/samples/stale.png", "pom.xml", "src/Mine.java"), tree(target));
        assertEquals("old pom", Files.readString(target.resolve("pom.xml")));

        try (AtomicFolder f = AtomicFolder.merge(target, List.of(Path.of("own/samples")))) {
            Files.createDirectories(f.path().resolve("own/samples"));
            Files.writeString(f.path().resolve("own/samples/new.png"), "new");
            Files.writeString(f.path().resolve("pom.xml"), "new pom");
            f.commit();
        }
        assertEquals(List.of("project"), siblings());
        assertEquals(List.of("own/samples/new.png", "pom.xml", "src/Mine.java"), tree(target));
        assertEquals("new pom", Files.readString(target.resolve("pom.xml")));
        assertEquals("user's", Files.readString(target.resolve("src/Mine.java")));
        assertFalse(Files.exists(target.resolve("own/samples/stale.png")));
    }
}
