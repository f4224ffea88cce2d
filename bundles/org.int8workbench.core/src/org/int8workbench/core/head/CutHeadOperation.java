package org.int8workbench.core.head;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.ModelNames;
import org.int8workbench.core.Provenance;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.labels.SegmentationHead;

/**
 * Writes a copy of a model with its segmentation head cut off (see {@link HeadCut}), atomically, by default
 * beside the model as {@code NAME.head.onnx}. A model without a head is reported with the reason and nothing is
 * written.
 *
 * <pre>{@code
 * CutHeadResult r = new CutHeadOperation(model).overwrite(force).run(monitor);
 * if (r.cut()) { ... r.output() ... }
 * }</pre>
 */
public final class CutHeadOperation {
    private final Path model;
    private Path output;
    private boolean overwrite;

    /** Cuts the head of the ONNX model at {@code model}. */
    public CutHeadOperation(Path model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Where to write the cut model (default {@link #defaultOutput}). */
    public CutHeadOperation output(Path out) {
        this.output = out;
        return this;
    }

    /** Whether an existing output may be replaced (default false). */
    public CutHeadOperation overwrite(boolean allow) {
        this.overwrite = allow;
        return this;
    }

    /** {@code dir/NAME.onnx} becomes {@code dir/NAME.head.onnx} ({@link ModelNames#headOf}). */
    public static Path defaultOutput(Path model) {
        return ModelNames.headOf(model);
    }

    /**
     * Reads the model, cuts the head and writes the result.
     *
     * @throws CoreException when the model cannot be read or the output cannot be written
     */
    public CutHeadResult run(IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Cutting the segmentation head", 3);
        byte[] bytes;
        ModelProto proto;
        try {
            bytes = Files.readAllBytes(model);
            proto = ModelProto.parseFrom(bytes);
        } catch (IOException e) {
            throw CoreStatus.exception(
                    "cannot read ONNX model " + model + ": " + e.getMessage() + " (check the path and that it is an .onnx file)", e);
        }
        String modelSha = Sha256.of(bytes);
        sub.split(1);
        HeadCut.Result cut = HeadCut.cut(proto);
        sub.split(1);
        if (!cut.found() || SegmentationHead.fromModel(proto).isPresent()) {
            return new CutHeadResult(model, modelSha, null, null, cut.head().orElse(null), cut.reason(), Provenance.now());
        }
        Path out = output != null ? output : defaultOutput(model);
        byte[] cutBytes = cut.model().toByteArray();
        try {
            AtomicOutput.write(out, overwrite, cutBytes);
        } catch (IOException e) {
            throw CoreStatus.exception(
                    "cannot write the cut model " + out + ": " + e.getMessage(), e);
        }
        sub.worked(1); // no cancellation point after the file exists: the caller gets the result and knows what was written
        return new CutHeadResult(model, modelSha, out, Sha256.of(cutBytes), cut.head().get(), cut.reason(), Provenance.now());
    }

    /**
     * The outcome of {@link CutHeadOperation#run}.
     *
     * @param model the input model
     * @param modelSha256 its sha256
     * @param output the written cut model, or null when nothing was written
     * @param outputSha256 its sha256, or null
     * @param head the head that was cut off (or that the model already recorded), or null when none was found
     * @param reason what happened, for users (why there is no head, or what was cut)
     * @param provenance where and when
     */
    public record CutHeadResult(Path model, String modelSha256, Path output, String outputSha256, SegmentationHead head, String reason,
            Provenance provenance) {

        /** Whether a cut model was written. */
        public boolean cut() {
            return output != null;
        }

        public Optional<SegmentationHead> optionalHead() {
            return Optional.ofNullable(head);
        }
    }
}
