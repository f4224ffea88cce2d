package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's extracted native libraries leave no folder behind in the temporary directory. */
class OrtNativeFolderTest {

    @Test
    void theFolderTheLibrariesWereLoadedFromIsGone() throws Exception {
        Ort.env();
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
        List<Path> folders = Files.readAllLines(maps).stream().filter(l -> l.contains("/onnxruntime-java"))
                .map(l -> Path.of(l.substring(l.indexOf('/')).replace(" (deleted)", "")).getParent()).distinct().toList();
        assertFalse(folders.isEmpty(), "ONNX Runtime's libraries are mapped from an extracted folder");
        for (Path f : folders) {
            assertTrue(!Files.exists(f), f + " is left in the temporary directory");
        }
    }
}
