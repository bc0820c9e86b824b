package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small self-describing container of named tensors: for each entry its name, data type, shape
 * and raw little-endian data. Float arrays may be stored as float16 (half the size); they are read
 * back as float32, in which all computation runs. Integer arrays (optimizer step counts) are
 * stored as int64 whatever the storage type.
 *
 * <pre>
 * "DMTW" int version(1) int count
 * count x { UTF name, byte dtype (0 float32, 1 float16, 2 int64), int rank, long[rank] dims, raw data }
 * </pre>
 */
public final class ModelWeights {
    private static final int MAGIC = 0x444D5457; // "DMTW"
    private static final int VERSION = 1;
    private static final int MAX_ENTRIES = 1_000_000;
    private static final long MAX_ELEMENTS = 1L << 31;

    private ModelWeights() {}

    /** Writes {@code arrays} in iteration order; {@code storage} is FLOAT32 or FLOAT16 for float arrays. */
    public static void save(Map<String, NDArray> arrays, DataOutputStream out, DataType storage) throws IOException {
        if (storage != DataType.FLOAT32 && storage != DataType.FLOAT16) {
            throw new IllegalArgumentException("storage must be FLOAT32 or FLOAT16, got " + storage);
        }
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(arrays.size());
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray a = e.getValue();
            DataType type = a.getDataType();
            byte code;
            DataType written;
            if (type.isFloating()) {
                code = (byte) (storage == DataType.FLOAT16 ? 1 : 0);
                written = storage;
            } else if (type.isInteger()) {
                code = 2;
                written = DataType.INT64;
            } else {
                throw new IllegalArgumentException(e.getKey() + ": cannot store data type " + type);
            }
            out.writeUTF(e.getKey());
            out.writeByte(code);
            long[] dims = a.getShape().getShape();
            out.writeInt(dims.length);
            for (long d : dims) out.writeLong(d);
            // A same-type toType may hand back the array itself: closing that would close a live parameter.
            try (NDArray converted = a.getDataType() == written ? a.duplicate() : a.toType(written, false)) {
                ByteBuffer bb = converted.toByteBuffer();
                byte[] bytes = new byte[bb.remaining()];
                bb.order(ByteOrder.nativeOrder()).get(bytes);
                if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) swap(bytes, written.getNumOfBytes());
                out.write(bytes);
            }
        }
        out.flush();
    }

    /**
     * Reads a container written by {@link #save}; arrays are float32 (or int64) and owned by
     * {@code manager}. A stream that is not such a container, or ends early, throws
     * {@link InvalidInputException}.
     */
    public static Map<String, NDArray> load(DataInputStream in, NDManager manager) throws IOException {
        Map<String, NDArray> result = new LinkedHashMap<>();
        try {
            if (in.readInt() != MAGIC) throw new InvalidInputException("not a Dual-MTGAN weights file (bad magic number)");
            int version = in.readInt();
            if (version != VERSION) throw new InvalidInputException("unsupported weights format version " + version);
            int count = in.readInt();
            if (count < 0 || count > MAX_ENTRIES) throw new InvalidInputException("corrupt weights file: " + count + " entries");
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte code = in.readByte();
                DataType type = switch (code) {
                    case 0 -> DataType.FLOAT32;
                    case 1 -> DataType.FLOAT16;
                    case 2 -> DataType.INT64;
                    default -> throw new InvalidInputException("corrupt weights file: entry " + name + " has data type code " + code);
                };
                int rank = in.readInt();
                if (rank < 0 || rank > 8) throw new InvalidInputException("corrupt weights file: entry " + name + " has rank " + rank);
                long[] dims = new long[rank];
                long elements = 1;
                for (int d = 0; d < rank; d++) {
                    dims[d] = in.readLong();
                    if (dims[d] < 0 || dims[d] > MAX_ELEMENTS) {
                        throw new InvalidInputException("corrupt weights file: entry " + name + " has dimension " + dims[d]);
                    }
                    elements *= dims[d];
                    if (elements > MAX_ELEMENTS) throw new InvalidInputException("corrupt weights file: entry " + name + " is too large");
                }
                if (result.containsKey(name)) throw new InvalidInputException("corrupt weights file: entry " + name + " appears twice");
                byte[] bytes = new byte[Math.toIntExact(elements * type.getNumOfBytes())];
                in.readFully(bytes);
                if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) swap(bytes, type.getNumOfBytes());
                ByteBuffer bb = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
                bb.put(bytes).rewind();
                // The engine aliases a direct buffer instead of copying it, and the buffer is freed once
                // collected: copy into engine-owned memory (float16 is widened to float32 on the way).
                NDArray view = manager.create(bb, new Shape(dims), type);
                NDArray a = type == DataType.FLOAT16 ? view.toType(DataType.FLOAT32, false) : view.duplicate();
                view.close();
                result.put(name, a);
            }
            return result;
        } catch (EOFException e) {
            result.values().forEach(NDArray::close);
            throw new InvalidInputException(null, "weights file ends early (truncated)", e);
        } catch (IOException | RuntimeException e) {
            result.values().forEach(NDArray::close);
            throw e;
        }
    }

    private static void swap(byte[] bytes, int width) {
        for (int i = 0; i + width <= bytes.length; i += width) {
            for (int a = i, b = i + width - 1; a < b; a++, b--) {
                byte t = bytes[a];
                bytes[a] = bytes[b];
                bytes[b] = t;
            }
        }
    }
}
