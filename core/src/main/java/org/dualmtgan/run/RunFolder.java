package org.dualmtgan.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a training run keeps its checkpoints (the rest of the folder is the trainer's business,
 * docs/training.md): {@code RUN/checkpoints/step-NNNNNNNN.ckpt}, {@code best.ckpt} (the best held-out
 * reconstruction) and {@code motion.ckpt} (best.ckpt with its motion prior fitted). Everything that
 * loads a model from a run folder reads it through here.
 */
public final class RunFolder {
    /** The folder of a run's checkpoints. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The checkpoint with the best held-out reconstruction SSIM; never pruned. */
    public static final String BEST = "best" + Checkpoint.EXTENSION;
    /** The motion prior stage's result: best.ckpt with its prior refitted; the run's model when present. */
    public static final String MOTION = "motion" + Checkpoint.EXTENSION;
    static final Pattern STEP_NAME = Pattern.compile("step-(\\d+)\\.ckpt");

    private RunFolder() {}

    /** Step checkpoints in {@code dir} (a run's checkpoints folder), oldest first (by step number). */
    public static List<Path> listCheckpoints(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> STEP_NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(stepOf(a), stepOf(b)));
        return out;
    }

    /** The latest step checkpoint of a run folder, or null. */
    public static Path latestCheckpoint(Path runDir) throws IOException {
        List<Path> all = listCheckpoints(runDir.resolve(CHECKPOINTS));
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The step in a step checkpoint's name. */
    public static long stepOf(Path checkpoint) {
        Matcher m = STEP_NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException("not a checkpoint name: " + checkpoint);
        return Long.parseLong(m.group(1));
    }
}
