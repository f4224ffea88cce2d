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
 * series (parent, optimized), each labelled with its value. Each group has its own scale.
 */
public final class BarChart extends Canvas {
    /** Parent (grey) and optimized (blue) bar colours. */
    static final RGB[] SERIES = {new RGB(150, 150, 150), new RGB(46, 110, 190)};

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

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        int h = 28 + groups.size() * (22 + series.size() * 20 + 8);
        return new Point(wHint == SWT.DEFAULT ? 420 : wHint, hHint == SWT.DEFAULT ? Math.max(h, 80) : hHint);
    }

    private void paint(GC gc) {
        Rectangle area = getClientArea();
        gc.setAntialias(SWT.ON);
        int y = 6;
        int labelW = 90;
        Color[] colors = new Color[SERIES.length];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = new Color(SERIES[i]);
        }
        int lx = 8;
        for (int s = 0; s < series.size(); s++) {
            gc.setBackground(colors[s % colors.length]);
            gc.fillRectangle(lx, y + 3, 12, 12);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.drawString(series.get(s), lx + 16, y, true);
            lx += 16 + gc.textExtent(series.get(s)).x + 20;
        }
        y += 22;
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
                gc.drawString(series.get(s), 16, y, true);
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
