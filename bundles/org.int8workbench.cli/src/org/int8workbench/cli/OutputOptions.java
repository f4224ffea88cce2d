package org.int8workbench.cli;

import java.util.Locale;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.OutputSelection;
import picocli.CommandLine.Option;

/**
 * The output options shared by {@code optimize}, {@code evaluate} and {@code benchmark}: which of the model's outputs
 * are read, and as what ({@link OutputSelection}). Nothing given: the kind of every output is found from the graph and
 * every output of the first output's kind is reported. Values are checked in {@link #selection()}, which fails with
 * one line naming the option and what it takes.
 */
public final class OutputOptions {
    @Option(names = "--output-kind", paramLabel = "KIND",
            description = "auto, classes, binary, multilabel, labels or regression (default: auto, found from the graph).")
    String kind;

    @Option(names = "--output-name", paramLabel = "NAME",
            description = "The one model output to read (default: every output of the kind found for the first output).")
    String name;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Probability above which a binary or multi-label pixel is foreground, in (0, 1) (default: 0.5).")
    String threshold;

    @Option(names = "--tolerance", paramLabel = "X",
            description = "Regression outputs: the absolute difference within which two values count as the same "
                    + "(default: 1%% of the parent's value range).")
    String tolerance;

    /** The selection the options give ({@link OutputSelection#AUTO} when none is given). */
    public OutputSelection selection() {
        OutputSelection s = OutputSelection.AUTO;
        if (kind != null) {
            try {
                s = s.withKind(OutputKind.parse(kind));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--output-kind takes auto, classes, binary, multilabel, labels or regression; got '"
                        + kind + "'");
            }
        }
        if (name != null) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("--output-name takes the name of one of the model's outputs (see 'int8wb inspect MODEL')");
            }
            s = s.withOutputName(name.trim());
        }
        if (threshold != null) {
            double t = number("--threshold", threshold, "a probability between 0 and 1, e.g. 0.5");
            if (!(t > 0 && t < 1)) {
                throw new IllegalArgumentException("--threshold takes a probability between 0 and 1 (exclusive), e.g. 0.5; got '"
                        + threshold + "'");
            }
            s = s.withThreshold(t);
        }
        if (tolerance != null) {
            double x = number("--tolerance", tolerance, "a positive absolute difference, e.g. 0.01");
            if (!(x > 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("--tolerance takes a positive absolute difference, e.g. 0.01; got '" + tolerance + "'");
            }
            s = s.withTolerance(x);
        }
        return s;
    }

    /** True when any output option was given. */
    public boolean given() {
        return kind != null || name != null || threshold != null || tolerance != null;
    }

    private static double number(String option, String value, String what) {
        try {
            double v = Double.parseDouble(value.trim().replace(',', '.').toLowerCase(Locale.ROOT));
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes " + what + "; got '" + value + "'");
        }
    }
}
