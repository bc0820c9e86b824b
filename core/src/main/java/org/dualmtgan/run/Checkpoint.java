package org.dualmtgan.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.model.ModelWeights;
import org.dualmtgan.util.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * One self-describing checkpoint file: a JSON header ({@link CheckpointInfo}: format version,
 * effective config, provenance) followed by named tensor sections, each a {@link ModelWeights}
 * container, and a CRC-32 of everything before it.
 *
 * <pre>
 * "DMTGCKPT"  int formatVersion  int headerLength  header (UTF-8 JSON)
 * int sectionCount  sectionCount x { UTF name, long length, length bytes of ModelWeights }
 * long crc32 (of all preceding bytes)
 * </pre>
 *
 * A training checkpoint has the sections {@link #PARAMETERS}, {@link #GENERATOR_OPTIMIZER} and
 * {@link #DISCRIMINATOR_OPTIMIZER}; an inference export has {@link #PARAMETERS} only. Files are
 * written under a temporary name and renamed, so a crash never leaves a partial checkpoint.
 */
public final class Checkpoint implements AutoCloseable {
    public static final int FORMAT_VERSION = 1;
    public static final String PARAMETERS = "parameters";
    public static final String GENERATOR_OPTIMIZER = "optimizer.generator";
    public static final String DISCRIMINATOR_OPTIMIZER = "optimizer.discriminator";
    /** File name extension of checkpoints. */
    public static final String EXTENSION = ".ckpt";

    private static final byte[] MAGIC = "DMTGCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 64 << 20;

    static final ObjectMapper HEADER_JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Older or newer writers may add header fields; the header stays readable.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final CheckpointInfo info;
    private final Map<String, Map<String, NDArray>> sections;

    private Checkpoint(CheckpointInfo info, Map<String, Map<String, NDArray>> sections) {
        this.info = info;
        this.sections = sections;
    }

    public CheckpointInfo info() {
        return info;
    }

    /** The model's parameters by name (float32, owned by the manager given to {@link #load}). */
    public Map<String, NDArray> parameters() {
        return section(PARAMETERS);
    }

    /** A section's tensors, or an empty map when the file has no such section. */
    public Map<String, NDArray> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }

    public boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    /** Closes every tensor this checkpoint loaded. */
    @Override
    public void close() {
        for (Map<String, NDArray> s : sections.values()) s.values().forEach(NDArray::close);
    }

    /**
     * Writes a checkpoint atomically. {@code info.sections} and {@code info.storage} are set here
     * from {@code sections} and {@code storage} (FLOAT32, or FLOAT16 for inference exports).
     */
    public static void save(Path path, CheckpointInfo info, Map<String, Map<String, NDArray>> sections,
                            DataType storage) throws IOException {
        info.formatVersion = FORMAT_VERSION;
        info.sections = new java.util.ArrayList<>(sections.keySet());
        info.storage = storage == DataType.FLOAT16 ? "float16" : "float32";
        byte[] header = HEADER_JSON.writeValueAsBytes(info);
        AtomicFiles.writeStream(path, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(header.length);
            out.write(header);
            out.writeInt(sections.size());
            for (Map.Entry<String, Map<String, NDArray>> e : sections.entrySet()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                try (DataOutputStream section = new DataOutputStream(buf)) {
                    ModelWeights.save(e.getValue(), section, storage);
                }
                out.writeUTF(e.getKey());
                out.writeLong(buf.size());
                buf.writeTo(out);
            }
            out.flush();
            long sum = crc.getValue();
            out.writeLong(sum);
            out.flush();
        });
    }

    /** The header, after verifying the whole file's length and checksum; loads no tensor. */
    public static CheckpointInfo readInfo(Path path) {
        // A header alone would vouch for a truncated or corrupt file. About 20 ms for 30 MB.
        return readVerified(path, false).info();
    }

    /**
     * Loads the whole file, verifying its checksum; tensors are float32 and owned by
     * {@code manager}. A missing, truncated, corrupt or foreign file throws
     * {@link InvalidInputException} naming it.
     */
    public static Checkpoint load(Path path, NDManager manager) {
        // Every section is read and the checksum verified before parsing, so corruption reads as such.
        Verified v = readVerified(path, true);
        Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, byte[]> e : v.sections().entrySet()) {
                try (DataInputStream section = new DataInputStream(new ByteArrayInputStream(e.getValue()))) {
                    sections.put(e.getKey(), ModelWeights.load(section, manager));
                } catch (InvalidInputException ex) {
                    throw new InvalidInputException(path, "section " + e.getKey() + ": " + ex.getMessage(), ex);
                }
            }
            return new Checkpoint(v.info(), sections);
        } catch (IOException e) {
            closeAll(sections);
            throw new InvalidInputException(path, "cannot read checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(sections);
            throw e;
        }
    }

    /** A file that passed {@link #readVerified}: its header and, when kept, its sections' bytes. */
    private record Verified(CheckpointInfo info, Map<String, byte[]> sections) {}

    /**
     * Reads the whole file once: header, section lengths, checksum and nothing after it. The
     * sections' bytes are kept only when {@code keepSections}; no tensor is made.
     */
    private static Verified readVerified(Path path, boolean keepSections) {
        String where = "its header";
        try (InputStream raw = new BufferedInputStream(openRaw(path), 1 << 16)) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            CheckpointInfo info = readHeader(path, in);
            int count = in.readInt();
            if (count < 0 || count > 64) throw new InvalidInputException(path, "corrupt checkpoint: " + count + " sections");
            Map<String, byte[]> sections = new LinkedHashMap<>();
            byte[] buf = new byte[1 << 16];
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                where = "section " + name;
                long length = in.readLong();
                if (length < 0 || length > Integer.MAX_VALUE - 16) {
                    throw new InvalidInputException(path, "corrupt checkpoint: section " + name + " has length " + length);
                }
                if (keepSections) {
                    sections.put(name, readExactly(in, (int) length));
                } else {
                    for (long left = length; left > 0; ) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) throw new EOFException();
                        left -= n;
                    }
                }
            }
            where = "its checksum";
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) throw new InvalidInputException(path, "checkpoint is corrupt (checksum mismatch)");
            if (raw.read() >= 0) throw new InvalidInputException(path, "checkpoint is corrupt (bytes after its checksum)");
            return new Verified(info, sections);
        } catch (EOFException e) {
            throw new InvalidInputException(path, "checkpoint is truncated (ends inside " + where + ")", e);
        } catch (IOException e) {
            throw new InvalidInputException(path, "cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the inference-only part of a checkpoint ({@code inferenceParameters}: the networks
     * used by transfer and generation) with {@code float16} halving the size. The header keeps the
     * provenance and config of the source.
     */
    public static void exportInference(Path from, Path to, boolean float16,
                                       java.util.function.Predicate<String> inferenceParameter) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
             Checkpoint ckpt = load(from, manager)) {
            Map<String, NDArray> kept = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : ckpt.parameters().entrySet()) {
                if (inferenceParameter.test(e.getKey())) kept.put(e.getKey(), e.getValue());
            }
            if (kept.isEmpty()) throw new InvalidInputException(from, "checkpoint holds no inference parameters");
            CheckpointInfo info = ckpt.info();
            info.kind = CheckpointInfo.KIND_INFERENCE;
            info.optimizerSteps = new LinkedHashMap<>();
            Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
            sections.put(PARAMETERS, kept);
            save(to, info, sections, float16 ? DataType.FLOAT16 : DataType.FLOAT32);
        }
    }

    /**
     * Checks that {@code loaded} holds exactly the parameters of {@code expected}, with the same
     * shapes; otherwise the checkpoint is of another architecture.
     */
    public static void requireSameArchitecture(Path file, Map<String, NDArray> loaded, Map<String, NDArray> expected) {
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(loaded.keySet());
        TreeSet<String> extra = new TreeSet<>(loaded.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new InvalidInputException(file, "checkpoint is of another architecture: "
                    + (missing.isEmpty() ? "" : missing.size() + " parameters missing (e.g. " + missing.first() + ")")
                    + (!missing.isEmpty() && !extra.isEmpty() ? ", " : "")
                    + (extra.isEmpty() ? "" : extra.size() + " unknown parameters (e.g. " + extra.first() + ")"));
        }
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
            Shape want = e.getValue().getShape();
            Shape got = loaded.get(e.getKey()).getShape();
            if (!want.equals(got)) {
                throw new InvalidInputException(file, "checkpoint is of another architecture: parameter "
                        + e.getKey() + " has shape " + got + " in the file but " + want + " in the model");
            }
        }
    }

    private static InputStream openRaw(Path path) throws IOException {
        try {
            if (Files.isDirectory(path)) throw new InvalidInputException(path, "is a folder, not a checkpoint file");
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path, "checkpoint not found");
        }
    }

    private static CheckpointInfo readHeader(Path path, DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        int n = in.readNBytes(magic, 0, magic.length);
        if (n < magic.length || !Arrays.equals(magic, MAGIC)) {
            throw new InvalidInputException(path, "not a Dual-MTGAN checkpoint (bad magic bytes)");
        }
        int version = in.readInt();
        if (version < 1 || version > FORMAT_VERSION) {
            throw new InvalidInputException(path, "checkpoint format version " + version
                    + " is not supported (this program reads 1 to " + FORMAT_VERSION + ")");
        }
        int length = in.readInt();
        if (length <= 0 || length > MAX_HEADER) throw new InvalidInputException(path, "corrupt checkpoint header length " + length);
        byte[] header = readExactly(in, length);
        try {
            CheckpointInfo info = HEADER_JSON.readValue(header, CheckpointInfo.class);
            if (info == null || info.config == null || info.config.model == null) {
                throw new InvalidInputException(path, "checkpoint header lacks the model config");
            }
            return info;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(path, "corrupt checkpoint header: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] readExactly(DataInputStream in, int length) throws IOException {
        // Read in chunks so a corrupt length cannot allocate a huge array before the data runs out.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, 1 << 20));
        byte[] buf = new byte[1 << 16];
        int left = length;
        while (left > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, left));
            if (n < 0) throw new EOFException();
            out.write(buf, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static void closeAll(Map<String, Map<String, NDArray>> sections) {
        for (Map<String, NDArray> s : sections.values()) s.values().forEach(NDArray::close);
    }
}
