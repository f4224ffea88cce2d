package org.int8workbench.ui.editors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TableColumn;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.NodeSensitivity;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.accuracy.SensitivityReport;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.ModelFiles;
import org.int8workbench.ui.OptimizeSettings;
import org.int8workbench.ui.UiJobs;
import org.int8workbench.ui.jobs.OptimizeJob;
import org.int8workbench.ui.wizards.OptimizeWizard;

/**
 * The Layer Sensitivity editor: the core's {@link SensitivityResult} ({@code NAME.sensitivity.json}) as a header
 * (model, metric, FP32 and INT8 figures, the images used) and a table with one row per quantized node (or group of
 * nodes reverted together), sortable by every column: the signal-to-quantization-noise ratio of its output, the metric
 * points gained and the output error left when only it is kept in FP32, its operator, output shape and whether ONNX
 * Runtime runs it as an integer kernel. Selected rows can be kept in FP32: <b>Keep in FP32 and optimize again</b>
 * repeats the model's last optimization (its remembered settings) with those groups' nodes added to the ignored scope, writing
 * a new INT8 model beside the old one ({@code NAME.int8-2.onnx}, ...), and opens its Performance and Accuracy editors
 * beside the old ones.
 */
public final class SensitivityEditor extends ReportEditor {
    /** The editor's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.editors.sensitivity";

    private SensitivityResult result;
    private Composite body;
    private TableViewer table;
    private SortableTable<NodeSensitivity> sorter;
    private Button keep;
    private Map<NodeSensitivity, Integer> ranks = new IdentityHashMap<>();

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new org.eclipse.swt.layout.FillLayout());
        body = new Composite(parent, SWT.NONE);
        load();
    }

    private void load() {
        for (Control c : body.getChildren()) {
            c.dispose();
        }
        try {
            result = SensitivityResult.fromJson(Files.readString(file(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            body.setLayout(new GridLayout(1, false));
            new Label(body, SWT.WRAP).setText("Cannot read the sensitivity result " + file() + ": " + e.getMessage());
            Activator.getDefault().getLog().log(Status.error("Cannot read " + file(), e));
            result = null;
            return;
        }
        build();
        body.layout(true, true);
    }

    private void build() {
        body.setLayout(new GridLayout(1, false));
        Label head = new Label(body, SWT.WRAP);
        head.setFont(JFaceResources.getHeaderFont());
        head.setText("Layer sensitivity of " + Path.of(result.model()).getFileName());
        head.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Label text = new Label(body, SWT.WRAP);
        GridData td = new GridData(SWT.FILL, SWT.TOP, true, false);
        td.widthHint = 900;
        text.setLayoutData(td);
        text.setText(headerText(result));

        Composite buttons = new Composite(body, SWT.NONE);
        buttons.setLayout(new GridLayout(3, false));
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        keep = new Button(buttons, SWT.PUSH);
        keep.setText("Keep in FP32 and optimize again");
        keep.setToolTipText("Repeat the model's last optimization with the selected nodes added to the ignored scope, into a new INT8"
                + " model beside the old one");
        keep.setEnabled(false);
        keep.addListener(SWT.Selection, e -> keepInFp32AndOptimize());
        Button html = new Button(buttons, SWT.PUSH);
        html.setText("Export HTML\u2026");
        html.setToolTipText("The same page as 'int8wb sensitivity --report'");
        html.addListener(SWT.Selection, e -> {
            Path p = askSaveAs(SensitivityReport.HTML, "html");
            if (p != null) {
                exportHtml(p);
            }
        });
        Label hint = new Label(buttons, SWT.NONE);
        hint.setText("Select one or more rows (most harmful first); click a column header to sort by it.");

        table = new TableViewer(body, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        sorter = new SortableTable<>(table);
        List<NodeSensitivity> ranked = result.ranked();
        ranks = new IdentityHashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            ranks.put(ranked.get(i), i + 1);
        }
        String metric = result.metric().label();
        boolean agreementToo = result.metric() != AccuracyMetric.AGREEMENT;
        TableViewerColumn rank = sorter.column("Rank", 50, n -> Integer.toString(ranks.get(n)), SortableTable.by(ranks::get));
        rank.getColumn().setToolTipText("Most harmful first: by the " + result.rankedBy().label() + " gained when only the node is kept in"
                + " FP32, then by the output error left, then by SQNR");
        sorter.column("Node", 140, NodeSensitivity::node, SortableTable.by(NodeSensitivity::node))
                .getColumn().setToolTipText("The quantized node; the nodes kept in FP32 with it (e.g. its Relu) are in the Group column");
        sorter.column("Operator", 75, NodeSensitivity::opType, SortableTable.by(NodeSensitivity::opType));
        sorter.column("Output shape", 122, n -> shape(n.shape()), SortableTable.by(n -> n.shape().isEmpty() ? null : volume(n.shape())));
        sorter.column("Integer kernel", 112, n -> n.integerKernel() ? "yes" : "no", SortableTable.by(NodeSensitivity::integerKernel))
                .getColumn().setToolTipText("Whether ONNX Runtime runs this node as an integer kernel in the INT8 model (when not, it"
                        + " computes in float between DequantizeLinear and QuantizeLinear, and keeping it in FP32 costs no speed)");
        sorter.column("SQNR (dB)", 95, n -> number(n.sqnrDb(), "%.1f"), SortableTable.by(n -> value(n.sqnrDb())))
                .getColumn().setToolTipText("Signal-to-quantization-noise ratio of the output against FP32 on " + result.sqnrImages()
                        + "; low is noisy");
        sorter.column(gainTitle(metric), 155, n -> number(n.gainPoints(), "%+.2f"), SortableTable.by(n -> value(n.gainPoints())))
                .getColumn().setToolTipText(metric + " points gained on the ranking images when only this node is kept in FP32");
        if (agreementToo) {
            sorter.column(gainTitle("agreement"), 196, n -> number(n.agreementGainPoints(), "%+.2f"),
                    SortableTable.by(n -> value(n.agreementGainPoints())))
                    .getColumn().setToolTipText("Points of pixel agreement with FP32 gained on the ranking images when only this node is kept"
                            + " in FP32");
        }
        sorter.column("Output error in FP32", 160, n -> number(n.revertedOutputError(), "%.4f"),
                SortableTable.by(n -> value(n.revertedOutputError())))
                .getColumn().setToolTipText("Raw-output error against FP32 (mean squared error / mean square of the FP32 output) on the"
                        + " ranking images when only this node is kept in FP32 (INT8 alone: " + number(result.rankingInt8OutputError(), "%.4f")
                        + ")");
        sorter.column("Float when kept", 118, n -> n.revertedRunsFloat() == null ? "\u2013" : n.revertedRunsFloat() ? "yes" : "no",
                SortableTable.by(NodeSensitivity::revertedRunsFloat))
                .getColumn().setToolTipText("Whether ONNX Runtime really runs the node in float once it is kept in FP32 (its"
                        + " WeightBiasQuantization pass may turn a float Conv over int8 weights back into an integer kernel); \u2013 when"
                        + " not checked");
        sorter.column("Group", 100, n -> group(n), SortableTable.by(n -> group(n)));
        table.setInput(ranked);
        sorter.sortBy(rank.getColumn(), true);
        table.addSelectionChangedListener(e -> keep.setEnabled(!e.getStructuredSelection().isEmpty()));
    }

    /** Column title of the gain in {@code metric} points. */
    public static String gainTitle(String metric) {
        return "Gain " + metric + " (points)";
    }

