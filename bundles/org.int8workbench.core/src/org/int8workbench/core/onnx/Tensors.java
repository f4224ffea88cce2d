package org.int8workbench.core.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversions between {@link TensorProto} and Java arrays. Data is read from {@code raw_data} (little-endian, as
 * ONNX stores it) or the typed repeated fields; external data is resolved by {@link OnnxModel#data}.
 */
public final class Tensors {
    private Tensors() {
    }

    /** Number of elements of a tensor with these dimensions (1 for a scalar). */
    public static long elementCount(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /** Bytes per element of an ONNX element type, 0 for strings and unknown types. */
    public static int elementSize(int dataType) {
        return switch (DataType.forNumber(dataType) == null ? DataType.UNDEFINED : DataType.forNumber(dataType)) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
            case COMPLEX128 -> 16;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> 1;
            default -> 0;
        };
    }

    /** Name of an element type as ONNX spells it in lower case ({@code float}, {@code uint8}, ...). */
    public static String typeName(int dataType) {
        DataType t = DataType.forNumber(dataType);
        return t == null ? "type " + dataType : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The values of a numeric tensor as floats. {@code raw} is the tensor's raw bytes (from {@code raw_data} or
     * external data) or {@code null} when the values are in the typed fields.
     */
    public static float[] toFloats(TensorProto t, ByteString raw) {
        int n = checkedCount(t, raw);
        float[] out = new float[n];
        int type = t.getDataType();
        if (raw != null && !raw.isEmpty()) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            checkSize(t, raw.size(), n);
            for (int i = 0; i < n; i++) {
                out[i] = switch (DataType.forNumber(type)) {
                    case FLOAT -> b.getFloat(i * 4);
                    case DOUBLE -> (float) b.getDouble(i * 8);
                    case FLOAT16 -> Float.float16ToFloat(b.getShort(i * 2));
                    case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                    case INT64 -> b.getLong(i * 8);
                    case INT32 -> b.getInt(i * 4);
                    case INT16 -> b.getShort(i * 2);
                    case UINT16 -> b.getShort(i * 2) & 0xffff;
                    case INT8 -> b.get(i);
                    case UINT8, BOOL -> b.get(i) & 0xff;
                    default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has non-numeric type " + typeName(type));
                };
            }
            return out;
        }
        switch (DataType.forNumber(type)) {
            case FLOAT -> {
                requireCount(t, t.getFloatDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
            case DOUBLE -> {
                requireCount(t, t.getDoubleDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) t.getDoubleData(i);
                }
            }
            case INT64 -> {
                requireCount(t, t.getInt64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt64Data(i);
                }
            }
            case FLOAT16 -> {
                requireCount(t, t.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat((short) t.getInt32Data(i));
                }
            }
            case INT32, INT16, INT8, UINT16, UINT8, BOOL -> {
                requireCount(t, t.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt32Data(i);
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has non-numeric type " + typeName(type));
        }
        return out;
    }

    /** Integer values of an integer tensor (int64 values must fit a long; returned as longs). */
    public static long[] toLongs(TensorProto t, ByteString raw) {
        int n = checkedCount(t, raw);
        long[] out = new long[n];
        if (t.getDataType() == DataType.INT64_VALUE) {
            if (raw != null && !raw.isEmpty()) {
                checkSize(t, raw.size(), n);
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(i * 8);
                }
            } else {
                requireCount(t, t.getInt64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt64Data(i);
                }
            }
            return out;
        }
        float[] f = toFloats(t, raw);
        for (int i = 0; i < n; i++) {
            out[i] = (long) f[i];
        }
        return out;
    }

    /**
     * The element count of {@code t}, checked against the data it holds before anything is allocated: a shape that
     * claims more elements than the data has (or a negative or overflowing count) is refused with
     * IllegalArgumentException instead of allocating what the shape claims.
     */
    private static int checkedCount(TensorProto t, ByteString raw) {
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + t.getName() + "' has a negative dimension in its shape " + t.getDimsList());
            }
            n = d == 0 || n == 0 ? 0 : (n > Integer.MAX_VALUE / d ? Integer.MAX_VALUE + 1L : n * d);
        }
        int size = Math.max(1, elementSize(t.getDataType()));
        long have;
        if (raw != null && !raw.isEmpty()) {
            have = raw.size() / size;
        } else {
            have = Math.max(Math.max(t.getFloatDataCount(), t.getDoubleDataCount()), Math.max(t.getInt64DataCount(), t.getInt32DataCount()));
        }
        if (n > have) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' of shape " + t.getDimsList() + " needs " + n
                    + " values, but holds " + have);
        }
        return (int) n;
    }

    private static void checkSize(TensorProto t, int bytes, int n) {
        int need = n * elementSize(t.getDataType());
        if (bytes != need) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' has " + bytes + " bytes of data, but its shape "
                    + t.getDimsList() + " of " + typeName(t.getDataType()) + " needs " + need);
        }
    }

    private static void requireCount(TensorProto t, int have, int n) {
        if (have != n) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' has " + have + " values, but its shape "
                    + t.getDimsList() + " needs " + n);
        }
    }

    /** A float32 tensor stored as raw little-endian bytes. */
    public static TensorProto floats(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** An int8 or uint8 tensor ({@code type}) stored as raw bytes. */
    public static TensorProto bytes(String name, DataType type, byte[] data, long... dims) {
        return TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(data)).build();
    }

    /** An int32 tensor stored as raw little-endian bytes. */
    public static TensorProto ints(String name, int[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.INT32_VALUE).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static java.util.List<Long> boxed(long[] dims) {
        java.util.List<Long> l = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            l.add(d);
        }
        return l;
    }
}
