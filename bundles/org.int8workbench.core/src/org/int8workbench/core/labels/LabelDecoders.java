package org.int8workbench.core.labels;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ModelSummary;

/**
 * Chooses how a model's outputs become labels, from the model itself; the one place that does.
 *
 * <p>A model whose metadata records a cut-off head ({@link SegmentationHead#METADATA_KEY}) gets its
 * {@link HeadLabelDecoder}, the exact labels of the removed {@code Resize (+ ArgMax)}, or of the removed
 * {@code Resize + Sigmoid} as a binary or multi-label output at the selection's threshold. Otherwise every output's kind
 * follows from its element type, its channel count ({@link OutputShapes#channels}: the declared shape, the layout
 * rule with the input size, shape inference when the channel axis is dynamic) and the last meaningful operator before
 * it ({@link OutputTrace}: layout changes, resizing, casts and quantize/dequantize pairs are looked through, so an INT8
 * model reads like its parent):
 * <ol>
 * <li>an integer output, or a final {@code ArgMax}: {@link OutputKind#LABEL_MAP} ({@link LabelMapDecoder});</li>
 * <li>a float output of one channel after {@code Sigmoid}/{@code HardSigmoid} (or one channel taken out of a
 * {@code Softmax}): {@link OutputKind#BINARY} ({@link BinaryDecoder}); of one channel otherwise: {@link OutputKind#REGRESSION} ({@link RegressionDecoder}) — a single
 * float channel is never a class-score tensor;</li>
 * <li>a float output of several channels after {@code Sigmoid}/{@code HardSigmoid}: {@link OutputKind#MULTILABEL}
 * ({@link MultiLabelDecoder}); otherwise (a {@code Softmax} or logits): {@link OutputKind#CLASS_SCORES}
 * ({@link ArgmaxDecoder}).</li>
 * </ol>
 * Without the model file ({@link #forSession}) the last operator is not known: a single float channel is then read as
 * regression.
 */
public final class LabelDecoders {

    /** {@link #forSession} as a {@link LabelDecoder.Factory}. */
    public static final LabelDecoder.Factory FROM_MODEL = LabelDecoders::forSession;

    private LabelDecoders() {
    }

    /**
     * The decoder of the first output of the model of a session, by the rules of the class comment without the graph
     * (the session does not give it): use {@link #forModel} where the model file is at hand.
     *
     * @param preprocessing the model's input size and layout, or {@code null} to take them from the model (its
     *        recorded preprocessing, else a 4-D image input shape; unknown otherwise)
     * @throws IllegalArgumentException when the first output is neither float scores or values nor integer labels
     */
    public static LabelDecoder forSession(OrtSession session, Preprocessing preprocessing) throws OrtException {
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        Optional<SegmentationHead> head = SegmentationHead.fromMetadata(metadata);
        if (head.isPresent()) {
            return new HeadLabelDecoder(head.get());
        }
        Preprocessing input = preprocessing != null ? preprocessing : inputOf(session, metadata);
        NodeInfo first = session.getOutputInfo().values().iterator().next();
        FoundOutput f = FoundOutput.of(first, OutputTrace.NONE, input);
        return f.decoder(null, OutputSelection.AUTO, input, true);
    }

    /**
     * The decoders for a model's outputs as the user selected them: one per reported output, in the model's output
     * order. With {@link OutputSelection#AUTO} the kind of every output is found from the graph (see the class
     * comment) and every output of the first output's kind (of the first output that can be read) is reported; a model
     * recording a cut-off head gets its {@link HeadLabelDecoder} first, then decoders of its other class-score outputs
     * (the head's output is named by the removed output it gives back, or by the logits output it reads).
     * {@link OutputSelection#outputName} picks one output, {@link OutputSelection#kind}
     * overrides the kind found (of every reported output), {@link OutputSelection#threshold} applies to sigmoid maps.
     * Each decoder's {@link LabelDecoder#output()} says which output it reads, as what and why.
     *
     * @param modelFile the model file of the session (its graph is read to find the output kinds); {@code null} when not
     *        at hand, which reads the outputs as {@link #forSession} does (no final operator known)
     * @param preprocessing the model's input size and layout, or {@code null} to read them from the model
     * @param selection what the user chose, or {@code null} for {@link OutputSelection#AUTO}
     * @throws IllegalArgumentException when the selection does not fit the model (no such output, a kind that the output
     *         cannot have), with a message saying what to choose instead
     * @throws IOException when the model file cannot be read
     */
    public static List<LabelDecoder> forModel(Path modelFile, OrtSession session, Preprocessing preprocessing,
            OutputSelection selection) throws OrtException, IOException {
        OutputSelection sel = selection != null ? selection : OutputSelection.AUTO;
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        Optional<SegmentationHead> head = SegmentationHead.fromMetadata(metadata);
        Preprocessing input = preprocessing != null ? preprocessing : inputOf(session, metadata);
        if (head.isPresent() && (sel.outputName() == null || headOutput(head.get(), sel.outputName()))) {
            List<LabelDecoder> decoders = new ArrayList<>();
            decoders.add(headDecoder(head.get(), sel));
            if (sel.outputName() == null && session.getOutputInfo().size() > 1) {
                // the model's other outputs of the head's kind (class scores, or its sigmoid maps' kind) are reported too
                OutputKind same = head.get().sigmoid() != null ? head.get().sigmoid().outputKind() : OutputKind.CLASS_SCORES;
                for (FoundOutput f : outputs(modelFile, session, input)) {
                    if (!f.name().equals(head.get().logitsOutput()) && f.kind() == same) {
                        decoders.add(f.decoder(sel.kind(), sel, input, false));
                    }
                }
            }
            return List.copyOf(decoders);
        }
        List<FoundOutput> found = outputs(modelFile, session, input);
        List<FoundOutput> chosen;
        if (sel.outputName() != null) {
            FoundOutput named = found.stream().filter(f -> f.name().equals(sel.outputName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the model has no output '" + sel.outputName()
                            + "'; its outputs are " + list(found) + "; choose one of them with --output-name"));
            chosen = List.of(named);
        } else {
            FoundOutput first = found.stream().filter(f -> f.kind() != null).findFirst().orElse(found.get(0));
            if (first.kind() == null) {
                throw new IllegalArgumentException("the model's output '" + first.name() + "' " + first.reason());
            }
            chosen = found.stream().filter(f -> f.kind() == first.kind()).toList();
        }
        boolean onlyFirst = chosen.size() == 1 && chosen.get(0) == found.get(0);
        List<LabelDecoder> decoders = new ArrayList<>(chosen.size());
        for (FoundOutput f : chosen) {
            decoders.add(f.decoder(sel.kind(), sel, input, onlyFirst));
        }
        return List.copyOf(decoders);
    }

