package org.int8workbench.core;

/**
 * Text from a model or a dataset (node and tensor names, producer, metadata, file names) as it may be printed on a
 * terminal or in a one-line message: control characters (line breaks included), the escape character and Unicode's
 * bidirectional overrides are written as escapes, so a name cannot forge output lines, move the cursor or retitle the
 * terminal. The JSON outputs keep the strings as they are (JSON escapes them itself).
 */
public final class Printable {
    private Printable() {
    }

    /** {@code s} with every control character escaped ({@code \n}, {@code \r}, {@code \t}, {@code \x1b}, {@code \u202e}); {@code null} stays {@code null}. */
    public static String of(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = escape(c);
            if (esc != null && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (esc != null) {
                    b.append(esc);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * {@code s} with control characters escaped except line breaks and tabs: for whole texts whose lines the program
     * itself wrote; the values inside them should have gone through {@link #of} already.
     */
    public static String lines(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = c == '\n' || c == '\t' ? null : escape(c);
            b.append(esc != null ? esc : String.valueOf(c));
        }
        return b.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
            return String.format("\\x%02x", (int) c);
        }
        if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
