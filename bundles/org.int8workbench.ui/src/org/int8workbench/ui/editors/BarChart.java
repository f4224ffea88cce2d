package org.int8workbench.ui.editors;

import java.util.List;
import java.util.Locale;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * A grouped horizontal bar chart drawn with SWT's GC: one group per figure (e.g. FPS, latency median), one bar per
 * series (e.g. parent, INT8, INT8 with the head), each labelled with its value. A legend names the series; a bar
 * shows the name up to its first space (the letter of {@code A model.onnx}). Each group has its own scale.
 */
public final class BarChart extends Canvas {
    /** Bar colours of the series in order: parent (grey), INT8 (blue), INT8 with the head (green), then orange, purple. */
    static final RGB[] SERIES = {new RGB(150, 150, 150), new RGB(46, 110, 190), new RGB(40, 150, 80), new RGB(220, 130, 30),
            new RGB(130, 80, 170)};

    /**
     * One figure.
     *
     * @param title e.g. {@code FPS (model only)}
     * @param unit e.g. {@code img/s}
     * @param values one value per series ({@code NaN} when missing)
     */
    public record Group(String title, String unit, double[] values) {
    }

    private List<Group> groups = List.of();
    private List<String> series = List.of();

    public BarChart(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED);
        setBackground(getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        addPaintListener(e -> paint(e.gc));
    }

    /** Shows these groups for the named series. */
    public void setData(List<String> seriesNames, List<Group> data) {
        this.series = List.copyOf(seriesNames);
        this.groups = List.copyOf(data);
        redraw();
    }

    /** What a bar is labelled with: the series name up to its first space ({@code A} of {@code A model.onnx}). */
    static String shortName(String series) {
        int k = series.indexOf(' ');
        return k > 0 ? series.substring(0, k) : series;
    }

    /** The series shown, in order. */
    public List<String> series() {
        return series;
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        int h = 12 + series.size() * 18 + groups.size() * (22 + series.size() * 20 + 8);
        return new Point(wHint == SWT.DEFAULT ? 420 : wHint, hHint == SWT.DEFAULT ? Math.max(h, 80) : hHint);
    }

    private void paint(GC gc) {
        Rectangle area = getClientArea();
        gc.setAntialias(SWT.ON);
        int y = 6;
        int labelW = 40;
        for (String name : series) {
            labelW = Math.max(labelW, gc.textExtent(shortName(name)).x + 24);
        }
        Color[] colors = new Color[SERIES.length];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = new Color(SERIES[i]);
        }
        for (int s = 0; s < series.size(); s++) {
            gc.setBackground(colors[s % colors.length]);
            gc.fillRectangle(8, y + 3, 12, 12);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.drawString(series.get(s), 24, y, true);
            y += 18;
        }
        y += 6;
        for (Group g : groups) {
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.drawString(g.title(), 8, y, true);
            y += 20;
            double max = 0;
            for (double v : g.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
            int barMax = Math.max(10, area.width - labelW - 110);
            for (int s = 0; s < g.values().length && s < series.size(); s++) {
                double v = g.values()[s];
                gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
                gc.drawString(shortName(series.get(s)), 16, y, true);
                if (Double.isFinite(v) && max > 0) {
                    int w = (int) Math.round(barMax * v / max);
                    gc.setBackground(colors[s % colors.length]);
                    gc.fillRectangle(labelW, y + 2, Math.max(1, w), 14);
                    gc.drawString(String.format(Locale.ROOT, "%.2f %s", v, g.unit()), labelW + w + 6, y, true);
                } else {
                    gc.drawString("n/a", labelW, y, true);
                }
                y += 20;
            }
            y += 8;
        }
        for (Color c : colors) {
            c.dispose();
        }
    }
}
