package org.dualmtgan.cli;

import org.dualmtgan.SharedData;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code dualmtgan train} and {@code dualmtgan model info} end to end on the tiny config. */
class TrainCommandTest {
    static Path data() {
        return SharedData.path("bair");
    }

    @TempDir
    static Path shared;
    static Path run;
    static String trainOut;

    record Outcome(int code, String out, String err) {}

    static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** One short run shared by the tests: 4 steps with a checkpoint, samples and a log row every 2. */
    @BeforeAll
    static void train() throws IOException {
        Path config = shared.resolve("tiny4.json");
        String text = Files.readString(Path.of("configs/tiny.json"))
                .replace("\"checkpointEvery\" : 10", "\"checkpointEvery\" : 2")
                .replace("\"checkpointEvery\": 10", "\"checkpointEvery\": 2")
                .replace("\"sampleEvery\": 10", "\"sampleEvery\": 2")
                .replace("\"logEvery\": 5", "\"logEvery\": 2");
        Files.writeString(config, text);
        run = shared.resolve("runs/tiny");
        Outcome o = cli("train", "--config", config.toString(), "--data", data().toString(), "--out", run.toString(),
                "--steps", "4", "--seed", "5", "--eval-every", "0", "--eval-clips", "3");
        assertEquals(0, o.code(), o.err());
        trainOut = o.out();
    }

