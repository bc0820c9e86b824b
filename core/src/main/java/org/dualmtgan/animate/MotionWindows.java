package org.dualmtgan.animate;

import java.util.ArrayList;
import java.util.List;

/**
 * How a driving video longer than the training length T is encoded (METHOD.md, Inference): in
 * overlapping windows of T frames whose per-frame motion codes are blended where they overlap.
 *
 * <p>E_M sees every frame as {@code (x^t, x^t - x^1)}, so a window's motion is relative to its own
 * first frame. To keep every window relative to the driving video's first frame, a window other
 * than the first is the clip {@code [x^1, x^s, ..., x^{s+T-2}]}: the video's first frame, then
 * T - 1 consecutive frames. Its decoded codes at positions 2..T belong to frames s..s+T-2; the
 * code at position 1 (the reference itself) is dropped. The first window is frames 1..T as they
 * are. Window starts advance by {@code floor((T - 1) / 2)} (at least 1), so neighbours overlap by
 * about half a window, and the last window ends at the last frame.
 *
 * <p>Blending: each window weighs the frames it covers with a triangle, {@code min(p + 1, n - p)}
 * at position p of n covered frames, so a frame takes most of its code from the window it sits
 * in the middle of; codes are the weighted mean over the windows covering the frame.
 */
final class MotionWindows {
    /**
     * One window.
     *
     * @param clipFrames the driving video's frame indices (0-based) that make the window's clip, T of them
     * @param firstUsed  position in the clip of the first code kept (0 for the first window, else 1)
     * @param start      the driving video frame of that position
     * @param covered    number of frames the window covers: {@code start .. start + covered - 1}
     */
    record Window(int[] clipFrames, int firstUsed, int start, int covered) {}

    private MotionWindows() {}

    /** Windows for a driving video of {@code length} frames and a clip length {@code clip} (T >= 2). */
    static List<Window> plan(int length, int clip) {
        if (clip < 2) throw new IllegalArgumentException("clip length must be >= 2, got " + clip);
        if (length < 1) throw new IllegalArgumentException("length must be >= 1, got " + length);
        List<Window> out = new ArrayList<>();
        if (length <= clip) {
            int[] all = new int[length];
            for (int i = 0; i < length; i++) all[i] = i;
            out.add(new Window(all, 0, 0, length));
            return out;
        }
        int[] first = new int[clip];
        for (int i = 0; i < clip; i++) first[i] = i;
        out.add(new Window(first, 0, 0, clip));
        int span = clip - 1;              // frames a later window covers
        int hop = Math.max(1, span / 2);
        int last = length - span;         // start of the window ending at the last frame
        for (int s = hop; ; s += hop) {
            int start = Math.min(s, last);
            int[] frames = new int[clip];
            frames[0] = 0;
            for (int i = 1; i < clip; i++) frames[i] = start + i - 1;
            out.add(new Window(frames, 1, start, span));
            if (start == last) break;
        }
        return out;
    }

    /**
     * Blends per-window codes into one sequence: {@code codes[w]} holds window w's T codes of
     * {@code dim} floats each (row-major); the result holds {@code length} codes.
     */
    static float[] blend(List<Window> windows, float[][] codes, int length, int dim) {
        double[] sum = new double[length * dim];
        double[] weight = new double[length];
        for (int w = 0; w < windows.size(); w++) {
            Window win = windows.get(w);
            for (int p = 0; p < win.covered(); p++) {
                int frame = win.start() + p;
                double wt = Math.min(p + 1, win.covered() - p);
                int from = (win.firstUsed() + p) * dim;
                for (int d = 0; d < dim; d++) sum[frame * dim + d] += wt * codes[w][from + d];
                weight[frame] += wt;
            }
        }
        float[] out = new float[length * dim];
        for (int t = 0; t < length; t++) {
            if (weight[t] <= 0) throw new IllegalStateException("frame " + t + " is covered by no window");
            for (int d = 0; d < dim; d++) out[t * dim + d] = (float) (sum[t * dim + d] / weight[t]);
        }
        return out;
    }
}
