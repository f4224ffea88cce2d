package org.int8workbench.cli;

/**
 * Checks of numeric option values, made before any work starts: each failure is one line naming the option, what it
 * takes and what was given.
 */
final class Checks {
    private Checks() {
    }

    /** Fails unless {@code value >= min}. */
    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " takes " + (min == 0 ? "0 or more" : "at least " + min) + "; got " + value);
        }
    }

    /** Fails unless {@code value}, when given, is at least {@code min}. */
    static void atLeast(String option, Number value, long min) {
        if (value != null) {
            atLeast(option, value.longValue(), min);
        }
    }

    /** Fails unless {@code value}, when given, is a positive finite number. */
    static void positive(String option, Double value, String unit) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(option + " takes a positive number" + (unit == null ? "" : " of " + unit) + "; got "
                    + (value == Math.rint(value) && Double.isFinite(value) ? Long.toString(value.longValue()) : value.toString()));
        }
    }
}
