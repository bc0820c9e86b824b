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
}
