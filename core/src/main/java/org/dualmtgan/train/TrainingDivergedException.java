package org.dualmtgan.train;

import java.nio.file.Path;

/**
 * Training stopped because a loss became NaN or infinite. The run folder keeps the last good
 * checkpoint ({@link #lastCheckpoint()}, null when none was written yet); nothing of the failed
 * step was saved.
 */
public class TrainingDivergedException extends RuntimeException {
    private final String lossName;
    private final long step;
    private final transient Path lastCheckpoint;

    public TrainingDivergedException(String lossName, long step, Path lastCheckpoint, Throwable cause) {
        super("training stopped: loss " + lossName + " is not finite at step " + step
                + (lastCheckpoint == null ? "; no checkpoint was written yet"
                        : "; last good checkpoint: " + lastCheckpoint), cause);
        this.lossName = lossName;
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    public String lossName() {
        return lossName;
    }

    /** The number (1-based, as in logs and checkpoint names) of the step whose loss was not finite. */
    public long step() {
        return step;
    }

    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
