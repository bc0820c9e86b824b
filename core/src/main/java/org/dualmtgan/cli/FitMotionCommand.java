package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.train.MotionFit;
import org.dualmtgan.run.TrainConfig;
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
 * {@code dualmtgan fit-motion}: the motion prior stage alone ({@link MotionFit}) on a training
 * checkpoint of a keypoint-motion model, for a run trained before the stage existed or to try its
 * settings. {@code train} runs the same stage itself after the image stage when train.motionSteps > 0.
 */
@Command(name = "fit-motion", mixinStandardHelpOptions = true,
        header = "Fit the motion prior of a trained keypoint-motion model on its training clips.",
        description = {"Fit the motion prior (keypoint motion: E_M's trajectory posterior and R) of a trained model",
                "on keypoint windows of its training clips, everything else frozen.",
                "Writes OUT/checkpoints/motion.ckpt, OUT/motion.csv, OUT/motion.png and OUT/motion-heldout.csv."})
public final class FitMotionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "CKPT",
            description = "Training checkpoint to start from (a run's checkpoints/best.ckpt, a bundled resume.ckpt).")
    Path from;

    @Option(names = "--config", paramLabel = "FILE", description = "Training config (default: the checkpoint's own).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder, overriding data.path.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: the checkpoint's run folder when it lies in RUN/checkpoints, else runs/NAME).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Steps of the stage, overriding train.motionSteps (default there: 4000 when unset).")
    Long steps;

    @Option(names = "--batch", paramLabel = "B", description = "Keypoint windows per step, overriding train.motionBatch.")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate, overriding train.motionLr.")
    Double lr;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "Engine device (default: ${DEFAULT-VALUE}).")
    String device;

    /** Steps when neither the config nor --steps sets them. */
    static final long DEFAULT_STEPS = 4000;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (!Files.isRegularFile(from)) throw new InvalidInputException(from, "checkpoint not found");
        CheckpointInfo info = Checkpoint.readInfo(from);
        if (!CheckpointInfo.KIND_TRAINING.equals(info.kind)) {
            throw new InvalidInputException(from, "is an inference export; fit-motion starts from a training checkpoint");
        }
        TrainConfig cfg = config != null ? TrainConfig.read(config) : info.config;
        if (cfg == null) throw new InvalidInputException(from, "checkpoint holds no config: give --config FILE");
        if (data != null) cfg.data.path = data.toString();
        if (steps != null) cfg.train.motionSteps = steps;
        else if (cfg.train.motionSteps == 0) cfg.train.motionSteps = DEFAULT_STEPS;
        if (batch != null) cfg.train.motionBatch = batch;
        if (lr != null) cfg.train.motionLr = lr;
        cfg.validate();
        if (cfg.data.path == null || cfg.data.path.isBlank()) throw new InvalidInputException(from, "data.path is not set: give --data DIR");
        cfg.data.path = Path.of(cfg.data.path).toAbsolutePath().normalize().toString();
        if (!Files.exists(Path.of(cfg.data.path))) throw new InvalidInputException(Path.of(cfg.data.path), "data.path: no such folder (give --data DIR)");
        Path run = out != null ? out : defaultRun(from, cfg.name);
        run = run.toAbsolutePath().normalize();
        stdout.println(String.format(Locale.ROOT, "fitting the motion prior of %s: %d steps, %d windows a step, lr %s -> %s",
                from, cfg.train.motionSteps, cfg.train.motionBatch, cfg.train.motionLr, run));
        stdout.flush();
        TrainingProgress progress = TrainingProgress.create(stdout, System.console() != null, cfg.train.logEvery);
        try {
            MotionFit.run(cfg, from, run, Trainer.device(device), progress);
            return Main.EXIT_OK;
        } catch (TrainingDivergedException e) {
            stderr.println("error: " + e.getMessage());
            stderr.flush();
            return Main.EXIT_INTERNAL;
        } finally {
            progress.finish();
        }
    }

    private static Path defaultRun(Path ckpt, String name) {
        Path dir = ckpt.toAbsolutePath().getParent();
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("checkpoints") && dir.getParent() != null) {
            return dir.getParent();
        }
        return Path.of("runs", name);
    }
}
