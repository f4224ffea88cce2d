package org.int8workbench.cli;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.dataset.Preprocessing.ColorOrder;
import org.int8workbench.core.dataset.Preprocessing.Layout;
import org.int8workbench.core.dataset.Preprocessing.ResizeMode;
import org.int8workbench.core.dataset.Preprocessing.Rgb;
import picocli.CommandLine.Option;

/**
 * The preprocessing options shared by {@code optimize}, {@code evaluate} and {@code benchmark}. What is not
 * given is taken from the model: first from preprocessing recorded in its metadata (an optimized model
 * carries it), then from its input shape (size and layout; see {@link Preprocessing#forModel}).
 */
public final class PreprocessingOptions {
    @Option(names = "--size", paramLabel = "WxH", description = "Model input size (default: from the model).")
    String size;

    @Option(names = "--resize", paramLabel = "MODE", description = "stretch, fit-pad or center-crop (default: stretch).")
    String resize;

    @Option(names = "--mean", paramLabel = "R,G,B", description = "Per-channel mean in pixel units (default: 127.5).")
    String mean;

    @Option(names = "--std", paramLabel = "R,G,B", description = "Per-channel std in pixel units (default: 127.5).")
    String std;

    @Option(names = "--color", paramLabel = "ORDER", description = "rgb or bgr (default: rgb).")
    String color;

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "nchw or nhwc (default: from the model's input shape).")
    String layout;

    /**
     * Whether the command reads label maps from the model (all but a benchmark without end-to-end requests):
     * {@link #resolve} then refuses a model that has no per-pixel output, before any work.
     */
    boolean readsLabels = true;

    /** What else the user can do with a model that is not a segmentation model (appended to the refusal), or {@code null}. */
    String labelsHint;

    /**
     * Refuses a model from which no label map can be read (every output without height and width, e.g. a classifier):
     * the core's check ({@link LabelDecoders#notSegmentation}), one line saying what the model is and what to give.
     *
     * @param hint what else the user can do (appended after a semicolon), or {@code null}
     */
    static void requireSegmentation(Path model, OrtSession s, String hint) throws OrtException {
        String problem = LabelDecoders.notSegmentation(String.valueOf(model.getFileName()), s);
        if (problem != null) {
            throw new IllegalArgumentException(hint == null ? problem : problem + "; " + hint);
        }
    }

    /**
     * {@link #requireSegmentation(Path, OrtSession, String)} for a model not opened yet; a model ONNX Runtime cannot open
     * is left to the steps that read it (they say why).
     */
    static void requireSegmentation(Path model, String hint) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(model.toString(), o)) {
                requireSegmentation(model, s, hint);
            }
        } catch (OrtException e) {
            // not readable: the benchmark's own loading says why
        }
    }

    /**
     * The preprocessing for {@code model}: options over metadata over input shape over defaults. A model whose input
     * has dynamic or symbolic image dimensions takes them from {@code --size} (and {@code --layout}; without it, the
     * side of the fixed channel axis of 3, else NCHW); without {@code --size} it fails with one line saying to give
     * {@code --size} and {@code --layout}.
     */
    public Preprocessing resolve(Path model) throws OrtException, CoreException {
        Preprocessing base;
        long[] shape;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(model.toString(), o)) {
                requireFloatInput(model, s);
                if (readsLabels) {
                    requireSegmentation(model, s, labelsHint);
                }
                shape = inputShape(s);
                try {
                    base = EvaluateOperation.fromModel(s);
                } catch (CoreException e) {
                    if (e.getStatus().getCode() != CoreStatus.NEEDS_PREPROCESSING) {
                        throw e;
                    }
                    if (size == null) {
                        throw e; // one line naming --size and --layout (CliSupport.hint)
                    }
                    // the model's input shape does not tell its size: --size (and --layout) give it
                    base = Preprocessing.defaults(1, 1, Preprocessing.layoutOf(shape)); // [N,H,W,3] or [H,W,3]: NHWC
                }
            }
        }
        Preprocessing p = apply(base);
        if (size != null) {
            // a size the model cannot take (or too large for any) is refused here, before any work, with the model's own size
            try {
                Preprocessing.checkRequestedSize(p.width(), p.height(), shape, p.layout());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--size " + size.trim() + ": " + e.getMessage());
            }
        }
        return p;
    }

    /**
     * Images are fed as float32 tensors: a model whose first input is of another type (uint8 images, int64 ids...)
     * is refused up front with one line, not after calibration started.
     */
    static void requireFloatInput(Path model, OrtSession s) throws OrtException {
        var first = s.getInputInfo().entrySet().stream().findFirst().orElse(null);
        if (first == null) {
            throw new IllegalArgumentException(model.getFileName() + " has no inputs; an image model takes one float32 image tensor");
        }
        if (first.getValue().getInfo() instanceof TensorInfo t && t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            String type = t.type.name().toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException(org.int8workbench.core.Printable.of(model.getFileName() + ": input '" + first.getKey() + "' is "
                    + type + "; models with " + type + " image inputs are not supported yet: export the model with a float32 image input"
                    + " (normalization inside the model can stay)"));
        }
        if (!(first.getValue().getInfo() instanceof TensorInfo)) {
            throw new IllegalArgumentException(org.int8workbench.core.Printable.of(model.getFileName() + ": input '" + first.getKey()
                    + "' is not a tensor; an image model takes one float32 image tensor"));
        }
    }

    private static long[] inputShape(OrtSession s) throws OrtException {
        return s.getInputInfo().values().iterator().next().getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    /** True when any preprocessing option was given. */
    public boolean given() {
        return size != null || resize != null || mean != null || std != null || color != null || layout != null;
    }

    /** Applies the options given on the command line over {@code base}; a bad value fails with one line naming the option. */
    public Preprocessing apply(Preprocessing base) {
        Preprocessing p = base;
        if (layout != null) {
            p = p.withLayout(switch (layout.trim().toLowerCase(Locale.ROOT)) {
                case "nchw" -> Layout.NCHW;
                case "nhwc" -> Layout.NHWC;
                default -> throw new IllegalArgumentException("--layout takes nchw or nhwc; got '" + layout + "'");
            });
        }
        if (size != null) {
            String[] wh = size.toLowerCase(Locale.ROOT).split("x");
            int w;
            int h;
            try {
                if (wh.length != 2) {
                    throw new NumberFormatException();
                }
                w = Integer.parseInt(wh[0].trim());
                h = Integer.parseInt(wh[1].trim());
                if (w <= 0 || h <= 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--size takes WIDTHxHEIGHT in pixels, e.g. 257x257; got '" + size + "'");
            }
            p = p.withSize(w, h);
        }
        if (resize != null) {
            try {
                p = p.withResize(ResizeMode.parse(resize));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resize takes stretch, fit-pad or center-crop; got '" + resize + "'");
            }
        }
        if (mean != null || std != null) {
            Rgb m = mean != null ? rgb("--mean", mean) : p.mean();
            Rgb sd = std != null ? rgb("--std", std) : p.std();
            if (sd.r() == 0 || sd.g() == 0 || sd.b() == 0) {
                throw new IllegalArgumentException("--std takes non-zero values; got '" + std + "'");
            }
            p = p.withNormalization(m, sd);
        }
        if (color != null) {
            p = p.withColor(switch (color.trim().toLowerCase(Locale.ROOT)) {
                case "rgb" -> ColorOrder.RGB;
                case "bgr" -> ColorOrder.BGR;
                default -> throw new IllegalArgumentException("--color takes rgb or bgr; got '" + color + "'");
            });
        }
        return p;
    }

    private static Rgb rgb(String option, String value) {
        try {
            return Rgb.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " takes one value or three comma-separated values R,G,B in pixel units, "
                    + "e.g. 123.675,116.28,103.53; got '" + value + "'");
        }
    }

    /** Preprocessing recorded in the model's metadata, else inferred from its first input's shape. */
    public static Preprocessing fromModel(Path model) throws OrtException, CoreException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(model.toString(), o)) {
                return EvaluateOperation.fromModel(s);
            }
        }
    }
}
