package org.dualmtgan.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/** Seeded synthetic training clips for timings: no dataset needed, same inputs in every run. */
public final class SyntheticClips {
    private SyntheticClips() {}

    /**
     * Clips (B, T, 3, S, S) in [-1, 1]: a coloured square, a quarter of the frame wide, moving one
     * pixel per frame on a dark background, at a seeded position per sample.
     */
    public static NDArray movingSquares(NDManager m, long seed, int batch, int frames, int size) {
        float[] v = new float[batch * frames * 3 * size * size];
        SplittableRandom r = new SplittableRandom(seed);
        int side = Math.max(1, size / 4);
        for (int b = 0; b < batch; b++) {
            int x0 = r.nextInt(Math.max(1, size / 2));
            int y0 = r.nextInt(Math.max(1, size / 2));
            float[] colour = {(float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble()};
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < 3; c++) {
                    for (int yy = 0; yy < size; yy++) {
                        for (int xx = 0; xx < size; xx++) {
                            boolean in = xx >= x0 + t && xx < x0 + t + side && yy >= y0 && yy < y0 + side;
                            v[(((b * frames + t) * 3 + c) * size + yy) * size + xx] = in ? colour[c] * 2 - 1 : -0.8f;
                        }
                    }
                }
            }
        }
        return m.create(v, new Shape(batch, frames, 3, size, size));
    }
}
