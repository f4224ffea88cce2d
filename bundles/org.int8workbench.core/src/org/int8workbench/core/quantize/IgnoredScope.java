package org.int8workbench.core.quantize;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Nodes the quantizer leaves in FP32: by node name, by operator type, or by a name pattern (glob with {@code *} and
 * {@code ?}, or a regular expression written {@code re:...}). Node names are the display names of
 * {@link org.int8workbench.core.onnx.OnnxGraph#name} ({@code OpType_i} for unnamed nodes).
 *
 * @param names exact node names
 * @param opTypes operator types, e.g. {@code Resize}
 * @param patterns name patterns: globs, or regular expressions prefixed {@code re:}
 */
public record IgnoredScope(List<String> names, List<String> opTypes, List<String> patterns) {

    public IgnoredScope {
        names = List.copyOf(names);
        opTypes = List.copyOf(opTypes);
        patterns = List.copyOf(patterns);
        for (String p : patterns) {
            compile(p);
        }
    }

    /** Ignores nothing. */
    public static IgnoredScope none() {
        return new IgnoredScope(List.of(), List.of(), List.of());
    }

    /**
     * Parses command-line entries: {@code type:Resize} is an operator type, {@code name:conv1} a node name,
     * {@code re:...} a regular expression; an entry with {@code *} or {@code ?} is a glob; any other entry matches a
     * node of that name or an operator of that type.
     */
    public static IgnoredScope parse(List<String> entries) {
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.startsWith("type:")) {
                types.add(e.substring(5));
            } else if (e.startsWith("name:")) {
                names.add(e.substring(5));
            } else if (e.startsWith("re:") || e.contains("*") || e.contains("?")) {
                patterns.add(e);
            } else {
                names.add(e);
                types.add(e);
            }
        }
        return new IgnoredScope(names, types, patterns);
    }

    public boolean isEmpty() {
        return names.isEmpty() && opTypes.isEmpty() && patterns.isEmpty();
    }

    /** Why {@code node} (with display name {@code name}) is ignored, or {@code null} when it is not. */
    public String match(NodeProto node, String name) {
        if (names.contains(name)) {
            return "ignored scope: node name " + name;
        }
        if (opTypes.contains(node.getOpType())) {
            return "ignored scope: operator type " + node.getOpType();
        }
        for (String p : patterns) {
            if (compile(p).matcher(name).matches()) {
                return "ignored scope: pattern " + p;
            }
        }
        return null;
    }

    private static Pattern compile(String p) {
        if (p.startsWith("re:")) {
            return Pattern.compile(p.substring(3));
        }
        StringBuilder re = new StringBuilder();
        for (char c : p.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
