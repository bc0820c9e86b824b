package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/** Tiny configs and seeded inputs shared by the model tests (and the keypoint settings by other packages' tests). */
public final class TinyModels {
    private TinyModels() {}

    static ModelConfig tiny(int size, int frames) {
        ModelConfig c = new ModelConfig();
        c.size = size;
        c.frames = frames;
        c.width = 8;
        c.contentDim = 16;
        c.motionDim = 8;
        c.motionCodeDim = 8;
        c.warmupSteps = 0;
        c.rampSteps = 0;
        return c;
    }

    /**
     * Switches {@code c} to a tiny keypoint motion code: K = 3, z of 4, LSTM state 8, 2 pairs a clip,
     * and the terms that mode refuses or that a tiny run does not need off (L_C, L_V, latent, D_I, L_M).
     */
    public static ModelConfig keypoints(ModelConfig c) {
        c.motion = "keypoints";
        c.keypoints = 3;
        c.motionDim = 4;
        c.motionCodeDim = 6;
        c.trajectoryHidden = 8;
        c.pairs = 2;
        c.lambdaC = 0;
        c.lambdaV = 0;
        c.lambdaLatent = 0;
        c.lambdaI = 0;
        c.lambdaM = 0;
        return c;
    }

    /** Uniform values in [-1, 1] of the given shape, from a Java seed. */
    static NDArray random(NDManager m, long seed, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return m.create(v, s);
    }

    /**
     * A smooth moving-blob clip (B, T, 3, S, S) in [-1, 1]: a bright square that moves one pixel
     * per frame on a dark background, one per sample at a seeded position.
     */
    static NDArray movingSquares(NDManager m, long seed, int batch, int frames, int size) {
        return movingSquares(m, seed, batch, frames, size, 1);
    }

    /** As above, the squares moving {@code speed} px a frame to the right (starting far enough left to stay inside). */
    static NDArray movingSquares(NDManager m, long seed, int batch, int frames, int size, int speed) {
        float[] v = new float[batch * frames * 3 * size * size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int b = 0; b < batch; b++) {
            int x0 = speed == 1 ? r.nextInt(size / 2) : r.nextInt(Math.max(1, size - size / 4 - speed * (frames - 1)));
            int y0 = r.nextInt(size / 2);
            float[] colour = {(float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble()};
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < 3; c++) {
                    for (int yy = 0; yy < size; yy++) {
                        for (int xx = 0; xx < size; xx++) {
                            boolean in = xx >= x0 + speed * t && xx < x0 + speed * t + size / 4 && yy >= y0 && yy < y0 + size / 4;
                            int i = (((b * frames + t) * 3 + c) * size + yy) * size + xx;
                            v[i] = in ? colour[c] * 2 - 1 : -0.8f;
                        }
                    }
                }
            }
        }
        return m.create(v, new Shape(batch, frames, 3, size, size));
    }
}
