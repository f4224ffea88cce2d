package org.int8workbench.core.metrics;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import org.int8workbench.core.dataset.SkippedItem;

/**
 * What {@link ItemEvaluation#evaluate} found for one item of the data, to be recorded in the report in the order of
 * the data ({@link ItemEvaluation#report}): the figures of each reported output, or why the item was skipped, and the
 * time of the model's and the parent's run. Small (a few confusion matrices; with the pictures and label maps drawn,
 * their PNG bytes, some 0.4 MB for a VOC image) and serializable, so that it can be computed in another JVM, e.g. on a
 * Spark executor. Its contents are the evaluator's.
 */
public final class ItemResult implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int index;
    // a skipped item's id, file and reason; null when the item was measured
    private final String[] skipped;
    private final List<Serializable> figures;
    private final long modelNanos;
    private final long parentNanos;

    ItemResult(int index, SkippedItem skipped, List<Serializable> figures, long modelNanos, long parentNanos) {
        this.index = index;
        this.skipped = skipped == null ? null : new String[] {skipped.id(), skipped.file(), skipped.reason()};
        this.figures = figures;
        this.modelNanos = modelNanos;
        this.parentNanos = parentNanos;
    }

    /** The item's position in {@link ItemEvaluation#items()}. */
    public int index() {
        return index;
    }

    /** Why the item was skipped, or {@code null} when it was measured. */
    public SkippedItem skipped() {
        return skipped == null ? null : new SkippedItem(skipped[0], skipped[1], skipped[2]);
    }

    /** The figures of each reported output, in the order of the outputs; empty when skipped. */
    List<Serializable> figures() {
        return figures;
    }

    /** Time of the model's run on this item. */
    public long modelNanos() {
        return modelNanos;
    }

    /** Time of the parent's run on this item (0 without a parent). */
    public long parentNanos() {
        return parentNanos;
    }
}
