package org.int8workbench.ui.editors;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.metrics.ImagePrediction;
import org.int8workbench.core.metrics.Postprocessing;
import org.int8workbench.core.labels.ValueMap;
import org.int8workbench.core.render.ErrorHeatMap;
import org.int8workbench.core.render.SegmentationRenderer;
import org.int8workbench.ui.SwtImages;

/**
 * Visualize: image, ground truth, parent prediction, optimized prediction and the difference map side by side, drawn
 * by the core's {@link SegmentationRenderer} (for a regression output: both models' values and the error heat map,
 * {@link ErrorHeatMap}); a class legend whose check boxes hide classes (hidden classes are
 * dimmed in every panel), and zoom.
 */
public final class VisualizePanel extends Composite {
    /** Zoom levels in percent; 0 = fit the panels into the visible area. */
    private static final int[] ZOOMS = {0, 25, 50, 75, 100, 150, 200, 400};
    private final Label title;
    private final Combo zoom;
    private final Composite legend;
    private final ScrolledComposite scroller;
    private final Canvas canvas;
    private final List<Image> legendImages = new ArrayList<>();
    private final List<Image> panels = new ArrayList<>();
    private final List<String> titles = new ArrayList<>();
    private final Set<Integer> hidden = new TreeSet<>();
    private ImagePrediction shown;

