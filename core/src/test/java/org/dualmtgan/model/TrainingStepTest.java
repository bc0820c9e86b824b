package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingStepTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static Map<String, float[]> snapshot(Map<String, NDArray> params) {
        Map<String, float[]> out = new HashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    static boolean same(Map<String, float[]> before, Map<String, NDArray> now) {
        for (Map.Entry<String, NDArray> e : now.entrySet()) {
            if (!java.util.Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray())) return false;
        }
        return true;
    }

    @Test
    void stepReturnsEveryTermFinite() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            Map<String, Float> losses = ts.step(v, vy, 0);
            for (String name : TrainingStep.TERMS) {
                assertTrue(Float.isFinite(losses.get(name)), name);
                // The keypoint motion's own terms are off (0) for this per-clip latent model.
                if (name.equals(Losses.L_EQ) || name.equals(Losses.L_TRAJ)) {
                    assertEquals(0f, losses.get(name), name);
                    continue;
                }
                assertTrue(losses.get(name) > 0, name + " should be computed and positive: " + losses.get(name));
            }
            assertEquals(1f, losses.get(Losses.ADV_WEIGHT));
            assertEquals(1, ts.generatorOptimizer().stepCount());
            assertEquals(1, ts.discriminatorOptimizer().stepCount());
            assertSame(m, v.getManager(), "inputs go back to the caller's manager");
            assertFalse(v.isReleased());
        }
    }

    @Test
    void eachSideUpdatesOnlyItsOwnParameters() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            Map<String, NDArray> gen = model.parameters(DualMtgan.Side.GENERATOR);
            Map<String, NDArray> disc = model.parameters(DualMtgan.Side.DISCRIMINATOR);

            Map<String, float[]> g0 = snapshot(gen);
            Map<String, float[]> d0 = snapshot(disc);
            ts.step(v, vy, 0, true, false); // generator step only
            assertTrue(same(d0, disc), "a G step leaves D unchanged");
            assertFalse(same(g0, gen), "a G step changes G");
            assertEquals(0, ts.discriminatorOptimizer().stepCount());

            Map<String, float[]> g1 = snapshot(gen);
            ts.step(v, vy, 1, false, true); // discriminator step only
            assertTrue(same(g1, gen), "a D step leaves G unchanged");
            assertFalse(same(d0, disc), "a D step changes D");
            assertEquals(1, ts.generatorOptimizer().stepCount());
            // Gradients never carry over into the next step.
            for (NDArray p : model.allParameters().values()) {
                if (p.hasGradient()) assertEquals(0f, p.getGradient().abs().sum().getFloat());
            }
        }
    }

    @Test
    void sameSeedsGiveIdenticalLossesAndParameters() {
        ModelConfig cfg = TinyModels.tiny(32, 4);
        try (NDManager m = manager.newSubManager()) {
            NDArray v = TinyModels.movingSquares(m, 1, 2, 4, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 4, 32);
            DualMtgan a = DualMtgan.create(cfg, m, 5);
            DualMtgan b = DualMtgan.create(cfg, m, 5);
            TrainingStep ta = new TrainingStep(a, 9);
            TrainingStep tb = new TrainingStep(b, 9);
            for (long s = 0; s < 3; s++) assertEquals(ta.step(v, vy, s), tb.step(v, vy, s), "step " + s);
            assertTrue(same(snapshot(a.allParameters()), b.allParameters()));
            // Another run seed draws other numbers.
            DualMtgan c = DualMtgan.create(cfg, m, 5);
            TrainingStep tc = new TrainingStep(c, 10);
            assertNotEquals(new TrainingStep(DualMtgan.create(cfg, m, 5), 9).step(v, vy, 0), tc.step(v, vy, 0));
        }
    }

    @Test
    void aTinyModelOverfitsOneBatch() {
        // Reconstruction alone (the other terms switched off by their weights) on one short batch.
        ModelConfig cfg = TinyModels.tiny(32, 4);
        cfg.lr = 2e-3;
        cfg.lambdaC = 0;
        cfg.lambdaM = 0;
        cfg.lambdaLatent = 0;
        cfg.lambdaI = 0;
        cfg.lambdaV = 0;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 2);
            TrainingStep ts = new TrainingStep(model, 3);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 4, 32);
            float first = stepRecomputing(ts, v, 0).get(Losses.L_REC);
            float last = first;
            for (long s = 1; s < STEPS_TO_HALVE; s++) last = stepRecomputing(ts, v, s).get(Losses.L_REC);
            assertTrue(last <= 0.5f * first, "L_rec " + first + " -> " + last + " in " + STEPS_TO_HALVE + " steps");
        }
    }

    static final int STEPS_TO_HALVE = 20;

    @Test
    void warmUpKeepsTheAdversarialWeightsAtZeroThenRamps() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        cfg.warmupSteps = 2;
        cfg.rampSteps = 4;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            Map<String, float[]> d0 = snapshot(model.parameters(DualMtgan.Side.DISCRIMINATOR));
            Map<String, Float> warm = ts.step(v, v, 0);
            assertEquals(0f, warm.get(Losses.ADV_WEIGHT));
            assertEquals(0f, warm.get(Losses.L_GAN_I_G), "not computed during the warm-up");
            assertTrue(warm.get(Losses.L_D_I) > 0, "the discriminators still train");
            assertFalse(same(d0, model.parameters(DualMtgan.Side.DISCRIMINATOR)));
            assertEquals(0.25f, ts.step(v, v, 2).get(Losses.ADV_WEIGHT), 1e-6);
            assertEquals(1f, ts.step(v, v, 9).get(Losses.ADV_WEIGHT));
        }
    }

    @Test
    void nonFiniteLossesStopTheStepBeforeAnyUpdate() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray bad = v.mul(Float.NaN);
            Map<String, float[]> before = snapshot(model.allParameters());
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> ts.step(bad, v, 4));
            assertEquals(4, e.step());
            assertNotNull(e.lossName());
            assertTrue(same(before, model.allParameters()));
            assertEquals(0, ts.generatorOptimizer().stepCount());
            // The model still trains afterwards.
            assertTrue(Float.isFinite(ts.step(v, v, 5).get(Losses.G_TOTAL)));
        }
    }

    @Test
    void wrongShapesAreBadInput() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            TrainingStep ts = new TrainingStep(DualMtgan.create(cfg, m, 1), 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray shortClip = TinyModels.movingSquares(m, 1, 2, 6, 32);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ts.step(shortClip, v, 0));
            assertTrue(e.getMessage().contains("(B, 8, 3, 32, 32)"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> ts.step(v, TinyModels.movingSquares(m, 1, 3, 8, 32), 0));
        }
    }

    /**
     * A step, recomputed (as the trainer does, up to 3 attempts) when it reports a non-finite
     * gradient with finite losses: the rare engine fault of docs/training.md, seen once in this test
     * (E_M.trunk.conv1.weight at step 5) on an AVX-512 machine. Nothing is updated by such a step.
     */
    static Map<String, Float> stepRecomputing(TrainingStep ts, NDArray v, long s) {
        return stepRecomputing(ts, v, v, s);
    }

    /** {@link #stepRecomputing(TrainingStep, NDArray, long)} with a separate target clip. */
    static Map<String, Float> stepRecomputing(TrainingStep ts, NDArray v, NDArray target, long s) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ts.step(v, target, s);
            } catch (NonFiniteLossException e) {
                if (!e.isGradient() || attempt == 3) throw e;
            }
        }
    }
}
