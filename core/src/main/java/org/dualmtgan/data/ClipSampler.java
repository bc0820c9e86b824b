package org.dualmtgan.data;

import org.dualmtgan.media.Video;

import java.util.SplittableRandom;

/**
 * Cuts a training clip of {@code T} frames out of a video: a random start, a fixed or random
 * stride. A video too short for the stride gets the largest stride that fits; one shorter than
 * {@code T} frames is padded by holding its last frame (so short clips still train, and the held
 * frames read as "no motion").
 */
public final class ClipSampler {
    private final int frames;
    private final int stride;
    private final int maxStride;

    /** Which frames of an {@code n}-frame video a clip takes: {@code start + k * stride} for k below {@code count}. */
    public record Plan(int start, int stride, int count) {
        public int index(int k) {
            return start + k * stride;
        }
    }

    /** @param stride a fixed stride, or 0 for a random stride in [1, maxStride] per clip */
    public ClipSampler(int frames, int stride, int maxStride) {
        if (frames < 1) throw new IllegalArgumentException("clip length must be >= 1");
        this.frames = frames;
        this.stride = stride;
        this.maxStride = Math.max(1, maxStride);
    }

    public int frames() {
        return frames;
    }

    /** The frames a clip takes from a video of {@code n} frames, its randomness from {@code rng}. */
    public Plan plan(int n, SplittableRandom rng) {
        if (n <= 0) throw new IllegalArgumentException("video has no frames");
        int s = stride > 0 ? stride : 1 + rng.nextInt(maxStride);
        // Largest stride that fits T frames, never below 1.
        while (s > 1 && (frames - 1) * s >= n) s--;
        int span = (frames - 1) * s + 1;
        int start = span >= n ? 0 : rng.nextInt(n - span + 1);
        int count = Math.min(frames, (n - start + s - 1) / s);
        return new Plan(start, s, count);
    }

    /** A clip of exactly {@link #frames()} frames from {@code v}. */
    public Video sample(Video v, SplittableRandom rng) {
        return take(v, plan(v.frames(), rng));
    }

    /** The planned frames of {@code v}, padded to {@link #frames()} by holding the last one. */
    public Video take(Video v, Plan p) {
        return pad(v.strided(p.start(), p.stride(), p.count()));
    }

    /** Pads a clip of the planned frames (already cut) to {@link #frames()} by holding its last frame. */
    Video pad(Video clip) {
        if (clip.frames() >= frames) return clip;
        int fs = clip.frameSize();
        float[] out = new float[frames * fs];
        System.arraycopy(clip.data(), 0, out, 0, clip.data().length);
        int last = (clip.frames() - 1) * fs;
        for (int t = clip.frames(); t < frames; t++) System.arraycopy(clip.data(), last, out, t * fs, fs);
        return new Video(out, frames, clip.height(), clip.width(), clip.fps());
    }
}
