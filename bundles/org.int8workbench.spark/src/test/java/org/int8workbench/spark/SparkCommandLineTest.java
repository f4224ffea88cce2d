package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.int8workbench.cli.Main;
import org.int8workbench.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@code int8wb evaluate ... --spark local[2]}: the command line finds the Spark evaluation on the class path, starts a
 * local Spark and writes the JSON the local command writes (apart from timing and provenance).
 */
class SparkCommandLineTest {

    @Test
    void evaluateWithSparkWritesTheLocalCommandsReport() throws Exception {
        Path dir = TestData.scratch("spark-command-line");
        Path sparkJson = dir.resolve("spark.json");
        Path localJson = dir.resolve("local.json");
        String model = TestData.deeplabModel().toString();
        String voc = TestData.vocVal().toString();
        assertEquals(0, Main.run("evaluate", model, "--dataset", voc, "--limit", "6", "--size", "257x257", "--spark", "local[2]",
                "--json", sparkJson.toString(), "--force"));
        assertEquals(0, Main.run("evaluate", model, "--dataset", voc, "--limit", "6", "--size", "257x257", "--no-images",
                "--json", localJson.toString(), "--force"));
        JsonObject spark = JsonParser.parseString(Files.readString(sparkJson)).getAsJsonObject();
        JsonObject local = JsonParser.parseString(Files.readString(localJson)).getAsJsonObject();
        assertEquals(local.keySet(), spark.keySet());
        for (String k : local.keySet()) {
            if (!SparkEvaluationTest.RUN_FIELDS.contains(k)) {
                assertEquals(local.get(k), spark.get(k), k);
            }
        }
        assertEquals(6, spark.getAsJsonArray("images").size());
        assertTrue(spark.getAsJsonObject("groundTruth").get("meanIoU").getAsDouble() > 0.3);
    }
}
