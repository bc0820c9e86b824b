package org.dualmtgan.animate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hooks this package added to DualMtgan / MotionDecoder agree with the model's own paths. */
class ModelHooksTest {
    @Test
    void hooksComposeToTheModelsSampleAndSwitchLatentsMidway() {
        System.setProperty("ai.djl.offline", "true");
        ModelConfig cfg = TinyModel.config();
        int t = 6;
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); DualMtgan model = DualMtgan.create(cfg, m, 9)) {
            NDArray image = m.randomUniform(-1, 1, new Shape(2, 3, cfg.size, cfg.size));
            float[] zv = new float[2 * cfg.motionDim];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < zv.length; i++) zv[i] = (float) r.nextGaussian();
            NDArray z = m.create(zv, new Shape(2, cfg.motionDim));

            NDArray codes = model.decodeMotion(z, t);
            assertEquals(new Shape(2, t, cfg.motionCodeDim), codes.getShape());
            // G(E_C(y), R(z)) through the hooks is the model's own sample().
            NDArray viaHooks = model.generate(image, codes);
            NDArray direct = model.sample(image, z, t);
            assertTrue(viaHooks.sub(direct).abs().max().getFloat() < 1e-6);

            // A constant per-step sequence is decode(z, T).
            NDArray steps = z.expandDims(1).repeat(1, t);
            assertTrue(model.decodeMotionSteps(steps).sub(codes).abs().max().getFloat() < 1e-6);

            // Switching the latent at step k keeps the first k codes and changes the later ones.
            int k = 3;
            NDArray other = m.randomNormal(new Shape(2, 1, cfg.motionDim)).repeat(1, t - k);
            NDArray switched = model.decodeMotionSteps(steps.get(":, :" + k).concat(other, 1));
            assertArrayEquals(codes.get(":, :" + k).toFloatArray(), switched.get(":, :" + k).toFloatArray(), 1e-6f);
            assertTrue(codes.get(":, " + k + ":").sub(switched.get(":, " + k + ":")).abs().max().getFloat() > 1e-4);

            assertThrows(InvalidInputException.class, () -> model.decodeMotion(z, 0));
            assertThrows(InvalidInputException.class, () -> model.decodeMotionSteps(z));
            assertThrows(InvalidInputException.class, () -> model.generate(image, z));
        }
    }
}
