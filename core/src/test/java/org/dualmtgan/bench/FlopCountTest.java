package org.dualmtgan.bench;

import ai.djl.ndarray.NDManager;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopCountTest {
    /** Size 32 (levels 16, 8, 4 px), T 4, width 2: channels 2, 4, 8; contentDim 4, motionDim 2, motionCodeDim 2. */
    private static ModelConfig handConfig() {
        ModelConfig c = new ModelConfig();
        c.size = 32;
        c.frames = 4;
        c.width = 2;
        c.contentDim = 4;
        c.motionDim = 2;
        c.motionCodeDim = 2;
        return c;
    }

    private static long sum(List<FlopCount.Layer> layers) {
        return layers.stream().mapToLong(FlopCount.Layer::macs).sum();
    }

    @Test
    void networksMatchHandCountedMultiplyAdds() {
        FlopCount fc = new FlopCount(handConfig());
        // E_C, one frame: conv 3->2 k4 to 16x16, 2->4 to 8x8, 4->8 to 4x4, dense 8*16 -> 4.
        long ec = 2L * 16 * 16 * 3 * 16 + 4L * 8 * 8 * 2 * 16 + 8L * 4 * 4 * 4 * 16 + 128L * 4;
        assertEquals(41472, ec);
        assertEquals(ec, sum(fc.contentEncoder(1)));
        // E_M, one clip of 4 frames: the trunk with 6 input channels per frame, feature 128 -> 4,
        // LSTM(4, 4) for 4 steps, posterior 4 -> 4.
        long trunk6 = 2L * 16 * 16 * 6 * 16 + 4L * 8 * 8 * 2 * 16 + 8L * 4 * 4 * 4 * 16;
        long em = 4 * trunk6 + 4 * 128L * 4 + 4 * (4L * 4 * (4 + 4)) + 4L * 4;
        assertEquals(264720, em);
        assertEquals(em, sum(fc.motionEncoder(1, 4)));
        // R, one latent, 4 steps: initial 2 -> 4, LSTM(2, 4) per step, output 4 -> 2 per step.
        long r = 2L * 4 + 4 * (4L * 4 * (2 + 4)) + 4 * (4L * 2);
        assertEquals(424, r);
        assertEquals(r, sum(fc.motionDecoder(1, 4)));
        // G, one image, 4 frames: start dense once; every conv and FiLM dense per frame.
        long g = 4L * 128                        // start: contentDim 4 -> 8 * 16
                + 4 * (8L * 4 * 4 * 16 * 9)      // start_conv 16 -> 8 at 4x4
                + 4 * (2L * 16)                  // start_film 2 -> 16
                + 4 * (4L * 8 * 8 * 8 * 9)       // up2 8 -> 4 at 8x8
                + 4 * (2L * 8)                   // up2_film
                + 4 * (4L * 8 * 8 * 8 * 9)       // merge2 8 -> 4 at 8x8
                + 4 * (2L * 8)                   // merge2_film
                + 4 * (2L * 16 * 16 * 4 * 9)     // up1 4 -> 2 at 16x16
                + 4 * (2L * 4)                   // up1_film
                + 4 * (2L * 16 * 16 * 4 * 9)     // merge1 4 -> 2 at 16x16
                + 4 * (2L * 4)                   // merge1_film
                + 4 * (2L * 32 * 32 * 2 * 9)     // final_up 2 -> 2 at 32x32
                + 4 * (2L * 4)                   // final_film
                + 4 * (4L * 32 * 32 * 2 * 9);    // output 2 -> 4 (masked) at 32x32
        assertEquals(811872, g);
        assertEquals(g, sum(fc.generator(1, 4)));
        // D_I, one pair: 6 -> 2 to 16x16, 2 -> 4 to 8x8, logits 3x3 4 -> 1 at 8x8.
        long di = 2L * 16 * 16 * 6 * 16 + 4L * 8 * 8 * 2 * 16 + 64L * 4 * 9;
        assertEquals(59648, di);
        assertEquals(di, sum(fc.imageDiscriminator(1)));
        // D_V, one clip of 4 frames: (4,4,4) stride 2 in time -> 2 frames; then (3,4,4) stride 1 -> 2 frames; logits 3x3x3.
        long dv = 2L * 2 * 16 * 16 * 3 * 64 + 4L * 2 * 8 * 8 * 2 * 48 + 2L * 8 * 8 * 4 * 27;
        assertEquals(259584, dv);
        assertEquals(dv, sum(fc.videoDiscriminator(1, 4)));
    }

    @Test
    void trainingStepCountsEveryNetworkCallOfLosses() {
        FlopCount fc = new FlopCount(handConfig());
        int b = 2;
        // E_C on B*T + B frames, E_M on B + 3B clips, R on 2B latents, G on 3B images, D_I on 3B + 7B pairs, D_V on 3B + 5B clips.
        long macs = 10 * 41472L + 8 * 264720L + 4 * 424L + 6 * 811872L + 20 * 59648L + 16 * 259584L;
        assertEquals(12751712L, macs);
        assertEquals(2 * macs, fc.trainingForwardFlops(b));
        assertEquals(6 * macs, fc.trainingStepFlops(b));
        // Without L_C, E_C sees only x^1 and y; without D_V, no video discriminator call.
        ModelConfig c = handConfig();
        c.lambdaC = 0;
        c.lambdaV = 0;
        long noCnoV = 4 * 41472L + 8 * 264720L + 4 * 424L + 6 * 811872L + 20 * 59648L;
        assertEquals(2 * noCnoV, new FlopCount(c).trainingForwardFlops(b));
    }

    @Test
    void inferenceCallsFollowTheAnimator() {
        FlopCount fc = new FlopCount(handConfig());
        // 16 driving frames, T 4: window hop 1, the last window starts at 13: 1 + 13 windows of 4 frames.
        assertEquals(14, FlopCount.windows(16, 4));
        assertEquals(4, FlopCount.windows(16, 8)); // hop 3, starts 3, 6, 9
        long transfer = 14 * 264720L + 14 * 424L + 41472L + sum(fc.generator(1, 16));
        assertEquals(2 * transfer, fc.forwardFlops(fc.transfer(16)));
        // A driving clip no longer than T is one window of its own length.
        assertEquals(2 * (sum(fc.motionEncoder(1, 3)) + sum(fc.motionDecoder(1, 3)) + 41472L + sum(fc.generator(1, 3))),
                fc.forwardFlops(fc.transfer(3)));
        long generate = 8 * 424L + 8 * 41472L + 8 * 811872L;
        assertEquals(2 * generate, fc.forwardFlops(fc.generate(8, 4)));
    }

    @Test
    void layerListHasTheRealModelsParameters() {
        ModelConfig[] configs = new ModelConfig[6];
        configs[0] = handConfig();
        configs[1] = handConfig();
        configs[1].decoder = "plain";
        configs[1].spectralNorm = true; // u vectors are state, not parameters
        configs[2] = handConfig();
        configs[2].size = 64;
        configs[2].frames = 8;
        configs[3] = handConfig();
        configs[3].size = 128;
        configs[3].frames = 3;
        configs[3].width = 1;
        configs[4] = handConfig();
        configs[4].frames = 32;
        configs[4].motionCodeDim = 5;
        configs[5] = handConfig();
        configs[5].decoder = "warp";
        try (NDManager m = NDManager.newBaseManager()) {
            for (ModelConfig c : configs) {
                try (DualMtgan model = DualMtgan.create(c, m, 1)) {
                    assertEquals(model.parameterCounts(), new FlopCount(c).parameterCounts(),
                            "size " + c.size + " T " + c.frames + " width " + c.width + " " + c.decoder);
                }
            }
        }
    }
}
