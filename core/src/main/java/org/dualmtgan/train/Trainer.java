package org.dualmtgan.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.data.Batch;
import org.dualmtgan.data.BatchLoader;
import org.dualmtgan.data.Dataset;
import org.dualmtgan.data.Datasets;
import org.dualmtgan.data.Subset;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.NonFiniteLossException;
import org.dualmtgan.model.TrainingStep;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.RunFolder;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.run.TrainSettings;
import org.dualmtgan.util.ProjectInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training loop of a run folder:
 * <pre>
 * RUN/config.json                     effective config (after command-line overrides)
 * RUN/checkpoints/step-NNNNNNNN.ckpt  the last train.keepCheckpoints checkpoints
 * RUN/samples/step-NNNNNNNN.png|gif   sample sheets
 * RUN/losses.csv, RUN/losses.png      loss history and its plot
 * RUN/heldout.csv, RUN/heldout.png    held-out scores every train.evalEvery steps (and heldout-kl.csv: KL per dimension)
 * RUN/checkpoints/best.ckpt           the checkpoint of the best held-out reconstruction SSIM
 * RUN/checkpoints/motion.ckpt         with train.motionSteps > 0 (keypoint motion): best.ckpt with its
 *                                     motion prior fitted by the second stage ({@link MotionFit}); the run's model
 * </pre>
 * Steps are numbered 1..steps; step {@code k} draws its batch as {@code BatchLoader.batch(k - 1)}
 * and its noise from (seed, k - 1), so a checkpoint after step k holds all the state a resumed run
 * needs: parameters, both optimizers' moments and step counts, and k. Resuming is exact.
 */
public final class Trainer {
    /** The checkpoint with the best held-out reconstruction SSIM (train.evalEvery > 0); never pruned. */
    public static final String BEST = RunFolder.BEST;
    static final String HELD_OUT_CSV = "heldout.csv";
    static final String HELD_OUT_KL_CSV = "heldout-kl.csv";
    /** Clips shown on sample sheets. */
    static final int SAMPLE_ITEMS = 2;

    /**
     * Test hook: when it accepts a step index, that step's source clips are replaced by NaN, so the
     * model's own non-finite check fires (the NaN-stop path end to end).
     */
    static volatile LongPredicate poisonBatchAt;

    /** Test hook: the first attempt of an accepted step reports a non-finite gradient (the retry path). */
    static volatile LongPredicate gradientGlitchAt;

    /** Test hook: the first attempt of an accepted step reports a non-finite loss (the retry path). */
    static volatile LongPredicate lossGlitchAt;

    /** Attempts of a step whose loss or gradient is not finite, before the run stops. */
    static final int GRADIENT_ATTEMPTS = 3;

    /** How a run is carried out. */
    public static final class Options {
        /** The run folder. */
        public Path runDir;
        /** Continue from the latest checkpoint in {@link #runDir}. */
        public boolean resume;
        public Device device = Device.cpu();
        public TrainingProgress progress = TrainingProgress.silent();
        /** Install a shutdown hook so Ctrl-C (SIGINT) saves a checkpoint before the JVM exits. */
        public boolean checkpointOnShutdown;
    }

