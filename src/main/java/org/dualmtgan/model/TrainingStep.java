package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * One Dual-MTGAN training step: forward pass of METHOD.md, all loss terms (Losses), one
 * discriminator update (D_I, D_V) and one generator update (E_C, E_M, R, G), each with its own
 * {@link Adam}. Every random draw of step {@code s} comes from a {@link java.util.SplittableRandom}
 * seeded by (runSeed, s), so a resumed run draws the same numbers.
 */
public final class TrainingStep {
    public TrainingStep(DualMtgan model, long runSeed) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * One step. {@code source} is V and {@code targetClip} is V_y (y = its frame 0), both
     * (B, T, 3, H, W) in [-1, 1]. Returns every loss term by name ("L_rec", "L_C", "L_M", "L_KL",
     * "L_lat", "L_GAN_I_G", "L_GAN_V_G", "L_D_I", "L_D_V", "G_total", "D_total"; a switched-off term
     * reads 0) and "adv_weight" (the warm-up/ramp factor of the adversarial weights at this step).
     * Throws {@link NonFiniteLossException} before any update when a term is NaN or infinite.
     */
    public Map<String, Float> step(NDArray source, NDArray targetClip, long step) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Optimizer of E_C, E_M, R, G. */
    public Adam generatorOptimizer() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Optimizer of D_I, D_V. */
    public Adam discriminatorOptimizer() {
        throw new UnsupportedOperationException("not yet");
    }
}
