package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dualmtgan.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Dual-MTGAN training step: the forward pass of METHOD.md and all loss terms ({@link Losses}),
 * then one discriminator update (D_I, D_V, on detached fakes) and one generator update (E_C, E_M,
 * R, G), each side with its own {@link Adam}. Both updates use the gradients of the same forward
 * pass (a simultaneous step: neither side sees the other's update within the step), which costs
 * one generator forward per step. Every random draw of step {@code s} comes from a
 * {@link java.util.SplittableRandom} seeded by (runSeed, s), so a resumed run draws the same
 * numbers; all intermediate arrays live in one sub-manager per step.
 */
public final class TrainingStep {
    /** Names of the returned values, in order. */
    public static final List<String> TERMS = List.of(Losses.L_REC, Losses.L_C, Losses.L_M, Losses.L_KL, Losses.L_LAT,
            Losses.L_EQ, Losses.L_TRAJ, Losses.L_GAN_I_G, Losses.L_GAN_V_G, Losses.L_D_I, Losses.L_D_V, Losses.G_TOTAL, Losses.D_TOTAL);

    private final DualMtgan model;
    private final ModelConfig cfg;
    private final long runSeed;
    private final Losses losses;
    private final Adam generatorOptimizer;
    private final Adam discriminatorOptimizer;

    public TrainingStep(DualMtgan model, long runSeed) {
        this.model = model;
        this.cfg = model.config();
        this.runSeed = runSeed;
        this.losses = new Losses(model);
        NDManager m = model.manager();
        generatorOptimizer = new Adam(m, cfg.lr, cfg.beta1, cfg.beta2, cfg.eps);
        discriminatorOptimizer = new Adam(m, cfg.lr, cfg.beta1, cfg.beta2, cfg.eps);
    }

    /**
     * One step. {@code source} is V and {@code targetClip} is V_y (y = its frame 0), both
     * (B, T, 3, H, W) float32 in [-1, 1] with T and H = W of the config. {@code step} is the
     * 0-based global step (it selects the random draws and the adversarial ramp). Returns every
     * loss term by name ("L_rec", "L_C", "L_M", "L_KL", "L_lat", "L_GAN_I_G", "L_GAN_V_G", "L_D_I",
     * "L_D_V", "G_total", "D_total"; a switched-off term reads 0) and "adv_weight" (the warm-up/ramp
     * factor multiplying lambdaI and lambdaV). Terms are unweighted; the totals are weighted.
     * Throws {@link NonFiniteLossException} before any update when a term, or a gradient, is NaN
     * or infinite (lossName "gradient of NAME" for the latter).
     */
    public Map<String, Float> step(NDArray source, NDArray targetClip, long step) {
        return step(source, targetClip, step, true, true);
    }

    /**
     * As {@link #step(NDArray, NDArray, long)}, updating only the sides asked for (tests; a side
     * not updated keeps its parameters and optimizer state, and its gradients are cleared).
     */
    public Map<String, Float> step(NDArray source, NDArray targetClip, long step,
                                   boolean updateGenerator, boolean updateDiscriminator) {
        checkClip("source clip", source);
        checkClip("target clip", targetClip);
        if (source.getShape().get(0) != targetClip.getShape().get(0)) {
            throw new InvalidInputException("source batch " + source.getShape().get(0) + " differs from target batch "
                    + targetClip.getShape().get(0));
        }
        int b = (int) source.getShape().get(0);
        Map<String, NDArray> gen = model.parameters(DualMtgan.Side.GENERATOR);
        Map<String, NDArray> disc = model.parameters(DualMtgan.Side.DISCRIMINATOR);
        Map<String, Float> out = new LinkedHashMap<>();
        try (NDManager scope = model.manager().newSubManager()) {
            model.tempAttachTo(scope);
            scope.tempAttachAll(source);
            if (targetClip != source) scope.tempAttachAll(targetClip); // twice would release it
            zeroGradients(gen);
            zeroGradients(disc);
            double adv = cfg.adversarialFactor(step);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                Losses.Terms terms = cfg.keypointMotion()
                        ? losses.computeKeypoints(source, Losses.KeypointDraws.of(runSeed, step, b, cfg.frames, cfg.pairs, cfg.motionDim), adv)
                        : losses.compute(source, targetClip, Losses.Draws.of(runSeed, step, b, cfg.frames, cfg.motionDim), adv);
                for (String name : TERMS) out.put(name, 0f);
                terms.generator.forEach((k, v) -> out.put(k, v.getFloat()));
                terms.discriminator.forEach((k, v) -> out.put(k, v.getFloat()));
                if (terms.generatorTotal != null) out.put(Losses.G_TOTAL, terms.generatorTotal.getFloat());
                if (terms.discriminatorTotal != null) out.put(Losses.D_TOTAL, terms.discriminatorTotal.getFloat());
                out.put(Losses.ADV_WEIGHT, (float) adv);
                for (Map.Entry<String, Float> e : out.entrySet()) {
                    if (!Float.isFinite(e.getValue())) throw new NonFiniteLossException(e.getKey(), step);
                }
                if (updateGenerator && terms.generatorTotal != null) collector.backward(terms.generatorTotal);
                // The generator's backward pass also filled D's gradients: drop them before D's own.
                zeroGradients(disc);
                if (updateDiscriminator && terms.discriminatorTotal != null) collector.backward(terms.discriminatorTotal);
            }
            // A NaN gradient would poison the parameters for good: refuse it like a NaN loss.
            try {
                if (updateGenerator) checkGradients(gen, step);
                if (updateDiscriminator) checkGradients(disc, step);
            } catch (NonFiniteLossException e) {
                // Nothing is updated, and no gradient is left to add to the recomputed step's.
                zeroGradients(gen);
                zeroGradients(disc);
                throw e;
            }
            if (updateGenerator) generatorOptimizer.update(gen);
            if (updateDiscriminator) discriminatorOptimizer.update(enabledDiscriminators(disc));
            zeroGradients(gen);
            zeroGradients(disc);
        }
        return out;
    }

    /** Largest gradient element accepted as genuine (see {@link #checkGradients}). */
    static final float CORRUPT = 1e6f;

    static void checkGradients(Map<String, NDArray> params, long step) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = Adam.gradientOrNull(e.getValue());
            // Beyond CORRUPT a gradient is not this model's (losses of order 1, gradients of order 1e-3 to 1)
            // but memory the engine read after it was freed (docs/training.md, Reproducibility): one such
            // finite value overflows Adam's second moment and turns the parameter into NaN a step later.
            if (g != null && !(g.abs().max().getFloat() <= CORRUPT)) {
                throw NonFiniteLossException.ofGradient(e.getKey(), step);
            }
        }
    }

    /** D parameters of the discriminators that are on (a weight of 0 switches one off entirely). */
    private Map<String, NDArray> enabledDiscriminators(Map<String, NDArray> disc) {
        Map<String, NDArray> on = new LinkedHashMap<>();
        disc.forEach((k, v) -> {
            String net = DualMtgan.networkOf(k);
            if ((net.equals("D_I") && cfg.lambdaI > 0) || (net.equals("D_V") && cfg.lambdaV > 0)) on.put(k, v);
        });
        return on;
    }

    static void zeroGradients(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            if (Adam.gradientOrNull(p) != null) Adam.zeroGradient(p);
        }
    }

    private void checkClip(String what, NDArray clip) {
        Shape s = clip.getShape();
        if (s.dimension() != 5 || s.get(0) < 1 || s.get(1) != cfg.frames || s.get(2) != 3
                || s.get(3) != cfg.size || s.get(4) != cfg.size) {
            throw new InvalidInputException(what + " has shape " + s + ", model expects (B, " + cfg.frames + ", 3, "
                    + cfg.size + ", " + cfg.size + ")");
        }
        if (clip.getDataType() != DataType.FLOAT32) {
            throw new InvalidInputException(what + " has type " + clip.getDataType() + ", model expects float32");
        }
    }

    /** The run seed the draws derive from. */
    public long runSeed() {
        return runSeed;
    }

    /** The model this step trains. */
    public DualMtgan model() {
        return model;
    }

    /** Optimizer of E_C, E_M, R, G. */
    public Adam generatorOptimizer() {
        return generatorOptimizer;
    }

    /** Optimizer of D_I, D_V. */
    public Adam discriminatorOptimizer() {
        return discriminatorOptimizer;
    }
}
