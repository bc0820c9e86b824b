package org.dualmtgan.eval;

import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {
    /** The test pattern of the independent reference (a direct 2-D window SSIM in numpy, float64). */
    static Video pattern(int frames, int h, int w, boolean distorted) {
        float[] d = new float[frames * 3 * h * w];
        int i = 0;
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        double a = 0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y + c + 0.5 * t);
                        if (distorted) a = Math.min(1, Math.max(0, a + 0.15 * Math.cos(0.7 * x - 0.4 * y + 0.3 * t * c)));
                        d[i++] = (float) a;
                    }
        return new Video(d, frames, h, w, 25);
    }

    @Test
    void ssimMatchesAnIndependentReference() {
        double[] f = Metrics.ssimPerFrame(pattern(2, 16, 20, false), pattern(2, 16, 20, true));
        // Values from a direct (non-separable) numpy implementation of METHOD.md's definition.
        assertEquals(0.7767520561385372, f[0], 1e-6);
        assertEquals(0.7796957105710146, f[1], 1e-6);
        assertEquals((f[0] + f[1]) / 2, Metrics.ssim(pattern(2, 16, 20, false), pattern(2, 16, 20, true)), 1e-12);
    }

    @Test
    void identicalFramesScoreOneAndScoresAreSymmetricAndBounded() {
        Video a = pattern(3, 24, 24, false);
        Video b = pattern(3, 24, 24, true);
        assertEquals(1.0, Metrics.ssim(a, a), 1e-12);
        assertEquals(Metrics.ssim(a, b), Metrics.ssim(b, a), 1e-12);
        float[] inv = a.data().clone();
        for (int i = 0; i < inv.length; i++) inv[i] = 1 - inv[i];
        double s = Metrics.ssim(a, new Video(inv, 3, 24, 24, 25));
        assertTrue(s >= -1 && s < 0, "an inverted image is anti-correlated: " + s);
    }

    @Test
    void psnrMseAndL1MatchTheReference() {
        Video a = pattern(2, 16, 20, false);
        Video b = pattern(2, 16, 20, true);
        assertEquals(0.010804979690290373, Metrics.mse(a, b), 1e-9);
        assertEquals(19.66376045106803, Metrics.psnr(a, b), 1e-5);
        assertEquals(0.09377154595284386, Metrics.l1(a, b), 1e-8);
        assertEquals(20.0, Metrics.psnrOfMse(0.01), 1e-12, "PSNR of MSE 0.01 at range 1 is 20 dB");
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a));
    }

    @Test
    void rejectsMismatchedShapesAndTinyFrames() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(pattern(1, 16, 16, false), pattern(2, 16, 16, false)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(pattern(1, 8, 8, false), pattern(1, 8, 8, false)));
    }

    @Test
    void movingL1ScoresOnlyThePixelsThatMove() {
        // 2 frames of 2 x 2: pixel 0 changes by 0.5 in red from frame 0 (moving), the others by 0.05 (static).
        float[] truth = new float[2 * 3 * 4];
        float[] first = new float[3 * 4];
        truth[0] = 0.5f;               // frame 0, red, pixel 0
        for (int c = 0; c < 3; c++) truth[12 + c * 4 + 1] = 0.05f; // frame 1, pixel 1: below the threshold
        truth[12] = 0.5f;              // frame 1, red, pixel 0
        Video t = new Video(truth, 2, 2, 2, 25);
        Video f = new Video(first, 1, 2, 2, 25);
        // A copy of frame 0 misses the moving pixel by 0.5 in red, 0 in green and blue: mean over its 3 channels.
        Video copy = new Video(new float[2 * 3 * 4], 2, 2, 2, 25);
        assertEquals(0.5 / 3, Metrics.movingL1(copy, t, f), 1e-6);
        // A model wrong only on static pixels scores 0 there.
        float[] wrongStatic = truth.clone();
        wrongStatic[3] = 0.9f;
        assertEquals(0, Metrics.movingL1(new Video(wrongStatic, 2, 2, 2, 25), t, f), 1e-9);
        // Nothing moving: NaN, not 0.
        assertTrue(Double.isNaN(Metrics.movingL1(copy, copy, f)));
    }
}
