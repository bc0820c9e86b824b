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

    /** A clip of exactly {@link #frames()} frames from {@code v}, its randomness from {@code rng}. */
    public Video sample(Video v, SplittableRandom rng) {
        int s = stride > 0 ? stride : 1 + rng.nextInt(maxStride);
        int n = v.frames();
        if (n <= 0) throw new IllegalArgumentException("video has no frames");
        // Largest stride that fits T frames, never below 1.
        while (s > 1 && (frames - 1) * s >= n) s--;
        int span = (frames - 1) * s + 1;
        int start = span >= n ? 0 : rng.nextInt(n - span + 1);
        Video clip = v.strided(start, s, frames);
        if (clip.frames() < frames) clip = holdLastFrame(clip, frames);
        return clip;
    }

    static Video holdLastFrame(Video clip, int frames) {
        int fs = clip.frameSize();
        float[] out = new float[frames * fs];
        System.arraycopy(clip.data(), 0, out, 0, clip.data().length);
        int last = (clip.frames() - 1) * fs;
        for (int t = clip.frames(); t < frames; t++) System.arraycopy(clip.data(), last, out, t * fs, fs);
        return new Video(out, frames, clip.height(), clip.width(), clip.fps());
    }
}
