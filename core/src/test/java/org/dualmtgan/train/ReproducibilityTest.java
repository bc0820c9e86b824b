package org.dualmtgan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Same config and seed in separate processes give the same run, bit for bit (losses.csv but its
 * wall-time column, the final parameters and sample sheet), with checkpoints every 3 steps and
 * sample sheets every 5, two processes at a time so the machine is loaded; and a run killed with
 * SIGKILL at random moments (during a step, a checkpoint write or the start-up) and resumed each
 * time ends with the losses and parameters of the uninterrupted one. Process counts:
 * {@code -Ddualmtgan.reproRuns} (default 10) and {@code -Ddualmtgan.reproKills} (default 2);
 * docs/training.md (Reproducibility) has the history of the defect this guards against.
 */
class ReproducibilityTest {
    static final long STEPS = 16;
    static final int RUNS = Integer.getInteger("dualmtgan.reproRuns", 10);
    static final int KILLS = Integer.getInteger("dualmtgan.reproKills", 2);

    @TempDir
    static Path dir;
    static Path config;
    /** The uninterrupted run every other is compared with. */
    static Path reference;

    static TrainConfig config() {
        TrainConfig cfg = TrainerTest.tiny(STEPS);
        cfg.model.decoder = "warp";
        cfg.train.checkpointEvery = 3;
        cfg.train.sampleEvery = 5;
        cfg.train.keepCheckpoints = 1;
        return cfg;
    }

    @BeforeAll
    static void referenceRun() throws Exception {
        config = TrainerTest.writeConfig(dir, config());
        reference = dir.resolve("reference");
        finish(train(config, reference, false, dir.resolve("reference.log")), dir.resolve("reference.log"));
    }

    /** A {@code dualmtgan train} process on the test class path, one engine thread. */
    static Process train(Path config, Path out, boolean resume, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), "org.dualmtgan.cli.Main",
                "train", "--config", config.toString(), "--out", out.toString()));
        if (resume) cmd.add("--resume");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static void finish(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "training process timed out");
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    /** losses.csv without its wall-time column. */
    static List<String> losses(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("losses.csv"))) {
            String[] f = line.split(",", -1);
            StringBuilder b = new StringBuilder(f[0]);
            for (int i = 2; i < f.length; i++) b.append(',').append(f[i]);
            out.add(b.toString());
        }
        return out;
    }

    static void assertSameParameters(Path a, Path b) {
        try (NDManager m = NDManager.newBaseManager(); Checkpoint ca = Checkpoint.load(a, m); Checkpoint cb = Checkpoint.load(b, m)) {
            Map<String, NDArray> x = ca.parameters();
            Map<String, NDArray> y = cb.parameters();
            assertEquals(x.keySet(), y.keySet());
            for (String k : x.keySet()) assertArrayEquals(x.get(k).toByteArray(), y.get(k).toByteArray(), k + " differs");
        }
    }

    /** Rows of the run's losses.csv past its header (0 when there is none yet). */
    static long loggedSteps(Path run) throws IOException {
        Path csv = run.resolve("losses.csv");
        if (!Files.exists(csv)) return 0;
        try (var lines = Files.lines(csv)) {
            return Math.max(0, lines.count() - 1);
        }
    }

    static final Path LAST = Path.of("checkpoints", String.format("step-%08d.ckpt", STEPS));

    @Test
    void separateProcessesOfOneSeedWriteTheSameLossesParametersAndSheets() throws Exception {
        List<String> expected = losses(reference);
        assertEquals(STEPS + 1, expected.size(), "a row per step and the header");
        byte[] sheet = Files.readAllBytes(reference.resolve("samples/step-00000015.png"));
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < RUNS; i += 2) {
            List<Path> runs = new ArrayList<>();
            List<Process> procs = new ArrayList<>();
            for (int j = i; j < Math.min(RUNS, i + 2); j++) {
                Path run = dir.resolve("run-" + j);
                runs.add(run);
                procs.add(train(config, run, false, dir.resolve("run-" + j + ".log")));
            }
            for (int j = 0; j < procs.size(); j++) finish(procs.get(j), dir.resolve(runs.get(j).getFileName() + ".log"));
            for (Path run : runs) {
                if (!losses(run).equals(expected)) differing.add(run.getFileName() + ": " + losses(run));
                assertSameParameters(reference.resolve(LAST), run.resolve(LAST));
                assertArrayEquals(sheet, Files.readAllBytes(run.resolve("samples/step-00000015.png")), run + " sheet");
            }
        }
        assertEquals(List.of(), differing, "runs whose losses.csv differ from the reference's " + expected);
    }

    @Test
    void aRunKilledAtRandomMomentsAndResumedEachTimeEndsAsTheUninterruptedOne() throws Exception {
        Path run = dir.resolve("killed");
        Path log = dir.resolve("killed.log");
        java.util.Random random = new java.util.Random(20);
        List<String> kills = new ArrayList<>();
        boolean resume = false;
        while (kills.size() < KILLS) {
            // A random moment: once step k's row is logged, plus up to 250 ms, so it falls in a
            // step, a checkpoint write or a sheet; k is past the rows the killed process left
            // (the resumed run rewrites those first), so every kill lands in new work.
            long from = Math.max(loggedSteps(run), resume ? org.dualmtgan.run.RunFolder.stepOf(Trainer.latestCheckpoint(run)) : 0);
            long k = from + 1 + random.nextInt((int) Math.max(1, STEPS - 2 - from));
            long extra = random.nextInt(250);
            Process p = train(config, run, resume, log);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (p.isAlive() && loggedSteps(run) < k && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(extra);
            assertTrue(p.isAlive(), "the run ended before kill " + (kills.size() + 1) + " after step " + k + ": " + Files.readString(log));
            p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            Path latest = Trainer.latestCheckpoint(run);
            kills.add("after step " + k + " + " + extra + " ms (latest checkpoint " + (latest == null ? "none" : latest.getFileName()) + ")");
            resume = latest != null;
            if (latest == null) org.dualmtgan.util.AtomicFiles.deleteRecursively(run); // killed before its first checkpoint: start over
        }
        finish(train(config, run, resume, log), log);
        System.out.println("ReproducibilityTest: killed " + kills);
        assertSameParameters(reference.resolve(LAST), run.resolve(LAST));
        assertEquals(losses(reference), losses(run), "losses.csv after kills at " + kills);
        assertArrayEquals(Files.readAllBytes(reference.resolve("samples/step-00000015.png")),
                Files.readAllBytes(run.resolve("samples/step-00000015.png")));
    }
}
