package org.int8workbench.ui.editors;

import java.util.Comparator;
import java.util.function.Function;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.TableColumn;

/**
 * Sortable columns for a {@link TableViewer} of records: one call per column, a header click sorts by it, a second
 * click flips the direction (the table shows the arrow). Ctrl+C and the context menu's Copy copy the selected rows
 * with the header as tab-separated text.
 *
 * @param <R> the row type
 */
public final class SortableTable<R> {
    private final TableViewer viewer;
    private final RowComparator comparator = new RowComparator();

    public SortableTable(TableViewer viewer) {
        this.viewer = viewer;
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setComparator(comparator);
        Table table = viewer.getTable();
        table.addListener(SWT.KeyDown, e -> {
            if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'c' || e.keyCode == 'C')) {
                copy(table);
                e.doit = false;
            }
        });
        if (table.getMenu() == null) {
            Menu menu = new Menu(table);
            MenuItem copy = new MenuItem(menu, SWT.PUSH);
            copy.setText("&Copy\tCtrl+C");
            copy.addListener(SWT.Selection, e -> copy(table));
            MenuItem all = new MenuItem(menu, SWT.PUSH);
            all.setText("Select &All");
            all.addListener(SWT.Selection, e -> table.selectAll());
            table.setMenu(menu);
        }
    }

    /**
     * Copies the selected rows (all rows when none is selected) to the clipboard as tab-separated text: a header line,
     * then one line per row, columns in the order shown.
     */
    public static void copy(Table table) {
        String text = copyText(table);
        Clipboard clipboard = new Clipboard(table.getDisplay());
        try {
            clipboard.setContents(new Object[] {text}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    /** The text {@link #copy} puts on the clipboard. */
    public static String copyText(Table table) {
        int[] order = table.getColumnOrder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < order.length; i++) {
            b.append(i == 0 ? "" : "\t").append(clean(table.getColumn(order[i]).getText()));
        }
        b.append(System.lineSeparator());
        TableItem[] rows = table.getSelectionCount() > 0 ? table.getSelection() : table.getItems();
        // the selection in display order
        java.util.Arrays.sort(rows, Comparator.comparingInt(table::indexOf));
        for (TableItem row : rows) {
            for (int i = 0; i < order.length; i++) {
                b.append(i == 0 ? "" : "\t").append(clean(row.getText(order[i])));
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String clean(String cell) {
        return cell.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** Adds a column showing {@code text} of each row and sorting by {@code order}. */
    public TableViewerColumn column(String title, int width, Function<R, String> text, Comparator<R> order) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.getColumn().setMoveable(true);
        @SuppressWarnings("unchecked")
        Function<Object, String> f = o -> text.apply((R) o);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(f));
        c.getColumn().setData(Comparator.class.getName(), order);
        c.getColumn().addListener(SWT.Selection, e -> {
            TableColumn col = c.getColumn();
            boolean ascending = viewer.getTable().getSortColumn() != col || viewer.getTable().getSortDirection() != SWT.UP;
            sortBy(col, ascending);
        });
        return c;
    }

    /** Sorts by a column of this table. */
    @SuppressWarnings("unchecked")
    public void sortBy(TableColumn column, boolean ascending) {
        Comparator<R> order = (Comparator<R>) column.getData(Comparator.class.getName());
        comparator.order = ascending ? order : order instanceof NullsLast<R> n ? n.descending() : order.reversed();
        viewer.getTable().setSortColumn(column);
        viewer.getTable().setSortDirection(ascending ? SWT.UP : SWT.DOWN);
        viewer.refresh();
    }

    /** Comparator of nullable values: nulls (undefined figures) last in both directions. */
    public static <R, N extends Comparable<? super N>> Comparator<R> by(Function<R, N> key) {
        return new NullsLast<R>(key, true);
    }

    private record NullsLast<R>(Function<R, ? extends Comparable<Object>> key) implements Comparator<R> {
        @SuppressWarnings("unchecked")
        NullsLast(Function<R, ? extends Comparable<?>> key, boolean unused) {
            this((Function<R, ? extends Comparable<Object>>) key);
        }

        @Override
        public int compare(R a, R b) {
            return compare(a, b, 1);
        }

        int compare(R a, R b, int sign) {
            Comparable<Object> x = key.apply(a);
            Comparable<Object> y = key.apply(b);
            if (x == null || y == null) {
                return x == y ? 0 : x == null ? 1 : -1;
            }
            return sign * x.compareTo(y);
        }

        Comparator<R> descending() {
            return (a, b) -> compare(a, b, -1);
        }
    }

    private final class RowComparator extends ViewerComparator {
        Comparator<R> order;

        @Override
        @SuppressWarnings("unchecked")
        public int compare(Viewer v, Object a, Object b) {
            return order == null ? 0 : order.compare((R) a, (R) b);
        }
    }
}
