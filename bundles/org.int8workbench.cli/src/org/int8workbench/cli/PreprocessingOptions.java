package org.int8workbench.cli;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
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

    /** The preprocessing for {@code model}: options over metadata over input shape over defaults. */
    public Preprocessing resolve(Path model) throws OrtException, CoreException {
        Preprocessing base;
        try {
            base = fromModel(model);
        } catch (CoreException e) {
            if (size == null || e.getStatus().getCode() != CoreStatus.NEEDS_PREPROCESSING) {
                throw e;
            }
            // the model's input shape does not tell its size: --size (and --layout) give it
            base = Preprocessing.defaults(1, 1, Layout.NCHW);
        }
        return apply(base);
    }

    /** Applies the options given on the command line over {@code base}. */
    public Preprocessing apply(Preprocessing base) {
        Preprocessing p = base;
        if (layout != null) {
            p = p.withLayout(Layout.valueOf(layout.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        if (size != null) {
            String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
            if (wh.length != 2) {
                throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, e.g. 257x257; got '" + size + "'");
            }
            p = p.withSize(Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim()));
        }
        if (resize != null) {
            try {
                p = p.withResize(ResizeMode.parse(resize));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resize takes stretch, fit-pad or center-crop; got '" + resize + "'");
            }
        }
        if (mean != null || std != null) {
            p = p.withNormalization(mean != null ? Rgb.parse(mean) : p.mean(), std != null ? Rgb.parse(std) : p.std());
        }
        if (color != null) {
            p = p.withColor(ColorOrder.valueOf(color.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return p;
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
