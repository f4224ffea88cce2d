package org.int8workbench.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The core's one JSON mapping (Gson; records map field by field). Result records are written with
 * {@link #write} and read back with {@link #read}, so the UI and the command line see the same data.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Json() {
    }

    public static Gson gson() {
        return GSON;
    }

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** Writes {@code value} as JSON to {@code file}, atomically. */
    public static void write(Path file, Object value, boolean overwrite) throws IOException {
        AtomicOutput.write(file, overwrite, (toJson(value) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return GSON.fromJson(r, type);
        }
    }
}
