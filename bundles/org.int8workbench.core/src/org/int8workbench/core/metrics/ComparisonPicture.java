package org.int8workbench.core.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.render.SegmentationRenderer;

/**
 * The evaluator's picture of one image, side by side at most {@code panelWidth} pixels per panel: the image, the
 * ground truth when there is one, then with a parent the parent's and the model's labels and the difference between
 * them, else the model's labels and its errors against the ground truth; with a legend of the classes present (and the
 * ignore label when the ground truth has it). Written as a PNG.
 */
final class ComparisonPicture {
    private static final double ALPHA = 0.6;

    private final SegmentationRenderer renderer;
    private final ClassInfo cls;
    private final int panelWidth;

    ComparisonPicture(ClassInfo cls, int panelWidth) {
        this.renderer = new SegmentationRenderer(cls);
        this.cls = cls;
        this.panelWidth = panelWidth;
    }

    /**
     * @param mask the ground truth, or {@code null}
     * @param parentPred the parent's labels on the image grid, or {@code null}
     * @param pred the model's labels on the image grid
     * @param present the classes for the legend
     */
    void write(BufferedImage image, LabelMask mask, LabelMask parentPred, LabelMask pred, Collection<Integer> present, Path file)
            throws IOException {
        BufferedImage c = compose(image, mask, parentPred, pred, present);
        try (OutputStream os = Files.newOutputStream(file)) {
            SegmentationRenderer.writePng(c, os);
        }
    }

    /** The picture as the bytes of the PNG {@link #write} writes. */
    byte[] png(BufferedImage image, LabelMask mask, LabelMask parentPred, LabelMask pred, Collection<Integer> present)
            throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        SegmentationRenderer.writePng(compose(image, mask, parentPred, pred, present), bytes);
        return bytes.toByteArray();
    }

    /** The picture (see the class comment), the inputs scaled down to the panel width first. */
    BufferedImage compose(BufferedImage image, LabelMask mask, LabelMask parentPred, LabelMask pred, Collection<Integer> present) {
        double scale = Math.min(1.0, (double) panelWidth / image.getWidth());
        int sw = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int sh = Math.max(1, (int) Math.round(image.getHeight() * scale));
        image = SegmentationRenderer.scale(image, sw, sh);
        mask = mask == null ? null : SegmentationRenderer.scale(mask, sw, sh);
        parentPred = parentPred == null ? null : SegmentationRenderer.scale(parentPred, sw, sh);
        pred = SegmentationRenderer.scale(pred, sw, sh);
        List<SegmentationRenderer.Panel> panels = new ArrayList<>();
        panels.add(new SegmentationRenderer.Panel("image", image));
        TreeSet<Integer> legend = new TreeSet<>(present);
        LabelMask truthForDiff = null;
        if (mask != null) {
            panels.add(new SegmentationRenderer.Panel("ground truth", renderer.overlay(image, mask, ALPHA)));
            int[] t = mask.labels().clone();
            for (int i = 0; i < t.length; i++) {
                if (t[i] == cls.ignoreLabel()) {
                    t[i] = Postprocessing.NO_PREDICTION;
                    legend.add(cls.ignoreLabel());
                }
            }
            truthForDiff = new LabelMask(mask.width(), mask.height(), t);
        }
        if (parentPred != null) {
            panels.add(new SegmentationRenderer.Panel("parent", renderer.overlay(image, parentPred, ALPHA)));
            panels.add(new SegmentationRenderer.Panel("optimized", renderer.overlay(image, pred, ALPHA)));
            panels.add(new SegmentationRenderer.Panel("difference to parent", renderer.difference(image, parentPred, pred)));
        } else {
            panels.add(new SegmentationRenderer.Panel("prediction", renderer.overlay(image, pred, ALPHA)));
            if (truthForDiff != null) {
                panels.add(new SegmentationRenderer.Panel("errors vs ground truth", renderer.difference(image, truthForDiff, pred)));
            }
        }
        return renderer.composite(panels, legend, panelWidth);
    }
}
