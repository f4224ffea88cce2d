package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.int8workbench.cli.Main;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@code int8wb evaluate ... --spark local[2] --report DIR} writes the report folder {@code int8wb evaluate ... --report
 * DIR} writes, pictures included (drawn on the executors); with {@code --no-images}, none, as locally.
 */
class SparkCommandLineReportTest {

    @Test
    void theReportFolderIsTheLocalCommandsPicturesIncluded() throws Exception {
        Path dir = TestData.scratch("spark-command-line-report");
        String model = TestData.deeplabModel().toString();
        String voc = TestData.vocVal().toString();
        Path spark = dir.resolve("spark");
        Path local = dir.resolve("local");
        Path bare = dir.resolve("bare");
        assertEquals(0, Main.run("evaluate", model, "--dataset", voc, "--limit", "5", "--size", "257x257", "--spark", "local[2]",
                "--report", spark.toString(), "--force"));
        assertEquals(0, Main.run("evaluate", model, "--dataset", voc, "--limit", "5", "--size", "257x257", "--report", local.toString(),
                "--force"));
        SparkReportFilesTest.assertSameFolder(local, spark, 5, 0);

        assertEquals(0, Main.run("evaluate", model, "--dataset", voc, "--limit", "5", "--size", "257x257", "--spark", "local[2]",
                "--no-images", "--report", bare.toString(), "--force"));
        try (Stream<Path> s = Files.list(bare.resolve("images"))) {
            assertEquals(0, s.count(), "--no-images");
        }
    }
}