    static String headerText(SensitivityResult r) {
        StringBuilder b = new StringBuilder();
        String metric = r.metric().label();
        b.append(String.format(Locale.ROOT, "%s on %d validation images (%s): FP32 %s, INT8 %s, drop %.2f points", metric,
                r.validationImages(), r.validation(), percent(r.parentMetric()), percent(r.int8Metric()), r.int8DropPoints()));
        if (r.metric() != AccuracyMetric.AGREEMENT) {
            b.append(String.format(Locale.ROOT, "; INT8 agrees with FP32 on %s of the pixels", percent(r.int8Agreement())));
        }
        b.append(String.format(Locale.ROOT,
                "%nRanked by the %s gained when only one node is kept in FP32, on the %d validation images where INT8 agrees least with"
                        + " FP32 (INT8 there: %s %s, agreement %s): %s",
                r.rankedBy().label(), r.rankingImages().size(), metric, percent(r.rankingInt8Metric()), percent(r.rankingInt8Agreement()),
                String.join(", ", r.rankingImages())));
        b.append(String.format(Locale.ROOT, "%nCalibration: %s (%d images); SQNR on %s; quantization: %s", r.calibration(),
                r.calibrationImages(), r.sqnrImages(),
                r.settings().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))));
        String sha = r.modelSha256() == null ? "?" : r.modelSha256().substring(0, Math.min(12, r.modelSha256().length()));
        b.append(String.format(Locale.ROOT, "%nModel: %s (sha256 %s\u2026); %d nodes analysed in %.1f s", r.model(), sha, r.nodes().size(),
                r.seconds()));
        if (r.provenance() != null) {
            b.append(String.format(Locale.ROOT, "%nMachine: %s; ONNX Runtime %s; %s",
                    r.provenance().cpu() == null ? "?" : r.provenance().cpu().describe(), r.provenance().onnxRuntime(), r.provenance().time()));
        }
        for (String w : r.warnings()) {
            b.append(System.lineSeparator()).append("Warning: ").append(w);
        }
        return b.toString();
    }

    private static String group(NodeSensitivity n) {
        return n.nodes().stream().filter(x -> !x.equals(n.node())).collect(Collectors.joining(", "));
    }

    private static String shape(List<Long> shape) {
        return shape.isEmpty() ? "" : shape.stream().map(String::valueOf).collect(Collectors.joining("\u00d7"));
    }

    private static Long volume(List<Long> shape) {
        long v = 1;
        for (Long d : shape) {
            v *= d == null ? 1 : Math.max(1, d);
        }
        return v;
    }

    /** A figure for sorting: {@code null} (last in both directions) when not measured. */
    private static Double value(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, format, v);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "\u2013" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    @Override
    public void setFocus() {
        if (table != null && !table.getTable().isDisposed()) {
            table.getTable().setFocus();
        } else {
            body.setFocus();
        }
    }

    /** Writes the HTML page of the result (the command line's renderer) to {@code target}, atomically. */
    public void exportHtml(Path target) {
        try {
            AtomicOutput.write(target, true, SensitivityReport.html(result).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            Activator.showError(Status.error("Cannot write " + target + ": " + e.getMessage(), e));
        }
    }

    // ------------------------------------------------------------------ keep in FP32

    /** The result shown, or {@code null} when it could not be read. */
    public SensitivityResult result() {
        return result;
    }

    /** The table (for tests). */
    public TableViewer viewer() {
        return table;
    }

    /** Sorts by the column titled {@code title} (for tests, as a header click does). */
    public void sortBy(String title, boolean ascending) {
        for (TableColumn c : table.getTable().getColumns()) {
            if (c.getText().equals(title)) {
                sorter.sortBy(c, ascending);
                return;
            }
        }
        throw new IllegalArgumentException("no column " + title);
    }

    /** The rows in the order shown. */
    public List<NodeSensitivity> shownRows() {
        List<NodeSensitivity> rows = new ArrayList<>();
        for (int i = 0; i < table.getTable().getItemCount(); i++) {
            rows.add((NodeSensitivity) table.getElementAt(i));
        }
        return rows;
    }

    /** Selects rows (as a user would). */
    public void select(List<NodeSensitivity> rows) {
        table.setSelection(new StructuredSelection(rows), true);
    }

    /** The node names of the selected rows, in table order. */
    public List<String> selectedNodes() {
        IStructuredSelection s = table.getStructuredSelection();
        List<String> names = new ArrayList<>();
        for (Object o : s.toList()) {
            names.add(((NodeSensitivity) o).node());
        }
        return names;
    }

    /** Every node of the selected rows' groups (the compute node and the activation folded into it), in table order. */
    public List<String> selectedGroupNodes() {
        List<String> names = new ArrayList<>();
        for (Object o : table.getStructuredSelection().toList()) {
            NodeSensitivity n = (NodeSensitivity) o;
            names.add(n.node());
            n.nodes().stream().filter(x -> !x.equals(n.node())).forEach(names::add);
        }
        return names;
    }

    /**
     * Keep in FP32 and optimize again: the model's remembered settings with the selected nodes added to the ignored
     * scope, run as one Optimize job into a free name beside the old INT8 model; when the model was never optimized
     * (no settings remembered), the Optimize wizard opens with those nodes in its ignored scope instead. Returns the job,
     * or {@code null} when none was scheduled.
     */
    public UiJobs.UiJob keepInFp32AndOptimize() {
        // the whole group, as the Accuracy-aware method reverts it: no Q/DQ is left around the folded activation
        List<String> nodes = selectedGroupNodes();
        if (result == null || nodes.isEmpty()) {
            return null;
        }
        Path model = Path.of(result.model());
        IFile modelFile = ModelFiles.file(model);
        if (modelFile == null || !modelFile.exists()) {
            Activator.showError(Status.error("The model " + model + " is not a file of the workspace; open it from a project to optimize"
                    + " it again"));
            return null;
        }
        OptimizeSettings remembered = OptimizeSettings.remembered(model);
        if (remembered == null) {
            // the wizard reads the model in its background job, not here on the UI thread
            OptimizeWizard wizard = OptimizeWizard.keepingInFp32(modelFile, nodes);
            new WizardDialog(getSite().getShell(), wizard).open();
            return wizard.job();
        }
        OptimizeSettings settings = remembered.withIgnoredScope(withNodes(remembered.ignoredScope(), nodes));
        return OptimizeJob.schedule(modelFile, settings, freeInt8(model));
    }

    /** {@code scope} with {@code nodes} added (each once, in order). */
    static List<String> withNodes(List<String> scope, List<String> nodes) {
        Set<String> all = new LinkedHashSet<>(scope);
        all.addAll(nodes);
        return List.copyOf(all);
    }

    /**
     * A name for another INT8 model of {@code model} that replaces nothing: {@code NAME.int8.onnx} when no INT8 model
     * exists yet, else the first of {@code NAME.int8-2.onnx}, {@code NAME.int8-3.onnx}, ... that neither exists nor has
     * outputs of its own (head model, benchmark, accuracy report) beside it.
     */
    public static Path freeInt8(Path model) {
        Path first = OutputFiles.int8Of(model);
        if (free(first)) {
            return first;
        }
        String base = OutputFiles.baseName(model);
        for (int i = 2;; i++) {
            Path p = first.resolveSibling(base + ".int8-" + i + ".onnx");
            if (free(p)) {
                return p;
            }
        }
    }

    private static boolean free(Path int8) {
        OutputFiles out = OutputFiles.besideInt8(int8);
        return !Files.exists(int8) && !Files.exists(out.head()) && !Files.exists(OutputFiles.benchmarkOf(int8))
                && !Files.exists(out.accuracyDir());
    }
}
