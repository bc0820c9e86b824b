package org.dualmtgan.eval;

import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DiversityTest {
    static Video constant(float v, int frames, int size) {
        float[] d = new float[frames * 3 * size * size];
        java.util.Arrays.fill(d, v);
        return new Video(d, frames, size, size, 25);
    }

    @Test
    void identicalSamplesHaveNoDiversity() {
        Video a = MetricsTest.pattern(3, 16, 16, true);
        List<Video> same = List.of(a, a, a, a);
        assertEquals(0, Diversity.oneMinusSsim(same), 1e-12);
        assertEquals(0, Diversity.l1(same), 0);
    }

    @Test
    void constantFramesMatchHandDerivedValues() {
        // Constant frames: every window has zero variance, so SSIM = (2 a b + C1) / (a^2 + b^2 + C1).
        // a = 0.2, b = 0.5: 1 - 0.2001 / 0.2901 = 0.3102378490175802 (python3, float64).
        List<Video> two = List.of(constant(0.2f, 2, 12), constant(0.5f, 2, 12));
        assertEquals(0.3102378490175802, Diversity.oneMinusSsim(two), 1e-6);
        assertEquals(0.3, Diversity.l1(two), 1e-6);
        // Three samples 0.2, 0.5, 0.9: the mean over the three pairs (python3, float64).
        List<Video> three = List.of(constant(0.2f, 2, 12), constant(0.5f, 2, 12), constant(0.9f, 2, 12));
        assertEquals(0.3458565942627341, Diversity.oneMinusSsim(three), 1e-6);
        assertEquals(0.4666666666666666, Diversity.l1(three), 1e-6);
    }

    @Test
    void boundedAndOrderFree() {
        Video a = MetricsTest.pattern(2, 16, 20, false);
        Video b = MetricsTest.pattern(2, 16, 20, true);
        float[] inv = a.data().clone();
        for (int i = 0; i < inv.length; i++) inv[i] = 1 - inv[i];
        Video c = new Video(inv, 2, 16, 20, 25);
        double d1 = Diversity.oneMinusSsim(List.of(a, b, c));
        double d2 = Diversity.oneMinusSsim(List.of(c, a, b));
        assertEquals(d1, d2, 1e-12);
        assertTrue(d1 > 0 && d1 <= 2, "1 - SSIM lies in [0, 2]: " + d1);
        double l = Diversity.l1(List.of(a, b, c));
        assertTrue(l > 0 && l <= 1, "L1 on [0, 1] lies in [0, 1]: " + l);
    }

    @Test
    void pairsAreAllOrASeededDistinctSubset() {
        assertEquals(10, Diversity.pairs(5, 10, 0).size());
        assertEquals(0, Diversity.pairs(1, 10, 0).size());
        List<int[]> sub = Diversity.pairs(100, 200, 7);
        assertEquals(200, sub.size());
        Set<Long> seen = new HashSet<>();
        for (int[] p : sub) {
            assertTrue(p[0] < p[1] && p[0] >= 0 && p[1] < 100);
            assertTrue(seen.add(p[0] * 100L + p[1]), "pairs are distinct");
        }
        List<int[]> again = Diversity.pairs(100, 200, 7);
        for (int i = 0; i < sub.size(); i++) assertArrayEquals(sub.get(i), again.get(i), "same seed, same pairs");
    }
}
