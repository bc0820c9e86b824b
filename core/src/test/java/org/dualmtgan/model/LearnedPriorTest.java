package org.dualmtgan.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The learned prior p(z | kp^1) of keypoint motion: the whitening arithmetic and the public latents it keeps standard. */
class LearnedPriorTest {

    @Test
    void theWhitenedPosteriorsKlAgainstTheStandardNormalIsTheKlAgainstThePrior() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] muQ = {0.5f, -1f, 2f};
            float[] lvQ = {-1f, 0.3f, 0f};
            float[] muP = {0.1f, 1f, -0.5f};
            float[] lvP = {0.7f, -0.4f, 0f};
            NDList q = new NDList(m.create(muQ, new Shape(1, 3)), m.create(lvQ, new Shape(1, 3)));
            NDList p = new NDList(m.create(muP, new Shape(1, 3)), m.create(lvP, new Shape(1, 3)));
            NDList w = KeypointEncoder.whiten(q, p);
            float[] kl = Losses.klPerDimension(w.get(0), w.get(1)).toFloatArray();
            for (int d = 0; d < 3; d++) {
                // KL(N(mq, vq) || N(mp, vp)) = 0.5 (log vp/vq + (vq + (mq - mp)^2) / vp - 1)
                double vq = Math.exp(lvQ[d]);
                double vp = Math.exp(lvP[d]);
                double expected = 0.5 * (lvP[d] - lvQ[d] + (vq + (muQ[d] - muP[d]) * (muQ[d] - muP[d])) / vp - 1);
                assertEquals(expected, kl[d], 1e-5, "dimension " + d);
            }
            // A whitened mean maps back to the posterior's mean.
            assertArrayEquals(muQ, KeypointEncoder.unwhiten(w.get(0), p).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void publicLatentsAreWhitenedSoThePosteriorMeanDecodesAsTheRawOne() {
        ModelConfig c = TinyModels.keypoints(tiny());
        c.trajectoryPrior = "learned";
        c.validate();
        try (NDManager m = NDManager.newBaseManager();
             DualMtgan model = DualMtgan.create(c, m, 3)) {
            assertTrue(model.allParameters().keySet().stream().anyMatch(KeypointEncoder::isPriorParameter));
            SplittableRandom r = new SplittableRandom(4);
            int dims = 2 * c.keypoints;
            float[] kp = new float[2 * c.frames * dims];
            for (int i = 0; i < kp.length; i++) kp[i] = (float) (r.nextDouble() - 0.5);
            NDArray traj = m.create(kp, new Shape(2, c.frames, dims));
            NDArray first = traj.get(":, 0");
            NDArray disp = traj.sub(first.expandDims(1));
            KeypointEncoder enc = model.keypointEncoder();
            NDArray rawMu = enc.posterior(first, disp, false).get(0);
            NDArray raw = model.motionDecoder().decode(rawMu.concat(first, 1), c.frames, false);
            NDArray whiteMu = model.trajectoryPosterior(first, disp).get(0);
            assertTrue(whiteMu.sub(rawMu).abs().max().getFloat() > 1e-4f, "the prior's mean is not zero, so whitening moves the mean");
            assertArrayEquals(raw.toFloatArray(), model.decodeTrajectory(whiteMu, first, c.frames).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void aLearnedPriorNeedsKeypointMotionAndANameItKnows() {
        ModelConfig latent = tiny();
        latent.trajectoryPrior = "learned";
        assertTrue(assertThrows(InvalidInputException.class, latent::validate).getMessage().contains("needs motion \"keypoints\""));
        ModelConfig odd = TinyModels.keypoints(tiny());
        odd.trajectoryPrior = "gaussian";
        assertTrue(assertThrows(InvalidInputException.class, odd::validate).getMessage().contains("\"gaussian\""));
    }

    private static ModelConfig tiny() {
        ModelConfig c = new ModelConfig();
        c.size = 32;
        c.frames = 5;
        c.width = 4;
        c.contentDim = 8;
        return c;
    }
}
