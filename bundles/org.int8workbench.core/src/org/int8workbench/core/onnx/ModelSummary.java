package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.dataset.Preprocessing;

/**
 * What a model is, at a glance: interface, size, operators, precision and cost. Computed by {@link #of(Path)}
 * without running the model.
 *
 * @param file the model file
 * @param fileSize bytes of the model file (external data not included)
 * @param sha256 SHA-256 of the model file
 * @param irVersion ONNX IR version
 * @param opsets opset version per domain ({@code ""} = ai.onnx)
 * @param producer producer name and version, e.g. {@code pytorch 2.1}
 * @param inputs graph inputs a caller feeds (initializers excluded)
 * @param outputs graph outputs
 * @param nodeCount nodes of the main graph
 * @param opHistogram node count per operator, most frequent first
 * @param parameters elements of the weight and bias tensors (scales, zero points, shape constants excluded):
 *        initializers and tensors held in {@code Constant} nodes alike
 * @param weightBytes bytes of all initializers and {@code Constant} node tensors, external data included
 * @param precision how the heavy operators compute
 * @param macs estimated multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul for one input of the
 *        shape {@code macsInput} (the declared shape, a symbolic batch taken as 1; a dynamic image size taken from
 *        the preprocessing given or recorded in the metadata)
 * @param macsComplete false when some of those operators' shapes could not be inferred (then {@code macs} is a
 *        lower bound)
 * @param preprocessing preprocessing recorded in the metadata, or {@code null}
 * @param quantization quantization metadata when INT8 Workbench made this model, or {@code null}
 * @param metadata all {@code metadata_props} entries
 * @param macsInput the input shape the MACs were counted for, e.g. {@code [1, 3, 224, 398]}, or {@code null}
 * @param notes how the graph was read (weights in Constant nodes, initializers listed as inputs, a dynamic input
 *        size fixed from the preprocessing) and what is missing for a complete count
 */