    /**
     * Every output of a model with the kind found from its graph (no selection applied): name, kind (or {@code null}
     * when the output cannot be read, with the reason), channels and the reason. For showing what a model outputs
     * before the user chooses; {@link #forModel} gives the decoders.
     *
     * @param preprocessing the model's input size and layout, or {@code null} to read them from the model
     */
    public static List<ModelOutput> describe(Path modelFile, OrtSession session, Preprocessing preprocessing)
            throws OrtException, IOException {
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        Preprocessing input = preprocessing != null ? preprocessing : inputOf(session, metadata);
        Optional<SegmentationHead> head = SegmentationHead.fromMetadata(metadata);
        List<ModelOutput> out = new ArrayList<>();
        for (FoundOutput f : outputs(modelFile, session, input)) {
            if (head.isPresent() && f.name().equals(head.get().logitsOutput())) {
                out.add(headDecoder(head.get(), OutputSelection.AUTO).output());
            } else {
                out.add(new ModelOutput(f.name(), f.kind(), f.channels(), List.of(), f.probabilities(), null, f.reason()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Why no label map can be read from the model of {@code session}, or {@code null} when one can: every output has no
     * height and width (fewer than three dimensions, {@link OutputShapes#perPixel}; e.g. a classifier's scores
     * {@code [1,1000]}) or is not a tensor. The one check of "is this a segmentation model", made before any work by
     * every command that reads labels and by the wizard ({@link #notSegmentation(ModelSummary)}); an output whose shape
     * is not declared is given the benefit of the doubt.
     *
     * @param modelName the model's file name, for the message
     */
    public static String notSegmentation(String modelName, OrtSession session) throws OrtException {
        List<String> shown = new ArrayList<>();
        for (NodeInfo n : session.getOutputInfo().values()) {
            if (!(n.getInfo() instanceof TensorInfo t)) {
                shown.add(n.getName() + " (not a tensor)");
            } else if (OutputShapes.perPixel(t.getShape())) {
                return null;
            } else {
                shown.add(n.getName() + " " + shape(t.getShape()));
            }
        }
        return notSegmentation(modelName, shown);
    }

    /** {@link #notSegmentation(String, OrtSession)} from a model's summary (its declared outputs), without ONNX Runtime. */
    public static String notSegmentation(ModelSummary model) {
        List<String> shown = new ArrayList<>();
        for (ModelSummary.TensorDesc o : model.outputs()) {
            if (o.elementType().endsWith("_type")) {
                shown.add(o.name() + " (not a tensor)");
            } else if (o.shape() == null || o.shape().size() >= 3) {
                return null;
            } else {
                shown.add(o.name() + " [" + String.join(",", o.shape()) + "]");
            }
        }
        return notSegmentation(Path.of(model.file()).getFileName().toString(), shown);
    }

    private static String notSegmentation(String modelName, List<String> outputs) {
        if (outputs.isEmpty()) {
            return null; // no outputs: the readers say so in their own words
        }
        boolean one = outputs.size() == 1;
        return org.int8workbench.core.Printable.of(modelName + " is not a segmentation model: its output" + (one ? "" : "s") + " ("
                + String.join(", ", outputs) + ") " + (one ? "has" : "have") + " no height and width, so no label map can be read from "
                + (one ? "it" : "them") + "; give a model with a per-pixel output ([N,C,H,W], [N,H,W,C] or [N,H,W])");
    }

    /** A declared shape for messages, dynamic axes as {@code ?}: {@code [1,?,3]}. */
    static String shape(long[] shape) {
        List<String> dims = new ArrayList<>(shape.length);
        for (long d : shape) {
            dims.add(d < 0 ? "?" : Long.toString(d));
        }
        return "[" + String.join(",", dims) + "]";
    }

    /**
     * The decoder for one output given its type and declared shape, by the rules of the class comment without the
     * graph (a single float channel reads as regression), when the model records no head.
     *
     * @param outputName the output the decoder reads, or {@code null} for the first
     * @param info the output's type and declared shape
     * @param input the model's input size and layout, or {@code null} when not known
     * @throws IllegalArgumentException when the output is neither float scores or values nor integer labels
     */
    public static LabelDecoder forOutput(String outputName, TensorInfo info, Preprocessing input) {
        FoundOutput f = FoundOutput.of(outputName != null ? outputName : "#0", info, null, null, input);
        return f.decoder(null, OutputSelection.AUTO, input, outputName == null);
    }

    /**
     * The decoder of a recorded head: of class scores (where {@code --output-kind classes} or auto fits), or of sigmoid
     * maps (binary or multilabel, as recorded, or auto) at the selection's threshold.
     */
    private static LabelDecoder headDecoder(SegmentationHead head, OutputSelection sel) {
        OutputKind fits = head.sigmoid() != null ? head.sigmoid().outputKind() : OutputKind.CLASS_SCORES;
        if (sel.kind() != null && sel.kind() != fits) {
            throw new IllegalArgumentException("the model was cut before its segmentation head and records it: its labels come "
                    + "from that head (" + fits.cliName() + "); --output-kind " + sel.kind().cliName()
                    + " does not apply, choose " + fits.cliName() + " or auto, or give the full model");
        }
        return head.sigmoid() != null ? new HeadLabelDecoder(head, sel.threshold()) : new HeadLabelDecoder(head);
    }

    /**
     * The last meaningful operator before a graph output, as the kind of the output is found from it (layout changes,
     * resizing, casts and quantize/dequantize pairs looked through): {@code Sigmoid}, {@code Softmax}, {@code Conv}, ...,
     * {@code input} for a graph input or constant, or {@code null} for no such output. The head cut asks it so that a
     * cut model's labels are read like its parent's.
     */
    public static String lastOperator(ai.onnx.proto.OnnxMl.ModelProto model, String output) {
        return OutputTrace.of(model, null, null).lastOp(output);
    }

    /** Whether {@code name} names the output a recorded head reads: its logits output or the removed output it gives back. */
    private static boolean headOutput(SegmentationHead head, String name) {
        return name.equals(head.logitsOutput()) || name.equals(head.originalOutput());
    }

    /** What is found for each output of the session's model, in order. */
    private static List<FoundOutput> outputs(Path modelFile, OrtSession session, Preprocessing input) throws OrtException, IOException {
        OutputTrace trace = modelFile != null ? OutputTrace.of(modelFile, input) : OutputTrace.NONE;
        List<FoundOutput> found = new ArrayList<>();
        for (NodeInfo n : session.getOutputInfo().values()) {
            found.add(FoundOutput.of(n, trace, input));
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the model has no outputs");
        }
        return found;
    }

    private static String list(List<FoundOutput> found) {
        List<String> s = new ArrayList<>();
        for (FoundOutput f : found) {
            s.add("'" + f.name() + "' (" + (f.kind() != null ? f.kind().cliName() : "not readable") + ", "
                    + Arrays.toString(f.shape()) + ")");
        }
        return String.join(", ", s);
    }

    /** The preprocessing a model records, else the defaults for its 4-D image input, else {@code null}. */
    private static Preprocessing inputOf(OrtSession session, Map<String, String> metadata) throws OrtException {
        NodeInfo in = session.getInputInfo().values().iterator().next();
        long[] shape = in.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
        return Preprocessing.forModel(metadata, shape).orElse(null);
    }

    /** The output tensor a decoder reads: the named one, or the first for {@code null}. */
    static OnnxTensor tensor(OrtSession.Result result, String outputName) {
        OnnxValue v = outputName != null ? result.get(outputName).orElseThrow(
                () -> new IllegalArgumentException("the model has no output '" + outputName + "'")) : result.get(0);
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("the model's output " + (outputName != null ? "'" + outputName + "' " : "")
                    + "is a " + v.getType() + ", not a tensor; cannot produce labels from it");
        }
        return t;
    }

    /** The float output tensor a decoder reads, or an error naming the output and what was expected. */
    static OnnxTensor floats(OrtSession.Result result, String outputName, String shownName, String what) {
        OnnxTensor t = tensor(result, outputName);
        if (t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("the model's output '" + shown(outputName, shownName) + "' is " + t.getInfo().type
                    + " " + Arrays.toString(t.getInfo().getShape()) + ", not float " + what
                    + "; integer outputs are read as label maps (--output-kind labels)");
        }
        return t;
    }

    /** The name of an output for messages. */
    static String shown(String outputName, String shownName) {
        return shownName != null ? shownName : outputName != null ? outputName : "#0";
    }
}
