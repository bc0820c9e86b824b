package org.dualmtgan.eval;

import org.dualmtgan.media.Video;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;

/**
 * Diversity among the samples of one input: the mean over pairs of samples of a distance between
 * them. The paper measures it with LPIPS, which needs pretrained network weights this project
 * cannot obtain; these are stand-ins under their own names, never LPIPS:
 * <ul>
 *   <li>{@code div-1-ssim}: mean pairwise {@code 1 - SSIM} (METHOD.md's SSIM, over the frames given);</li>
 *   <li>{@code div-l1}: mean pairwise mean absolute difference, on [0, 1].</li>
 * </ul>
 * Both are 0 for identical samples and grow as samples differ. With many samples a seeded subset
 * of {@code maxPairs} distinct pairs is used ({@link #pairs}); all pairs when there are few.
 */
public final class Diversity {
    public static final String DIV_1_SSIM = "div-1-ssim";
    public static final String DIV_L1 = "div-l1";

    private Diversity() {}

    /** Mean over all pairs of {@code 1 - SSIM}. */
    public static double oneMinusSsim(List<Video> samples) {
        return oneMinusSsim(samples, pairs(samples.size(), Integer.MAX_VALUE, 0));
    }

    /** Mean over all pairs of the L1 distance. */
    public static double l1(List<Video> samples) {
        return l1(samples, pairs(samples.size(), Integer.MAX_VALUE, 0));
    }

    public static double oneMinusSsim(List<Video> samples, List<int[]> pairs) {
        return mean(samples, pairs, (a, b) -> 1 - Metrics.ssim(a, b));
    }

    public static double l1(List<Video> samples, List<int[]> pairs) {
        return mean(samples, pairs, Metrics::l1);
    }

    /** Mean of {@code distance} over {@code pairs} of samples (0 without pairs). */
    public static double mean(List<Video> samples, List<int[]> pairs, ToDoubleBiFunction<Video, Video> distance) {
        if (pairs.isEmpty()) return 0;
        double s = 0;
        for (int[] p : pairs) s += distance.applyAsDouble(samples.get(p[0]), samples.get(p[1]));
        return s / pairs.size();
    }

    /**
     * Pairs {@code (i, j)}, {@code i < j < n}: all {@code n (n - 1) / 2} of them when that is at most
     * {@code maxPairs}, otherwise {@code maxPairs} distinct pairs drawn uniformly with {@code seed}
     * (SSIM of every pair of 100 samples is 4950 SSIMs per clip: slow on a CPU for little gain).
     */
    public static List<int[]> pairs(int n, int maxPairs, long seed) {
        long all = (long) n * (n - 1) / 2;
        List<int[]> out = new ArrayList<>();
        if (all <= maxPairs) {
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) out.add(new int[] {i, j});
            return out;
        }
        SplittableRandom r = new SplittableRandom(seed);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        while (out.size() < maxPairs) {
            int i = r.nextInt(n);
            int j = r.nextInt(n);
            if (i == j) continue;
            int a = Math.min(i, j), b = Math.max(i, j);
            if (seen.add((long) a * n + b)) out.add(new int[] {a, b});
        }
        return out;
    }
}
