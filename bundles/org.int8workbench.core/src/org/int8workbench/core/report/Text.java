package org.int8workbench.core.report;

import java.util.Locale;

/** Escaping shared by the report renderers (and the command line's summary page). */
public final class Text {
    private Text() {
    }

    /** HTML-escapes text for element content and attribute values; {@code null} becomes empty. */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * One CSV cell (RFC 4180 quoting): {@code null} and NaN become empty, doubles get six decimals in the root locale.
     */
    public static String csv(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.6f", d);
        }
        String s = o.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