    @Test
    void trainWritesConfigCheckpointsLogPlotAndSampleSheets() throws IOException {
        // Off a terminal: plain lines, no carriage returns.
        assertTrue(trainOut.contains("step 2/4") && trainOut.contains("step 4/4"), trainOut);
        assertFalse(trainOut.contains("\r"));
        assertTrue(trainOut.contains("L_rec="), trainOut);

        JsonNode cfg = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(4, cfg.at("/train/steps").asLong(), "command-line values override the config");
        assertEquals(5, cfg.at("/train/seed").asLong());
        assertEquals(3, cfg.at("/train/evalClips").asLong(), "--eval-clips overrides train.evalClips");
        assertEquals(data().toAbsolutePath().normalize().toString(), cfg.at("/data/path").asText());

        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-00000002.ckpt")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-00000004.ckpt")));

        List<String> csv = Files.readAllLines(run.resolve("losses.csv"));
        assertTrue(csv.get(0).startsWith("step,wall_seconds,L_rec,"), csv.get(0));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("2,") && csv.get(2).startsWith("4,"), csv.toString());
        double rec = Double.parseDouble(csv.get(2).split(",")[2]);
        assertTrue(rec > 0 && rec < 10, "L_rec " + rec);

        BufferedImage plot = ImageIO.read(run.resolve("losses.png").toFile());
        assertNotNull(plot);
        BufferedImage sheet = ImageIO.read(run.resolve("samples/step-00000004.png").toFile());
        assertNotNull(sheet);
        assertTrue(sheet.getHeight() > 14 * 32, "seven rows for each of two clips: " + sheet.getHeight());
        assertTrue(Files.size(run.resolve("samples/step-00000004.gif")) > 1000);
        assertTrue(Files.isRegularFile(run.resolve("samples/step-00000002.png")));
        // No temporaries left behind by the atomic writes.
        try (var s = Files.walk(run)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void modelInfoPrintsProvenanceConfigAndCounts() {
        Outcome o = cli("model", "info", run.resolve("checkpoints/step-00000004.ckpt").toString());
        assertEquals(0, o.code(), o.err());
        String s = o.out();
        for (String want : List.of("name:             tiny", "step:             4 of 4", "seed:             5",
                "data fingerprint: sha256:", "32x32 px, 8 frames, width 4", "E_C ", "D_V ", "generator side",
                "updates {generator=4, discriminator=4}")) {
            assertTrue(s.contains(want), "missing '" + want + "' in:\n" + s);
        }
        // A run folder means its latest checkpoint.
        Outcome folder = cli("model", "info", run.toString());
        assertEquals(0, folder.code());
        assertTrue(folder.out().contains("step-00000004.ckpt"), folder.out());
        Outcome json = cli("model", "info", "--json", run.toString());
        assertTrue(json.out().contains("\"dataFingerprint\""), json.out());
    }

    @Test
    void exportWritesInferenceWeightsInFloat16(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tiny-infer.ckpt");
        Outcome o = cli("model", "export", run.toString(), out.toString(), "--float16");
        assertEquals(0, o.code(), o.err());
        Path full = run.resolve("checkpoints/step-00000004.ckpt");
        // Generator side only, half precision, no optimizer moments: far smaller than the training checkpoint.
        assertTrue(Files.size(out) < Files.size(full) / 4, Files.size(out) + " vs " + Files.size(full));
        Outcome info = cli("model", "info", out.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("inference, format 1, float16, sections [parameters]"), info.out());
        assertTrue(info.out().contains("step:             4"), info.out());
    }

    @Test
    void missingTruncatedAndForeignArchitectureCheckpointsExitTwo(@TempDir Path dir) throws IOException {
        Outcome missing = cli("model", "info", dir.resolve("nope.ckpt").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("error: " + dir.resolve("nope.ckpt") + ": checkpoint not found"), missing.err());

        // Truncated: a copy of the run whose latest checkpoint lost its tail; resuming must refuse it.
        Path cut = dir.resolve("cut");
        Files.createDirectories(cut.resolve("checkpoints"));
        Files.copy(run.resolve("config.json"), cut.resolve("config.json"));
        byte[] bytes = Files.readAllBytes(run.resolve("checkpoints/step-00000004.ckpt"));
        Path truncated = cut.resolve("checkpoints/step-00000004.ckpt");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Outcome t = cli("train", "--resume", "--out", cut.toString(), "--steps", "6");
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains(truncated + ": checkpoint is truncated"), t.err());

        // Another architecture: resume the run with a wider model.
        Path other = dir.resolve("other");
        Files.createDirectories(other.resolve("checkpoints"));
        Files.copy(run.resolve("checkpoints/step-00000004.ckpt"), other.resolve("checkpoints/step-00000004.ckpt"));
        Path wide = dir.resolve("wide.json");
        Files.writeString(wide, Files.readString(run.resolve("config.json")).replace("\"width\" : 4", "\"width\" : 8"));
        Outcome a = cli("train", "--config", wide.toString(), "--out", other.toString(), "--resume", "--steps", "6");
        assertEquals(2, a.code(), a.err());
        assertTrue(a.err().contains("step-00000004.ckpt: checkpoint is of another architecture"), a.err());
        assertFalse(Files.exists(other.resolve("checkpoints/step-00000006.ckpt")));
        assertFalse(Files.exists(other.resolve("config.json")), "a refused resume writes no config");
    }

    @Test
    void badUsageAndDevicesExitTwo(@TempDir Path dir) throws IOException {
        Outcome noConfig = cli("train", "--out", dir.resolve("x").toString());
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("--config"), noConfig.err());
        Outcome missingConfig = cli("train", "--config", dir.resolve("none.json").toString());
        assertEquals(2, missingConfig.code());
        Outcome noData = cli("train", "--config", "configs/tiny.json", "--data", dir.resolve("no-data").toString(),
                "--out", dir.resolve("y").toString());
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("no-data"), noData.err());
        Outcome resumeNothing = cli("train", "--config", "configs/tiny.json", "--data", data().toString(),
                "--out", dir.resolve("z").toString(), "--resume");
        assertEquals(2, resumeNothing.code());
        assertTrue(resumeNothing.err().contains("no checkpoint to resume from"), resumeNothing.err());
        Outcome badClips = cli("train", "--config", "configs/tiny.json", "--data", data().toString(),
                "--out", dir.resolve("c").toString(), "--eval-clips", "-1");
        assertEquals(2, badClips.code());
        assertTrue(badClips.err().contains("train.evalClips"), badClips.err());
        Outcome badEvery = cli("train", "--config", "configs/tiny.json", "--data", data().toString(),
                "--out", dir.resolve("e").toString(), "--eval-every", "-5");
        assertEquals(2, badEvery.code());
        assertTrue(badEvery.err().contains("train.evalEvery"), badEvery.err());
        Outcome badDevice = cli("train", "--config", "configs/tiny.json", "--device", "tpu");
        assertEquals(2, badDevice.code());
        if (Engine.getInstance().getGpuCount() == 0) {
            Outcome gpu = cli("train", "--config", "configs/tiny.json", "--data", data().toString(),
                    "--out", dir.resolve("g").toString(), "--device", "gpu");
            assertEquals(2, gpu.code());
            assertTrue(gpu.err().contains("finds no GPU"), gpu.err());
            assertFalse(Files.exists(dir.resolve("g")), "nothing written when the device is refused");
        }
    }
}
