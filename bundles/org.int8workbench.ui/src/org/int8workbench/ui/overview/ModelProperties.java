package org.int8workbench.ui.overview;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.onnx.QuantizationMetadata;

/**
 * A model's {@link ModelSummary} as a property tree, as the Model Explorer's details and the Model Overview editor show
 * it: precision, inputs and outputs (with the kind found for each output), IR version and opsets, operators with
 * counts, parameters, compute, file, producer, preprocessing and, for an INT8 model, the quantization settings it
 * records and the nodes kept in FP32.
 */
public final class ModelProperties {
    private ModelProperties() {
    }

    /** A line of the property tree. */
    public record Row(String name, String value, List<Row> children) {
        public Row {
            children = List.copyOf(children);
        }

        public Row(String name, String value) {
            this(name, value, List.of());
        }
    }

    /** The summary as a property tree, each output with the kind found for it ({@code kinds} by output name). */
    public static List<Row> rows(ModelSummary m, Map<String, ModelOutput> kinds) {
        List<Row> out = new ArrayList<>();
        out.add(new Row("Precision", m.precision().label()));
        List<Row> io = new ArrayList<>();
        m.inputs().forEach(t -> io.add(new Row("input " + t.name(), t.elementType() + " " + shape(t.shape()))));
        m.outputs().forEach(t -> io.add(new Row("output " + t.name(), t.elementType() + " " + shape(t.shape()) + kind(kinds.get(t.name())))));
        out.add(new Row("Inputs / outputs", m.inputs().size() + " / " + m.outputs().size(), io));
        List<Row> opsets = new ArrayList<>();
        m.opsets().forEach((d, v) -> opsets.add(new Row(d.isEmpty() ? "ai.onnx" : d, Long.toString(v))));
        out.add(new Row("IR version / opsets", "IR " + m.irVersion() + ", opset " + m.opsets().getOrDefault("", 0L), opsets));
        List<Row> ops = new ArrayList<>();
        m.opHistogram().forEach((op, n) -> ops.add(new Row(op, Integer.toString(n))));
        out.add(new Row("Operators", m.nodeCount() + " nodes, " + m.opHistogram().size() + " types", ops));
        out.add(new Row("Parameters", String.format(Locale.ROOT, "%,d (%s of initializers)", m.parameters(), size(m.weightBytes()))));
        out.add(new Row("Compute", String.format(Locale.ROOT, "%s%.3f GMAC per image", m.macsComplete() ? "" : "at least ", m.macs() / 1e9)));
        out.add(new Row("File", size(m.fileSize()) + ", sha256 " + m.sha256()));
        if (!m.producer().isEmpty()) {
            out.add(new Row("Producer", m.producer()));
        }
        if (m.preprocessing() != null) {
            out.add(new Row("Preprocessing", m.preprocessing().describe()));
        }
        QuantizationMetadata q = m.quantization();
        if (q != null) {
            List<Row> settings = new ArrayList<>();
            settings.add(new Row("parent", q.sourceModel() + " (sha256 " + q.sourceSha256() + ")"));
            q.settings().forEach((k, v) -> settings.add(new Row(k, v)));
            settings.add(new Row("calibration", q.calibrationImages() + " images of " + q.calibration()));
            settings.add(new Row("written", "INT8 Workbench " + q.tool() + ", " + q.time()));
            out.add(new Row("Quantization", q.quantizedNodes() + " nodes INT8, " + q.floatNodes().size() + " kept FP32", settings));
            List<Row> fp32 = new ArrayList<>();
            for (String n : q.floatNodes()) {
                int colon = n.indexOf(": ");
                fp32.add(colon > 0 ? new Row(n.substring(0, colon), n.substring(colon + 2)) : new Row(n, ""));
            }
            out.add(new Row("Operators kept FP32", Integer.toString(fp32.size()), fp32));
        }
        return out;
    }

    /** True for the rows shown expanded at first: an FP32 model's interface and operators, an INT8 model's making. */
    public static boolean openAtFirst(ModelSummary m, Row r) {
        return m.quantization() == null ? r.name().equals("Inputs / outputs") || r.name().equals("Operators")
                : r.name().equals("Quantization") || r.name().equals("Operators kept FP32") || r.name().equals("Inputs / outputs");
    }

    /** A file size as {@code 2.7 MB} or {@code 436 KB}. */
    public static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }

    /** The rows as {@code name = value} lines, depth first, children indented by two spaces. */
    public static List<String> lines(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            flatten(r, "", out);
        }
        return out;
    }

    private static void flatten(Row r, String indent, List<String> out) {
        out.add(indent + r.name() + " = " + r.value());
        for (Row c : r.children()) {
            flatten(c, indent + "  ", out);
        }
    }

    /** The kind found for an output, e.g. {@code  — binary (final Sigmoid, 1 channel)}; empty when not known. */
    private static String kind(ModelOutput o) {
        if (o == null) {
            return "";
        }
        return "  \u2014 " + o.kind().cliName() + (o.reason() == null || o.reason().isBlank() ? "" : " (" + o.reason() + ")");
    }

    private static String shape(List<String> shape) {
        return shape == null ? "(no shape)" : "[" + String.join(",", shape) + "]";
    }
}
