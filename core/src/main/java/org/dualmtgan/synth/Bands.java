package org.dualmtgan.synth;

import java.util.SplittableRandom;

/**
 * The held-out rule for a continuous parameter: its range [lo, hi) is cut into {@code bands} equal
 * intervals; training values come from the even-numbered ones, test values from the odd-numbered
 * ones, so the two sets are disjoint and test values interleave with training values.
 */
public final class Bands {
    private Bands() {}

    static double sample(SplittableRandom r, Split split, double lo, double hi, int bands) {
        int perSplit = (bands + (split == Split.TRAIN ? 1 : 0)) / 2;
        int k = 2 * r.nextInt(perSplit) + (split == Split.TRAIN ? 0 : 1);
        double w = (hi - lo) / bands;
        return lo + w * (k + r.nextDouble());
    }

    /** The split whose bands hold {@code value}; for checking the rule. */
    public static Split splitOf(double value, double lo, double hi, int bands) {
        int k = (int) Math.floor((value - lo) / ((hi - lo) / bands));
        if (k < 0 || k >= bands) throw new IllegalArgumentException(value + " outside [" + lo + ", " + hi + ")");
        return k % 2 == 0 ? Split.TRAIN : Split.TEST;
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
