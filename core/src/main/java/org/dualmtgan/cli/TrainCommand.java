package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.train.Trainer;
import org.dualmtgan.train.TrainingDivergedException;
import org.dualmtgan.train.TrainingProgress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code dualmtgan train}: trains (or resumes) a model from a config file. Exit codes: 0 done, 2 bad
 * input (config, data, checkpoint), 1 internal error or a loss that became NaN/infinite (the run
 * folder keeps its last good checkpoint), 130 stopped by Ctrl-C after saving a checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a Dual-MTGAN model from a config file (configs/*.json).",
                "Writes RUN/config.json, RUN/checkpoints, RUN/samples, RUN/losses.csv and RUN/losses.png."})
public final class TrainCommand implements Callable<Integer> {
    /** Exit code after Ctrl-C (128 + SIGINT), once the checkpoint is saved. */
    static final int EXIT_STOPPED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Training config (JSON). With --resume it may be left out: the run's config.json is used.")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder, overriding data.path of the config.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/NAME).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Total steps, overriding train.steps.")
    Long steps;

    @Option(names = "--motion-steps", paramLabel = "N",
            description = "Steps of the motion prior stage that follows the image stage (keypoint motion), overriding train.motionSteps; 0: none.")
    Long motionSteps;

    @Option(names = "--batch", paramLabel = "B", description = "Clips per batch, overriding train.batch.")
    Integer batch;

    @Option(names = "--seed", paramLabel = "K", description = "Run seed, overriding train.seed.")
    Long seed;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Held-out evaluation every N steps and at the last, overriding train.evalEvery; 0: none (no best.ckpt).")
    Integer evalEvery;

    @Option(names = "--eval-clips", paramLabel = "N",
            description = "Held-out clips each evaluation scores, overriding train.evalClips (a quick run: fewer).")
    Integer evalClips;

    @Option(names = "--resume-from", paramLabel = "CKPT",
            description = {"Continue from this training checkpoint (for example a bundled model's",
                    "models/NAME/resume.ckpt): it is copied into OUT/checkpoints, then the run resumes."})
    Path resumeFrom;

    @Option(names = "--resume", description = "Continue from the latest checkpoint of the run folder.")
    boolean resume;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Engine device (default: ${DEFAULT-VALUE}); gpu needs a CUDA build of the engine.")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TrainConfig cfg;
        CheckpointInfo fromInfo = null;
        if (resumeFrom != null) {
            if (!Files.isRegularFile(resumeFrom)) throw new InvalidInputException(resumeFrom, "checkpoint not found");
            fromInfo = Checkpoint.readInfo(resumeFrom);
            if (!CheckpointInfo.KIND_TRAINING.equals(fromInfo.kind)) {
                throw new InvalidInputException(resumeFrom, "is an inference export, not a training checkpoint: it cannot be resumed");
            }
            resume = true;
        }
        if (config != null) {
            cfg = TrainConfig.read(config);
        } else if (fromInfo != null) {
            cfg = fromInfo.config;
        } else if (resume && out != null && Files.isRegularFile(out.resolve("config.json"))) {
            cfg = TrainConfig.read(out.resolve("config.json"));
        } else {
            throw new InvalidInputException("--config FILE is required (it may be left out only with --resume and --out RUN)");
        }
        if (data != null) cfg.data.path = data.toString();
        if (steps != null) cfg.train.steps = steps;
        if (motionSteps != null) cfg.train.motionSteps = motionSteps;
        if (batch != null) cfg.train.batch = batch;
        if (seed != null) cfg.train.seed = seed;
        if (evalEvery != null) cfg.train.evalEvery = evalEvery;
        if (evalClips != null) cfg.train.evalClips = evalClips;
        cfg.validate();
        if (cfg.data.path == null || cfg.data.path.isBlank()) {
            throw new InvalidInputException(config, "data.path is not set: give --data DIR");
        }
        // Relative data paths resolve against the current directory; the run keeps the absolute one.
        cfg.data.path = Path.of(cfg.data.path).toAbsolutePath().normalize().toString();
        if (cfg.train.evalData != null) {
            Path held = Path.of(cfg.train.evalData).toAbsolutePath().normalize();
            if (!Files.isDirectory(held)) throw new InvalidInputException(held, "train.evalData: no such folder");
            cfg.train.evalData = held.toString();
        }

        Trainer.Options opts = new Trainer.Options();
        opts.runDir = (out != null ? out : Path.of("runs", cfg.name)).toAbsolutePath().normalize();
        opts.resume = resume;
        if (fromInfo != null) seedRun(opts.runDir, resumeFrom, fromInfo.step);
        opts.device = Trainer.device(device);
        opts.progress = TrainingProgress.create(stdout, System.console() != null, cfg.train.logEvery);
        opts.checkpointOnShutdown = true;
        stdout.println(String.format(Locale.ROOT, "training %s: %d steps, batch %d, seed %d, %dx%d x %d frames, device %s -> %s",
                cfg.name, cfg.train.steps, cfg.train.batch, cfg.train.seed, cfg.model.size, cfg.model.size,
                cfg.model.frames, opts.device, opts.runDir));
        stdout.flush();
        try {
            Trainer.Result r = new Trainer().run(cfg, opts);
            return r.stopped() ? EXIT_STOPPED : Main.EXIT_OK;
        } catch (TrainingDivergedException e) {
            stderr.println("error: " + e.getMessage());
            stderr.flush();
            return Main.EXIT_INTERNAL;
        }
    }

    /** Copies {@code ckpt} into the run's checkpoints unless the run already has one at least as far. */
    private static void seedRun(Path run, Path ckpt, long step) throws java.io.IOException {
        Path dir = run.resolve("checkpoints");
        Path target = dir.resolve(String.format(Locale.ROOT, "step-%08d%s", step, Checkpoint.EXTENSION));
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                boolean further = s.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("step-") && n.endsWith(Checkpoint.EXTENSION))
                        .anyMatch(n -> n.compareTo(target.getFileName().toString()) >= 0);
                if (further) return;
            }
        }
        Files.createDirectories(dir);
        org.dualmtgan.util.AtomicFiles.write(target, tmp -> Files.copy(ckpt, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING));
    }
}
