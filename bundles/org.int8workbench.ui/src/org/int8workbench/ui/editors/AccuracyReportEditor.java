package org.int8workbench.ui.editors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.metrics.ImagePrediction;
import org.int8workbench.core.metrics.PredictOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReport.ClassRow;
import org.int8workbench.core.report.AccuracyReport.ImageRow;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.ui.Activator;
import org.int8workbench.ui.UiJobs;

/**
 * The Accuracy Report editor: the core's {@link AccuracyReport} as dataset figures, a Basic table (one row per image)
 * and an Advanced table (one row per image and class), sortable by every column, worst first, filterable by class;
 * Visualize draws the selected image's predictions; Export writes HTML/CSV through {@link AccuracyReportWriter}.
 */
public final class AccuracyReportEditor extends ReportEditor {
    /** The editor's id in plugin.xml. */
    public static final String ID = "org.int8workbench.ui.editors.accuracyReport";

    private AccuracyReport root;
    private AccuracyReport report;
    private Combo outputSelector;
    private Composite content;
    private TableViewer basic;
    private TableViewer advanced;
    private SortableTable<ImageRow> basicTable;
    private SortableTable<ClassRow> advancedTable;
    private StackLayout stack;
    private Composite tables;
    private Combo mode;
    private Combo classFilter;
    private VisualizePanel visualize;
    private Label figures;
    private int filterLabel = -1;
    /** The image id Visualize shows or is predicting. */
    private String visualized;

    @Override
    public void createPartControl(Composite parent) {
        try {
            root = AccuracyReportWriter.read(file());
        } catch (IOException | RuntimeException e) {
            Label l = new Label(parent, SWT.WRAP);
            l.setText("Cannot read the accuracy report " + file() + ": " + e.getMessage());
            Activator.getDefault().getLog().log(Status.error("Cannot read " + file(), e));
            return;
        }
        report = root;
        nameModels("Accuracy", java.util.List.of(report.model().path()), report.parentModel() == null ? null : report.parentModel().path());
        parent.setLayout(new GridLayout(1, false));
        Label head = new Label(parent, SWT.WRAP);
        head.setFont(org.eclipse.jface.resource.JFaceResources.getHeaderFont());
        head.setText(report.parentModel() == null ? "Accuracy of " + name(report.model().path())
                : "Accuracy: " + name(report.model().path()) + " (optimized) vs " + name(report.parentModel().path()) + " (parent)");
        if (!root.outputs().isEmpty()) {
            Composite pick = new Composite(parent, SWT.NONE);
            pick.setLayout(new GridLayout(2, false));
            new Label(pick, SWT.NONE).setText("Output:");
            outputSelector = new Combo(pick, SWT.READ_ONLY);
            for (AccuracyReport r : reports()) {
                outputSelector.add(outputLabel(r));
            }
            outputSelector.select(0);
            outputSelector.addListener(SWT.Selection, e -> showOutput(outputSelector.getSelectionIndex()));
        }
        content = new Composite(parent, SWT.NONE);
        content.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        GridLayout cl = new GridLayout(1, false);
        cl.marginWidth = 0;
        cl.marginHeight = 0;
        content.setLayout(cl);
        createContent(content);
    }

    /** The top-level report and the reports of the further outputs, in the order of the Output selector. */
    private List<AccuracyReport> reports() {
        List<AccuracyReport> all = new ArrayList<>();
        all.add(root);
        all.addAll(root.outputs());
        return all;
    }

    private static String outputLabel(AccuracyReport r) {
        AccuracyReport.Output o = r.output();
        return o == null ? "output (classes)" : (o.name() == null ? "output" : o.name()) + " (" + o.kind() + ")";
    }

    /**
     * Shows the report of one output: 0 the top-level report, {@code i} the {@code i}-th of its further outputs (as the
     * Output selector does).
     */
    public void showOutput(int index) {
        List<AccuracyReport> all = reports();
        report = all.get(Math.max(0, Math.min(index, all.size() - 1)));
        if (outputSelector != null) {
            outputSelector.select(all.indexOf(report));
        }
        filterLabel = -1;
        visualized = null;
        for (var c : content.getChildren()) {
            c.dispose();
        }
        createContent(content);
        content.layout(true, true);
    }

