package org.int8workbench.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.int8workbench.testing.TestData;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.head.CutHeadOperation.CutHeadResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated project as a user gets it: code for the real DeepLabV3 cut before its upsampling (the exact label
 * head) with 5 VOC val images is built and tested by a fresh, plain Maven run (the repository's Maven wrapper, the
 * running JDK). Maven must succeed and surefire must report the generated test's 5 cases passed, that is 0 differing
 * label pixels between the generated Java code and the core on every sample.
 */
class GeneratedMavenProjectTest {

    @TempDir
    Path tmp;

    @Test
    void generatedProjectPassesItsOwnTestInMaven() throws Exception {
        Path mvnw = mavenWrapper();
        Path cut = tmp.resolve("deeplab.head.onnx");
        CutHeadResult c = new CutHeadOperation(TestData.deeplabModel()).output(cut).run(new NullProgressMonitor());
        assertTrue(c.cut(), c.reason());
        Path project = tmp.resolve("segmenter");
        CodegenResult r = new CodegenOperation(cut).packageName("com.example.segmentation").className("DeepLabSegmenter").outputDir(project)
                .dataset(Datasets.open(TestData.vocVal(), "val")).run(new NullProgressMonitor());
        assertEquals(CodegenOperation.DEFAULT_SAMPLES, r.samples().size());
        assertTrue(r.decoding().startsWith("exact label head"), r.decoding());

        Path log = tmp.resolve("maven.log");
        ProcessBuilder pb = new ProcessBuilder(mvnw.toString(), "-q", "-B", "-f", project.resolve("pom.xml").toString(), "test")
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(project.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        for (String inherited : List.of("MAVEN_ARGS", "MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR")) {
            pb.environment().remove(inherited); // an enclosing Maven build's settings must not leak into the user's project
        }
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("mvn test of the generated project took over 5 minutes; log: " + tail(log));
        }
        assertEquals(0, p.exitValue(), "mvn test of the generated project failed: " + tail(log));

        Path report = project.resolve("target/surefire-reports/TEST-com.example.segmentation.DeepLabSegmenterTest.xml");
        assertTrue(Files.isRegularFile(report), "no surefire report " + report + "; log: " + tail(log));
        String xml = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(CodegenOperation.DEFAULT_SAMPLES, attribute(xml, "tests"), "tests run");
        assertEquals(0, attribute(xml, "failures"), "failures");
        assertEquals(0, attribute(xml, "errors"), "errors");
        assertEquals(0, attribute(xml, "skipped"), "skipped");
    }

    /** The repository's {@code mvnw}: the first folder up from the working directory that has one. */
    private static Path mavenWrapper() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path w = d.resolve("mvnw");
            if (Files.isRegularFile(w) && Files.isExecutable(w)) {
                return w;
            }
        }
        String msg = "no mvnw in " + Path.of("").toAbsolutePath() + " or above; run the tests from the repository";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    /** An integer attribute of the surefire report's {@code <testsuite>} element. */
    private static int attribute(String xml, String name) {
        Matcher m = Pattern.compile("<testsuite\\b[^>]*\\s" + name + "=\"(\\d+)\"").matcher(xml);
        assertTrue(m.find(), "no " + name + " in the surefire report");
        return Integer.parseInt(m.group(1));
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}
