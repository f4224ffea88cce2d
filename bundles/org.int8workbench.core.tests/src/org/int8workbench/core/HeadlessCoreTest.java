package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core stays headless: no SWT, JFace, workbench UI or workspace dependency, in its manifest or in any
 * source file. This test is part of the build, so a violation fails the build.
 */
class HeadlessCoreTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?org\\.eclipse\\.(swt|jface|ui|e4\\.ui|core\\.resources)\\b", Pattern.MULTILINE);
    private static final Pattern FORBIDDEN_MANIFEST = Pattern.compile("org\\.eclipse\\.(swt|jface|ui|e4\\.ui|core\\.resources)\\b");

    static Path coreBundle() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("bundles/org.int8workbench.core");
            if (Files.isDirectory(c)) {
                return c;
            }
            Path sibling = p.resolveSibling("org.int8workbench.core");
            if (Files.isRegularFile(sibling.resolve("META-INF/MANIFEST.MF"))) {
                return sibling;
            }
        }
        throw new IllegalStateException("core bundle sources not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void noUiImportsInCoreSources() throws IOException {
        Path src = coreBundle().resolve("src");
        List<String> bad = new ArrayList<>();
        int files;
        try (Stream<Path> s = Files.walk(src)) {
            List<Path> java = s.filter(p -> p.toString().endsWith(".java")).toList();
            files = java.size();
            for (Path f : java) {
                if (FORBIDDEN.matcher(Files.readString(f)).find()) {
                    bad.add(src.relativize(f).toString());
                }
            }
        }
        assertTrue(files > 5, "expected core sources under " + src);
        assertEquals(List.of(), bad, "core sources import UI or workspace classes");
    }

    @Test
    void noUiDependenciesInCoreManifest() throws IOException {
        String mf = Files.readString(coreBundle().resolve("META-INF/MANIFEST.MF"));
        assertTrue(mf.contains("Bundle-SymbolicName: org.int8workbench.core"), mf);
        assertTrue(!FORBIDDEN_MANIFEST.matcher(mf).find(), "core manifest depends on UI or workspace bundles:\n" + mf);
    }

    @Test
    void productVersionMatchesBundleVersion() throws IOException {
        String mf = Files.readString(coreBundle().resolve("META-INF/MANIFEST.MF"));
        assertTrue(mf.contains("Bundle-Version: " + Version.PRODUCT + ".qualifier"), "Version.PRODUCT " + Version.PRODUCT + " vs manifest");
    }
}
