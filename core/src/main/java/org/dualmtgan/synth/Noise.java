package org.dualmtgan.synth;

/** Deterministic value noise for textures: a hashed lattice, smoothly interpolated. */
final class Noise {
    private Noise() {}

    /** A 64-bit mix (the SplitMix64 finaliser). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static double lattice(long seed, long ix, long iy) {
        long h = mix(seed ^ mix(ix * 0x9E3779B97F4A7C15L + iy));
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Smooth noise in [0, 1] at (x, y) in lattice units. */
    static double value(long seed, double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        long ix = (long) fx;
        long iy = (long) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = lattice(seed, ix, iy);
        double b = lattice(seed, ix + 1, iy);
        double c = lattice(seed, ix, iy + 1);
        double d = lattice(seed, ix + 1, iy + 1);
        return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
    }

    /** Three octaves of value noise, in [0, 1]. */
    static double fractal(long seed, double x, double y) {
        return (value(seed, x, y) * 4 + value(seed + 1, x * 2, y * 2) * 2 + value(seed + 2, x * 4, y * 4)) / 7;
    }
}
