package org.dualmtgan.model;

/**
 * A loss term became NaN or infinite. Thrown by {@link TrainingStep#step} before any parameter is
 * updated, so the model and optimizers still hold the state of the previous step.
 */
public class NonFiniteLossException extends RuntimeException {
    private final String lossName;
    private final long step;

    public NonFiniteLossException(String lossName, long step) {
        super("loss " + lossName + " is not finite at step " + step);
        this.lossName = lossName;
        this.step = step;
    }

    public String lossName() {
        return lossName;
    }

    public long step() {
        return step;
    }
}
