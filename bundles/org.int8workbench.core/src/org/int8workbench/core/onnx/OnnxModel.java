package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.Sha256;

/**
 * An ONNX model read from a file or bytes, checked and ready to inspect or rewrite.
 *
 * <p>Reading is lossless: the {@link ModelProto} keeps every field, including fields this version of the ONNX
 * protobuf classes does not know (protobuf keeps them as unknown fields and writes them back). Tensors stored in
 * external data files are read on demand from the model's folder; a location that is absolute or escapes that
 * folder is refused. {@link #load} checks the model: not ONNX, truncated, an unsupported IR version, a cycle, a
 * dangling input, a missing initializer or initializer data of the wrong size each give an
 * {@link InvalidModelException} naming the file and the problem. Reading never writes anything.
 */
public final class OnnxModel {

    /** Oldest IR version accepted (ONNX 1.1). */
    public static final long MIN_IR_VERSION = 3;
    /** Newest IR version accepted (what ONNX Runtime 1.29 reads). */
    public static final long MAX_IR_VERSION = 12;

    private final Path file;
    private final ModelProto proto;
    private final OnnxGraph graph;
    private final long fileSize;
    private String sha256;

    private OnnxModel(Path file, ModelProto proto, long fileSize, String sha256) throws InvalidModelException {
        this.file = file;
        this.proto = proto;
        this.fileSize = fileSize;
        this.sha256 = sha256;
        if (proto.getIrVersion() == 0 && !proto.hasGraph()) {
            throw new InvalidModelException(file, "not an ONNX model (no IR version and no graph)");
        }
        if (!proto.hasGraph()) {
            throw new InvalidModelException(file, "not an ONNX model or truncated: it has no graph");
        }
        if (proto.getIrVersion() < MIN_IR_VERSION || proto.getIrVersion() > MAX_IR_VERSION) {
            throw new InvalidModelException(file, "unsupported IR version " + proto.getIrVersion() + " (supported: "
                    + MIN_IR_VERSION + " to " + MAX_IR_VERSION + ")");
        }
        if (proto.getOpsetImportCount() == 0) {
            throw new InvalidModelException(file, "not an ONNX model or truncated: it imports no operator set");
        }
        try {
            this.graph = OnnxGraph.of(proto.getGraph(), opsets(proto));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(file, e.getMessage(), e);
        }
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            checkData(t);
        }
    }

    private void checkData(TensorProto t) throws InvalidModelException {
        long n = Tensors.elementCount(t);
        int size = Tensors.elementSize(t.getDataType());
        if (t.getDataType() == TensorProto.DataType.STRING_VALUE || size == 0) {
            return;
        }
        if (isExternal(t)) {
            Map<String, String> ext = externalInfo(t);
            String location = ext.get("location");
            Path data = resolveExternal(t, location);
            long length = externalNumber(t, ext, "length", -1);
            long offset = externalNumber(t, ext, "offset", 0);
            long need = n * size;
            try {
                long available = Files.size(data) - offset;
                if ((length >= 0 && length != need) || available < need) {
                    throw new InvalidModelException(file, "missing initializer data: '" + t.getName() + "' needs " + need
                            + " bytes in external file '" + location + "', found " + Math.max(0, length >= 0 ? Math.min(length, available) : available));
                }
            } catch (IOException e) {
                throw new InvalidModelException(file, "missing initializer data: external file '" + location + "' of initializer '"
                        + t.getName() + "' cannot be read (" + e.getClass().getSimpleName() + ")", e);
            }
            return;
        }
        long have;
        if (t.hasRawData() || !t.getRawData().isEmpty()) {
            have = t.getRawData().size();
        } else {
            have = switch (TensorProto.DataType.forNumber(t.getDataType())) {
                case FLOAT -> t.getFloatDataCount();
                case DOUBLE -> t.getDoubleDataCount();
                case INT64 -> t.getInt64DataCount();
                case UINT64, UINT32 -> t.getUint64DataCount();
                default -> t.getInt32DataCount();
            } * (long) size;
        }
        if (have != n * size) {
            throw new InvalidModelException(file, "missing initializer data: '" + t.getName() + "' of shape " + t.getDimsList()
                    + " needs " + n * size + " bytes of " + Tensors.typeName(t.getDataType()) + ", found " + have);
        }
    }

    private static Map<String, Long> opsets(ModelProto proto) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            m.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
        }
        return m;
    }

    /**
     * Reads and checks a model file.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws InvalidModelException naming the file and the problem when it is not a usable ONNX model
     */
    public static OnnxModel load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new InvalidModelException(file, "is a folder, not an ONNX model file");
        }
        byte[] bytes = Files.readAllBytes(file);
        return new OnnxModel(file, parse(file, bytes), bytes.length, Sha256.of(bytes));
    }

    /**
     * Reads and checks a model given as bytes; {@code nameForMessages} (may be null) names it in messages, and its
     * folder is where external data would be looked up.
     */
    public static OnnxModel fromBytes(byte[] bytes, Path nameForMessages) throws InvalidModelException {
        return new OnnxModel(nameForMessages, parse(nameForMessages, bytes), bytes.length, Sha256.of(bytes));
    }

    /** Wraps a model built in memory, checking it like a loaded one; {@code file} (may be null) names it in messages. */
    public static OnnxModel of(ModelProto proto, Path file) throws InvalidModelException {
        return new OnnxModel(file, proto, -1, null);
    }

    private static ModelProto parse(Path file, byte[] bytes) throws InvalidModelException {
        if (bytes.length == 0) {
            throw new InvalidModelException(file, "not an ONNX model: the file is empty");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(1000);
            in.setSizeLimit(Integer.MAX_VALUE);
            ModelProto m = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            return m;
        } catch (InvalidProtocolBufferException e) {
            String msg = String.valueOf(e.getMessage());
            if ((msg.contains("truncated") || msg.contains("ended unexpectedly")) && startsLikeOnnx(bytes)) {
                throw new InvalidModelException(file, "truncated: the ONNX protobuf ends in the middle of a field ("
                        + bytes.length + " bytes); the file is incomplete", e);
            }
            throw new InvalidModelException(file, NOT_ONNX, e);
        } catch (IOException | RuntimeException e) {
            // protobuf's own failures on hostile input (e.g. a size it cannot allocate) are the same answer
            throw new InvalidModelException(file, NOT_ONNX, e);
        } catch (OutOfMemoryError e) {
            throw new InvalidModelException(file, "too large to read in this JVM's memory (" + bytes.length + " bytes)");
        }
    }

    private static final String NOT_ONNX = "not an ONNX model (could not be parsed as ONNX protobuf)";

    /**
     * Whether a file that protobuf found cut short starts like an ONNX model, so "truncated" is the right word and
     * random bytes are not called truncated: its first field is a ModelProto's {@code ir_version} (field 1, a varint
     * from 1 to 100), as every exporter writes it, followed by another well-formed ModelProto field tag.
     */
    static boolean startsLikeOnnx(byte[] bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            if (in.readTag() != 8) {
                return false;
            }
            long ir = in.readInt64();
            if (ir < 1 || ir > 100 || in.isAtEnd()) {
                return ir >= 1 && ir <= 100;
            }
            int tag = in.readTag();
            int field = tag >>> 3;
            int wire = tag & 7;
            return (field >= 2 && field <= 8 || field == 14 || field == 20 || field == 25)
                    && wire == (field == 5 ? 0 : 2);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The file the model was read from, or {@code null} for a model built in memory. */
    public Path file() {
        return file;
    }

    /** The folder external data is resolved against ({@code null} when the model has no file). */
    public Path folder() {
        return file == null ? null : file.toAbsolutePath().getParent();
    }

    public ModelProto proto() {
        return proto;
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** Size of the model file in bytes, without external data ({@code -1} when built in memory). */
    public long fileSize() {
        return fileSize;
    }

    /** SHA-256 of the model file (of its serialized bytes for a model built in memory). */
    public String sha256() {
        if (sha256 == null) {
            sha256 = Sha256.of(proto.toByteArray());
        }
        return sha256;
    }

    /** Metadata entries ({@code metadata_props}) in file order. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** True when some initializer's data lives in an external file. */
    public boolean hasExternalData() {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (isExternal(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private static Map<String, String> externalInfo(TensorProto t) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** An offset or length of external data: a number from 0 up, else the model is refused. */
    private long externalNumber(TensorProto t, Map<String, String> ext, String key, long def) throws InvalidModelException {
        String v = ext.get(key);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidModelException(file, "external data " + key + " '" + org.int8workbench.core.Printable.of(v) + "' of initializer '"
                    + org.int8workbench.core.Printable.of(t.getName()) + "' is not a number of bytes");
        }
    }

    private Path resolveExternal(TensorProto t, String location) throws InvalidModelException {
        if (location == null || location.isEmpty()) {
            throw new InvalidModelException(file, "initializer '" + t.getName() + "' is stored externally but names no location");
        }
        Path folder = folder();
        if (folder == null) {
            throw new InvalidModelException(file, "initializer '" + t.getName() + "' is stored in external file '" + location
                    + "', but the model was not read from a folder");
        }
        Path rel;
        try {
            rel = Path.of(location);
        } catch (java.nio.file.InvalidPathException e) {
            // a NUL byte or the like: no file system names such a file
            throw new InvalidModelException(file, "external data location '" + org.int8workbench.core.Printable.of(location)
                    + "' of initializer '" + t.getName() + "' is not a valid file name");
        }
        Path resolved = folder.resolve(rel).normalize();
        if (rel.isAbsolute() || !resolved.startsWith(folder.normalize())) {
            throw new InvalidModelException(file, "external data location '" + location + "' of initializer '" + t.getName()
                    + "' escapes the model's folder; refused");
        }
        try {
            if (Files.exists(resolved) && !resolved.toRealPath().startsWith(folder.toRealPath())) {
                throw new InvalidModelException(file, "external data location '" + location + "' of initializer '" + t.getName()
                        + "' links outside the model's folder; refused");
            }
        } catch (IOException e) {
            throw new InvalidModelException(file, "external data file '" + location + "' cannot be resolved", e);
        }
        return resolved;
    }

    /**
     * The raw little-endian bytes of an initializer: its {@code raw_data}, or the bytes read from its external file;
     * {@code null} when the values are in the typed fields ({@code float_data}, ...).
     */
    public ByteString data(TensorProto t) throws IOException {
        if (!isExternal(t)) {
            return t.hasRawData() || !t.getRawData().isEmpty() ? t.getRawData() : null;
        }
        Map<String, String> ext = externalInfo(t);
        Path data = resolveExternal(t, ext.get("location"));
        long offset = externalNumber(t, ext, "offset", 0);
        long length = ext.containsKey("length") ? externalNumber(t, ext, "length", 0)
                : Tensors.elementCount(t) * Tensors.elementSize(t.getDataType());
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new InvalidModelException(file, "initializer '" + org.int8workbench.core.Printable.of(t.getName()) + "' claims "
                    + length + " bytes of external data; at most 2 GB per initializer can be read");
        }
        if (!Files.isRegularFile(data)) {
            throw new InvalidModelException(file, "missing initializer data: external file '" + org.int8workbench.core.Printable.of(ext.get("location"))
                    + "' of initializer '" + org.int8workbench.core.Printable.of(t.getName()) + "' does not exist");
        }
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new InvalidModelException(file, "external file '" + ext.get("location") + "' of initializer '" + t.getName()
                            + "' ends early");
                }
            }
            buf.flip();
            return ByteString.copyFrom(buf);
        }
    }

    /** The values of a numeric initializer as floats (external data resolved). */
    public float[] floats(TensorProto t) throws IOException {
        ByteString d = data(t);
        try {
            return Tensors.toFloats(t, d);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(file, org.int8workbench.core.Printable.of(e.getMessage()), e);
        }
    }

    /** The values of an integer initializer as longs (external data resolved). */
    public long[] longs(TensorProto t) throws IOException {
        ByteString d = data(t);
        try {
            return Tensors.toLongs(t, d);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(file, org.int8workbench.core.Printable.of(e.getMessage()), e);
        }
    }

    /** An initializer with its external data read into {@code raw_data} (unchanged when it is not external). */
    public TensorProto internalized(TensorProto t) throws IOException {
        if (!isExternal(t)) {
            return t;
        }
        return t.toBuilder().clearExternalData().clearDataLocation().setRawData(data(t)).build();
    }

    /** The model with all external data read into the protobuf, e.g. to hand it to ONNX Runtime as bytes. */
    public ModelProto withInternalData() throws IOException {
        if (!hasExternalData()) {
            return proto;
        }
        GraphProto.Builder g = proto.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            g.setInitializer(i, internalized(g.getInitializer(i)));
        }
        return proto.toBuilder().setGraph(g).build();
    }

    /**
     * Writes the model to {@code target} atomically. Tensors in external files are written inline when the target
     * is in another folder than this model (so the new file does not depend on files it cannot see).
     *
     * @param overwrite when false an existing {@code target} is an error and nothing is written
     */
    public void save(Path target, boolean overwrite) throws IOException {
        save(proto, target, overwrite);
    }

    /** Writes {@code model} atomically; refuses to replace this model's own file. */
    public void save(ModelProto model, Path target, boolean overwrite) throws IOException {
        if (file != null && Files.exists(target) && Files.isSameFile(file, target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
                    "is the source model; refusing to overwrite it");
        }
        ModelProto out = model;
        Path targetDir = target.toAbsolutePath().getParent();
        if (hasExternalData() && (folder() == null || !folder().equals(targetDir.normalize()))) {
            GraphProto.Builder g = model.getGraph().toBuilder();
            for (int i = 0; i < g.getInitializerCount(); i++) {
                g.setInitializer(i, internalized(g.getInitializer(i)));
            }
            out = model.toBuilder().setGraph(g).build();
        }
        ModelProto finalOut = out;
        AtomicOutput.write(target, overwrite, os -> finalOut.writeTo(os));
    }

    /** Reads a ModelProto from a stream without checks (for tools reading ONNX Runtime's own output). */
    public static ModelProto parseUnchecked(InputStream in) throws IOException {
        return ModelProto.parseFrom(in);
    }

    @Override
    public String toString() {
        return file == null ? "(in-memory model)" : file.toString();
    }
}
