package org.int8workbench.core.pipeline;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.core.runtime.CoreException;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.LabelDecoders;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.labels.OutputSelection;

/**
 * The outputs a pipeline run reads and how: the kinds {@link LabelDecoders#forModel} finds for a model under the
 * request's {@link OutputSelection}, so that the run can say which kind it used for each output and why.
 */
public final class ModelOutputs {
    private ModelOutputs() {
    }

    /**
     * The outputs of {@code model} as its decoders read them, in the model's output order.
     *
     * @param preprocessing the input size and layout, or {@code null} to take them from the model
     * @throws CoreException when the selection does not fit the model (no such output, a kind the output cannot
     *         have), with the decoders' message
     */
    public static List<ModelOutput> find(Path model, Preprocessing preprocessing, OutputSelection selection) throws CoreException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(model.toString(), o)) {
                List<ModelOutput> out = new ArrayList<>();
                for (LabelDecoder d : LabelDecoders.forModel(model, s, preprocessing, selection)) {
                    out.add(d.output());
                }
                return out;
            }
        } catch (IllegalArgumentException e) {
            throw CoreStatus.exception(model.getFileName() + ": " + e.getMessage(), null);
        } catch (OrtException | IOException e) {
            throw CoreStatus.exception("cannot read the outputs of " + model.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #find}, except that with {@link OutputSelection#AUTO} a model whose outputs cannot be read this way gives
     * an empty list (the steps that read them say what is wrong in their own words).
     */
    public static List<ModelOutput> findOrNone(Path model, Preprocessing preprocessing, OutputSelection selection) throws CoreException {
        try {
            return find(model, preprocessing, selection);
        } catch (CoreException | RuntimeException e) {
            if (selection == null || selection.isAuto()) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * The kind found for each output of {@code model} ({@link LabelDecoders#describe}: one read of the graph), by output name in the
     * model's order; an output whose kind cannot be found maps to {@code null}. For overviews such as the workbench's
     * Model Explorer; an unreadable model gives an empty map.
     */
    public static java.util.Map<String, ModelOutput> each(Path model) {
        java.util.Map<String, ModelOutput> each = Ort.readPlain(model, s -> {
            java.util.Map<String, ModelOutput> out = new java.util.LinkedHashMap<>();
            for (ModelOutput found : LabelDecoders.describe(model, s, null)) {
                out.put(found.name(), found.kind() == null ? null : found);
            }
            return out;
        });
        return each != null ? each : java.util.Map.of();
    }

    /** The shape of the model's first input (dynamic axes negative), or {@code null} when it cannot be read. */
    static long[] inputShape(Path model) {
        return Ort.readPlain(model, Ort::inputShape);
    }

    /** The preprocessing {@code model} records in its metadata (an INT8 model written by the tool), else {@code null}. */
    static Preprocessing recordedPreprocessing(Path model) {
        return Preprocessing.recordedIn(model);
    }

    /** One line: the output's name, kind, threshold and why that kind. */
    public static String describe(ModelOutput m) {
        StringBuilder b = new StringBuilder("output");
        if (m.name() != null) {
            b.append(" '").append(m.name()).append('\'');
        }
        b.append(": ").append(m.kind().cliName());
        if (!m.labelNames().isEmpty()) {
            b.append(" (").append(m.labelNames().size()).append(" labels: ").append(String.join(", ", m.labelNames())).append(')');
        } else if (m.channels() > 1) {
            b.append(String.format(Locale.ROOT, " (%d channels)", m.channels()));
        }
        if (m.threshold() != null) {
            b.append(String.format(Locale.ROOT, ", threshold %s", m.threshold().floatValue()));
        }
        if (m.reason() != null && !m.reason().isBlank()) {
            b.append(" — ").append(m.reason());
        }
        return b.toString();
    }
}
