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
    /**
     * Fails unless {@code low < value <= high}, naming the option: {@code --percentile must be in (50, 100], got 200}.
     */
    static void inRange(String option, double value, double low, double high) {
        if (!(value > low && value <= high)) {
            throw new IllegalArgumentException(option + " must be in (" + number(low) + ", " + number(high) + "], got " + number(value));
        }
    }

    /**
     * {@code parse} applied to the option's value; a value it refuses fails with one line naming the option, what it
     * takes and what was given: {@code --mode takes latency or throughput; got 'fastest'}.
     *
     * @param choices what the option takes, e.g. {@code latency or throughput}
     */
    static <T> T parsed(String option, String value, java.util.function.Function<String, T> parse, String choices) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " takes " + choices + "; got '" + value + "'");
        }
    }

    /** A number as a user writes it: {@code 200}, {@code 99.5}. */
    private static String number(double v) {
        return v == Math.rint(v) && Double.isFinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