    /**
     * What a run did.
     *
     * @param step            completed steps (the last checkpoint's step)
     * @param lastCheckpoint  the checkpoint written last
     * @param stopped         true when stopped early by {@link #requestStop()} or Ctrl-C
     * @param wallSeconds     training wall time over all sessions of the run
     * @param sessionSteps    steps run in this session
     * @param sessionSeconds  wall time of this session's loop
     */
    public record Result(long step, Path lastCheckpoint, boolean stopped, double wallSeconds,
                         long sessionSteps, double sessionSeconds) {}

    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /** Asks a running loop to stop after its current step; it saves a checkpoint first. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** {@code cpu}, or {@code gpu} when the engine finds one (an {@link InvalidInputException} otherwise). */
    public static Device device(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda": {
                int gpus = Engine.getInstance().getGpuCount();
                if (gpus == 0) {
                    throw new InvalidInputException("--device gpu: the " + Engine.getInstance().getEngineName()
                            + " engine finds no GPU (this build uses the CPU native library; docs/training.md"
                            + " explains how to run on CUDA)");
                }
                return Device.gpu();
            }
            default:
                throw new InvalidInputException("unknown device '" + name + "' (expected cpu or gpu)");
        }
    }

    /** Runs (or resumes) training as {@code cfg} says; see the class comment for the run folder. */
    public Result run(TrainConfig cfg, Options opts) throws IOException {
        cfg.validate();
        cfg.data.validate();
        Path run = opts.runDir;
        Path checkpoints = run.resolve("checkpoints");
        TrainingProgress progress = opts.progress;
        TrainSettings t = cfg.train;

        Path resumeFrom = null;
        CheckpointInfo resumeInfo = null;
        List<Path> existing = listCheckpoints(checkpoints);
        if (opts.resume) {
            if (existing.isEmpty()) throw new InvalidInputException(run, "no checkpoint to resume from (looked in " + checkpoints + ")");
            resumeFrom = existing.get(existing.size() - 1);
            resumeInfo = Checkpoint.readInfo(resumeFrom);
            if (!CheckpointInfo.KIND_TRAINING.equals(resumeInfo.kind)) {
                throw new InvalidInputException(resumeFrom, "is an inference export, not a training checkpoint");
            }
        } else if (!existing.isEmpty()) {
            throw new InvalidInputException(run, "already holds checkpoints of a run: add --resume to continue it, or choose another --out");
        }

        Dataset dataset = Datasets.open(cfg.data, Subset.TRAIN);
        String fingerprint = dataset.fingerprint();

        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = null;
        if (opts.checkpointOnShutdown) {
            hook = new Thread(() -> {
                requestStop();
                try {
                    // Wait for the loop to finish its step and write the checkpoint.
                    finished.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "dualmtgan-train-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            Result result;
            try (NDManager manager = NDManager.newBaseManager(opts.device);
                 DualMtgan model = DualMtgan.create(cfg.model, manager, t.seed)) {
                TrainingStep trainingStep = new TrainingStep(model, t.seed);
                long done = 0;
                double wallBefore = 0;
                if (resumeFrom != null) {
                    warnOnChanges(resumeInfo, cfg, fingerprint, progress);
                    try (Checkpoint ckpt = Checkpoint.load(resumeFrom, manager)) {
                        Checkpoint.requireSameArchitecture(resumeFrom, ckpt.parameters(), model.allParameters());
                        model.loadParameters(ckpt.parameters());
                        try {
                            trainingStep.generatorOptimizer().load(ckpt.section(Checkpoint.GENERATOR_OPTIMIZER));
                            trainingStep.discriminatorOptimizer().load(ckpt.section(Checkpoint.DISCRIMINATOR_OPTIMIZER));
                        } catch (InvalidInputException e) {
                            throw new InvalidInputException(resumeFrom, e.getMessage(), e);
                        }
                    }
                    done = resumeInfo.step;
                    wallBefore = resumeInfo.wallSeconds;
                    progress.message("resumed from " + resumeFrom + " at step " + done);
                }
                // Only now, with the checkpoint accepted: a refused resume leaves the run's config as it was.
                Files.createDirectories(run);
                cfg.write(run.resolve("config.json"));
                Loop loop = new Loop(cfg, opts, model, trainingStep, manager, dataset, fingerprint, done, wallBefore, resumeInfo);
                result = loop.run();
            }
            if (!result.stopped() && t.motionSteps > 0 && cfg.model.keypointMotion()
                    && (result.sessionSteps() > 0 || !Files.exists(checkpoints.resolve(MotionFit.MOTION)))) {
                // The image stage is complete: fit the motion prior on its best checkpoint's keypoints.
                Path best = checkpoints.resolve(BEST);
                MotionFit.run(cfg, Files.exists(best) ? best : result.lastCheckpoint(), run, opts.device, progress);
            }
            return result;
        } finally {
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is already exiting; the hook has seen the latch.
                }
            }
            progress.finish();
        }
    }

    /** One session of the loop, with its state in fields. */
    private final class Loop {
        final TrainConfig cfg;
        final TrainSettings t;
        final Options opts;
        final DualMtgan model;
        final TrainingStep trainingStep;
        final NDManager manager;
        final Dataset dataset;
        final String fingerprint;
        final long startStep;
        final double wallBefore;
        final Path run;
        final LossLog log;
        /** Held-out scores (heldout.csv) and KL per latent dimension (heldout-kl.csv), when train.evalEvery > 0. */
        final LossLog heldOutLog;
        final LossLog klLog;
        HeldOut heldOut;
        /** Set when the config's split has no held-out clips to score: the run goes on without evaluating. */
        boolean heldOutUnavailable;
        /** Best held-out reconstruction SSIM so far (from heldout.csv on resume), the score of best.ckpt. */
        double bestScore = Double.NEGATIVE_INFINITY;
        long done;
        /** Steps recomputed after a non-finite gradient (this session). */
        int retriedSteps;
        long sessionStart;
        Path lastCheckpoint;
        long lastCheckpointStep = -1;

        Loop(TrainConfig cfg, Options opts, DualMtgan model, TrainingStep trainingStep, NDManager manager,
             Dataset dataset, String fingerprint, long done, double wallBefore, CheckpointInfo resumed) throws IOException {
            this.cfg = cfg;
            this.t = cfg.train;
            this.opts = opts;
            this.model = model;
            this.trainingStep = trainingStep;
            this.manager = manager;
            this.dataset = dataset;
            this.fingerprint = fingerprint;
            this.startStep = done;
            this.done = done;
            this.wallBefore = wallBefore;
            this.run = opts.runDir;
            this.log = done > 0 ? LossLog.resume(run.resolve("losses.csv"), done) : LossLog.create(run.resolve("losses.csv"));
            if (resumed != null && resumed.logWindowSums != null) {
                // The row at a step off the log cadence was partial: completed at the next multiple.
                if (done % t.logEvery != 0) log.dropRowAt(done);
                log.restoreWindow(resumed.logWindowSums, resumed.logWindowSteps);
            }
            this.heldOutLog = done > 0 ? LossLog.resume(run.resolve(HELD_OUT_CSV), done) : LossLog.create(run.resolve(HELD_OUT_CSV));
            this.klLog = done > 0 ? LossLog.resume(run.resolve(HELD_OUT_KL_CSV), done) : LossLog.create(run.resolve(HELD_OUT_KL_CSV));
            if (heldOutLog.terms().contains(HeldOut.REC) && Files.exists(run.resolve("checkpoints").resolve(BEST))) {
                for (int r = 0; r < heldOutLog.rows(); r++) bestScore = Math.max(bestScore, heldOutLog.value(r, HeldOut.REC));
            }
            if (done > 0) {
                List<Path> cks = listCheckpoints(run.resolve("checkpoints"));
                lastCheckpoint = cks.get(cks.size() - 1);
                lastCheckpointStep = done;
            }
        }

        double wall() {
            return wallBefore + (System.nanoTime() - sessionStart) / 1e9;
        }

        Result run() throws IOException {
            TrainingProgress progress = opts.progress;
            if (done >= t.steps) {
                progress.message("the run already has " + done + " steps (train.steps = " + t.steps + "): nothing to do; raise --steps to train on");
                return new Result(done, lastCheckpoint, false, wallBefore, 0, 0);
            }
            sessionStart = System.nanoTime();
            SampleSheet sheet;
            try (BatchLoader loader = new BatchLoader(dataset, loaderOptions(cfg, t.seed, t.threads).withAugment(cfg.data.augment))) {
                sheet = sampleSheet();
                boolean stopped = false;
                while (done < t.steps) {
                    long index = done;
                    Map<String, Float> losses = null;
                    for (int attempt = 1; losses == null; attempt++) {
                        try (NDManager scope = manager.newSubManager()) {
                            Batch batch = loader.batch(index);
                            NDArray source = batch.source(scope);
                            NDArray targetClip = batch.targetClip(scope);
                            LongPredicate poison = poisonBatchAt;
                            if (poison != null && poison.test(index)) source = source.mul(Float.NaN);
                            LongPredicate glitch = gradientGlitchAt;
                            if (glitch != null && glitch.test(index) && attempt == 1) {
                                throw NonFiniteLossException.ofGradient("(simulated)", index);
                            }
                            LongPredicate lossGlitch = lossGlitchAt;
                            if (lossGlitch != null && lossGlitch.test(index) && attempt == 1) {
                                throw new NonFiniteLossException("L_rec (simulated)", index);
                            }
                            losses = trainingStep.step(source, targetClip, index);
                        } catch (NonFiniteLossException e) {
                            // A non-finite gradient, or a loss, from the engine's rare reads of freed memory in
                            // its CPU kernels (docs/training.md): nothing was updated and the step is a pure
                            // function of (parameters, seed, step), so it is recomputed. A diverged model gives
                            // the same non-finite value every time and stops the run after the last attempt.
                            if (attempt < GRADIENT_ATTEMPTS) {
                                retriedSteps++;
                                progress.message("warning: " + e.getMessage() + "; recomputing the step (attempt "
                                        + (attempt + 1) + " of " + GRADIENT_ATTEMPTS + ")");
                                continue;
                            }
                            log.endRow(done, wall());
                            log.flush();
                            throw new TrainingDivergedException(e.lossName(), index + 1, lastCheckpoint, e);
                        }
                    }
                    done = index + 1;
                    log.accumulate(losses);
                    double rate = (done - startStep) / ((System.nanoTime() - sessionStart) / 1e9);
                    progress.step(done, t.steps, rate, losses);
                    boolean last = done == t.steps;
                    stopped = !last && stopRequested.get();
                    if (done % t.logEvery == 0) {
                        log.endRow(done, wall());
                        log.flush();
                    } else if (last || stopped) {
                        log.endPartialRow(done, wall());
                        log.flush();
                    }
                    // Not while the JVM shuts down (Ctrl-C): libraries refuse new shutdown hooks then.
                    if ((done % t.sampleEvery == 0 || last) && !stopRequested.get()) {
                        writeSamples(sheet);
                    }
                    if (done % t.checkpointEvery == 0 || last || stopped) {
                        saveCheckpoint();
                    }
                    if (t.evalEvery > 0 && !heldOutUnavailable && (done % t.evalEvery == 0 || last) && !stopRequested.get()) {
                        evaluateHeldOut();
                    }
                    if (stopped) {
                        progress.message("stopped at step " + done + "; checkpoint " + lastCheckpoint);
                        break;
                    }
                }
                double session = (System.nanoTime() - sessionStart) / 1e9;
                if (!stopped) {
                    progress.message(String.format(Locale.ROOT, "trained %d steps in %.1f s (%.2f steps/s); checkpoint %s",
                            done - startStep, session, (done - startStep) / session, lastCheckpoint));
                }
                return new Result(done, lastCheckpoint, stopped, wall(), done - startStep, session);
            }
        }

        SampleSheet sampleSheet() {
            // Held-out clips when the split has any (the test subset), so the sheets show generalisation.
            Dataset shown;
            try {
                shown = Datasets.open(cfg.data, Subset.TEST);
            } catch (InvalidInputException e) {
                shown = dataset;
            }
            int items = Math.max(2, Math.min(SAMPLE_ITEMS, t.batch));
            try (BatchLoader fixed = new BatchLoader(shown, loaderOptions(cfg, t.seed + 7919, 0, items))) {
                return new SampleSheet(fixed.build(0), SAMPLE_ITEMS, model.latentDim(), t.seed);
            }
        }

        void writeSamples(SampleSheet sheet) throws IOException {
            String stem = String.format(Locale.ROOT, "step-%08d", done);
            Path dir = run.resolve("samples");
            try {
                sheet.write(model, manager, dir.resolve(stem + ".png"), dir.resolve(stem + ".gif"));
                log.plot(run.resolve("losses.png"), cfg.name + ": losses");
            } catch (RuntimeException e) {
                // Pictures are for the user: a failure to draw them must not end a long run.
                opts.progress.message("warning: sample sheet or plot at step " + done + " failed: " + e);
            }
        }

        /**
         * Scores the held-out clips, logs the scores, and replaces checkpoints/best.ckpt when the
         * reconstruction SSIM beats every earlier evaluation of the run.
         */
        void evaluateHeldOut() throws IOException {
            if (heldOut == null) {
                try {
                    heldOut = HeldOut.of(cfg);
                } catch (InvalidInputException e) {
                    opts.progress.message("warning: no held-out evaluation (" + e.getMessage() + ")");
                    heldOutUnavailable = true;
                    return;
                }
            }
            long start = System.nanoTime();
            HeldOut.Scores scores = null;
            // A failed pass is retried once: the engine's rare reads of freed memory (docs/training.md,
            // Reproducibility) can fail one pass; a second failure skips this evaluation, not the run.
            for (int attempt = 1; scores == null; attempt++) {
                try {
                    scores = heldOut.run(model);
                } catch (ai.djl.engine.EngineException e) {
                    opts.progress.message("warning: held-out evaluation at step " + done + " failed (attempt " + attempt + " of 2): " + e.getMessage());
                    if (attempt == 2) return;
                }
            }
            heldOutLog.accumulate(scores.row());
            heldOutLog.endRow(done, wall());
            heldOutLog.flush();
            klLog.accumulate(scores.klPerDimension());
            klLog.endRow(done, wall());
            klLog.flush();
            try {
                heldOutLog.plot(run.resolve("heldout.png"), cfg.name + ": held-out scores");
            } catch (RuntimeException e) {
                opts.progress.message("warning: held-out plot at step " + done + " failed: " + e);
            }
            Map<String, Float> r = scores.row();
            boolean better = scores.reconstruction() > bestScore;
            opts.progress.message(String.format(Locale.ROOT,
                    "held-out at step %d (%d clips, %.1f s): reconstruction SSIM %.4f (copy %.4f), best-of-%d %.4f, mean %.4f,"
                            + " div-1-ssim %.4f, moving ratio %.3f, latent transfer %.4f, KL %.2f nats in %d active dims%s",
                    done, heldOut.clips(), (System.nanoTime() - start) / 1e9, r.get(HeldOut.REC), r.get(HeldOut.COPY),
                    t.evalSamples, r.get(HeldOut.BEST), r.get(HeldOut.MEAN), r.get(HeldOut.DIV),
                    r.get(HeldOut.MOVING), r.get(HeldOut.LATENT),
                    r.get(HeldOut.KL), r.get(HeldOut.ACTIVE).intValue(), better ? "; new best" : ""));
            if (better) {
                bestScore = scores.reconstruction();
                writeCheckpoint(run.resolve("checkpoints").resolve(BEST));
            }
        }

        void saveCheckpoint() throws IOException {
            if (lastCheckpointStep == done) return;
            Path dir = run.resolve("checkpoints");
            Path file = dir.resolve(String.format(Locale.ROOT, "step-%08d%s", done, Checkpoint.EXTENSION));
            writeCheckpoint(file);
            lastCheckpoint = file;
            lastCheckpointStep = done;
            prune(dir, t.keepCheckpoints);
        }

        void writeCheckpoint(Path file) throws IOException {
            CheckpointInfo info = new CheckpointInfo();
            info.kind = CheckpointInfo.KIND_TRAINING;
            info.projectVersion = ProjectInfo.version();
            info.created = Instant.now().toString();
            info.config = cfg;
            info.dataFingerprint = fingerprint;
            info.step = done;
            info.seed = t.seed;
            info.wallSeconds = wall();
            info.machine = ProjectInfo.machine();
            info.device = manager.getDevice().toString();
            info.parameterCounts = new LinkedHashMap<>(model.parameterCounts());
            info.optimizerSteps.put("generator", trainingStep.generatorOptimizer().stepCount());
            info.optimizerSteps.put("discriminator", trainingStep.discriminatorOptimizer().stepCount());
            info.logWindowSums = log.windowSums();
            info.logWindowSteps = log.windowSteps();
            try (NDManager scope = manager.newSubManager()) {
                Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
                sections.put(Checkpoint.PARAMETERS, model.allParameters());
                sections.put(Checkpoint.GENERATOR_OPTIMIZER, trainingStep.generatorOptimizer().state(scope));
                sections.put(Checkpoint.DISCRIMINATOR_OPTIMIZER, trainingStep.discriminatorOptimizer().state(scope));
                Checkpoint.save(file, info, sections, DataType.FLOAT32);
            }
        }
    }

    static BatchLoader.Options loaderOptions(TrainConfig cfg, long seed, int threads) {
        return loaderOptions(cfg, seed, threads, cfg.train.batch);
    }

    static BatchLoader.Options loaderOptions(TrainConfig cfg, long seed, int threads, int batch) {
        // Prefetch a few steps ahead: enough to hide decoding behind a step, little memory.
        return new BatchLoader.Options(batch, cfg.model.frames, cfg.model.size, cfg.data.stride, cfg.data.maxStride,
                seed, threads, Math.max(2, threads * 2));
    }

    /** Checkpoints of a run folder, oldest first (by step number). */
    public static List<Path> listCheckpoints(Path dir) throws IOException {
        return RunFolder.listCheckpoints(dir);
    }

    /** The latest checkpoint of a run folder, or null. */
    public static Path latestCheckpoint(Path runDir) throws IOException {
        return RunFolder.latestCheckpoint(runDir);
    }

    private static void prune(Path dir, int keep) throws IOException {
        List<Path> all = listCheckpoints(dir);
        for (Iterator<Path> it = all.subList(0, Math.max(0, all.size() - keep)).iterator(); it.hasNext(); ) {
            Files.deleteIfExists(it.next());
        }
    }

    /** Resuming with other settings works but is no longer the same run: say what changed. */
    private static void warnOnChanges(CheckpointInfo info, TrainConfig cfg, String fingerprint, TrainingProgress progress) {
        List<String> changed = new ArrayList<>();
        diff("model", TrainConfig.JSON.valueToTree(info.config.model), TrainConfig.JSON.valueToTree(cfg.model), changed);
        if (info.config.train != null) {
            if (info.config.train.seed != cfg.train.seed) changed.add("train.seed");
            if (info.config.train.batch != cfg.train.batch) changed.add("train.batch");
        }
        if (!changed.isEmpty()) {
            progress.message("warning: resuming with changed settings " + changed
                    + ": the continuation is not the run the checkpoint started");
        }
        if (info.dataFingerprint != null && !info.dataFingerprint.equals(fingerprint)) {
            progress.message("warning: the training data differ from the checkpoint's (fingerprint "
                    + info.dataFingerprint + " then, " + fingerprint + " now)");
        }
    }

    private static void diff(String prefix, JsonNode a, JsonNode b, List<String> out) {
        if (a == null || b == null || !a.isObject() || !b.isObject()) {
            if (a == null ? b != null : !a.equals(b)) out.add(prefix);
            return;
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode x = a.get(n);
            JsonNode y = b.get(n);
            if (x == null ? y != null : !x.equals(y)) out.add(prefix + "." + n);
        }
    }
}