public record ModelSummary(String file, long fileSize, String sha256, long irVersion, Map<String, Long> opsets,
        String producer, List<TensorDesc> inputs, List<TensorDesc> outputs, int nodeCount,
        Map<String, Integer> opHistogram, long parameters, long weightBytes, Precision precision, long macs,
        boolean macsComplete, Preprocessing preprocessing, QuantizationMetadata quantization,
        Map<String, String> metadata, List<Long> macsInput, List<String> notes) {

    public ModelSummary {
        macsInput = macsInput == null ? null : List.copyOf(macsInput);
        notes = List.copyOf(notes);
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opHistogram = Collections.unmodifiableMap(new LinkedHashMap<>(opHistogram));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** How a model's heavy operators (Conv, ConvTranspose, Gemm, MatMul) compute. */
    public enum Precision {
        /** All in float32. */
        FP32,
        /** All in float16. */
        FP16,
        /** All quantized in QDQ form (DequantizeLinear feeding float operators, fused by the runtime). */
        INT8_QDQ,
        /** All as integer operators ({@code QLinearConv}, {@code ConvInteger}, ...). */
        INT8_QOPERATOR,
        /** A mix of the above, e.g. an INT8 model with layers kept in float. */
        MIXED;

        /** Display form, e.g. {@code INT8 QDQ}. */
        public String label() {
            return switch (this) {
                case FP32 -> "FP32";
                case FP16 -> "FP16";
                case INT8_QDQ -> "INT8 QDQ";
                case INT8_QOPERATOR -> "INT8 QOperator";
                case MIXED -> "mixed";
            };
        }
    }

    /**
     * A graph input or output.
     *
     * @param name tensor name
     * @param elementType ONNX element type in lower case ({@code float}, {@code uint8}, ...)
     * @param shape dimensions: numbers, symbolic names, or {@code ?} when unknown; {@code null} without a shape
     */
    public record TensorDesc(String name, String elementType, List<String> shape) {
        public TensorDesc {
            shape = shape == null ? null : List.copyOf(shape);
        }

        /** E.g. {@code input float [N,3,257,257]}. */
        public String describe() {
            return org.int8workbench.core.Printable.of(name + " " + elementType + " "
                    + (shape == null ? "(no shape)" : "[" + String.join(",", shape) + "]"));
        }
    }

    private static final Set<String> HEAVY = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
    private static final Set<String> INTEGER_OPS = Set.of("QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger",
            "QGemm", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "QLinearConvTranspose");
    /** Inputs at index &ge; 1 of these operators are settings, not parameters. */
    private static final Set<String> NON_PARAMETER_INPUTS = Set.of("QuantizeLinear", "DequantizeLinear", "Resize", "Upsample",
            "Reshape", "Clip", "Pad", "Slice", "Squeeze", "Unsqueeze", "Expand", "Tile", "ReduceMean", "ReduceSum",
            "ReduceMax", "ReduceMin", "TopK", "Split", "ConstantOfShape", "Gather", "OneHot", "Range");

    /** Reads, checks and summarizes a model file. */
    public static ModelSummary of(Path file) throws IOException {
        return of(OnnxModel.load(file));
    }

    /** Summarizes a loaded model (a dynamic input size from the preprocessing recorded in its metadata, if any). */
    public static ModelSummary of(OnnxModel model) throws IOException {
        return of(model, null);
    }

    /**
     * Summarizes a loaded model; {@code pre} (may be {@code null}: then the preprocessing recorded in the model's
     * metadata, if any) fixes a dynamic input size, batch 1, for counting MACs.
     */
    public static ModelSummary of(OnnxModel model, Preprocessing pre) throws IOException {
        OnnxGraph g = model.graph();
        Map<String, String> meta = model.metadata();
        Preprocessing recorded = null;
        QuantizationMetadata quant = null;
        try {
            if (meta.containsKey(Preprocessing.METADATA_KEY)) {
                recorded = Preprocessing.fromJson(meta.get(Preprocessing.METADATA_KEY));
            }
            if (meta.containsKey(QuantizationMetadata.METADATA_KEY)) {
                quant = QuantizationMetadata.fromJson(meta.get(QuantizationMetadata.METADATA_KEY));
            }
        } catch (RuntimeException e) {
            // metadata written by someone else under our key: shown raw in metadata only
        }
        Preprocessing sizing = pre != null ? pre : recorded;
        List<String> notes = new ArrayList<>();
        OnnxModel read = model;
        try {
            ExporterGraphs.Result r = ExporterGraphs.normalize(model, ExporterGraphs.Options.inspect(
                    sizing == null ? null : sizing.inputShape(ExporterGraphs.imageInputShape(model))));
            read = r.model();
            notes.addAll(r.notes());
        } catch (IllegalArgumentException e) {
            notes.add("MACs for the declared input shape: " + e.getMessage());
        }
        return summarize(model, read, recorded, quant, notes);
    }

    private static ModelSummary summarize(OnnxModel model, OnnxModel read, Preprocessing recorded, QuantizationMetadata quant,
            List<String> notes) throws IOException {
        OnnxGraph g = model.graph();
        Map<String, String> meta = model.metadata();
        List<TensorDesc> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.inputs()) {
            inputs.add(desc(v));
        }
        List<TensorDesc> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.outputs()) {
            outputs.add(desc(v));
        }
        OnnxGraph rg = read.graph();
        long params = 0;
        long bytes = 0;
        for (TensorProto t : rg.initializers().values()) {
            long n = Tensors.elementCount(t);
            bytes += n * Tensors.elementSize(t.getDataType());
            if (isParameter(rg, t)) {
                params += n;
            }
        }
        ShapeInference shapes = ShapeInference.of(read);
        long macs = 0;
        boolean complete = true;
        List<String> unknown = new ArrayList<>();
        for (NodeProto n : rg.nodes()) {
            long m = shapes.macs(n);
            if (m < 0) {
                complete = false;
                unknown.add(rg.name(n));
            } else {
                macs += m;
            }
        }
        if (!unknown.isEmpty()) {
            notes.add("MACs of " + unknown.size() + " nodes unknown (shapes not inferred), e.g. " + unknown.get(0));
        }
        List<Long> macsInput = null;
        if (rg.inputs().size() == 1) {
            long[] d = shapes.shape(rg.inputs().get(0).getName());
            if (d != null) {
                macsInput = java.util.Arrays.stream(d).boxed().toList();
            }
            if (ExporterGraphs.hasDynamicImageDims(rg.inputs().get(0))) {
                notes.add("the input size is dynamic: give the input size and layout (--size, --layout) to count MACs");
            }
        }
        Preprocessing pre = recorded;
        String producer = (model.proto().getProducerName() + " " + model.proto().getProducerVersion()).trim();
        return new ModelSummary(model.file() == null ? "(in memory)" : model.file().toString(), model.fileSize(),
                model.sha256(), model.proto().getIrVersion(), g.opsets(), producer, inputs, outputs, g.nodes().size(),
                g.opHistogram(), params, bytes, precision(g), macs, complete, pre, quant, meta, macsInput, notes);
    }

    private static boolean isParameter(OnnxGraph g, TensorProto t) {
        int type = t.getDataType();
        if (type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.STRING_VALUE
                || type == TensorProto.DataType.BOOL_VALUE) {
            return false;
        }
        for (NodeProto c : g.consumers(t.getName())) {
            for (int i = 0; i < c.getInputCount(); i++) {
                if (c.getInput(i).equals(t.getName()) && (i == 0 || !NON_PARAMETER_INPUTS.contains(c.getOpType()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static TensorDesc desc(ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return new TensorDesc(v.getName(), v.getType().getValueCase().name().toLowerCase(java.util.Locale.ROOT), null);
        }
        var tt = v.getType().getTensorType();
        List<String> dims = null;
        if (tt.hasShape()) {
            dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
            }
        }
        return new TensorDesc(v.getName(), Tensors.typeName(tt.getElemType()), dims);
    }

    /** The precision of a graph's heavy operators: see {@link Precision}. */
    static Precision precision(OnnxGraph g) {
        int fp32 = 0;
        int fp16 = 0;
        int qdq = 0;
        int qop = 0;
        for (NodeProto n : g.nodes()) {
            if (INTEGER_OPS.contains(n.getOpType())) {
                qop++;
                continue;
            }
            if (!HEAVY.contains(n.getOpType()) || n.getInputCount() < 2) {
                continue;
            }
            String w = n.getInput(1);
            NodeProto p = g.producer(w);
            if (p != null && p.getOpType().equals("DequantizeLinear")) {
                qdq++;
                continue;
            }
            TensorProto init = g.constant(w);
            if (init != null && init.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
                fp16++;
            } else {
                fp32++;
            }
        }
        int kinds = (fp32 > 0 ? 1 : 0) + (fp16 > 0 ? 1 : 0) + (qdq > 0 ? 1 : 0) + (qop > 0 ? 1 : 0);
        if (kinds > 1) {
            return Precision.MIXED;
        }
        if (qdq > 0) {
            return Precision.INT8_QDQ;
        }
        if (qop > 0) {
            return Precision.INT8_QOPERATOR;
        }
        if (fp16 > 0) {
            return Precision.FP16;
        }
        if (fp32 > 0) {
            return Precision.FP32;
        }
        // no heavy operators: go by the initializers
        boolean half = false;
        for (TensorProto t : g.initializers().values()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
                half = true;
            } else if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                return half ? Precision.MIXED : Precision.FP32;
            }
        }
        return half ? Precision.FP16 : Precision.FP32;
    }

    /** A few lines for the command line and tooltips. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(file).append('\n');
        b.append("  precision   ").append(precision.label()).append(", IR ").append(irVersion).append(", opsets ").append(opsets)
                .append(producer.isEmpty() ? "" : ", producer " + org.int8workbench.core.Printable.of(producer)).append('\n');
        for (TensorDesc t : inputs) {
            b.append("  input       ").append(t.describe()).append('\n');
        }
        for (TensorDesc t : outputs) {
            b.append("  output      ").append(t.describe()).append('\n');
        }
        b.append("  nodes       ").append(nodeCount).append(": ");
        List<String> ops = new ArrayList<>();
        opHistogram.forEach((k, v) -> ops.add(org.int8workbench.core.Printable.of(k) + " " + v));
        b.append(String.join(", ", ops)).append('\n');
        b.append(String.format(java.util.Locale.ROOT, "  parameters  %,d (%,d bytes of initializers)%n", parameters, weightBytes));
        b.append(String.format(java.util.Locale.ROOT, "  MACs        %s%.3f G per image%s%n", macsComplete ? "" : "at least ", macs / 1e9,
                macsInput == null ? "" : " of " + macsInput));
        for (String n : notes) {
            b.append("  note        ").append(org.int8workbench.core.Printable.of(n)).append('\n');
        }
        b.append(String.format(java.util.Locale.ROOT, "  file        %,d bytes, sha256 %s%n", fileSize, sha256));
        if (preprocessing != null) {
            b.append("  preprocess  ").append(preprocessing.describe()).append('\n');
        }
        if (quantization != null) {
            b.append("  quantized   from ").append(org.int8workbench.core.Printable.of(quantization.sourceModel())).append(" (sha256 ")
                    .append(org.int8workbench.core.Printable.of(quantization.sourceSha256())).append(") by INT8 Workbench ")
                    .append(org.int8workbench.core.Printable.of(quantization.tool())).append(", ")
                    .append(org.int8workbench.core.Printable.of(String.valueOf(quantization.settings()))).append('\n');
            b.append("              ").append(quantization.quantizedNodes()).append(" nodes INT8, ")
                    .append(quantization.floatNodes().size()).append(" kept FP32; calibrated on ").append(quantization.calibrationImages())
                    .append(" images of ").append(org.int8workbench.core.Printable.of(quantization.calibration())).append('\n');
        }
        return b.toString();
    }
}