    public VisualizePanel(Composite parent) {
        super(parent, SWT.NONE);
        setLayout(new GridLayout(3, false));
        title = new Label(this, SWT.NONE);
        title.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        title.setText("Select a row and press Visualize.");
        new Label(this, SWT.NONE).setText("Zoom:");
        zoom = new Combo(this, SWT.READ_ONLY);
        for (int z : ZOOMS) {
            zoom.add(z == 0 ? "Fit" : z + "%");
        }
        zoom.select(0);
        zoom.addListener(SWT.Selection, e -> resizeCanvas());
        legend = new Composite(this, SWT.NONE);
        RowLayout rl = new RowLayout(SWT.HORIZONTAL);
        rl.wrap = true;
        rl.marginLeft = 0;
        legend.setLayout(rl);
        legend.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        scroller = new ScrolledComposite(this, SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
        scroller.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        canvas = new Canvas(scroller, SWT.DOUBLE_BUFFERED);
        canvas.setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        canvas.addPaintListener(e -> paint(e.gc));
        scroller.setContent(canvas);
        scroller.addListener(SWT.Resize, e -> {
            if (ZOOMS[Math.max(0, zoom.getSelectionIndex())] == 0) {
                resizeCanvas();
            }
        });
        addDisposeListener(e -> {
            disposeAll(panels);
            disposeAll(legendImages);
        });
    }

    /** Shows the message instead of pictures (while predicting, or when there is nothing to show). */
    public void showMessage(String message) {
        title.setText(message);
        layout(true, true);
    }

    /** Shows the pictures of one image. */
    public void show(String heading, ImagePrediction p) {
        this.shown = p;
        hidden.clear();
        title.setText(heading);
        rebuildLegend(p);
        render();
    }

    /** Hides or shows a class in every panel (as the legend's check boxes do). */
    public void setClassVisible(int label, boolean visible) {
        if (visible) {
            hidden.remove(label);
        } else {
            hidden.add(label);
        }
        for (Control c : legend.getChildren()) {
            if (c instanceof Button b && Integer.valueOf(label).equals(b.getData())) {
                b.setSelection(visible);
            }
        }
        render();
    }

    /** Titles of the panels shown (for tests). */
    public List<String> panelTitles() {
        return List.copyOf(titles);
    }

    /** Sizes of the panels shown, as {@code WxH} (for tests). */
    public List<String> panelSizes() {
        return panels.stream().map(i -> i.getBounds().width + "x" + i.getBounds().height).toList();
    }

    /** Sets the zoom in percent (one of 25, 50, 75, 100, 150, 200, 400; 0 fits the panels into the view). */
    public void setZoom(int percent) {
        for (int i = 0; i < ZOOMS.length; i++) {
            if (ZOOMS[i] == percent) {
                zoom.select(i);
            }
        }
        resizeCanvas();
    }

    private void rebuildLegend(ImagePrediction p) {
        for (Control c : legend.getChildren()) {
            c.dispose();
        }
        disposeAll(legendImages);
        if (p.model() == null) {
            layout(true, true);
            return; // values, no classes
        }
        SegmentationRenderer renderer = new SegmentationRenderer(p.classes());
        Set<Integer> present = new TreeSet<>();
        for (LabelMask m : new LabelMask[] {p.groundTruth(), p.parent(), p.model()}) {
            if (m != null) {
                for (int l : m.labels()) {
                    if (l >= 0 && l != p.classes().ignoreLabel()) {
                        present.add(l);
                    }
                }
            }
        }
        for (int label : present) {
            Button b = new Button(legend, SWT.CHECK);
            b.setText(label + " " + p.classes().name(label));
            b.setSelection(true);
            b.setData(label);
            b.setToolTipText("Show or hide " + p.classes().name(label) + " (hidden classes are dimmed)");
            Image swatch = new Image(getDisplay(), 12, 12);
            GC gc = new GC(swatch);
            int rgb = renderer.colors().color(label);
            Color color = new Color((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);
            gc.setBackground(color);
            gc.fillRectangle(0, 0, 12, 12);
            gc.dispose();
            legendImages.add(swatch);
            b.setImage(swatch);
            b.addListener(SWT.Selection, e -> setClassVisible(label, b.getSelection()));
        }
        layout(true, true);
    }

    private void render() {
        disposeAll(panels);
        titles.clear();
        ImagePrediction p = shown;
        if (p == null) {
            return;
        }
        BufferedImage image = p.image();
        if (p.model() == null) {
            renderValues(p);
            resizeCanvas();
            return;
        }
        SegmentationRenderer r = new SegmentationRenderer(p.classes());
        add("image", image);
        if (p.groundTruth() != null) {
            add("ground truth", r.overlay(image, hide(p.groundTruth(), true), 0.6));
        }
        if (p.parent() != null) {
            add("parent", r.overlay(image, hide(p.parent(), false), 0.6));
        }
        add("optimized", r.overlay(image, hide(p.model(), false), 0.6));
        if (p.parent() != null) {
            add("difference to parent", r.difference(image, hide(p.parent(), false), hide(p.model(), false)));
        }
        resizeCanvas();
    }

    /**
     * A regression output: the image, the parent's and the optimized model's values on one colour scale (the parent's
     * range) and the error heat map |optimized - parent| in place of the difference map.
     */
    private void renderValues(ImagePrediction p) {
        add("image", p.image());
        ValueMap model = p.modelPrediction() == null ? null : p.modelPrediction().values();
        ValueMap parent = p.parentPrediction() == null ? null : p.parentPrediction().values();
        ValueMap scale = parent != null ? parent : model;
        if (scale == null) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : scale.values()) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int w = p.image().getWidth();
        int h = p.image().getHeight();
        if (parent != null) {
            add("parent values", scaled(ErrorHeatMap.values(parent, min, max), w, h));
        }
        if (model != null) {
            add("optimized values", scaled(ErrorHeatMap.values(model, min, max), w, h));
        }
        if (p.heatMap() != null) {
            add("error heat map", scaled(p.heatMap(), w, h));
        }
    }

    /** A picture at the output's resolution stretched to the image's size (nearest neighbour, so pixels stay visible). */
    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        if (src.getWidth() == w && src.getHeight() == h) {
            return src;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private LabelMask hide(LabelMask m, boolean truth) {
        if (hidden.isEmpty()) {
            return m;
        }
        int[] l = m.labels().clone();
        int ignore = shown.classes().ignoreLabel();
        for (int i = 0; i < l.length; i++) {
            if (hidden.contains(l[i]) && !(truth && l[i] == ignore)) {
                l[i] = Postprocessing.NO_PREDICTION;
            }
        }
        return new LabelMask(m.width(), m.height(), l);
    }

    private void add(String name, BufferedImage img) {
        titles.add(name);
        panels.add(new Image(getDisplay(), SwtImages.toImageData(img)));
    }

    private double scale() {
        int z = ZOOMS[Math.max(0, zoom.getSelectionIndex())];
        if (z > 0 || panels.isEmpty()) {
            return z > 0 ? z / 100.0 : 1;
        }
        Rectangle area = scroller.getClientArea();
        int sumW = 0;
        int maxH = 0;
        for (Image i : panels) {
            sumW += i.getBounds().width;
            maxH = Math.max(maxH, i.getBounds().height);
        }
        double fitW = (area.width - 8.0 * (panels.size() + 1)) / sumW;
        double fitH = (area.height - 30.0) / maxH;
        return Math.max(0.05, Math.min(fitW, fitH));
    }

    private void resizeCanvas() {
        int w = 8;
        int h = 0;
        double s = scale();
        for (Image i : panels) {
            Rectangle b = i.getBounds();
            w += (int) Math.round(b.width * s) + 8;
            h = Math.max(h, (int) Math.round(b.height * s));
        }
        canvas.setSize(Math.max(w, 10), h + 30);
        canvas.redraw();
    }

    private void paint(GC gc) {
        double s = scale();
        int x = 8;
        gc.setInterpolation(s < 1 ? SWT.HIGH : SWT.NONE);
        for (int k = 0; k < panels.size(); k++) {
            Image i = panels.get(k);
            Rectangle b = i.getBounds();
            int w = (int) Math.round(b.width * s);
            int h = (int) Math.round(b.height * s);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
            gc.drawString(titles.get(k), x, 4, true);
            gc.drawImage(i, 0, 0, b.width, b.height, x, 24, w, h);
            x += w + 8;
        }
    }

    private static void disposeAll(Collection<Image> images) {
        images.forEach(Image::dispose);
        images.clear();
    }
}
