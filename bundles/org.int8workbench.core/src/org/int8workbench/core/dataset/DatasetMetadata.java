package org.int8workbench.core.dataset;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.int8workbench.core.Json;
import org.int8workbench.core.Printable;

/**
 * The optional {@value Datasets#METADATA_FILE} file at the root of an image-folder dataset. Example:
 *
 * <pre>
 * {
 *   "name": "Street scenes",                 // optional, shown in reports
 *   "classes": ["road", "car", "person"],    // class names by index; or "preset": "pascal-voc"
 *   "colors": ["#804080", "#00008E", "#DC143C"], // optional, #RRGGBB by index; default a generated distinct palette
 *   "ignoreLabel": 255,                      // optional, label excluded from metrics; default none (-1)
 *   "maskEncoding": "index",                 // "index" (palette/greyscale PNG holding indices), "color", "binary"
 *                                            // (value above 0 = foreground), or "auto" (default)
 *   "images": "images", "masks": "masks"     // optional folder names, relative to the dataset root
 * }
 * </pre>
 *
 * All fields are optional; {@code "preset": "pascal-voc"} gives the 21 VOC classes, VOC palette and ignore 255;
 * {@code "preset": "binary"} gives background and foreground with binary masks (0/255 or 0/1: a value above 0 is
 * foreground). Without a metadata file, greyscale masks holding 0 and 255 (and nothing else) are read as binary.
 * JSON does not allow comments: they are only for explanation here.
 */
public record DatasetMetadata(String name, String preset, List<String> classes, List<String> colors, Integer ignoreLabel,
        String maskEncoding, String images, String masks) {

    /**
     * Gson's description of a parse failure on one line without Java class names: its messages carry the name of the
     * wrapped exception and a second line with a link to Gson's troubleshooting page.
     */
    static String jsonProblem(JsonParseException e) {
        Throwable t = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        m = m.replaceAll("^([a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ", "").strip();
        return m.isEmpty() ? "unreadable" : Printable.of(m);
    }

    /** Reads and checks a metadata file; the message of a failure names the file and the field. */
    public static DatasetMetadata read(Path file) throws IOException {
        return read(java.nio.file.Files.readAllBytes(file), file);
    }

    /** Reads and checks the bytes of a metadata file ({@link #read(Path)}); {@code file} names it in messages. */
    public static DatasetMetadata read(byte[] bytes, Path file) throws IOException {
        DatasetMetadata m;
        try {
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            m = Json.gson().fromJson(text, DatasetMetadata.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + jsonProblem(e) + "); see the format in the INT8 Workbench docs", e);
        }
        if (m == null) {
            throw new IOException(file + ": the file is empty; give at least \"classes\" or \"preset\"");
        }
        try {
            m.classInfo(file);
            m.encoding(file);
        } catch (IOException e) {
            // the messages quote the file's values (a preset, a colour, an encoding): control characters escaped
            String printable = Printable.of(e.getMessage());
            if (printable != null && !printable.equals(e.getMessage())) {
                throw new IOException(printable, e);
            }
            throw e;
        }
        return m;
    }

    /** The class names, colours and ignore label given; {@code null} when neither classes nor preset are given. */
    public ClassInfo classInfo(Path file) throws IOException {
        if (preset != null && preset.equalsIgnoreCase("binary")) {
            ClassInfo b = ClassInfo.binary();
            return classes != null && classes.size() == 2 && !classes.contains(null) ? new ClassInfo(classes, b.colors(), -1) : b;
        }
        if (preset != null) {
            if (!preset.equalsIgnoreCase("pascal-voc") && !preset.equalsIgnoreCase("voc")) {
                throw new IOException(file + ": unknown preset '" + preset + "'; the presets are \"pascal-voc\" and \"binary\"");
            }
            ClassInfo voc = ClassInfo.pascalVoc();
            return ignoreLabel == null ? voc : new ClassInfo(voc.names(), voc.colors(), ignoreLabel);
        }
        if (classes == null) {
            return null;
        }
        if (classes.isEmpty()) {
            throw new IOException(file + ": \"classes\" is empty; list the class names by index");
        }
        // JSON's null (or a trailing comma, which the lenient reader takes for one) is not a name or a colour
        if (classes.contains(null)) {
            throw new IOException(file + ": \"classes\" holds null (a trailing comma?); list the class names by index");
        }
        if (colors != null && colors.contains(null)) {
            throw new IOException(file + ": \"colors\" holds null (a trailing comma?); give one #RRGGBB colour per class");
        }
        List<Integer> c = new ArrayList<>();
        if (colors != null) {
            if (colors.size() != classes.size()) {
                throw new IOException(file + ": " + classes.size() + " classes but " + colors.size()
                        + " colors; give one #RRGGBB colour per class or leave \"colors\" out");
            }
            for (String s : colors) {
                String t = s.trim().startsWith("#") ? s.trim().substring(1) : s.trim();
                try {
                    if (t.length() != 6) {
                        throw new NumberFormatException();
                    }
                    c.add(Integer.parseInt(t, 16));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": colour '" + s + "' is not #RRGGBB");
                }
            }
        } else {
            c.addAll(ClassInfo.distinctColors(classes.size()));
        }
        return new ClassInfo(classes, c, ignoreLabel == null ? -1 : ignoreLabel);
    }

    /** The mask encoding, {@link MaskEncoding#AUTO} when not given. */
    public MaskEncoding encoding(Path file) throws IOException {
        if (maskEncoding == null) {
            return preset != null && preset.equalsIgnoreCase("binary") ? MaskEncoding.BINARY : MaskEncoding.AUTO;
        }
        try {
            return MaskEncoding.valueOf(maskEncoding.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": \"maskEncoding\" is '" + maskEncoding + "'; use \"index\", \"color\", \"binary\" or \"auto\"");
        }
    }
}
