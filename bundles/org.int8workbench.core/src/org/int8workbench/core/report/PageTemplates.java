package org.int8workbench.core.report;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTML pages' templates: Mustache files in {@code templates/} beside this class, loaded through its class loader
 * (so they work inside the OSGi bundle and from a plain jar), compiled once and rendered with JMustache.
 *
 * <p>Every {@code {{value}}} is HTML-escaped by the engine with the same five characters as {@link Text#html}; a
 * missing name fails rendering instead of printing nothing, {@code null} prints as nothing (as with {@link Text#html})
 * and an empty string counts as false in a section. The views are records whose values come formatted, so the
 * templates hold the markup and words and no logic but "present or not" and "for each".
 */
final class PageTemplates {

    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .withEscaper(Escapers.simple(new String[][] {
                {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}}))
            .emptyStringIsFalse(true)
            .nullValue("");

    private static final Map<String, Template> COMPILED = new ConcurrentHashMap<>();

    private PageTemplates() {
    }

    /** Renders {@code templates/NAME.mustache} with {@code view} as its context. */
    static String render(String name, Object view) {
        return COMPILED.computeIfAbsent(name, PageTemplates::compile).execute(view);
    }

    private static Template compile(String name) {
        String resource = "templates/" + name + ".mustache";
        InputStream in = PageTemplates.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the page template " + resource + " is missing from the INT8 Workbench core; "
                    + "the installation is incomplete: reinstall or rebuild it");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return COMPILER.compile(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page template " + resource, e);
        }
    }

    /** The file name at the end of {@code path} (either separator); empty for {@code null}. */
    static String fileName(String path) {
        if (path == null) {
            return "";
        }
        int k = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(k + 1);
    }

    /** A share as a percentage with one decimal, e.g. {@code 99.1%} for 0.991. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** A row of a two-column key/value table. */
    record Entry(String key, String value) {
        Entry {
            value = value == null ? "" : value;
        }
    }

    /**
     * A table cell: {@code sortValue} goes into {@code data-v} for the page's sorting (absent for text cells),
     * {@code colour} (six hex digits) draws a class swatch before the text.
     */
    record Cell(String key, String sortValue, String colour, String text) {
        static Cell of(String key, Number sortValue, String text) {
            return new Cell(key, sortValue == null ? null : sortValue.toString(), null, text);
        }
    }
}