    /** The Output selector's entries, or an empty list for a report of one output. */
    public List<String> outputChoices() {
        return outputSelector == null ? List.of() : List.of(outputSelector.getItems());
    }

    private void createContent(Composite parent) {
        figures = new Label(parent, SWT.WRAP);
        figures.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        figures.setText(figuresText(report));
        Label agg = new Label(parent, SWT.WRAP);
        GridData ag = new GridData(SWT.FILL, SWT.TOP, true, false);
        ag.widthHint = 800;
        agg.setLayoutData(ag);
        agg.setText((report.outputKind().equals("regression") ? "How the errors are aggregated: " : "How mean IoU is aggregated: ")
                + report.aggregation());
        agg.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));

        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(7, false));
        new Label(bar, SWT.NONE).setText("Mode:");
        mode = new Combo(bar, SWT.READ_ONLY);
        boolean multilabel = report.outputKind().equals("multilabel");
        mode.setItems("Basic (one row per image)", multilabel ? "Advanced (image \u00d7 label)" : "Advanced (image \u00d7 class)");
        mode.select(0);
        mode.addListener(SWT.Selection, e -> setAdvanced(mode.getSelectionIndex() == 1));
        new Label(bar, SWT.NONE).setText(multilabel ? "Label:" : "Class:");
        classFilter = new Combo(bar, SWT.READ_ONLY);
        List<Integer> labels = classesPresent();
        classFilter.add(multilabel ? "All labels" : "All classes");
        for (int l : labels) {
            classFilter.add(l + " " + report.classes().name(l));
        }
        classFilter.select(0);
        classFilter.setEnabled(!labels.isEmpty()); // a regression output has no classes
        classFilter.addListener(SWT.Selection, e -> setClassFilter(classFilter.getSelectionIndex() == 0 ? -1 : labels.get(classFilter.getSelectionIndex() - 1)));
        Button vis = new Button(bar, SWT.PUSH);
        vis.setText("Visualize");
        vis.addListener(SWT.Selection, e -> visualizeSelection());
        Button html = new Button(bar, SWT.PUSH);
        html.setText("Export HTML\u2026");
        html.addListener(SWT.Selection, e -> {
            Path p = askSaveAs("report.html", "html");
            if (p != null) {
                exportHtml(p);
            }
        });
        Button csv = new Button(bar, SWT.PUSH);
        csv.setText("Export CSV\u2026");
        csv.addListener(SWT.Selection, e -> {
            Path p = askSaveAs(isAdvanced() ? AccuracyReportWriter.IMAGE_CLASSES_CSV : AccuracyReportWriter.IMAGES_CSV, "csv");
            if (p != null) {
                exportCsv(p);
            }
        });

        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        tables = new Composite(sash, SWT.NONE);
        stack = new StackLayout();
        tables.setLayout(stack);
        createBasic(tables);
        createAdvanced(tables);
        stack.topControl = basic.getControl();
        visualize = new VisualizePanel(sash);
        sash.setWeights(45, 55);
        basic.addDoubleClickListener(e -> visualizeSelection());
        advanced.addDoubleClickListener(e -> visualizeSelection());
        getSite().setSelectionProvider(basic);
    }

    private static String name(String path) {
        return path == null ? "?" : Path.of(path).getFileName().toString();
    }

    static String pct(Double v) {
        return v == null ? "\u2013" : String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    private static String figuresText(AccuracyReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Dataset: ").append(r.dataset()).append(" \u2014 ").append(r.images().size()).append(" images");
        if (r.synthetic()) {
            b.append(" (generated: accuracy figures are not meaningful)");
        }
        b.append('\n');
        AccuracyReport.Output o = r.output();
        if (o != null) {
            b.append("Output ").append(o.name() == null ? "" : "'" + o.name() + "' ").append("read as ").append(o.kind());
            if (o.threshold() != null) {
                b.append(String.format(Locale.ROOT, ", threshold %s", o.threshold().floatValue()));
            }
            if (o.reason() != null && !o.reason().isBlank()) {
                b.append(" (").append(o.reason()).append(')');
            }
            b.append('\n');
        }
        switch (r.outputKind()) {
            case "regression" -> {
                return b.append(regressionText(r)).toString();
            }
            case "binary" -> {
                return b.append(binaryText(r)).toString();
            }
            case "multilabel" -> {
                return b.append(multilabelText(r)).toString();
            }
            default -> {
                // class scores, label maps, the exact head: below
            }
        }
        if (r.groundTruth() != null) {
            b.append("Mean IoU vs ground truth: optimized ").append(pct(r.groundTruth().meanIoU()));
            if (r.reference() != null) {
                b.append(", parent ").append(pct(r.reference().meanIoU()));
            }
            b.append("; pixel accuracy optimized ").append(pct(r.groundTruth().pixelAccuracy()));
            if (r.reference() != null) {
                b.append(", parent ").append(pct(r.reference().pixelAccuracy()));
            }
            b.append('\n');
        }
        AccuracyReport.Agreement a = r.agreement();
        if (a != null) {
            b.append(String.format(Locale.ROOT, "Agreement with the parent: %s of pixels the same (%,d of %,d changed), mean IoU vs parent %s%n",
                    pct(a.pixelAgreement()), a.changedPixels(), a.pixels(), pct(a.meanIoU())));
            b.append("Class confusion (parent \u2192 optimized, most changed pixels): ").append(confusion(r, a.confusion()));
        }
        return b.toString();
    }

    private static String regressionText(AccuracyReport r) {
        AccuracyReport.Agreement a = r.agreement();
        if (a == null || a.regression() == null) {
            return "No parent model: a regression output has no figures without one.";
        }
        AccuracyReport.Regression g = a.regression();
        return String.format(Locale.ROOT, "Optimized vs parent: MAE %s, RMSE %s, PSNR %s, within tolerance %s (tolerance %s, parent's range %s)%s",
                num(g.mae()), num(g.rmse()), psnr(g.psnr()), pct(g.withinTolerance()), num(g.tolerance()), num(g.range()),
                a.meanCosine() == null ? "" : ", output cosine " + String.format(Locale.ROOT, "%.4f", a.meanCosine()));
    }

    private static String binaryText(AccuracyReport r) {
        StringBuilder b = new StringBuilder();
        if (r.groundTruth() != null) {
            b.append("Foreground IoU vs ground truth: optimized ").append(pct(foreground(r.groundTruth().classes())));
            if (r.reference() != null) {
                b.append(", parent ").append(pct(foreground(r.reference().classes())));
            }
            b.append('\n');
        }
        AccuracyReport.Agreement a = r.agreement();
        if (a != null) {
            b.append(String.format(Locale.ROOT, "Foreground IoU vs parent %s; %s of pixels the same (%,d of %,d changed)",
                    pct(a.meanIoU()), pct(a.pixelAgreement()), a.changedPixels(), a.pixels()));
        }
        return b.toString();
    }

    private static String multilabelText(AccuracyReport r) {
        AccuracyReport.Agreement a = r.agreement();
        if (a == null) {
            return "No parent model: a multi-label output is only compared with its parent.";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Agreement with the parent: mean over labels of IoU %s and of pixel agreement %s%nPer label, IoU vs parent: ",
                pct(a.meanIoU()), pct(a.pixelAgreement())));
        List<String> labels = new ArrayList<>();
        for (AccuracyReport.ClassScore c : a.classes().stream().filter(c -> c.label() >= 1).toList()) { // 0: "none"
            labels.add(c.name() + " " + pct(c.iou()));
        }
        return b.append(String.join(", ", labels)).toString();
    }

    private static Double foreground(List<AccuracyReport.ClassScore> classes) {
        return classes == null ? null : classes.stream().filter(c -> c.label() == 1).map(AccuracyReport.ClassScore::iou).findFirst().orElse(null);
    }

    static String num(Double v) {
        return v == null ? "\u2013" : String.format(Locale.ROOT, "%.4g", v);
    }

    static String psnr(Double v) {
        return v == null ? "\u221e" : String.format(Locale.ROOT, "%.2f dB", v);
    }

    private static Double psnrKey(ImageRow i) {
        // identical outputs (no PSNR) sort as the best
        return i.regression() == null ? null : i.regression().psnr() == null ? Double.POSITIVE_INFINITY : i.regression().psnr();
    }

    /** The largest off-diagonal entries of a confusion matrix, e.g. {@code person→background 1,234 px}. */
    private static String confusion(AccuracyReport r, List<List<Long>> m) {
        record Cell(int from, int to, long n) {
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            for (int j = 0; j < m.get(i).size(); j++) {
                if (i != j && m.get(i).get(j) > 0) {
                    cells.add(new Cell(i, j, m.get(i).get(j)));
                }
            }
        }
        if (cells.isEmpty()) {
            return "none";
        }
        cells.sort(Comparator.comparingLong(Cell::n).reversed());
        List<String> out = new ArrayList<>();
        for (Cell c : cells.subList(0, Math.min(5, cells.size()))) {
            out.add(String.format(Locale.ROOT, "%s\u2192%s %,d px", r.classes().name(c.from()), r.classes().name(c.to()), c.n()));
        }
        return String.join(", ", out);
    }

    private List<Integer> classesPresent() {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        report.images().forEach(i -> s.addAll(i.classes()));
        report.classRows().forEach(c -> s.add(c.label()));
        s.remove(report.classes().ignoreLabel());
        return new ArrayList<>(s);
    }

    private void createBasic(Composite parent) {
        basic = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        basic.setContentProvider(ArrayContentProvider.getInstance());
        basicTable = new SortableTable<>(basic);
        basicTable.column("Image", 130, ImageRow::id, Comparator.comparing(ImageRow::id));
        String kind = report.outputKind();
        TableViewerColumn worst;
        boolean ascending = true;
        if (kind.equals("regression")) {
            worst = basicTable.column("MAE", 110, i -> i.regression() == null ? "\u2013" : num(i.regression().mae()),
                    SortableTable.by(i -> i.regression() == null ? null : i.regression().mae()));
            ascending = false;
            basicTable.column("RMSE", 110, i -> i.regression() == null ? "\u2013" : num(i.regression().rmse()),
                    SortableTable.by(i -> i.regression() == null ? null : i.regression().rmse()));
            basicTable.column("PSNR", 110, i -> i.regression() == null ? "\u2013" : psnr(i.regression().psnr()),
                    SortableTable.by(AccuracyReportEditor::psnrKey));
            basicTable.column("Within tolerance", 130, i -> i.regression() == null ? "\u2013" : pct(i.regression().withinTolerance()),
                    SortableTable.by(i -> i.regression() == null ? null : i.regression().withinTolerance()));
            basicTable.column("Output cosine", 120, i -> i.cosine() == null ? "\u2013" : String.format(Locale.ROOT, "%.4f", i.cosine()),
                    SortableTable.by(ImageRow::cosine));
        } else {
            String basicTitle = switch (kind) {
                case "binary" -> "Foreground IoU vs parent";
                case "multilabel" -> "Mean IoU over labels vs parent";
                default -> "Mean IoU vs parent";
            };
            worst = basicTable.column(basicTitle, Math.max(150, 9 * basicTitle.length()), i -> pct(i.agreementMeanIoU()), SortableTable.by(ImageRow::agreementMeanIoU));
            basicTable.column(kind.equals("multilabel") ? "Pixel agreement (mean over labels)" : "Pixel agreement",
                    kind.equals("multilabel") ? 260 : 130,
                    i -> pct(i.pixelAgreement()), SortableTable.by(ImageRow::pixelAgreement));
            basicTable.column("Changed pixels", 125, i -> String.format(Locale.ROOT, "%,d", i.changedPixels()),
                    Comparator.comparingLong(ImageRow::changedPixels));
            basicTable.column("GT mIoU optimized", 150, i -> pct(i.meanIoU()), SortableTable.by(ImageRow::meanIoU));
            basicTable.column("GT mIoU parent", 130, i -> pct(i.referenceMeanIoU()), SortableTable.by(ImageRow::referenceMeanIoU));
            basicTable.column(kind.equals("multilabel") ? "Labels" : "Classes", 220, i -> i.classes().stream()
                    .filter(c -> c != report.classes().ignoreLabel()).map(c -> report.classes().name(c)).reduce((x, y) -> x + ", " + y)
                    .orElse(""), Comparator.comparingInt(i -> i.classes().size()));
        }
        basic.addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parentElement, Object element) {
                return filterLabel < 0 || ((ImageRow) element).classes().contains(filterLabel);
            }
        });
        basic.setInput(report.images());
        // worst first: the parent comparison when there is one, else the ground truth
        basicTable.sortBy(report.parentModel() != null || kind.equals("regression") ? worst.getColumn() : basic.getTable().getColumn(4),
                ascending);
    }

    private void createAdvanced(Composite parent) {
        advanced = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        advanced.setContentProvider(ArrayContentProvider.getInstance());
        advancedTable = new SortableTable<>(advanced);
        advancedTable.column("Image", 150, ClassRow::image, Comparator.comparing(ClassRow::image));
        advancedTable.column(report.outputKind().equals("multilabel") ? "Label" : "Class", 130, c -> c.label() + " " + c.name(),
                Comparator.comparingInt(ClassRow::label));
        TableViewerColumn worst = advancedTable.column(report.parentModel() != null ? "IoU vs parent" : "IoU vs ground truth", 120,
                c -> pct(c.iou()), Comparator.comparingDouble(ClassRow::iou));
        advancedTable.column(report.parentModel() != null ? "Parent pixels" : "Ground-truth pixels", 120,
                c -> String.format(Locale.ROOT, "%,d", c.referencePixels()), Comparator.comparingLong(ClassRow::referencePixels));
        advancedTable.column("Optimized pixels", 120, c -> String.format(Locale.ROOT, "%,d", c.predictedPixels()),
                Comparator.comparingLong(ClassRow::predictedPixels));
        advancedTable.column("GT IoU optimized", 130, c -> pct(c.groundTruthIou()), SortableTable.by(ClassRow::groundTruthIou));
        advanced.addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parentElement, Object element) {
                return filterLabel < 0 || ((ClassRow) element).label() == filterLabel;
            }
        });
        advanced.setInput(report.classRows());
        advancedTable.sortBy(worst.getColumn(), true);
    }

    // ------------------------------------------------------------------ actions (public for tests)

    /** The report shown. */
    public AccuracyReport report() {
        return report;
    }

    /** Switches between Basic and Advanced mode. */
    public void setAdvanced(boolean on) {
        String image = selectedImage();
        if (image == null) {
            image = visualized;
        }
        mode.select(on ? 1 : 0);
        stack.topControl = on ? advanced.getControl() : basic.getControl();
        tables.layout();
        getSite().setSelectionProvider(on ? advanced : basic);
        // Visualize follows: the row of the same image is selected in the other mode and that image shown
        if (image != null) {
            TableViewer v = on ? advanced : basic;
            for (int i = 0; i < v.getTable().getItemCount(); i++) {
                Object row = v.getElementAt(i);
                if (image.equals(row instanceof ImageRow r ? r.id() : row instanceof ClassRow c ? c.image() : null)) {
                    v.setSelection(new org.eclipse.jface.viewers.StructuredSelection(row), true);
                    if (!image.equals(visualized)) {
                        visualizeSelection();
                    }
                    break;
                }
            }
        }
    }

    /** The image of the selected row of the visible table, or {@code null}. */
    public String selectedImage() {
        if (basic == null || advanced == null || stack == null) {
            return null;
        }
        Object sel = (isAdvanced() ? advanced : basic).getStructuredSelection().getFirstElement();
        return sel instanceof ImageRow i ? i.id() : sel instanceof ClassRow c ? c.image() : null;
    }

    /** The image Visualize shows or is predicting, or {@code null}. */
    public String visualizedImage() {
        return visualized;
    }

    /** True in Advanced mode. */
    public boolean isAdvanced() {
        return stack.topControl == advanced.getControl();
    }

    /** Shows only rows of a class ({@code -1}: all). */
    public void setClassFilter(int label) {
        filterLabel = label;
        basic.refresh();
        advanced.refresh();
    }

    /** The visible table. */
    public Table table() {
        return (isAdvanced() ? advanced : basic).getTable();
    }

    /** The visible rows in display order, as the first column's text. */
    public List<String> rowTexts(int column) {
        List<String> out = new ArrayList<>();
        for (var item : table().getItems()) {
            out.add(item.getText(column));
        }
        return out;
    }

    /** Sorts the visible table by a column as a header click does. */
    public void clickHeader(int column) {
        table().getColumn(column).notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    /** Selects a row of the visible table. */
    public void selectRow(int index) {
        TableViewer v = isAdvanced() ? advanced : basic;
        v.setSelection(new org.eclipse.jface.viewers.StructuredSelection(v.getElementAt(index)), true);
    }

    /** The Visualize panel. */
    public VisualizePanel visualizePanel() {
        return visualize;
    }

    /** Visualize: predicts the selected row's image in a job and shows it. */
    public UiJobs.UiJob visualizeSelection() {
        Object sel = (isAdvanced() ? advanced : basic).getStructuredSelection().getFirstElement();
        ImageRow row = sel instanceof ImageRow i ? i : sel instanceof ClassRow c ? imageRow(c.image()) : null;
        if (row == null) {
            visualize.showMessage("Select a row first.");
            return null;
        }
        visualize.showMessage("Predicting " + row.id() + " with both models\u2026");
        visualized = row.id();
        Display display = visualize.getDisplay();
        AccuracyReport shown = report;
        return UiJobs.schedule("Visualize " + row.id(), monitor -> {
            ImagePrediction p = PredictOperation.forReport(shown, row).run(monitor);
            display.asyncExec(() -> {
                if (!visualize.isDisposed()) {
                    visualize.show(heading(shown, row), p);
                }
            });
        });
    }

    private static String heading(AccuracyReport r, ImageRow row) {
        return switch (r.outputKind()) {
            case "regression" -> row.regression() == null ? row.id() : String.format(Locale.ROOT,
                    "%s \u2014 MAE %s, RMSE %s, PSNR %s, within tolerance %s; error heat map |optimized \u2212 parent|", row.id(),
                    num(row.regression().mae()), num(row.regression().rmse()), psnr(row.regression().psnr()),
                    pct(row.regression().withinTolerance()));
            case "binary" -> String.format(Locale.ROOT, "%s \u2014 foreground IoU vs parent %s, pixel agreement %s", row.id(),
                    pct(row.agreementMeanIoU()), pct(row.pixelAgreement()));
            default -> String.format(Locale.ROOT, "%s \u2014 mean IoU vs parent %s, pixel agreement %s, GT mIoU optimized %s / parent %s",
                    row.id(), pct(row.agreementMeanIoU()), pct(row.pixelAgreement()), pct(row.meanIoU()), pct(row.referenceMeanIoU()));
        };
    }

    private ImageRow imageRow(String id) {
        return report.images().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }

    /** Export HTML through the core's renderer. */
    public void exportHtml(Path target) {
        try {
            AccuracyReportWriter.writeHtml(report, target, true);
        } catch (IOException e) {
            Activator.showError(Status.error("Cannot write " + target + ": " + e.getMessage(), e));
        }
    }

    /** Export the visible mode's rows as CSV through the core's renderer. */
    public void exportCsv(Path target) {
        String csv = isAdvanced() ? AccuracyReportWriter.imageClassesCsv(report) : AccuracyReportWriter.imagesCsv(report);
        try {
            AtomicOutput.write(target, true, csv.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Activator.showError(Status.error("Cannot write " + target + ": " + e.getMessage(), e));
        }
    }

    @Override
    public void setFocus() {
        if (basic != null) {
            table().setFocus();
        }
    }
}
