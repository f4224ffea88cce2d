package org.int8workbench.core.labels;

import java.util.Arrays;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * The one rule for the channels of a model's per-pixel output, for every caller of the label path (decoders, the
 * evaluator, generated code's checks): how many channels an output has, whether it is a single-channel map and how
 * large its map is. Shapes are as a model declares them (dynamic axes negative) or as a result has them.
 *
 * <ul>
 * <li>A single-channel map is {@code [N,H,W]}, {@code [N,1,H,W]} or {@code [N,H,W,1]} (not both axes 1 and 3 equal
 * to 1, which is a one-pixel-wide map of either layout and is read by the layout rule).</li>
 * <li>Otherwise a 4-D output has its channels on axis 1 or 3 by {@link ScoreLayout#decide} when axes 1 to 3 are
 * known; when only axis 2 is dynamic, on the axis of the input's layout; when the rows and one of axes 1 and 3 are
 * dynamic (dynamic spatial size), on the fixed one of axes 1 and 3; unknown (-1) otherwise, e.g. a dynamic channel
 * axis.</li>
 * </ul>
 */
public final class OutputShapes {

    private OutputShapes() {
    }

    /**
     * Whether an output of this declared shape can hold a map per pixel: three or more dimensions, or a shape that is
     * not known ({@code null} or no dimensions, given the benefit of the doubt). An output of one or two dimensions
     * (a classifier's scores {@code [1,1000]}, a detector's boxes {@code [N,4]}) has no height and width.
     */
    public static boolean perPixel(long[] shape) {
        return shape == null || shape.length == 0 || shape.length >= 3;
    }

    /** Whether an output of this shape is a single-channel map: {@code [N,H,W]}, {@code [N,1,H,W]} or {@code [N,H,W,1]}. */
    public static boolean singleChannel(long[] shape) {
        return shape.length == 3 || (shape.length == 4 && (shape[1] == 1 || shape[3] == 1) && !(shape[1] == 1 && shape[3] == 1));
    }

    /**
     * The channel count of an output of this shape from a model whose image input is {@code input}: 1 for a
     * single-channel map, the size of the channel axis for other 4-D shapes (see the class comment), -1 when not known
     * (a dynamic channel axis, or a rank other than 3 and 4).
     *
     * @param input the model's input size and layout, or {@code null} when not known
     */
    public static int channels(long[] shape, Preprocessing input) {
        if (shape == null) {
            return -1;
        }
        if (singleChannel(shape)) {
            return 1;
        }
        if (shape.length != 4) {
            return -1;
        }
        return layout(shape, input).map(l -> (int) shape[l.classAxis()]).orElse(-1);
    }

    /**
     * The layout of a 4-D output of this shape (the rule of the class comment; a single-channel map is not looked at
     * specially): empty when the shape is not 4-D or the channel axis is not known.
     */
    public static java.util.Optional<ScoreLayout> layout(long[] shape, Preprocessing input) {
        if (shape == null || shape.length != 4) {
            return java.util.Optional.empty();
        }
        boolean f1 = shape[1] > 0;
        boolean f2 = shape[2] > 0;
        boolean f3 = shape[3] > 0;
        if (f1 && f2 && f3) {
            return java.util.Optional.of(ScoreLayout.decide(shape, input));
        }
        if (f1 && f3) {
            return java.util.Optional.of(input != null ? ScoreLayout.of(input.layout()) : ScoreLayout.NCHW);
        }
        if (!f2 && f1 != f3) {
            // the spatial axes are the dynamic ones: the fixed axis holds the channels
            return java.util.Optional.of(f1 ? ScoreLayout.NCHW : ScoreLayout.NHWC);
        }
        return java.util.Optional.empty();
    }

    /**
     * {@code {height, width}} of one image's single-channel map of this concrete shape: {@code [1,H,W]},
     * {@code [1,1,H,W]}, {@code [1,H,W,1]} or {@code [H,W]}; {@code null} for any other shape.
     */
    public static int[] mapSize(long[] shape) {
        if (shape.length == 3 && shape[0] == 1) {
            return new int[] {(int) shape[1], (int) shape[2]};
        }
        if (shape.length == 4 && shape[0] == 1 && shape[1] == 1) {
            return new int[] {(int) shape[2], (int) shape[3]};
        }
        if (shape.length == 4 && shape[0] == 1 && shape[3] == 1) {
            return new int[] {(int) shape[1], (int) shape[2]};
        }
        if (shape.length == 2) {
            return new int[] {(int) shape[0], (int) shape[1]};
        }
        return null;
    }

    /**
     * {@link #mapSize}, or an {@link IllegalArgumentException} saying which shapes are read.
     *
     * @param what what the output holds, for the message (e.g. {@code a label map})
     */
    static int[] requireMapSize(long[] shape, String what) {
        int[] hw = mapSize(shape);
        if (hw == null) {
            throw new IllegalArgumentException("expected " + what + " [1,H,W], [1,1,H,W] or [1,H,W,1] for one image, got "
                    + Arrays.toString(shape));
        }
        return hw;
    }
}
