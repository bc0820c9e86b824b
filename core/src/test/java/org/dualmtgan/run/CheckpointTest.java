package org.dualmtgan.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    static NDManager manager;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static CheckpointInfo info() {
        CheckpointInfo info = new CheckpointInfo();
        info.config = TrainConfig.read(Path.of("configs/tiny.json"));
        info.step = 42;
        info.seed = 7;
        info.dataFingerprint = "sha256:abc:4videos";
        info.parameterCounts.put("E_C", 10L);
        info.parameterCounts.put("D_I", 3L);
        info.optimizerSteps.put("generator", 42L);
        info.metrics.put("ssim", 0.5);
        return info;
    }

    static Map<String, Map<String, NDArray>> sections() {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("E_C.w", manager.randomNormal(new Shape(3, 4)));
        params.put("D_I.w", manager.randomNormal(new Shape(5)));
        Map<String, NDArray> opt = new LinkedHashMap<>();
        opt.put("E_C.w.m", manager.randomNormal(new Shape(3, 4)));
        opt.put("E_C.w.step", manager.create(42L));
        Map<String, Map<String, NDArray>> s = new LinkedHashMap<>();
        s.put(Checkpoint.PARAMETERS, params);
        s.put(Checkpoint.GENERATOR_OPTIMIZER, opt);
        s.put(Checkpoint.DISCRIMINATOR_OPTIMIZER, new LinkedHashMap<>());
        return s;
    }

    @Test
    void roundTripIsBitwiseAndHeaderReadsAlone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.ckpt");
        Map<String, Map<String, NDArray>> s = sections();
        Checkpoint.save(file, info(), s, DataType.FLOAT32);
        CheckpointInfo header = Checkpoint.readInfo(file);
        assertEquals(42, header.step);
        assertEquals(7, header.seed);
        assertEquals("tiny", header.config.name);
        assertEquals(32, header.config.model.size);
        assertEquals(0.5, header.metrics.get("ssim"));
        assertEquals(java.util.List.of(Checkpoint.PARAMETERS, Checkpoint.GENERATOR_OPTIMIZER, Checkpoint.DISCRIMINATOR_OPTIMIZER), header.sections);
        try (NDManager m = manager.newSubManager(); Checkpoint c = Checkpoint.load(file, m)) {
            assertArrayEquals(s.get(Checkpoint.PARAMETERS).get("E_C.w").toFloatArray(), c.parameters().get("E_C.w").toFloatArray());
            assertArrayEquals(s.get(Checkpoint.PARAMETERS).get("D_I.w").toFloatArray(), c.parameters().get("D_I.w").toFloatArray());
            assertEquals(42L, c.section(Checkpoint.GENERATOR_OPTIMIZER).get("E_C.w.step").getLong());
            assertTrue(c.hasSection(Checkpoint.DISCRIMINATOR_OPTIMIZER));
            assertTrue(c.section(Checkpoint.DISCRIMINATOR_OPTIMIZER).isEmpty());
        }
        // Nothing but the file itself: no temporaries left beside it.
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void loadedArraysOwnTheirMemory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.ckpt");
        Map<String, Map<String, NDArray>> s = sections();
        float[] want = s.get(Checkpoint.PARAMETERS).get("E_C.w").toFloatArray();
        Checkpoint.save(file, info(), s, DataType.FLOAT32);
        try (NDManager m = manager.newSubManager()) {
            NDArray derived;
            try (Checkpoint c = Checkpoint.load(file, m)) {
                // A same-type toType shares storage (as the optimizer's state loading does).
                derived = c.parameters().get("E_C.w").toType(DataType.FLOAT32, true);
            }
            // Give the collector a chance to free any direct buffer the arrays might have aliased,
            // then reuse that memory.
            for (int i = 0; i < 5; i++) {
                System.gc();
                java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(1 << 16);
                while (junk.hasRemaining()) junk.put((byte) 0x7f);
                Thread.sleep(20);
            }
            assertArrayEquals(want, derived.toFloatArray());
        }
    }

    @Test
    void truncatedFileIsBadInputAtEveryCut(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.ckpt");
        Checkpoint.save(file, info(), sections(), DataType.FLOAT32);
        byte[] all = Files.readAllBytes(file);
        for (int cut : new int[] {0, 5, 20, all.length / 2, all.length - 9, all.length - 1}) {
            Path t = dir.resolve("cut" + cut + ".ckpt");
            Files.write(t, java.util.Arrays.copyOf(all, cut));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
                try (NDManager m = manager.newSubManager()) {
                    Checkpoint.load(t, m).close();
                }
            }, "cut at " + cut);
            assertEquals(t, e.file());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a Dual-MTGAN checkpoint"), e.getMessage());
            // The header alone does not vouch for the file: readInfo refuses every cut too.
            InvalidInputException h = assertThrows(InvalidInputException.class, () -> Checkpoint.readInfo(t), "readInfo, cut at " + cut);
            assertTrue(h.getMessage().contains("truncated") || h.getMessage().contains("not a Dual-MTGAN checkpoint"), h.getMessage());
        }
        assertNotNull(Checkpoint.readInfo(file), "the whole file reads");
        // A flipped byte inside the tensors, and bytes appended after the checksum, are refused by readInfo as well.
        byte[] flipped = all.clone();
        flipped[all.length - 20] ^= 0x40; // inside the last tensor
        Path f = dir.resolve("flipped.ckpt");
        Files.write(f, flipped);
        assertTrue(assertThrows(InvalidInputException.class, () -> Checkpoint.readInfo(f)).getMessage().contains("checksum"));
        Path longer = dir.resolve("longer.ckpt");
        Files.write(longer, java.util.Arrays.copyOf(all, all.length + 3));
        assertTrue(assertThrows(InvalidInputException.class, () -> Checkpoint.readInfo(longer)).getMessage().contains("after its checksum"));
    }

    @Test
    void modelInfoRefusesATruncatedCheckpointWithExit2(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.ckpt");
        Checkpoint.save(file, info(), sections(), DataType.FLOAT32);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = org.dualmtgan.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cl.execute("model", "info", cut.toString()));
        assertTrue(err.toString().contains("truncated") && err.toString().contains("cut.ckpt"), err.toString());
        assertEquals("", out.toString(), "no provenance printed for a refused file");
    }

    @Test
    void flippedByteIsDetected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.ckpt");
        Checkpoint.save(file, info(), sections(), DataType.FLOAT32);
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size - 20);
            int b = raf.read();
            raf.seek(size - 20);
            raf.write(b ^ 0x40);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(file, manager).close());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void missingAndForeignFilesAreBadInput(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("none.ckpt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.readInfo(missing));
        assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not found"));
        assertThrows(InvalidInputException.class, () -> Checkpoint.load(missing, manager));
        Path foreign = dir.resolve("x.ckpt");
        Files.writeString(foreign, "{\"hello\": 1}\n and some more text to be long enough");
        e = assertThrows(InvalidInputException.class, () -> Checkpoint.readInfo(foreign));
        assertTrue(e.getMessage().contains("not a Dual-MTGAN checkpoint"), e.getMessage());
    }

    @Test
    void architectureMismatchNamesTheParameter() {
        Path file = Path.of("some.ckpt");
        Map<String, NDArray> model = Map.of("G.w", manager.zeros(new Shape(4, 4)), "G.b", manager.zeros(new Shape(4)));
        Map<String, NDArray> sameNamesOtherShape = Map.of("G.w", manager.zeros(new Shape(8, 4)), "G.b", manager.zeros(new Shape(4)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Checkpoint.requireSameArchitecture(file, sameNamesOtherShape, model));
        assertTrue(e.getMessage().contains("another architecture") && e.getMessage().contains("G.w"), e.getMessage());
        Map<String, NDArray> fewer = Map.of("G.w", manager.zeros(new Shape(4, 4)));
        e = assertThrows(InvalidInputException.class, () -> Checkpoint.requireSameArchitecture(file, fewer, model));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("G.b"), e.getMessage());
        Checkpoint.requireSameArchitecture(file, model, model);
    }

    @Test
    void float16ExportHalvesTheTensorsAndKeepsProvenance(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.ckpt");
        Map<String, Map<String, NDArray>> s = sections();
        Checkpoint.save(file, info(), s, DataType.FLOAT32);
        Path out = dir.resolve("infer.ckpt");
        Checkpoint.exportInference(file, out, true, name -> !name.startsWith("D_"));
        CheckpointInfo header = Checkpoint.readInfo(out);
        assertEquals(CheckpointInfo.KIND_INFERENCE, header.kind);
        assertEquals("float16", header.storage);
        assertEquals(42, header.step);
        assertEquals("sha256:abc:4videos", header.dataFingerprint);
        try (NDManager m = manager.newSubManager(); Checkpoint c = Checkpoint.load(out, m)) {
            assertEquals(java.util.Set.of("E_C.w"), c.parameters().keySet());
            assertFalse(c.hasSection(Checkpoint.GENERATOR_OPTIMIZER));
            float[] want = s.get(Checkpoint.PARAMETERS).get("E_C.w").toFloatArray();
            float[] got = c.parameters().get("E_C.w").toFloatArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-3 + 1e-4);
        }
    }
}
