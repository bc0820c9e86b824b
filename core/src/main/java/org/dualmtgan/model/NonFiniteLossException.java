package org.dualmtgan.model;

/**
 * A loss term became NaN or infinite. Thrown by {@link TrainingStep#step} before any parameter is
 * updated, so the model and optimizers still hold the state of the previous step.
 */
public class NonFiniteLossException extends RuntimeException {
    private final String lossName;
    private final long step;
    private final boolean gradient;

    public NonFiniteLossException(String lossName, long step) {
        this(lossName, step, false);
    }

    private NonFiniteLossException(String lossName, long step, boolean gradient) {
        super("loss " + lossName + " is not finite at step " + step);
        this.lossName = lossName;
        this.step = step;
        this.gradient = gradient;
    }

    /** Every loss was finite but the gradient of {@code parameter} is not. */
    public static NonFiniteLossException ofGradient(String parameter, long step) {
        return new NonFiniteLossException("gradient of " + parameter, step, true);
    }

    /** Whether the losses were finite and only a gradient was not. */
    public boolean isGradient() {
        return gradient;
    }

    public String lossName() {
        return lossName;
    }

    public long step() {
        return step;
    }
}
