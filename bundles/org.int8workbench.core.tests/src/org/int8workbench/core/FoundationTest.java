package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** The shared basics: atomic output, hashing, CPU info. */
class FoundationTest {

    @TempDir
    Path dir;

    @Test
    void atomicOutputRefusesExistingFileAndLeavesNothingOnFailure() throws IOException {
        Path f = dir.resolve("out.bin");
        AtomicOutput.write(f, false, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicOutput.write(f, false, new byte[] {9}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f), "existing file must be untouched");
        IOException boom = assertThrows(IOException.class, () -> AtomicOutput.write(f, true, out -> {
            out.write(new byte[] {7, 7});
            throw new IOException("disk full");
        }));
        assertEquals("disk full", boom.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f), "a failed write must not replace the file");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file may remain");
        }
        AtomicOutput.write(f, true, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(f));
    }

    @Test
    void sha256OfKnownBytes() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.of("abc".getBytes()));
    }

    @Test
    void cpuInfoParsesFlags() throws IOException {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nmodel name\t: Test CPU @ 2GHz\nflags\t\t: fpu sse avx2 avx512f avx512_vnni\n\n"
                + "processor\t: 1\nmodel name\t: Test CPU @ 2GHz\nflags\t\t: fpu sse avx2 avx512f avx512_vnni\n");
        CpuInfo c = CpuInfo.read(f);
        assertEquals("Test CPU @ 2GHz", c.modelName());
        assertEquals(List.of("AVX2", "AVX-512", "AVX-512 VNNI"), c.isaFlags());
        assertTrue(c.hasVnni());
        CpuInfo none = CpuInfo.read(dir.resolve("missing"));
        assertFalse(none.hasVnni());
        assertTrue(CpuInfo.current().logicalCores() >= 1);
    }
}
