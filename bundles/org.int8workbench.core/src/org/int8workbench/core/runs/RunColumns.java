package org.int8workbench.core.runs;

import java.util.Locale;

/**
 * How a run's figures read in a column, the same in the command line's {@code runs} table and the workbench's Runs view:
 * the time without the 'T' and the fractional seconds, speedups as {@code 1.93x}, agreement as a percentage, mIoU drops
 * in points; a figure not measured ({@code null}) is empty.
 */
public final class RunColumns {
    private RunColumns() {
    }

    /** {@code 2026-12-03T09:41:07.123Z} as {@code 2026-12-03 09:41:07}. */
    public static String time(RunRecord r) {
        return r.time().replace('T', ' ').replaceAll("\\.\\d+Z$", "");
    }

    /** The recorded throughput (or latency) speedup over the parent, or {@code null} when the run recorded no speed. */
    public static Double speedup(RunRecord r, boolean throughput) {
        RunRecord.Speed s = r.speed();
        return s == null ? null : throughput ? s.throughput() : s.latency();
    }

    /** The recorded pixel agreement with the parent (0 to 1), or {@code null}. */
    public static Double agreement(RunRecord r) {
        return r.accuracy() == null ? null : r.accuracy().pixelAgreement();
    }

    /** The recorded mIoU drop in points, or {@code null}. */
    public static Double drop(RunRecord r) {
        return r.accuracy() == null ? null : r.accuracy().meanIoUDrop();
    }

    /** {@code 1.93x}. */
    public static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2fx", v);
    }

    /** A fraction as {@code 98.12%}. */
    public static String percent(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    /** Points with two decimals, {@code 0.37}. */
    public static String points(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Four decimals, {@code 0.9731}. */
    public static String decimal(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
