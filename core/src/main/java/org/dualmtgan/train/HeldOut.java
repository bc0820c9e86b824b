package org.dualmtgan.train;

import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.run.TrainConfig;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * The held-out evaluation a run does every {@code train.evalEvery} steps (and the motion prior stage
 * after its fit), so the run keeps the checkpoint that scores best and a collapsed motion code shows
 * while it trains. Training only needs its scores; scoring is the evaluation package's work
 * ({@code org.dualmtgan.eval.HeldOutEvaluation}), found through {@link ServiceLoader} so that this
 * package does not depend on the packages above it.
 */
public interface HeldOut {
    /** Column names of {@code heldout.csv}. */
    String REC = "rec_ssim";
    String COPY = "copy_ssim";
    String BEST = "best_ssim";
    String MEAN = "mean_ssim";
    String DIV = "div_1_ssim";
    String KL = "kl_nats";
    /** Moving-pixel L1 of the reconstruction over the copy's: about 0.7 fades, well under 0.5 moves. */
    String MOVING = "moving_ratio";
    /** Transfer through the latent: each clip rendered from R(mu(E_M(V))) from its first frame, SSIM on frames 1..T-1. */
    String LATENT = "latent_ssim";
    /** Latent dimensions whose KL exceeds {@link #ACTIVE_NATS}: the ones that carry information. */
    String ACTIVE = "kl_active_dims";
    double ACTIVE_NATS = 0.05;

    /** How many held-out clips are scored. */
    int clips();

    /** The scores of {@code model} as it is now: the {@code heldout.csv} columns, then KL per dimension. */
    Scores run(DualMtgan model);

    /** The row of {@code heldout.csv} and of {@code heldout-kl.csv}. */
    record Scores(Map<String, Float> row, Map<String, Float> klPerDimension) {
        public float reconstruction() {
            return row.get(REC);
        }
    }

    /** Makes the held-out evaluation of a config (a service: {@code META-INF/services/org.dualmtgan.train.HeldOut$Factory}). */
    interface Factory {
        HeldOut create(TrainConfig cfg);
    }

    /** The held-out evaluation of {@code cfg}: the config's test subset as {@code train.eval*} says. */
    static HeldOut of(TrainConfig cfg) {
        for (Factory f : ServiceLoader.load(Factory.class, HeldOut.class.getClassLoader())) return f.create(cfg);
        throw new IllegalStateException("no held-out evaluation on the class path (org.dualmtgan.eval.HeldOutEvaluation$Provider)");
    }
}
