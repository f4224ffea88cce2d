package org.int8workbench.core.onnx;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ONNX Runtime's error text made readable for a user: without its status prefix ({@code Error code - ORT_FAIL -
 * message: }), its C++ source locations ({@code /onnxruntime_src/onnxruntime/core/graph/model.cc:177}) and the C++
 * function signatures that follow them, and on one line. The details stay in the exception for {@code --verbose}.
 */
public final class OrtMessages {
    private OrtMessages() {
    }

    private static final Pattern STATUS = Pattern.compile("Error code - ORT_[A-Z_]+ - message: ");
    private static final Pattern LOAD = Pattern.compile("Load model from (.+?) failed:");
    /** A C++ source location: a path ending in a C/C++ source name and a line number. */
    private static final Pattern SOURCE = Pattern.compile("\\S*\\.(?:cc|cpp|cxx|c|h|hpp):\\d+\\s*");
    private static final Pattern NODE = Pattern.compile("In Node, \\(\"([^\"]*)\", ([\\w.]+), \"[^\"]*\", -?\\d+\\) : .*? , Error (.*)$",
            Pattern.DOTALL);
    private static final Pattern CPP_NAME = Pattern.compile("[\\w:~<>, *&]*::[\\w~]+\\s*\\(");

    /** {@code true} when {@code text} is ONNX Runtime's own error text (status prefix or a source location). */
    public static boolean isOrtText(String text) {
        return text != null && (STATUS.matcher(text).find() || LOAD.matcher(text).find()
                || text.contains("onnxruntime") && SOURCE.matcher(text).find());
    }

    /**
     * The model file named in ONNX Runtime's "Load model from FILE failed" text, or {@code null}: its load failures
     * can be explained by reading the file ({@link OnnxModel#load}) in the tool's own words.
     */
    public static Path failedModel(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LOAD.matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            return Path.of(m.group(1));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code text} without ONNX Runtime's status prefix, load-failure prefix, source locations and C++ signatures, on one line. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String s = STATUS.matcher(text).replaceAll("");
        s = LOAD.matcher(s).replaceAll("");
        StringBuilder out = new StringBuilder();
        Matcher src = SOURCE.matcher(s);
        int at = 0;
        while (src.find(at)) {
            out.append(s, at, src.start());
            at = skipSignature(s, src.end());
        }
        out.append(s.substring(at));
        // "In Node, ("name", Op, "domain", -1) : (inputs with types) -> (outputs) , Error WHY": the node and why
        Matcher node = NODE.matcher(out);
        if (node.find()) {
            String why = node.group(3);
            out = new StringBuilder(out.substring(0, node.start()).replace("This is an invalid model. ", "invalid model: ") + "node '" + node.group(1) + "' (" + node.group(2) + "): " + why);
        }
        // literal "\n" and real line breaks become spaces; runs of blanks one
        return out.toString().replace("\\n", " ").replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").trim()
                .replaceAll("[\\s:]+$", "");
    }

    /** After a source location, the C++ function signature ({@code ns::Cls::fn(args) const}) ends at its balanced ')'. */
    private static int skipSignature(String s, int from) {
        Matcher m = CPP_NAME.matcher(s);
        m.region(from, s.length());
        if (!m.lookingAt()) {
            return from;
        }
        int depth = 1;
        int i = m.end();
        for (; i < s.length() && depth > 0; i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        if (depth > 0) {
            return from;
        }
        if (s.startsWith(" const", i)) {
            i += 6;
        }
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
