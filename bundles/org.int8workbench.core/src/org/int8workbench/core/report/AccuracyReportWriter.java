package org.int8workbench.core.report;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.LabelMask;

/**
 * Renders an {@link AccuracyReport} headlessly: JSON (the record itself), a self-contained HTML page (inline style and
 * script; the only other files it uses are the side-by-side pictures under {@code images/}) and CSV tables. The
 * command line and the UI's "Export…" use the same methods.
 *
 * <p>The HTML page reads its state from the URL fragment as well as from clicks, e.g.
 * {@code report.html#mode=advanced&sort=iou&dir=asc&class=15&open=2007_000033}, and mirrors it in {@code data-*}
 * attributes of {@code <body>} so a headless browser can check it.
 */
public final class AccuracyReportWriter {

    /** File names inside a report folder. */
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    public static final String IMAGES_CSV = "images.csv";
    public static final String IMAGE_CLASSES_CSV = "image-classes.csv";
    public static final String CLASSES_CSV = "classes.csv";

    /**
     * Folder of the evaluated model's label maps, when the evaluation saved them: one grey PNG per image at the
     * model's output resolution, pixel value = class ({@link #labelMapFile}).
     */
    public static final String LABELS_DIR = "labels";

    private AccuracyReportWriter() {
    }

    /** Writes JSON, HTML and the CSV files into {@code dir} (created when missing), replacing files of those names. */
    public static void writeFiles(AccuracyReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Json.write(dir.resolve(JSON), r, true);
        AtomicOutput.write(dir.resolve(HTML), true, html(r).getBytes(StandardCharsets.UTF_8));
        AtomicOutput.write(dir.resolve(IMAGES_CSV), true, imagesCsv(r).getBytes(StandardCharsets.UTF_8));
        AtomicOutput.write(dir.resolve(IMAGE_CLASSES_CSV), true, imageClassesCsv(r).getBytes(StandardCharsets.UTF_8));
        AtomicOutput.write(dir.resolve(CLASSES_CSV), true, classesCsv(r).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a {@code report.json}. */
    public static AccuracyReport read(Path json) throws IOException {
        AccuracyReport r = Json.read(json, AccuracyReport.class);
        if (r == null || r.images() == null) {
            throw new IOException(json + " is not an accuracy report");
        }
        return r;
    }

    /** Writes the HTML page alone, atomically. */
    public static void writeHtml(AccuracyReport r, Path file, boolean overwrite) throws IOException {
        AtomicOutput.write(file, overwrite, html(r).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- label maps

    /**
     * The base file name of an image's files in a report folder: its id with unsafe characters replaced, prefixed with
     * the row number (its index in {@link AccuracyReport#images}) when that changed it.
     */
    public static String fileBase(String id, int row) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.equals(id) && !safe.startsWith(".") ? safe : row + "_" + safe;
    }

    /** The label map file of report row {@code row} relative to the report folder, e.g. {@code labels/2007_000033.png}. */
    public static String labelMapFile(String id, int row) {
        return LABELS_DIR + "/" + fileBase(id, row) + ".png";
    }

    /**
     * Writes a label map as a grey PNG whose pixel values are the labels: 8-bit when every label is at most 255,
     * else 16-bit.
     *
     * @throws IOException when a label is negative or above 65535, or the file cannot be written
     */
    public static void writeLabelMap(LabelMask labels, Path file, boolean overwrite) throws IOException {
        int max = 0;
        for (int l : labels.labels()) {
            if (l < 0 || l > 0xFFFF) {
                throw new IOException("label " + l + " cannot be stored in a grey PNG (" + file + ")");
            }
            max = Math.max(max, l);
        }
        BufferedImage img = new BufferedImage(labels.width(), labels.height(),
                max <= 255 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        r.setSamples(0, 0, labels.width(), labels.height(), 0, labels.labels());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicOutput.write(file, overwrite, bytes.toByteArray());
    }

    /** Reads a label map written by {@link #writeLabelMap} (the first band's samples are the labels). */
    public static LabelMask readLabelMap(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + " is not a readable image");
        }
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        return new LabelMask(w, h, r.getSamples(0, 0, w, h, 0, new int[w * h]));
    }

    // ---------------------------------------------------------------- CSV

    /** One line per image (the Basic rows). */
    public static String imagesCsv(AccuracyReport r) {
        StringBuilder sb = new StringBuilder("image,width,height,meanIoU,pixelAccuracy,parentMeanIoU,parentPixelAccuracy,"
                + "agreementMeanIoU,pixelAgreement,changedPixels,mse,cosine,unpredictedPixels,classes,file\n");
        for (AccuracyReport.ImageRow i : r.images()) {
            List<String> cls = new ArrayList<>();
            for (int c : i.classes()) {
                cls.add(Integer.toString(c));
            }
            row(sb, i.id(), i.width(), i.height(), i.meanIoU(), i.pixelAccuracy(), i.referenceMeanIoU(), i.referencePixelAccuracy(),
                    i.agreementMeanIoU(), i.pixelAgreement(), i.changedPixels(), i.mse(), i.cosine(), i.unpredictedPixels(),
                    String.join(" ", cls), i.image());
        }
        return sb.toString();
    }

    /** One line per image and class (the Advanced rows). */
    public static String imageClassesCsv(AccuracyReport r) {
        StringBuilder sb = new StringBuilder("image,label,class,iou,referencePixels,predictedPixels,groundTruthIoU\n");
        for (AccuracyReport.ClassRow c : r.classRows()) {
            row(sb, c.image(), c.label(), c.name(), c.iou(), c.referencePixels(), c.predictedPixels(), c.groundTruthIou());
        }
        return sb.toString();
    }

    /** One line per class with the dataset figures. */
    public static String classesCsv(AccuracyReport r) {
        StringBuilder sb = new StringBuilder("label,class,groundTruthIoU,groundTruthAccuracy,parentGroundTruthIoU,agreementIoU,"
                + "groundTruthPixels,predictedPixels\n");
        for (int c = 0; c < r.classes().count(); c++) {
            AccuracyReport.ClassScore g = score(r.groundTruth() == null ? null : r.groundTruth().classes(), c);
            AccuracyReport.ClassScore p = score(r.reference() == null ? null : r.reference().classes(), c);
            AccuracyReport.ClassScore a = score(r.agreement() == null ? null : r.agreement().classes(), c);
            if ((g == null || g.referencePixels() + g.predictedPixels() == 0) && (a == null || a.referencePixels() + a.predictedPixels() == 0)) {
                continue;
            }
            row(sb, c, r.classes().name(c), g == null ? null : g.iou(), g == null ? null : g.accuracy(), p == null ? null : p.iou(),
                    a == null ? null : a.iou(), g == null ? null : g.referencePixels(),
                    g != null ? g.predictedPixels() : a != null ? a.predictedPixels() : null);
        }
        return sb.toString();
    }

    private static AccuracyReport.ClassScore score(List<AccuracyReport.ClassScore> list, int c) {
        return list == null || c >= list.size() ? null : list.get(c);
    }

    private static void row(StringBuilder sb, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Text.csv(cells[i]));
        }
        sb.append('\n');
    }


