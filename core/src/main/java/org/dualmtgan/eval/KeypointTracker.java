package org.dualmtgan.eval;

import org.dualmtgan.media.Video;

/**
 * Finds keypoints in the frames of a video without the model: normalized cross-correlation (NCC)
 * template tracking. Each point starts at a known position in frame 0; in every later frame it is
 * searched within {@code searchRadius} pixels of where it was in the previous frame, scoring each
 * candidate by the mean of its NCC with the point's patch in frame 0 (no drift) and with its patch
 * in the previous frame (follows slow changes of appearance, such as a mouth opening), and refined
 * to sub-pixel precision by a parabola through the best score and its neighbours along each axis.
 *
 * <p>Patches are RGB, {@code (2 patchRadius + 1)^2} pixels, sampled bilinearly at real-valued
 * centres (edges clamped). Coordinates follow the synth package's keypoint convention: x to the
 * right, y down, the centre of pixel (column i, row j) at (i, j).
 *
 * <p>Its own error is measured, not assumed: {@code KeypointTrackerTest} tracks the rendered
 * keypoints of synthetic clips on their ground-truth frames, and the transfer protocol reports the
 * same measurement (the "ground truth" row) next to every model, so the floor is always visible.
 */
public final class KeypointTracker {
    private final int patchRadius;
    private final int searchRadius;

    public KeypointTracker(int patchRadius, int searchRadius) {
        if (patchRadius < 1 || searchRadius < 1) throw new IllegalArgumentException("radii must be >= 1");
        this.patchRadius = patchRadius;
        this.searchRadius = searchRadius;
    }

    /** The defaults for frames of {@code size} px: 13 x 13 patches and a 4 px search per frame at 64 px, scaled with the size (chosen on synthetic faces, see docs/eval.md). */
    public static KeypointTracker forSize(int size) {
        return new KeypointTracker(Math.max(2, (int) Math.round(6.0 * size / 64)), Math.max(2, (int) Math.round(4.0 * size / 64)));
    }

    public int patchRadius() {
        return patchRadius;
    }

    public int searchRadius() {
        return searchRadius;
    }

    /**
     * Positions {@code [T][K][2]} (x, y) of the {@code K} points {@code start[k] = {x, y}} (given
     * in frame 0, which is returned unchanged) in every frame of {@code v}.
     */
    public double[][][] track(Video v, double[][] start) {
        int frames = v.frames();
        int k = start.length;
        double[][][] out = new double[frames][k][];
        int side = 2 * patchRadius + 1;
        int n = Video.CHANNELS * side * side;
        for (int p = 0; p < k; p++) {
            double[] pos = start[p].clone();
            out[0][p] = pos.clone();
            double[] first = patch(v, 0, pos[0], pos[1], new double[n]);
            normalize(first);
            double[] previous = first.clone();
            double[] cand = new double[n];
            int grid = 2 * searchRadius + 1;
            double[] score = new double[grid * grid];
            for (int t = 1; t < frames; t++) {
                for (int dy = -searchRadius; dy <= searchRadius; dy++) {
                    for (int dx = -searchRadius; dx <= searchRadius; dx++) {
                        patch(v, t, pos[0] + dx, pos[1] + dy, cand);
                        double s;
                        if (!normalize(cand)) {
                            s = -1; // a flat patch matches nothing
                        } else {
                            s = 0.5 * (dot(first, cand) + dot(previous, cand));
                        }
                        int i = (dy + searchRadius) * grid + dx + searchRadius;
                        score[i] = s;
                    }
                }
                // Ties (flat surroundings) keep the point where it was.
                int best = searchRadius * grid + searchRadius;
                for (int i = 0; i < score.length; i++) if (score[i] > score[best]) best = i;
                int bx = best % grid;
                int by = best / grid;
                double ox = bx - searchRadius + subpixel(score, grid, bx, by, 1, 0);
                double oy = by - searchRadius + subpixel(score, grid, bx, by, 0, 1);
                pos = new double[] {pos[0] + ox, pos[1] + oy};
                out[t][p] = pos.clone();
                patch(v, t, pos[0], pos[1], previous);
                if (!normalize(previous)) System.arraycopy(first, 0, previous, 0, n);
            }
        }
        return out;
    }

    /**
     * Mean Euclidean distance in pixels between {@code a} and {@code b} ({@code [T][K][2]}) over
     * frames {@code from..T-1} and all points.
     */
    public static double meanError(double[][][] a, double[][][] b, int from) {
        if (a.length != b.length) throw new IllegalArgumentException("frame counts differ: " + a.length + " vs " + b.length);
        double sum = 0;
        int count = 0;
        for (int t = from; t < a.length; t++) {
            if (a[t].length != b[t].length) throw new IllegalArgumentException("point counts differ at frame " + t);
            for (int k = 0; k < a[t].length; k++) {
                sum += Math.hypot(a[t][k][0] - b[t][k][0], a[t][k][1] - b[t][k][1]);
                count++;
            }
        }
        if (count == 0) throw new IllegalArgumentException("no frames from " + from + " of " + a.length);
        return sum / count;
    }

    /** Offset in [-0.5, 0.5] of the vertex of the parabola through the best score and its two neighbours. */
    private static double subpixel(double[] s, int grid, int x, int y, int ux, int uy) {
        int x0 = x - ux, y0 = y - uy, x1 = x + ux, y1 = y + uy;
        if (x0 < 0 || y0 < 0 || x1 >= grid || y1 >= grid) return 0;
        double a = s[y0 * grid + x0];
        double b = s[y * grid + x];
        double c = s[y1 * grid + x1];
        double den = a - 2 * b + c;
        if (den >= 0) return 0;
        return Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / den));
    }

    /** The RGB patch centred at (cx, cy) of frame t, bilinear, edges clamped; written into {@code out}. */
    private double[] patch(Video v, int t, double cx, double cy, double[] out) {
        int h = v.height();
        int w = v.width();
        float[] d = v.data();
        int plane = h * w;
        int base = t * Video.CHANNELS * plane;
        int i = 0;
        for (int c = 0; c < Video.CHANNELS; c++) {
            int off = base + c * plane;
            for (int dy = -patchRadius; dy <= patchRadius; dy++) {
                double y = Math.max(0, Math.min(h - 1, cy + dy));
                int y0 = (int) Math.floor(y);
                int y1 = Math.min(h - 1, y0 + 1);
                double fy = y - y0;
                for (int dx = -patchRadius; dx <= patchRadius; dx++) {
                    double x = Math.max(0, Math.min(w - 1, cx + dx));
                    int x0 = (int) Math.floor(x);
                    int x1 = Math.min(w - 1, x0 + 1);
                    double fx = x - x0;
                    double top = d[off + y0 * w + x0] * (1 - fx) + d[off + y0 * w + x1] * fx;
                    double bottom = d[off + y1 * w + x0] * (1 - fx) + d[off + y1 * w + x1] * fx;
                    out[i++] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return out;
    }

    /** Zero mean, unit norm in place; false for a (nearly) flat patch. */
    private static boolean normalize(double[] a) {
        double mean = 0;
        for (double x : a) mean += x;
        mean /= a.length;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] -= mean;
            norm += a[i] * a[i];
        }
        // Below about 1/255 of contrast per value the correlation is noise.
        if (norm < 1e-5 * a.length) return false;
        double inv = 1 / Math.sqrt(norm);
        for (int i = 0; i < a.length; i++) a[i] *= inv;
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
