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

    @Test
    void aDatasetUriIsReadThroughHadoopOnSparkAndRefusedWithoutIt() throws Exception {
        Path dir = TestData.scratch("spark-command-line");
        Path uriJson = dir.resolve("uri.json");
        Path localJson = dir.resolve("local-4.json");
        String model = TestData.deeplabModel().toString();
        Path voc = TestData.vocVal();
        String uri = voc.toUri().toString(); // file:///...
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        int refused;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            refused = Main.run("evaluate", model, "--dataset", uri, "--limit", "4", "--size", "257x257", "--json", uriJson.toString(),
                    "--force");
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(1, refused);
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("add --spark MASTER"), err.toString());

        assertEquals(0, Main.run("evaluate", model, "--dataset", uri, "--limit", "4", "--size", "257x257", "--spark", "local[2]",
                "--json", uriJson.toString(), "--force"));
        assertEquals(0, Main.run("evaluate", model, "--dataset", voc.toString(), "--limit", "4", "--size", "257x257", "--no-images",
                "--json", localJson.toString(), "--force"));
        JsonObject spark = JsonParser.parseString(Files.readString(uriJson)).getAsJsonObject();
        JsonObject local = JsonParser.parseString(Files.readString(localJson)).getAsJsonObject();
        assertEquals(local.keySet(), spark.keySet());
        for (String k : local.keySet()) {
            if (!SparkEvaluationTest.RUN_FIELDS.contains(k) && !k.equals("dataset") && !k.equals("datasetRoot")) {
                assertEquals(local.get(k), spark.get(k), k);
            }
        }
        // the dataset is named by its URI (as Hadoop writes it), its files as locally
        assertEquals("file:" + voc, spark.get("datasetRoot").getAsString());
        assertEquals(local.get("dataset").getAsString().replace(" at " + voc, " at file:" + voc), spark.get("dataset").getAsString());
        assertEquals(4, spark.getAsJsonArray("images").size());
    }
}
