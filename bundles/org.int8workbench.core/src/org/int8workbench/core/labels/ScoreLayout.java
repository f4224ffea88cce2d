package org.int8workbench.core.labels;

import java.util.Arrays;
import java.util.Optional;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * Where the classes are in a 4-D score tensor: axis 1 ({@link #NCHW}, {@code [N,C,H,W]}) or axis 3 ({@link #NHWC},
 * {@code [N,H,W,C]}). {@link #decide} is the one rule for telling them apart; a decoder applies it once, to the shape
 * the model declares, and only falls back to each result's shape when the declared one has dynamic axes.
 */
public enum ScoreLayout {
    /** Classes on axis 1. */
    NCHW,
    /** Classes on axis 3. */
    NHWC;

    /** The class axis: 1 or 3. */
    public int classAxis() {
        return this == NCHW ? 1 : 3;
    }

    /** The axis of the rows: 2 or 1. */
    public int heightAxis() {
        return this == NCHW ? 2 : 1;
    }

    /** The axis of the columns: 3 or 2. */
    public int widthAxis() {
        return this == NCHW ? 3 : 2;
    }

    /** The layout of score tensors of a model whose image input has the given layout. */
    public static ScoreLayout of(Preprocessing.Layout inputLayout) {
        return inputLayout == Preprocessing.Layout.NHWC ? NHWC : NCHW;
    }

    /**
     * The layout of scores of the given 4-D shape (only axes 1 to 3 are looked at) from a model whose image input is
     * {@code input}: the layout whose two spatial axes have the aspect of the input image, when exactly one of the two
     * layouts has; otherwise (square inputs, or neither fits) the layout of the input; {@link #NCHW}, the ONNX
     * convention, when the input is not known.
     *
     * @param input the model's input size and layout, or {@code null} when not known
     * @throws IllegalArgumentException when the shape is not 4-D
     */
    public static ScoreLayout decide(long[] shape, Preprocessing input) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected 4-D class scores [N,C,H,W] or [N,H,W,C], got " + Arrays.toString(shape));
        }
        if (input == null) {
            return NCHW;
        }
        boolean nchwFits = shape[2] * input.width() == shape[3] * input.height();
        boolean nhwcFits = shape[1] * input.width() == shape[2] * input.height();
        if (nchwFits != nhwcFits) {
            return nchwFits ? NCHW : NHWC;
        }
        return of(input.layout());
    }

    /**
     * {@link #decide} for a shape as a model declares it, when that is possible: a 4-D shape whose axes 1 to 3 are all
     * fixed; empty otherwise (the decision then waits for a concrete shape).
     */
    public static Optional<ScoreLayout> decideDeclared(long[] declared, Preprocessing input) {
        if (declared == null || declared.length != 4 || declared[1] <= 0 || declared[2] <= 0 || declared[3] <= 0) {
            return Optional.empty();
        }
        return Optional.of(decide(declared, input));
    }

    /**
     * The number of classes of float scores of the given shape, or -1 when the shape is not that of class scores with
     * a known class count greater than one (label maps, a single channel, dynamic axes, not 4-D). The channels follow
     * {@link OutputShapes#channels}, the one rule of the label path.
     */
    public static int classCount(long[] shape, Preprocessing input) {
        if (shape.length != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
            return -1;
        }
        int c = OutputShapes.channels(shape, input);
        return c > 1 ? c : -1;
    }
}
