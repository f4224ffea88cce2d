package org.int8workbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code int8wb sensitivity ... --validation file:///... --spark local[2]}: the driver lists the validation data through
 * Hadoop's file system API, prepares the validation from it, and the executors reopen it through Hadoop; the JSON equals
 * the local command's on the same folder (apart from timing, provenance and the validation line, which names the URI).
 * {@code optimize --method accuracy-aware --validation URI --spark local[2]} validates as the local run on the folder.
 * Without {@code --spark} a URI is refused with one line, by {@code sensitivity} and by {@code optimize}.
 */
class HadoopValidationTest {

    /** 4 real calibration photos and a VOC folder of 8 real val pairs. */
    private static Path[] data() throws Exception {
        Path dir = TestData.scratch("hadoop-validation");
        Path photos = dir.resolve("photos");
        Files.createDirectories(photos);
        List<Path> all;
        try (var s = Files.list(TestData.calibrationPhotos())) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(4).toList();
        }
        for (Path p : all) {
            Files.copy(p, photos.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path voc = dir.resolve("voc");
        Path val = TestData.vocVal();
        for (String d : List.of("ImageSets/Segmentation", "JPEGImages", "SegmentationClass")) {
            Files.createDirectories(voc.resolve(d));
        }
        List<String> ids = Files.readAllLines(val.resolve("ImageSets/Segmentation/val.txt")).subList(0, 8);
        for (String id : ids) {
            Files.copy(val.resolve("JPEGImages/" + id + ".jpg"), voc.resolve("JPEGImages/" + id + ".jpg"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(val.resolve("SegmentationClass/" + id + ".png"), voc.resolve("SegmentationClass/" + id + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(voc.resolve("ImageSets/Segmentation/val.txt"), ids);
        return new Path[] {dir, photos, voc};
    }

    @Test
    void sensitivityOnAFileUriEqualsTheLocalRunOnTheFolder() throws Exception {
        Path[] d = data();
        Path dir = d[0];
        Path photos = d[1];
        Path voc = d[2];
        String uri = voc.toUri().toString();
        assertTrue(uri.startsWith("file:/"), uri);
        Path sparkJson = dir.resolve("spark.json");
        Path localJson = dir.resolve("local.json");
        String model = TestData.deeplabModel().toString();
        int opened = ExecutorScorings.OPENED.get();
        assertEquals(0, Main.run("sensitivity", model, "--calibration", photos.toString(), "--validation", uri, "--images", "2",
                "--spark", "local[2]", "--json", sparkJson.toString(), "--force"));
        // the tasks reopened the validation from its recipe (through Hadoop), not the driver's prepared one
        assertTrue(ExecutorScorings.OPENED.get() > opened, "the executors opened the validation from its recipe");
        assertEquals(0, Main.run("sensitivity", model, "--calibration", photos.toString(), "--validation", voc.toString(),
                "--images", "2", "--json", localJson.toString(), "--force"));
        JsonObject spark = JsonParser.parseString(Files.readString(sparkJson)).getAsJsonObject();
        JsonObject local = JsonParser.parseString(Files.readString(localJson)).getAsJsonObject();
        assertEquals(local.keySet(), spark.keySet());
        for (String k : local.keySet()) {
            if (!Set.of("seconds", "provenance", "validation").contains(k)) {
                assertEquals(local.get(k), spark.get(k), k);
            }
        }
        // the validation line names the data by its URI (Hadoop's form of it: file:/...), else it is the local one's
        String line = spark.get("validation").getAsString();
        assertTrue(line.contains("file:" + voc.toAbsolutePath()), line);
        assertEquals(local.get("validation").getAsString(), line.replace("file:" + voc.toAbsolutePath(), voc.toAbsolutePath().toString()));
        assertEquals(8, spark.get("validationImages").getAsInt());
        assertEquals("miou", spark.get("metric").getAsString().toLowerCase(java.util.Locale.ROOT));
        assertEquals(67, spark.getAsJsonArray("nodes").size());
    }

    @Test
    void accuracyAwareOnAFileUriEqualsTheLocalRunOnTheFolder() throws Exception {
        Path[] d = data();
        Path dir = d[0];
        Path photos = d[1];
        Path voc = d[2];
        String model = TestData.deeplabModel().toString();
        JsonObject[] aware = new JsonObject[2];
        String[] where = {voc.toUri().toString(), voc.toString()};
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? "spark" : "local";
            Path json = dir.resolve("optimize-" + name + ".json");
            Path out = dir.resolve(name).resolve("deeplab.int8.onnx");
            List<String> args = new java.util.ArrayList<>(List.of("optimize", model, "--calibration", photos.toString(),
                    "--output", out.toString(), "--method", "accuracy-aware", "--max-drop", "5", "--validation", where[i],
                    "--json", json.toString(), "--force"));
            if (i == 0) {
                args.addAll(List.of("--spark", "local[2]"));
            }
            int opened = ExecutorScorings.OPENED.get();
            assertEquals(0, Main.run(args.toArray(String[]::new)), name);
            assertEquals(i == 0, ExecutorScorings.OPENED.get() > opened, name + ": validations opened by Spark tasks");
            aware[i] = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("accuracyAware");
        }
        for (String k : aware[1].keySet()) {
            if (!Set.of("seconds", "validation").contains(k)) {
                assertEquals(aware[1].get(k), aware[0].get(k), k);
            }
        }
        assertTrue(aware[0].get("validation").getAsString().contains("file:" + voc.toAbsolutePath()), aware[0].toString());
        assertEquals(8, aware[0].get("validationImages").getAsInt());
        assertTrue(aware[0].get("reached").getAsBoolean());
    }

    @Test
    void aValidationUriWithoutSparkIsRefusedWithOneLine() throws Exception {
        String uri = "file:///nowhere/voc";
        Path out = TestData.scratch("hadoop-validation").resolve("never.int8.onnx");
        Files.deleteIfExists(out);
        String model = TestData.deeplabModel().toString();
        for (String[] args : List.of(
                new String[] {"sensitivity", model, "--calibration", TestData.calibrationPhotos().toString(), "--validation", uri},
                new String[] {"optimize", model, "--calibration", TestData.calibrationPhotos().toString(), "--output", out.toString(),
                    "--method", "accuracy-aware", "--max-drop", "0.3", "--validation", uri})) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.getSubcommands().values().forEach(c -> c.setErr(new PrintWriter(err)));
            cl.setErr(new PrintWriter(err));
            assertEquals(1, cl.execute(args), args[0]);
            String text = err.toString().strip();
            assertTrue(text.contains("--validation " + uri + " is a URI") && text.contains("add --spark MASTER"), text);
            assertEquals(1, text.lines().count(), text);
        }
        assertFalse(Files.exists(out), "nothing written");
    }
}
