package org.dualmtgan.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same forward and backward pass, repeated in one process with the JVM's and the engine's
 * memory churned between repetitions, gives the same gradient bytes every time: first the bilinear
 * sampler alone (image and flow), then a whole keypoint training step (soft-argmax detector, dense
 * motion, warped feature maps, the trajectory VAE). A gradient that flips names the freed or reused
 * memory the backward pass read (docs/training.md, Reproducibility). Repetitions:
 * {@code -Ddualmtgan.stressReps} (default 1000).
 */
class GradientStressTest {
    static final int REPS = Integer.getInteger("dualmtgan.stressReps", 1000);

    @Test
    void theSamplersGradientsAreTheSameBytesInEveryRepetition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = TinyModels.random(m, 1, 2, 3, 32, 32);
            NDArray flow = TinyModels.random(m, 2, 2, 2, 32, 32).mul(3f);
            NDArray weights = TinyModels.random(m, 3, 2, 3, 32, 32);
            byte[][] reference = samplerGradients(m, image, flow, weights);
            List<String> flips = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(4);
            for (int rep = 1; rep <= REPS; rep++) {
                churn(m, r, rep);
                byte[][] g = samplerGradients(m, image, flow, weights);
                if (!Arrays.equals(reference[0], g[0])) flips.add("rep " + rep + ": image gradient");
                if (!Arrays.equals(reference[1], g[1])) flips.add("rep " + rep + ": flow gradient");
            }
            assertEquals(List.of(), flips, "gradient flips in " + REPS + " repetitions");
        }
    }

    @Test
    void aKeypointTrainingStepsGradientsAreTheSameBytesInEveryRepetition() {
        ModelConfig c = TinyModels.keypoints(TinyModels.tiny(32, 4));
        c.lambdaM = 1; // the read-back of the rendered frames through the detector too
        try (NDManager m = NDManager.newBaseManager();
             DualMtgan model = DualMtgan.create(c, m, 7)) {
            NDArray clip = TinyModels.movingSquares(m, 5, 2, c.frames, c.size);
            Losses losses = new Losses(model);
            java.util.function.Supplier<Map<String, byte[]>> step = () -> stepGradients(model, losses, clip);
            Map<String, byte[]> reference = step.get();
            assertTrue(reference.size() > 10, "gradients of " + reference.keySet());
            assertEquals(List.of(), flips(m, reference, step, new SplittableRandom(6)),
                    "gradient flips in " + REPS + " repetitions of a keypoint step");
        }
    }

    @Test
    void aPerClipLatentWarpStepsGradientsAreTheSameBytesInEveryRepetition() {
        // Where the flips were first seen: E_M's posterior and LSTM and G's flow head, with every
        // term of the method on (L_rec, L_C, L_M read-back, L_KL, the latent regression, D_I, D_V).
        ModelConfig c = TinyModels.tiny(32, 4);
        c.decoder = "warp";
        c.lambdaC = 1;
        c.lambdaM = 1;
        c.lambdaLatent = 1;
        c.lambdaI = 0.1;
        c.lambdaV = 0.1;
        try (NDManager m = NDManager.newBaseManager();
             DualMtgan model = DualMtgan.create(c, m, 3)) {
            NDArray source = TinyModels.movingSquares(m, 5, 2, c.frames, c.size);
            NDArray target = TinyModels.movingSquares(m, 8, 2, c.frames, c.size);
            Losses losses = new Losses(model);
            Losses.Draws draws = Losses.Draws.of(1, 3, 2, c.frames, c.motionDim);
            java.util.function.Supplier<Map<String, byte[]>> step = () -> generatorGradients(model,
                    () -> losses.compute(source, target, draws, 1).generatorTotal, source, target);
            Map<String, byte[]> reference = step.get();
            assertTrue(reference.keySet().stream().anyMatch(k -> k.startsWith("E_M")), "E_M has gradients: " + reference.keySet());
            assertEquals(List.of(), flips(m, reference, step, new SplittableRandom(8)),
                    "gradient flips in " + REPS + " repetitions of a per-clip latent step");
        }
    }

    /** The repetitions of {@code step}, memory churned before each, whose gradients differ from {@code reference}, with the parameters that differ. */
    private static List<String> flips(NDManager m, Map<String, byte[]> reference, java.util.function.Supplier<Map<String, byte[]>> step,
                                      SplittableRandom r) {
        List<String> flips = new ArrayList<>();
        for (int rep = 1; rep <= REPS; rep++) {
            churn(m, r, rep);
            Map<String, byte[]> g = step.get();
            List<String> changed = new ArrayList<>();
            reference.forEach((k, v) -> { if (!Arrays.equals(v, g.get(k))) changed.add(k); });
            if (!changed.isEmpty()) flips.add("rep " + rep + ": " + changed);
        }
        return flips;
    }

    private static byte[][] samplerGradients(NDManager m, NDArray image, NDArray flow, NDArray weights) {
        try (NDManager scope = m.newSubManager()) {
            NDArray x = image.duplicate();
            NDArray f = flow.duplicate();
            x.attach(scope);
            f.attach(scope);
            x.setRequiresGradient(true);
            f.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = BilinearSampler.warp(x, f);
                collector.backward(out.mul(weights).sum());
            }
            return new byte[][] {x.getGradient().toByteArray(), f.getGradient().toByteArray()};
        }
    }

    /** Every generator parameter's gradient of one keypoint step's total, the parameters unchanged. */
    private static Map<String, byte[]> stepGradients(DualMtgan model, Losses losses, NDArray clip) {
        ModelConfig c = model.config();
        return generatorGradients(model, () -> losses.computeKeypoints(clip,
                Losses.KeypointDraws.of(1, 3, 2, c.frames, c.pairs, c.motionDim), 1).generatorTotal, clip);
    }

    /** Every generator parameter's gradient of {@code total} (computed in a fresh scope), the parameters unchanged. */
    private static Map<String, byte[]> generatorGradients(DualMtgan model, java.util.function.Supplier<NDArray> total, NDArray... inputs) {
        Map<String, NDArray> gen = model.parameters(DualMtgan.Side.GENERATOR);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (NDManager scope = model.manager().newSubManager()) {
            model.tempAttachTo(scope);
            scope.tempAttachAll(inputs);
            TrainingStep.zeroGradients(gen);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                collector.backward(total.get());
            }
            gen.forEach((k, v) -> {
                NDArray g = Adam.gradientOrNull(v);
                if (g != null) out.put(k, g.toByteArray());
            });
            TrainingStep.zeroGradients(gen);
            TrainingStep.zeroGradients(model.parameters(DualMtgan.Side.DISCRIMINATOR));
        }
        return out;
    }

    /** Native and Java memory allocated, written and freed in sizes that vary, and a GC now and then. */
    private static void churn(NDManager m, SplittableRandom r, int rep) {
        List<float[]> java = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] a = new float[1 + r.nextInt(1 << 16)];
            Arrays.fill(a, Float.NaN);
            java.add(a);
        }
        try (NDManager scope = m.newSubManager()) {
            for (float[] a : java) scope.create(a, new Shape(a.length)).add(1f);
            scope.full(new Shape(1 + r.nextInt(1 << 14)), Float.NaN).mul(2f);
        }
        if (rep % 100 == 0) System.gc();
    }
}
