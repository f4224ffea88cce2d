package org.int8workbench.core.quantize;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.Version;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.QuantizationMetadata;
import org.int8workbench.core.quantize.QdqPlan.NodePlan;
import org.int8workbench.core.quantize.QdqPlan.Role;

/**
 * A model calibrated once: the working copy of the FP32 model, the activation ranges and parameters measured on the
 * calibration images and the bias corrections, kept in memory. {@link #write} turns it into an INT8 model (bytes, not
 * a file), with any further nodes kept in FP32, without calibrating again: the sensitivity analysis writes one model
 * per reverted group this way, the Accuracy-aware method one per step. Made by {@link QuantizeOperation#calibrate};
 * {@link QuantizeOperation#write} writes the chosen model to its output file.
 *
 * <p>Reverting nodes only ever removes Q/DQ pairs, so the parameters measured for the full plan cover the new plan: a
 * tensor that now needs a range of its own (a data-movement node whose source became float) reuses the range of the
 * tensor it was sharing, which is the same values. Where a tensor has no measured range at all, the nodes reading it
 * are kept in FP32 too, and {@link Written#keptFloat} says so.
 *
 * <p>Immutable after creation; {@link #write} may be called from several threads at once.
 */
public final class Calibration {

    /** A group of nodes that is reverted to FP32 together: a quantized compute node with the activation folded into it. */
    public record Group(String node, String opType, List<String> nodes, String outputTensor, boolean weighted) {
        public Group {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One INT8 model written from the calibration: {@link #bytes} is the ONNX model; {@link #settings} the settings it
     * records (the calibration's, with the kept nodes added to the ignored scope); {@link #keptFloat} the nodes kept in
     * FP32 on request, plus any kept because a tensor they read has no measured range; {@link #dequantized} maps each
     * range tensor of the FP32 model that is quantized here to the name of its dequantized value in the written model
     * (what readers see; for a graph output, the output itself).
     */
    public static final class Written {
        private final byte[] bytes;
        private final QuantizationSettings settings;
        private final List<String> keptFloat;
        private final Map<String, String> dequantized;
        private final QdqPlan plan;
        private final Map<String, QdqWriter.WeightInfo> weightInfo;

        Written(byte[] bytes, QuantizationSettings settings, List<String> keptFloat, Map<String, String> dequantized,
                QdqPlan plan, Map<String, QdqWriter.WeightInfo> weightInfo) {
            this.bytes = bytes;
            this.settings = settings;
            this.keptFloat = List.copyOf(keptFloat);
            this.dequantized = Collections.unmodifiableMap(new LinkedHashMap<>(dequantized));
            this.plan = plan;
            this.weightInfo = Map.copyOf(weightInfo);
        }

        /** The ONNX model (a copy). */
        public byte[] bytes() {
            return bytes.clone();
        }

        byte[] bytesShared() {
            return bytes;
        }

        public QuantizationSettings settings() {
            return settings;
        }

        public List<String> keptFloat() {
            return keptFloat;
        }

        public Map<String, String> dequantized() {
            return dequantized;
        }

        /** Nodes of the FP32 model that run in INT8 in this model. */
        public int quantizedNodes() {
            return plan.quantizedCount();
        }

        QdqPlan plan() {
            return plan;
        }

        Map<String, QdqWriter.WeightInfo> weightInfo() {
            return weightInfo;
        }
    }

    private final Path model;
    private final String sourceSha256;
    private final ExporterGraphs.Result normalized;
    private final Preprocessing preprocessing;
    private final QuantizationSettings settings;
    private final QdqPlan plan;
    private final Map<String, QuantParams> params;
    private final Map<String, float[]> ranges;
    private final Map<String, TensorStatistics> statistics;
    private final Map<String, float[]> shifts;
    private final String calibration;
    private final int images;
    private final List<String> imageIds;
    private final List<String> warnings;
    private final List<String> notes;
    private final double calibrationSeconds;
    private final double seconds;

    Calibration(Path model, String sourceSha256, ExporterGraphs.Result normalized, Preprocessing preprocessing,
            QuantizationSettings settings, QdqPlan plan, Map<String, QuantParams> params, Map<String, float[]> ranges,
            Map<String, TensorStatistics> statistics, Map<String, float[]> shifts, String calibration, int images,
            List<String> imageIds, List<String> warnings, List<String> notes, double calibrationSeconds, double seconds) {
        this.model = model;
        this.sourceSha256 = sourceSha256;
        this.normalized = normalized;
        this.preprocessing = preprocessing;
        this.settings = settings;
        this.plan = plan;
        this.params = Map.copyOf(params);
        this.ranges = Map.copyOf(ranges);
        this.statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        this.shifts = Map.copyOf(shifts);
        this.calibration = calibration;
        this.images = images;
        this.imageIds = List.copyOf(imageIds);
        this.warnings = List.copyOf(warnings);
        this.notes = List.copyOf(notes);
        this.calibrationSeconds = calibrationSeconds;
        this.seconds = seconds;
    }

    /** The FP32 model that was calibrated. */
    public Path model() {
        return model;
    }

    public String sourceSha256() {
        return sourceSha256;
    }

    /**
     * The FP32 working copy that was calibrated and that the INT8 models are written from (fixed input shape, weights
     * as initializers, BatchNormalization folded): running it gives the FP32 reference values of every range tensor.
     */
    public OnnxModel workingModel() {
        return normalized.model();
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The settings the calibration was made with (the base ignored scope included). */
    public QuantizationSettings settings() {
        return settings;
    }

    /** Description of the calibration images. */
    public String calibration() {
        return calibration;
    }

    /** Images the statistics came from. */
    public int images() {
        return images;
    }

    /** The ids of the calibration samples used (so a validation can leave them out). */
    public List<String> imageIds() {
        return imageIds;
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<String> notes() {
        return notes;
    }

    public double calibrationSeconds() {
        return calibrationSeconds;
    }

    /** Wall time of the whole calibration (reading the model included). */
    public double seconds() {
        return seconds;
    }

    Map<String, QuantParams> params() {
        return params;
    }

    Map<String, float[]> ranges() {
        return ranges;
    }

    Map<String, TensorStatistics> statistics() {
        return statistics;
    }

    /**
     * The groups that can be reverted to FP32, in graph order: every quantized compute node (Conv, Gemm, MatMul, Add,
     * Mul, Concat, pooling, Sigmoid, ...) with the Relu/Clip folded into its output range. Data-movement nodes are no
     * groups: they follow their input.
     */
    public List<Group> groups() {
        Map<String, Group> out = new LinkedHashMap<>();
        Map<String, String> folded = new HashMap<>(); // folded activation output → its name
        for (NodePlan p : plan.nodes()) {
            if (p.role == Role.FOLDED) {
                folded.put(p.node.getOutput(0), p.name);
            }
        }
        for (NodePlan p : plan.nodes()) {
            if (p.role != Role.COMPUTE) {
                continue;
            }
            List<String> nodes = new ArrayList<>();
            nodes.add(p.name);
            String t = p.rangeTensor != null ? p.rangeTensor : p.node.getOutput(0);
            if (folded.containsKey(t)) {
                nodes.add(folded.get(t));
            }
            out.put(p.name, new Group(p.name, p.node.getOpType(), nodes, t, p.weight != null));
        }
        return List.copyOf(out.values());
    }

    /** The range used for tensor {@code t} of the FP32 working copy ({min, max}), or {@code null} when not quantized. */
    public float[] range(String t) {
        float[] r = ranges.get(t);
        return r == null ? null : r.clone();
    }

    /** The INT8 model with nothing more kept in FP32 than the settings say. */
    public Written write() throws IOException {
        return write(List.of());
    }

    /**
     * The INT8 model with the nodes {@code keepFloat} (display names, as in {@link Group#nodes}) also kept in FP32, with
     * this calibration's parameters and bias corrections.
     */
    public Written write(Collection<String> keepFloat) throws IOException {
        Set<String> kept = new LinkedHashSet<>(keepFloat);
        QdqPlan p = plan;
        for (int guard = 0; guard < 1000; guard++) {
            IgnoredScope scope = scope(kept);
            p = kept.isEmpty() ? plan : QdqPlan.of(normalized.model(), scope, settings.keepFirstLast());
            explainUnfolded(p, normalized.unfolded());
            Set<String> missing = new LinkedHashSet<>();
            for (String t : p.qdqTensors()) {
                if (!normalized.model().graph().isInitializer(t) && !params.containsKey(t)
                        && !params.containsKey(p.paramSource(t))) {
                    missing.add(t);
                }
            }
            if (missing.isEmpty()) {
                break;
            }
            int before = kept.size();
            for (NodePlan n : p.nodes()) {
                if (n.quantized() && (n.node.getInputList().stream().anyMatch(missing::contains)
                        || n.node.getOutputList().stream().anyMatch(missing::contains))) {
                    kept.add(n.name);
                }
            }
            if (kept.size() == before) {
                throw new IllegalStateException("no quantization range for " + missing + " and no node to keep in FP32");
            }
        }
        Map<String, QuantParams> resolved = new HashMap<>();
        for (String t : p.qdqTensors()) {
            QuantParams q = params.containsKey(t) ? params.get(t) : params.get(p.paramSource(t));
            if (q != null) {
                resolved.put(t, q);
            }
        }
        QuantizationSettings s = kept.isEmpty() ? settings : withKept(settings, kept);
        List<String> floatNodes = new ArrayList<>();
        for (NodePlan n : p.nodes()) {
            if (!n.quantized() && !n.node.getOpType().equals("Identity")) {
                floatNodes.add(n.name + " (" + n.node.getOpType() + "): " + n.reason);
            }
        }
        QuantizationMetadata meta = new QuantizationMetadata(Version.PRODUCT, Instant.now().toString(),
                model.getFileName().toString(), sourceSha256, s.toMap(), calibration, images, p.quantizedCount(), floatNodes);
        Map<String, String> props = new LinkedHashMap<>();
        props.put(Preprocessing.METADATA_KEY, preprocessing.toJson());
        props.put(QuantizationMetadata.METADATA_KEY, meta.toJson());
        QdqWriter writer = new QdqWriter(p, resolved, shifts);
        byte[] bytes = writer.write(props).toByteArray();
        Map<String, String> dq = new LinkedHashMap<>();
        for (NodePlan n : p.nodes()) {
            if (n.quantized() && n.rangeTensor != null && p.qdqTensors().contains(n.rangeTensor)) {
                dq.put(n.rangeTensor, writer.dequantized(n.rangeTensor));
            }
        }
        return new Written(bytes, s, new ArrayList<>(kept), dq, p, writer.weightInfo());
    }

    private IgnoredScope scope(Set<String> kept) {
        IgnoredScope base = settings.ignoredScope();
        List<String> names = new ArrayList<>(base.names());
        for (String k : kept) {
            if (!names.contains(k)) {
                names.add(k);
            }
        }
        return new IgnoredScope(names, base.opTypes(), base.patterns());
    }

    private QuantizationSettings withKept(QuantizationSettings s, Set<String> kept) {
        return new QuantizationSettings(s.preset(), s.method(), s.percentile(), s.subsetSize(), s.subsetPercent(),
                s.seed(), scope(kept), s.keepFirstLast(), s.fastBiasCorrection());
    }

    /** Gives nodes left float because the working copy could not fold them the reason of that. */
    static void explainUnfolded(QdqPlan plan, Map<String, String> unfolded) {
        for (NodePlan p : plan.nodes()) {
            String why = unfolded.get(p.name);
            if (why != null && !p.quantized()) {
                p.reason = why;
            }
        }
    }

    /**
     * This calibration as plain serializable values, for another JVM: {@code restore(state()).write(k)} writes the same
     * graph as {@code write(k)} (the metadata's timestamp aside). The tensor statistics are left out.
     */
    public CalibrationState state() {
        return new CalibrationState(model.toString(), sourceSha256, normalized.model().proto().toByteArray(),
                normalized.notes(), normalized.unfolded(), normalized.opsetNote(), preprocessing.toJson(), settings, params,
                ranges, shifts, calibration, images, imageIds, warnings, notes, calibrationSeconds, seconds);
    }

    /**
     * The calibration {@code s} was taken from ({@link #state}): the same working copy, plan, parameters and bias shifts,
     * so the same INT8 models; no tensor statistics.
     *
     * @throws IllegalArgumentException when the state's working model cannot be read or planned again
     */
    public static Calibration restore(CalibrationState s) {
        try {
            Path file = Path.of(s.model);
            OnnxModel work = OnnxModel.fromBytes(s.workingModel, file);
            ExporterGraphs.Result normalized = new ExporterGraphs.Result(work, s.normalizeNotes, s.unfolded, s.opsetNote);
            QuantizationSettings settings = s.settings();
            QdqPlan plan = QdqPlan.of(work, settings.ignoredScope(), settings.keepFirstLast());
            explainUnfolded(plan, normalized.unfolded());
            return new Calibration(file, s.sourceSha256, normalized, Preprocessing.fromJson(s.preprocessing), settings, plan,
                    s.quantParams(), s.ranges, Map.of(), s.shifts, s.calibration, s.images, s.imageIds, s.warnings, s.notes,
                    s.calibrationSeconds, s.seconds);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot restore the " + s + ": " + e.getMessage(), e);
        }
    }

    /** Display names of the nodes of the working copy, in graph order. */
    public List<String> nodeNames() {
        List<String> out = new ArrayList<>();
        for (NodeProto n : normalized.model().graph().nodes()) {
            out.add(normalized.model().graph().name(n));
        }
        return out;
    }
}
