package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Each loss term reaches exactly the networks it should; a weight of 0 skips the term. */
class LossesTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** The networks whose parameters receive a nonzero gradient from {@code term} alone. */
    private static Set<String> reached(String term, boolean discriminatorSide) {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 11);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            Losses losses = new Losses(model);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                Losses.Terms t = losses.compute(v, vy, Losses.Draws.of(3, 0, 2, 8, cfg.motionDim), 1.0);
                NDArray loss = (discriminatorSide ? t.discriminator : t.generator).get(term);
                assertNotNull(loss, term);
                assertTrue(Float.isFinite(loss.getFloat()), term);
                gc.backward(loss);
            }
            Set<String> out = new TreeSet<>();
            for (Map.Entry<String, NDArray> e : model.allParameters().entrySet()) {
                NDArray p = e.getValue();
                if (!p.hasGradient()) continue;
                float g = p.getGradient().abs().sum().getFloat();
                assertTrue(Float.isFinite(g), "gradient of " + e.getKey() + " from " + term);
                if (g > 0) out.add(DualMtgan.networkOf(e.getKey()));
            }
            return out;
        }
    }

    @Test
    void reconstructionReachesTheGeneratorSideOnly() {
        assertEquals(Set.of("E_C", "E_M", "R", "G"), reached(Losses.L_REC, false));
    }

    @Test
    void contentCoherenceReachesOnlyTheContentEncoder() {
        assertEquals(Set.of("E_C"), reached(Losses.L_C, false));
    }

    @Test
    void klReachesOnlyTheMotionEncoder() {
        assertEquals(Set.of("E_M"), reached(Losses.L_KL, false));
    }

    @Test
    void motionConsistencyAndLatentRegressionReachTheGeneratorSide() {
        assertEquals(Set.of("E_C", "E_M", "R", "G"), reached(Losses.L_M, false));
        assertEquals(Set.of("E_C", "E_M", "R", "G"), reached(Losses.L_LAT, false));
    }

    @Test
    void adversarialGeneratorTermsFlowThroughTheirOwnDiscriminatorOnly() {
        // The discriminator's own gradient from a generator term is dropped by TrainingStep.
        assertEquals(Set.of("D_I", "E_C", "E_M", "R", "G"), reached(Losses.L_GAN_I_G, false));
        assertEquals(Set.of("D_V", "E_C", "E_M", "R", "G"), reached(Losses.L_GAN_V_G, false));
    }

    @Test
    void discriminatorTermsReachOnlyTheirDiscriminator() {
        assertEquals(Set.of("D_I"), reached(Losses.L_D_I, true));
        assertEquals(Set.of("D_V"), reached(Losses.L_D_V, true));
    }

    @Test
    void aZeroWeightSkipsTheTermAndItsNetworks() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        cfg.lambdaC = 0;
        cfg.lambdaI = 0;
        cfg.lambdaLatent = 0;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 11);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            Losses.Terms t = new Losses(model).compute(v, v, Losses.Draws.of(3, 0, 2, 8, cfg.motionDim), 1.0);
            assertEquals(Set.of(Losses.L_REC, Losses.L_M, Losses.L_KL, Losses.L_GAN_V_G), t.generator.keySet());
            assertEquals(Set.of(Losses.L_D_V), t.discriminator.keySet());
            // During the warm-up the generator's adversarial terms are not computed; D still trains.
            Losses.Terms warm = new Losses(model).compute(v, v, Losses.Draws.of(3, 0, 2, 8, cfg.motionDim), 0.0);
            assertFalse(warm.generator.containsKey(Losses.L_GAN_V_G));
            assertTrue(warm.discriminator.containsKey(Losses.L_D_V));
            // Totals are the weighted sums.
            double expected = 0;
            ModelConfig c = model.config();
            expected += c.lambdaRec * warm.generator.get(Losses.L_REC).getFloat();
            expected += c.lambdaM * warm.generator.get(Losses.L_M).getFloat();
            expected += c.lambdaKL * warm.generator.get(Losses.L_KL).getFloat();
            assertEquals(expected, warm.generatorTotal.getFloat(), 1e-4 * Math.abs(expected));
        }
    }

    @Test
    void bceHelpersAreTheLogLossesOfTheDiscriminator() {
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = m.create(new float[] {0f, 2f, -3f});
            double real = (-Math.log(0.5) - Math.log(1 / (1 + Math.exp(-2))) - Math.log(1 / (1 + Math.exp(3)))) / 3;
            double fake = (-Math.log(0.5) - Math.log(1 - 1 / (1 + Math.exp(-2))) - Math.log(1 - 1 / (1 + Math.exp(3)))) / 3;
            assertEquals(real, Losses.real(logits).getFloat(), 1e-6);
            assertEquals(fake, Losses.fake(logits).getFloat(), 1e-6);
        }
    }

    /** The generator objective and E_M's gradient for one config, on the same clips and draws. */
    private static float[] objectiveAndEncoderGradient(ModelConfig cfg, NDArray[] clips) {
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 11);
            NDArray v = clips == null ? TinyModels.movingSquares(m, 1, 2, 8, 32) : clips[0].duplicate();
            Losses.Terms t;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                t = new Losses(model).compute(v, v, Losses.Draws.of(3, 0, 2, 8, cfg.motionDim), 0.0);
                gc.backward(t.generatorTotal);
                float total = t.generatorTotal.getFloat();
                float kl = t.generator.get(Losses.L_KL).getFloat();
                float rec = t.generator.get(Losses.L_REC).getFloat();
                NDArray g = model.parameters("E_M").get("E_M.posterior.weight").getGradient();
                return new float[] {total, kl, rec, g.abs().sum().getFloat()};
            }
        }
    }

    @Test
    void freeBitsLeaveTheLoggedKlAndOnlyRaiseTheObjectiveToTheFloor() {
        ModelConfig plain = TinyModels.tiny(32, 8);
        plain.lambdaI = 0;
        plain.lambdaV = 0;
        ModelConfig free = plain.copy();
        free.klFreeBits = 5; // far above any dimension's KL at initialisation
        float[] a = objectiveAndEncoderGradient(plain, null);
        float[] b = objectiveAndEncoderGradient(free, null);
        assertEquals(a[1], b[1], 0f, "the logged L_KL is the plain KL");
        // Every dimension sits under the floor: the objective counts the floor, 5 nats x 8 dimensions.
        assertEquals(a[0] - plain.lambdaKL * a[1] + plain.lambdaKL * 5 * plain.motionDim, b[0], 1e-4);
    }

    @Test
    void motionWeightingLeavesAStaticClipsReconstructionLossUnchanged() {
        ModelConfig plain = TinyModels.tiny(32, 8);
        plain.lambdaI = 0;
        plain.lambdaV = 0;
        ModelConfig weighted = plain.copy();
        weighted.recMotionWeight = 3;
        try (NDManager m = manager.newSubManager()) {
            // A clip whose frames all equal its first: |x^t - x^1| = 0, so the weight is 1 everywhere.
            NDArray still = TinyModels.movingSquares(m, 1, 2, 8, 32).get(":, 0:1").repeat(1, 8);
            float[] a = objectiveAndEncoderGradient(plain, new NDArray[] {still});
            float[] b = objectiveAndEncoderGradient(weighted, new NDArray[] {still});
            assertEquals(a[2], b[2], 0f);
            // On a moving clip the weighted loss is larger: moving pixels count more.
            float[] c = objectiveAndEncoderGradient(plain, null);
            float[] d = objectiveAndEncoderGradient(weighted, null);
            assertTrue(d[2] > c[2], d[2] + " vs " + c[2]);
        }
    }

    @Test
    void theWeightedPyramidIsThePlainOneUnderAUnitWeightAndCountsWeightedPixelsMore() {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = TinyModels.random(m, 1, 2, 3, 16, 16);
            NDArray b = TinyModels.random(m, 2, 2, 3, 16, 16);
            float plain = Losses.pyramidL1(a, b, 3).getFloat();
            assertEquals(plain, Losses.pyramidL1(a, b, 3, m.ones(new Shape(2, 1, 16, 16))).getFloat(), 1e-6f);
            assertEquals(2 * plain, Losses.pyramidL1(a, b, 3, m.full(new Shape(2, 1, 16, 16), 2f)).getFloat(), 1e-5f);
            // Weight on the left half only: between the plain loss and twice it.
            float[] w = new float[2 * 16 * 16];
            for (int i = 0; i < w.length; i++) w[i] = (i % 16) < 8 ? 2f : 1f;
            float half = Losses.pyramidL1(a, b, 3, m.create(w, new Shape(2, 1, 16, 16))).getFloat();
            assertTrue(half > plain && half < 2 * plain, half + " vs " + plain);
        }
    }

    @Test
    void theLogvarOffsetShiftsTheEncodersLogVariance() {
        ModelConfig base = TinyModels.tiny(32, 8);
        ModelConfig shifted = base.copy();
        shifted.logvarOffset = -2;
        try (NDManager m = manager.newSubManager();
             DualMtgan a = DualMtgan.create(base, m, 4); DualMtgan b = DualMtgan.create(shifted, m, 4)) {
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            float[] pa = a.encodePosterior(v).toFloatArray();
            float[] pb = b.encodePosterior(v).toFloatArray();
            int dim = base.motionDim;
            for (int i = 0; i < pa.length; i++) {
                boolean logvar = i % (2 * dim) >= dim;
                assertEquals(logvar ? pa[i] - 2 : pa[i], pb[i], 1e-5, "entry " + i);
            }
        }
    }
}