    // ---------------------------------------------------------------- HTML

    /** The whole HTML page. */
    public static String html(AccuracyReport r) {
        boolean parent = r.parentModel() != null;
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Accuracy report: ")
                .append(Text.html(fileName(r.model().path()))).append("</title>\n<style>").append(CSS).append("</style></head>\n");
        h.append("<body data-mode=\"basic\" data-parent=\"").append(parent).append("\">\n");
        h.append("<h1>Accuracy report: ").append(Text.html(fileName(r.model().path())));
        if (parent) {
            h.append(" vs parent ").append(Text.html(fileName(r.parentModel().path())));
        }
        h.append("</h1>\n");
        if (r.synthetic()) {
            h.append("<p class=\"warning\" id=\"synthetic\">The images are generated (synthetic data). The accuracy and agreement "
                    + "figures below are not meaningful; evaluate on real images to judge accuracy.</p>\n");
        }
        for (String n : r.notes()) {
            if (!(r.synthetic() && n.contains("synthetic"))) {
                h.append("<p class=\"note\">").append(Text.html(n)).append("</p>\n");
            }
        }

        h.append("<h2>Summary</h2>\n<table class=\"summary\" id=\"summary\"><tr><th></th><th>mean IoU</th><th>per-image mean IoU</th>"
                + "<th>pixel accuracy</th><th>mean class accuracy</th><th>frequency-weighted IoU</th><th>pixels</th></tr>\n");
        if (r.groundTruth() != null) {
            metricsRow(h, parent ? "optimized vs ground truth" : "model vs ground truth", r.groundTruth());
        }
        if (r.reference() != null) {
            metricsRow(h, "parent vs ground truth", r.reference());
        }
        if (r.agreement() != null) {
            AccuracyReport.Agreement a = r.agreement();
            h.append("<tr><th>optimized vs parent</th><td>").append(f(a.meanIoU())).append("</td><td>").append(f(a.perImageMeanIoU()))
                    .append("</td><td>").append(f(a.pixelAgreement())).append(" (agreement)</td><td></td><td></td><td>")
                    .append(a.pixels()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (r.agreement() != null) {
            h.append("<p>Raw output distance, mean over images: MSE ").append(g(r.agreement().meanMse())).append(", cosine similarity ")
                    .append(g(r.agreement().meanCosine())).append(". Changed pixels: ").append(r.agreement().changedPixels())
                    .append(" of ").append(r.agreement().pixels()).append(".</p>\n");
        }
        h.append("<p class=\"def\"><b>How mean IoU is aggregated.</b> ").append(Text.html(r.aggregation())).append("</p>\n");

        h.append("<details open><summary>Settings and provenance</summary><table class=\"kv\">\n");
        kv(h, "Model", r.model().path() + " (sha256 " + r.model().sha256() + ")");
        if (parent) {
            kv(h, "Parent model", r.parentModel().path() + " (sha256 " + r.parentModel().sha256() + ")");
        }
        kv(h, "Dataset", r.dataset());
        kv(h, "Preprocessing", r.preprocessing().describe());
        kv(h, "Postprocessing", r.postprocessing());
        if (r.provenance() != null) {
            kv(h, "CPU", r.provenance().cpu() == null ? "" : r.provenance().cpu().describe());
            kv(h, "ONNX Runtime", r.provenance().onnxRuntime());
            kv(h, "Tool", "INT8 Workbench " + r.provenance().tool() + ", Java " + r.provenance().javaVersion() + ", " + r.provenance().os());
            kv(h, "Time", r.provenance().time());
        }
        if (r.timing() != null) {
            kv(h, "Timing", String.format(Locale.ROOT, "%d images in %.2f s; inference %.2f s (model) + %.2f s (parent); wall / inference = %.2f",
                    r.timing().images(), r.timing().wallSeconds(), r.timing().modelInferenceSeconds(), r.timing().parentInferenceSeconds(),
                    r.timing().ratio()) + (r.timing().concurrentRuns() > 0 ? String.format(Locale.ROOT,
                            "; %d runs at once, %d ONNX Runtime thread(s) each (runs overlap)", r.timing().concurrentRuns(),
                            r.timing().threadsPerRun()) : ""));
        }
        h.append("</table></details>\n");

        classTable(h, r);
        if (r.agreement() != null) {
            confusion(h, r);
        }

        h.append("<h2>Images</h2>\n<div class=\"controls\">");
        h.append("<button id=\"basic\" onclick=\"setMode('basic')\">Basic</button>");
        h.append("<button id=\"advanced\" onclick=\"setMode('advanced')\">Advanced</button> ");
        h.append("<label>Class <select id=\"classFilter\" onchange=\"setClass(this.value)\"><option value=\"\">all</option>");
        for (int c : presentLabels(r)) {
            h.append("<option value=\"").append(c).append("\">").append(c).append(' ').append(Text.html(r.classes().name(c))).append("</option>");
        }
        h.append("</select></label> <button id=\"worst\" onclick=\"worstFirst()\">Worst first</button>");
        h.append(" <span class=\"hint\">Click a column to sort, a row to see its images.</span></div>\n");
        basicTable(h, r, parent);
        advancedTable(h, r, parent);

        if (!r.skipped().isEmpty()) {
            h.append("<h2>Skipped items (").append(r.skipped().size()).append(")</h2>\n<table id=\"skipped\"><tr><th>item</th><th>file</th><th>reason</th></tr>\n");
            for (var s : r.skipped()) {
                h.append("<tr><td>").append(Text.html(s.id())).append("</td><td>").append(Text.html(s.file())).append("</td><td>")
                        .append(Text.html(s.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<div id=\"viewer\" hidden onclick=\"closeViewer()\"><div class=\"frame\"><div id=\"viewerTitle\"></div>"
                + "<img id=\"viewerImage\" alt=\"side-by-side prediction\"></div></div>\n");
        h.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void metricsRow(StringBuilder h, String title, AccuracyReport.Metrics m) {
        h.append("<tr><th>").append(Text.html(title)).append("</th><td class=\"miou\">").append(f(m.meanIoU())).append("</td><td>")
                .append(f(m.perImageMeanIoU())).append("</td><td>").append(f(m.pixelAccuracy())).append("</td><td>")
                .append(f(m.meanClassAccuracy())).append("</td><td>").append(f(m.frequencyWeightedIoU())).append("</td><td>")
                .append(m.pixels()).append("</td></tr>\n");
    }

    private static void classTable(StringBuilder h, AccuracyReport r) {
        h.append("<h2>Classes</h2>\n<table class=\"sortable\" id=\"classes\"><thead><tr>")
                .append("<th data-key=\"label\">class</th>");
        if (r.groundTruth() != null) {
            h.append("<th data-key=\"gt\">IoU vs ground truth</th><th data-key=\"acc\">accuracy</th>");
        }
        if (r.reference() != null) {
            h.append("<th data-key=\"pgt\">parent IoU vs ground truth</th>");
        }
        if (r.agreement() != null) {
            h.append("<th data-key=\"agree\">IoU vs parent</th>");
        }
        h.append("<th data-key=\"px\">predicted pixels</th></tr></thead><tbody>\n");
        for (int c : presentLabels(r)) {
            AccuracyReport.ClassScore g = score(r.groundTruth() == null ? null : r.groundTruth().classes(), c);
            AccuracyReport.ClassScore p = score(r.reference() == null ? null : r.reference().classes(), c);
            AccuracyReport.ClassScore a = score(r.agreement() == null ? null : r.agreement().classes(), c);
            h.append("<tr>");
            cell(h, "label", c, swatch(r, c) + c + " " + Text.html(r.classes().name(c)));
            if (r.groundTruth() != null) {
                cell(h, "gt", g == null ? null : g.iou(), f(g == null ? null : g.iou()));
                cell(h, "acc", g == null ? null : g.accuracy(), f(g == null ? null : g.accuracy()));
            }
            if (r.reference() != null) {
                cell(h, "pgt", p == null ? null : p.iou(), f(p == null ? null : p.iou()));
            }
            if (r.agreement() != null) {
                cell(h, "agree", a == null ? null : a.iou(), f(a == null ? null : a.iou()));
            }
            long px = g != null ? g.predictedPixels() : a != null ? a.predictedPixels() : 0;
            cell(h, "px", px, Long.toString(px));
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void confusion(StringBuilder h, AccuracyReport r) {
        List<Integer> labels = new ArrayList<>();
        List<List<Long>> m = r.agreement().confusion();
        for (int c = 0; c < m.size(); c++) {
            long s = 0;
            for (int j = 0; j < m.size(); j++) {
                s += m.get(c).get(j) + m.get(j).get(c);
            }
            if (s > 0) {
                labels.add(c);
            }
        }
        h.append("<details><summary>Which classes turn into which (rows: parent, columns: optimized; share of the parent's pixels)</summary>")
                .append("<table class=\"confusion\" id=\"confusion\"><tr><th></th>");
        for (int c : labels) {
            h.append("<th>").append(Text.html(r.classes().name(c))).append("</th>");
        }
        h.append("</tr>\n");
        for (int i : labels) {
            long rowSum = 0;
            for (long v : m.get(i)) {
                rowSum += v;
            }
            h.append("<tr><th>").append(Text.html(r.classes().name(i))).append("</th>");
            for (int j : labels) {
                long v = m.get(i).get(j);
                double share = rowSum == 0 ? 0 : (double) v / rowSum;
                int shade = (int) Math.round(255 - 155 * Math.sqrt(share));
                h.append("<td title=\"").append(v).append(" pixels\" style=\"background:rgb(").append(shade).append(',').append(shade)
                        .append(",255)\">").append(v == 0 ? "" : String.format(Locale.ROOT, "%.3f", share)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></details>\n");
    }

    private static void basicTable(StringBuilder h, AccuracyReport r, boolean parent) {
        String worst = parent ? "agree" : r.groundTruth() != null ? "miou" : "id";
        h.append("<table class=\"sortable rows\" id=\"basicTable\" data-worst=\"").append(worst).append("\"><thead><tr>")
                .append("<th data-key=\"id\">image</th>");
        if (parent) {
            h.append("<th data-key=\"agree\" title=\"mean over the classes either model predicts of IoU(optimized, parent)\">"
                    + "optimized vs parent mean IoU</th><th data-key=\"pa\">pixel agreement</th><th data-key=\"changed\">changed pixels</th>"
                    + "<th data-key=\"mse\">output MSE</th><th data-key=\"cos\">output cosine</th>");
        }
        if (r.groundTruth() != null) {
            h.append("<th data-key=\"miou\">").append(parent ? "optimized" : "model").append(" mean IoU vs ground truth</th>")
                    .append("<th data-key=\"acc\">pixel accuracy</th>");
        }
        if (r.reference() != null) {
            h.append("<th data-key=\"pmiou\">parent mean IoU vs ground truth</th>");
        }
        h.append("<th>classes</th></tr></thead><tbody>\n");
        for (AccuracyReport.ImageRow i : r.images()) {
            StringBuilder cls = new StringBuilder(" ");
            for (int c : i.classes()) {
                cls.append(c).append(' ');
            }
            h.append("<tr data-id=\"").append(Text.html(i.id())).append("\" data-classes=\"").append(cls).append("\"");
            if (i.composite() != null) {
                h.append(" data-image=\"").append(Text.html(i.composite())).append("\"");
            }
            h.append(">");
            cell(h, "id", null, Text.html(i.id()));
            if (parent) {
                cell(h, "agree", i.agreementMeanIoU(), f(i.agreementMeanIoU()));
                cell(h, "pa", i.pixelAgreement(), f(i.pixelAgreement()));
                cell(h, "changed", i.changedPixels(), Long.toString(i.changedPixels()));
                cell(h, "mse", i.mse(), g(i.mse()));
                cell(h, "cos", i.cosine(), g(i.cosine()));
            }
            if (r.groundTruth() != null) {
                cell(h, "miou", i.meanIoU(), f(i.meanIoU()));
                cell(h, "acc", i.pixelAccuracy(), f(i.pixelAccuracy()));
            }
            if (r.reference() != null) {
                cell(h, "pmiou", i.referenceMeanIoU(), f(i.referenceMeanIoU()));
            }
            StringBuilder names = new StringBuilder();
            for (int c : i.classes()) {
                names.append(names.isEmpty() ? "" : ", ").append(Text.html(r.classes().name(c)));
            }
            h.append("<td class=\"cls\">").append(names).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void advancedTable(StringBuilder h, AccuracyReport r, boolean parent) {
        h.append("<table class=\"sortable rows\" id=\"advancedTable\" data-worst=\"iou\" hidden><thead><tr>")
                .append("<th data-key=\"id\">image</th><th data-key=\"label\">class</th>")
                .append("<th data-key=\"iou\">").append(parent ? "IoU optimized vs parent" : "IoU vs ground truth").append("</th>")
                .append("<th data-key=\"ref\">").append(parent ? "parent pixels" : "ground-truth pixels").append("</th>")
                .append("<th data-key=\"pred\">").append(parent ? "optimized pixels" : "predicted pixels").append("</th>");
        if (parent && r.groundTruth() != null) {
            h.append("<th data-key=\"gt\">optimized IoU vs ground truth</th>");
        }
        h.append("</tr></thead><tbody>\n");
        java.util.Map<String, String> images = new java.util.HashMap<>();
        for (AccuracyReport.ImageRow i : r.images()) {
            if (i.composite() != null) {
                images.put(i.id(), i.composite());
            }
        }
        for (AccuracyReport.ClassRow c : r.classRows()) {
            h.append("<tr data-id=\"").append(Text.html(c.image())).append("\" data-classes=\" ").append(c.label()).append(" \"");
            String img = images.get(c.image());
            if (img != null) {
                h.append(" data-image=\"").append(Text.html(img)).append("\"");
            }
            h.append(">");
            cell(h, "id", null, Text.html(c.image()));
            cell(h, "label", c.label(), swatch(r, c.label()) + c.label() + " " + Text.html(c.name()));
            cell(h, "iou", c.iou(), f(c.iou()));
            cell(h, "ref", c.referencePixels(), Long.toString(c.referencePixels()));
            cell(h, "pred", c.predictedPixels(), Long.toString(c.predictedPixels()));
            if (parent && r.groundTruth() != null) {
                cell(h, "gt", c.groundTruthIou(), f(c.groundTruthIou()));
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static List<Integer> presentLabels(AccuracyReport r) {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (AccuracyReport.ImageRow i : r.images()) {
            s.addAll(i.classes());
        }
        return new ArrayList<>(s);
    }

    private static String swatch(AccuracyReport r, int c) {
        int color = c < r.classes().count() ? r.classes().colors().get(c) : 0x808080;
        return String.format(Locale.ROOT, "<span class=\"sw\" style=\"background:#%06X\"></span>", color & 0xFFFFFF);
    }

    /** A cell with its sort value in {@code data-v} (numbers; text cells sort by their text). */
    private static void cell(StringBuilder h, String key, Number sortValue, String html) {
        h.append("<td data-k=\"").append(key).append('"');
        if (sortValue != null) {
            h.append(" data-v=\"").append(sortValue).append('"');
        }
        h.append('>').append(html).append("</td>");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(Text.html(k)).append("</th><td>").append(Text.html(v == null ? "" : v)).append("</td></tr>\n");
    }

    private static String f(Double d) {
        return d == null ? "–" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String g(Double d) {
        return d == null ? "–" : String.format(Locale.ROOT, "%.4g", d);
    }

    private static String fileName(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return i < 0 ? path : path.substring(i + 1);
    }


    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:20px;color:#222}
            h1{font-size:20px}h2{font-size:17px;margin-top:24px}
            table{border-collapse:collapse;font-size:13px}
            td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
            td:first-child,th:first-child,.kv td,.cls{text-align:left}
            .kv th{text-align:left;background:#f4f4f4}
            table.sortable th[data-key]{cursor:pointer;background:#eef;user-select:none}
            th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
            table.rows tbody tr{cursor:pointer}table.rows tbody tr:hover{background:#ffd}
            tr.filtered{display:none}
            .warning{background:#fdd;border:2px solid #c00;padding:8px;font-weight:bold}
            .note{background:#ffe;border:1px solid #cc9;padding:6px}
            .def{max-width:1000px;font-size:13px}
            .controls{margin:8px 0}.controls button.on{background:#335;color:#fff}
            .hint{color:#777;font-size:12px}
            .sw{display:inline-block;width:11px;height:11px;border:1px solid #888;margin-right:4px;vertical-align:middle}
            .confusion td{font-size:11px;min-width:34px}
            #viewer{position:fixed;inset:0;background:rgba(0,0,0,.75);display:flex;align-items:center;justify-content:center}
            #viewer[hidden]{display:none}
            #viewer .frame{background:#fff;padding:8px;max-width:96vw;max-height:94vh;overflow:auto}
            #viewer img{max-width:94vw;display:block}
            """;

    private static final String SCRIPT = """
            function num(td){if(!td)return null;var v=td.getAttribute('data-v');return v===null?null:parseFloat(v);}
            function sortTable(table,key,dir){
              var tb=table.tBodies[0];var rows=Array.prototype.slice.call(tb.rows);
              rows.sort(function(a,b){
                var ca=a.querySelector('td[data-k="'+key+'"]'),cb=b.querySelector('td[data-k="'+key+'"]');
                var x=num(ca),y=num(cb),r;
                if(x===null&&y===null){r=(ca?ca.textContent:'').localeCompare(cb?cb.textContent:'');}
                else if(x===null){return 1;}else if(y===null){return -1;}else{r=x-y;}
                return dir==='asc'?r:-r;});
              rows.forEach(function(r){tb.appendChild(r);});
              table.querySelectorAll('th').forEach(function(th){th.classList.remove('asc','desc');});
              var th=table.querySelector('th[data-key="'+key+'"]');if(th)th.classList.add(dir);
              table.setAttribute('data-sort',key);table.setAttribute('data-dir',dir);
              if(table.classList.contains('rows')){document.body.setAttribute('data-sort',key);document.body.setAttribute('data-dir',dir);}
            }
            function currentTable(){return document.getElementById(document.body.getAttribute('data-mode')==='advanced'?'advancedTable':'basicTable');}
            function setMode(m){document.body.setAttribute('data-mode',m);
              document.getElementById('basicTable').hidden=(m!=='basic');document.getElementById('advancedTable').hidden=(m!=='advanced');
              document.getElementById('basic').classList.toggle('on',m==='basic');document.getElementById('advanced').classList.toggle('on',m==='advanced');}
            function setClass(c){document.body.setAttribute('data-class',c);document.getElementById('classFilter').value=c;
              document.querySelectorAll('table.rows tbody tr').forEach(function(r){
                r.classList.toggle('filtered',c!==''&&r.getAttribute('data-classes').indexOf(' '+c+' ')<0);});
              var n=currentTable().querySelectorAll('tbody tr:not(.filtered)').length;document.body.setAttribute('data-visible-rows',n);}
            function worstFirst(){var t=currentTable();sortTable(t,t.getAttribute('data-worst'),'asc');}
            function openViewer(id,src){if(!src)return;document.getElementById('viewerTitle').textContent=id;
              var img=document.getElementById('viewerImage');img.src=src;img.setAttribute('data-for',id);
              document.getElementById('viewer').hidden=false;document.body.setAttribute('data-open',id);}
            function closeViewer(){document.getElementById('viewer').hidden=true;document.body.removeAttribute('data-open');}
            document.querySelectorAll('table.sortable').forEach(function(t){
              t.querySelectorAll('th[data-key]').forEach(function(th){th.addEventListener('click',function(){
                var k=th.getAttribute('data-key');var d=(t.getAttribute('data-sort')===k&&t.getAttribute('data-dir')==='asc')?'desc':'asc';
                sortTable(t,k,d);});});});
            document.querySelectorAll('table.rows tbody tr').forEach(function(r){r.addEventListener('click',function(){
              openViewer(r.getAttribute('data-id'),r.getAttribute('data-image'));});});
            (function(){var p={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){var i=kv.indexOf('=');
                if(i>0)p[decodeURIComponent(kv.substring(0,i))]=decodeURIComponent(kv.substring(i+1));});
              setMode(p.mode==='advanced'?'advanced':'basic');
              var t=currentTable();if(p.sort){sortTable(t,p.sort,p.dir==='desc'?'desc':'asc');}else{worstFirst();}
              setClass(p['class']||'');
              if(p.sort||p.mode||p['class']){t.scrollIntoView();}
              if(p.open){var r=t.querySelector('tbody tr[data-id="'+p.open.replace(/"/g,'')+'"]');if(r)openViewer(p.open,r.getAttribute('data-image'));}
              document.body.setAttribute('data-ready','true');})();
            """;
}
