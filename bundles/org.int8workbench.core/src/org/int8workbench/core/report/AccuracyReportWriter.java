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
import javax.imageio.ImageIO;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.Json;
import org.int8workbench.core.dataset.LabelMask;

/**
 * Renders an {@link AccuracyReport} headlessly: JSON (the record itself), a self-contained HTML page (inline style and
 * script; the only other files it uses are the side-by-side pictures under {@code images/}; rendered from the template
 * {@code templates/accuracy-report.mustache}) and CSV tables. The command line and the UI's "Export…" use the same
 * methods.
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

    /**
     * Writes JSON, HTML and the CSV files into {@code dir} (created when missing), replacing files of those names. The
     * JSON holds every output; each further output of {@link AccuracyReport#outputs} gets its own page and CSV files,
     * named by {@link #outputFile} ({@code report-lanes.html}, {@code images-lanes.csv}, ...). A regression output has
     * no class tables, so its class CSV files are not written.
     */
    public static void writeFiles(AccuracyReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Json.write(dir.resolve(JSON), r, true);
        List<AccuracyReport> all = new ArrayList<>();
        all.add(r);
        all.addAll(r.outputs());
        for (int i = 0; i < all.size(); i++) {
            AccuracyReport o = all.get(i);
            String name = o.output() == null ? null : o.output().name();
            AtomicOutput.write(dir.resolve(outputFile(HTML, name, i)), true, AccuracyReportPage.html(o, r).getBytes(StandardCharsets.UTF_8));
            AtomicOutput.write(dir.resolve(outputFile(IMAGES_CSV, name, i)), true, imagesCsv(o).getBytes(StandardCharsets.UTF_8));
            if (!o.outputKind().equals("regression")) {
                AtomicOutput.write(dir.resolve(outputFile(IMAGE_CLASSES_CSV, name, i)), true,
                        imageClassesCsv(o).getBytes(StandardCharsets.UTF_8));
                AtomicOutput.write(dir.resolve(outputFile(CLASSES_CSV, name, i)), true, classesCsv(o).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * The file of output {@code index} of a report: {@code file} itself for the first output, else {@code file} with
     * the output's name (unsafe characters replaced) before the extension, e.g. {@code images-lanes.csv}.
     */
    public static String outputFile(String file, String outputName, int index) {
        if (index == 0) {
            return file;
        }
        String safe = (outputName == null ? "output" + index : outputName).replaceAll("[^A-Za-z0-9._-]", "_");
        int dot = file.lastIndexOf('.');
        return file.substring(0, dot) + "-" + safe + file.substring(dot);
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
        // the first output's page; further outputs are linked to their pages beside it
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
        AtomicOutput.write(file, overwrite, labelMapPng(labels, file.toString()));
    }

    /**
     * A label map as the bytes of the grey PNG {@link #writeLabelMap} writes.
     *
     * @param what the map's name in the message of a label that cannot be stored
     * @throws IOException when a label is negative or above 65535
     */
    public static byte[] labelMapPng(LabelMask labels, String what) throws IOException {
        int max = 0;
        for (int l : labels.labels()) {
            if (l < 0 || l > 0xFFFF) {
                throw new IOException("label " + l + " cannot be stored in a grey PNG (" + what + ")");
            }
            max = Math.max(max, l);
        }
        BufferedImage img = new BufferedImage(labels.width(), labels.height(),
                max <= 255 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        r.setSamples(0, 0, labels.width(), labels.height(), 0, labels.labels());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
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

    /**
     * One line per image (the Basic rows); the columns follow the output kind: class outputs as before (for a binary
     * output the agreement column is {@code foregroundIoU}), multi-label outputs the mean label IoU and agreement,
     * regression outputs the value errors.
     */
    public static String imagesCsv(AccuracyReport r) {
        String kind = r.outputKind();
        StringBuilder sb;
        if (kind.equals("regression")) {
            sb = new StringBuilder("image,width,height,mae,rmse,psnr,withinTolerance,tolerance,parentRange,outsideTolerancePixels,"
                    + "mse,cosine,file\n");
            for (AccuracyReport.ImageRow i : r.images()) {
                AccuracyReport.Regression g = i.regression();
                row(sb, i.id(), i.width(), i.height(), g == null ? null : g.mae(), g == null ? null : g.rmse(),
                        g == null ? null : g.psnr(), g == null ? null : g.withinTolerance(), g == null ? null : g.tolerance(),
                        g == null ? null : g.range(), i.changedPixels(), i.mse(), i.cosine(), i.image());
            }
            return sb.toString();
        }
        if (kind.equals("multilabel")) {
            sb = new StringBuilder("image,width,height,meanLabelIoU,meanLabelAgreement,changedPixels,mse,cosine,unpredictedPixels,"
                    + "labels,file\n");
            for (AccuracyReport.ImageRow i : r.images()) {
                row(sb, i.id(), i.width(), i.height(), i.agreementMeanIoU(), i.pixelAgreement(), i.changedPixels(), i.mse(),
                        i.cosine(), i.unpredictedPixels(), names(r, i.classes()), i.image());
            }
            return sb.toString();
        }
        sb = new StringBuilder("image,width,height,meanIoU,pixelAccuracy,parentMeanIoU,parentPixelAccuracy,"
                + (kind.equals("binary") ? "foregroundIoU" : "agreementMeanIoU")
                + ",pixelAgreement,changedPixels,mse,cosine,unpredictedPixels,classes,file\n");
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

    private static String names(AccuracyReport r, List<Integer> labels) {
        List<String> n = new ArrayList<>();
        for (int c : labels) {
            n.add(r.classes().name(c));
        }
        return String.join(" ", n);
    }

    /** One line per image and class (the Advanced rows); for a multi-label output, per image and label. */
    public static String imageClassesCsv(AccuracyReport r) {
        if (r.outputKind().equals("multilabel")) {
            StringBuilder sb = new StringBuilder("image,label,name,iou,parentPixels,optimizedPixels\n");
            for (AccuracyReport.ClassRow c : r.classRows()) {
                row(sb, c.image(), c.label() - 1, c.name(), c.iou(), c.referencePixels(), c.predictedPixels());
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("image,label,class,iou,referencePixels,predictedPixels,groundTruthIoU\n");
        for (AccuracyReport.ClassRow c : r.classRows()) {
            row(sb, c.image(), c.label(), c.name(), c.iou(), c.referencePixels(), c.predictedPixels(), c.groundTruthIou());
        }
        return sb.toString();
    }

    /** One line per class with the dataset figures; for a multi-label output, per label. */
    public static String classesCsv(AccuracyReport r) {
        if (r.outputKind().equals("multilabel")) {
            StringBuilder sb = new StringBuilder("label,name,agreementIoU,parentPixels,optimizedPixels,bothPixels\n");
            if (r.agreement() != null) {
                for (AccuracyReport.ClassScore a : r.agreement().classes()) {
                    if (a.label() > 0) {
                        row(sb, a.label() - 1, a.name(), a.iou(), a.referencePixels(), a.predictedPixels(), a.intersection());
                    }
                }
            }
            return sb.toString();
        }
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

    /** The whole HTML page, rendered from {@code templates/accuracy-report.mustache}. */
    public static String html(AccuracyReport r) {
        return AccuracyReportPage.html(r, r);
    }
}
