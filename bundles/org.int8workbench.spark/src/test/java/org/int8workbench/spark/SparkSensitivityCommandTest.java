package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import org.int8workbench.cli.Main;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code int8wb sensitivity ... --spark local[2]}: the command line finds the Spark scoring on the class path, starts a
 * local Spark and writes the JSON the local command writes (apart from timing and provenance); {@code optimize} takes
 * {@code --spark} only with the Accuracy-aware method.
 */
class SparkSensitivityCommandTest {

    @Test
    void sensitivityWithSparkWritesTheLocalCommandsResult() throws Exception {
        Path dir = TestData.scratch("spark-sensitivity-command");
        // 6 real calibration photos: 4 calibrate, the other 2 validate (agreement with FP32)
        Path photos = dir.resolve("photos");
        Files.createDirectories(photos);
        List<Path> all;
        try (var s = Files.list(TestData.calibrationPhotos())) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(6).toList();
        }
        for (Path p : all) {
            Files.copy(p, photos.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path sparkJson = dir.resolve("spark.json");
        Path localJson = dir.resolve("local.json");
        String model = TestData.deeplabModel().toString();
        assertEquals(0, Main.run("sensitivity", model, "--calibration", photos.toString(), "--subset", "4", "--images", "2",
                "--spark", "local[2]", "--json", sparkJson.toString(), "--force"));
        assertEquals(0, Main.run("sensitivity", model, "--calibration", photos.toString(), "--subset", "4", "--images", "2",
                "--json", localJson.toString(), "--force"));
        JsonObject spark = JsonParser.parseString(Files.readString(sparkJson)).getAsJsonObject();
        JsonObject local = JsonParser.parseString(Files.readString(localJson)).getAsJsonObject();
        assertEquals(local.keySet(), spark.keySet());
        for (String k : local.keySet()) {
            if (!Set.of("seconds", "provenance").contains(k)) {
                assertEquals(local.get(k), spark.get(k), k);
            }
        }
        assertEquals(2, spark.get("validationImages").getAsInt());
        assertEquals(67, spark.getAsJsonArray("nodes").size());
    }

    @Test
    void optimizeTakesSparkOnlyWithTheAccuracyAwareMethod() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
        cl.setErr(new PrintWriter(err));
        Path out = TestData.scratch("spark-sensitivity-command").resolve("never.int8.onnx");
        Files.deleteIfExists(out);
        assertEquals(1, cl.execute("optimize", TestData.deeplabModel().toString(), "--calibration",
                TestData.calibrationPhotos().toString(), "--output", out.toString(), "--spark", "local[2]"));
        assertTrue(err.toString().contains("--spark applies to --method accuracy-aware"), err.toString());
        assertTrue(!Files.exists(out), "nothing written");
    }
}
