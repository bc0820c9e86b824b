package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dualmtgan.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One step of the motion prior's own stage (keypoint motion): the trajectory VAE, E_M's posterior
 * and R, fitted to keypoint trajectories that the trained detector gave ({@link Losses#computeTrajectory}).
 * Nothing else of the model changes: the detector, E_C and G keep their parameters, so
 * reconstruction and transfer are exactly those of the model the stage started from. The step's
 * noise comes from (runSeed, step), like {@link TrainingStep}'s, so a run repeats exactly.
 */
public final class TrajectoryStep {
    /** Names of the returned values, in order. */
    public static final List<String> TERMS = List.of(Losses.L_TRAJ, Losses.L_KL, Losses.G_TOTAL);

    private final DualMtgan model;
    private final ModelConfig cfg;
    private final long runSeed;
    private final Losses losses;
    private final Adam optimizer;
    private final Map<String, NDArray> parameters;

    /** @param lr the stage's learning rate (its batches are larger than the image stage's) */
    public TrajectoryStep(DualMtgan model, long runSeed, double lr) {
        if (!model.keypointMotion()) throw new InvalidInputException("the motion prior stage needs model.motion = \"keypoints\"");
        this.model = model;
        this.cfg = model.config();
        this.runSeed = runSeed;
        this.losses = new Losses(model);
        this.optimizer = new Adam(model.manager(), lr, cfg.beta1, cfg.beta2, cfg.eps);
        this.parameters = priorParameters(model);
    }

    /** The parameters of the trajectory VAE: R and E_M without its keypoint detector. */
    public static Map<String, NDArray> priorParameters(DualMtgan model) {
        Map<String, NDArray> out = new LinkedHashMap<>(model.parameters("R"));
        model.parameters("E_M").forEach((k, v) -> {
            if (!k.startsWith("E_M.detector.")) out.put(k, v);
        });
        return out;
    }

    /**
     * One update on trajectories (B, T, 2K) of keypoints in the detector's coordinates; {@code step}
     * is the 0-based stage step (it selects the noise). Returns L_traj, L_KL and their weighted
     * total; throws {@link NonFiniteLossException} before any update when one of them, or a
     * gradient, is not finite.
     */
    public Map<String, Float> step(NDArray trajectories, long step) {
        Shape s = trajectories.getShape();
        if (s.dimension() != 3 || s.get(1) < 2 || s.get(2) != 2L * cfg.keypoints) {
            throw new InvalidInputException("trajectories have shape " + s + ", the model expects (B, T >= 2, " + 2 * cfg.keypoints + ")");
        }
        int b = (int) s.get(0);
        SplittableRandom r = new SplittableRandom(DualMtgan.mix(runSeed, "trajectory step " + step));
        float[] eps = Losses.Draws.gaussian(r, b * cfg.motionDim);
        Map<String, Float> out = new LinkedHashMap<>();
        try (NDManager scope = model.manager().newSubManager()) {
            model.tempAttachTo(scope);
            scope.tempAttachAll(trajectories);
            TrainingStep.zeroGradients(parameters);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                Losses.Terms terms = losses.computeTrajectory(trajectories, eps);
                for (String name : TERMS) out.put(name, 0f);
                terms.generator.forEach((k, v) -> out.put(k, v.getFloat()));
                out.put(Losses.G_TOTAL, terms.generatorTotal.getFloat());
                for (Map.Entry<String, Float> e : out.entrySet()) {
                    if (!Float.isFinite(e.getValue())) throw new NonFiniteLossException(e.getKey(), step);
                }
                collector.backward(terms.generatorTotal);
            }
            try {
                TrainingStep.checkGradients(parameters, step);
            } catch (NonFiniteLossException e) {
                TrainingStep.zeroGradients(parameters);
                throw e;
            }
            optimizer.update(parameters);
            TrainingStep.zeroGradients(parameters);
        }
        return out;
    }

    public Adam optimizer() {
        return optimizer;
    }
}
