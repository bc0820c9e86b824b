package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;

import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Finds the face in a talking-head clip without a face detector (none is available offline): the
 * region whose colour is skin in most frames and that moves, and frames it the same way in every
 * clip, so faces have one size and place at training and at use.
 *
 * <p>How: each pixel's skin frequency over the clip's frames (skin by the Chai-Ngan chroma box,
 * Cb in [77, 127] and Cr in [138, 173] of 8-bit YCbCr), and its motion (the mean absolute
 * difference of its grey level from the clip's mean frame). Pixels that are skin in at least half
 * the frames form connected regions; the face is the region with the largest pixel count weighted by
 * its closeness to the frame's centre and by its motion (a peach wall or a wooden cupboard is skin
 * coloured but still). Its box is the 1st to 99th percentile of its pixels' x and y, cut at 1.35 times its width below its top (the neck is skin too).
 *
 * <p>The crop ({@link #frame}) is the square centred on the box, {@code margin} times its larger
 * side (hair, chin and some neck in view), moved inside the frame and shrunk to fit it.
 */
public final class FaceBox {
    /** A rectangle in pixels of the frame it was found in. */
    public record Box(double x, double y, double w, double h) {
        public double cx() {
            return x + w / 2;
        }

        public double cy() {
            return y + h / 2;
        }

        /** This box in the pixels of a frame {@code factor} times as large. */
        public Box scaled(double factor) {
            return new Box(x * factor, y * factor, w * factor, h * factor);
        }
    }

    /** Longest side the search works at: the chroma and the motion need no more. */
    static final int WORK_SIZE = 128;
    /** Skin chroma box (8-bit YCbCr): Chai and Ngan's, with Cr from 138 (not 133) so beige walls stay out (measured on the shared face clips). */
    static final float CB_MIN = 77, CB_MAX = 127, CR_MIN = 138, CR_MAX = 173;
    /** A face is at most this much taller than wide: skin below that (the neck) is not the face. */
    static final double MAX_ASPECT = 1.35;
    /** Default crop side relative to the face box's larger side. */
    public static final double MARGIN = 1.6;

    private FaceBox() {}

    /** The face's box in {@code v}'s pixels; refuses a clip with no skin-coloured region. */
    public static Box find(Video v) {
        int maxSide = Math.max(v.height(), v.width());
        double factor = 1;
        Video work = v;
        if (maxSide > WORK_SIZE) {
            factor = (double) maxSide / WORK_SIZE;
            int h = Math.max(1, (int) Math.round(v.height() / factor));
            int w = Math.max(1, (int) Math.round(v.width() / factor));
            work = Preprocess.builder().crop(Preprocess.Crop.none()).size(h, w).build().applySpatial(v);
            factor = (double) v.width() / w;
        }
        return findAtWorkSize(work).scaled(factor);
    }

    static Box findAtWorkSize(Video v) {
        int t = v.frames(), h = v.height(), w = v.width(), hw = h * w;
        float[] d = v.data();
        float[] skin = new float[hw];
        float[] mean = new float[hw];
        for (int f = 0; f < t; f++) {
            int base = f * 3 * hw;
            for (int i = 0; i < hw; i++) {
                float r = d[base + i] * 255, g = d[base + hw + i] * 255, b = d[base + 2 * hw + i] * 255;
                float cb = 128 - 0.168736f * r - 0.331264f * g + 0.5f * b;
                float cr = 128 + 0.5f * r - 0.418688f * g - 0.081312f * b;
                if (cb >= CB_MIN && cb <= CB_MAX && cr >= CR_MIN && cr <= CR_MAX) skin[i]++;
                mean[i] += grey(d, base, hw, i);
            }
        }
        for (int i = 0; i < hw; i++) {
            skin[i] /= t;
            mean[i] /= t;
        }
        float[] motion = new float[hw];
        for (int f = 0; f < t; f++) {
            int base = f * 3 * hw;
            for (int i = 0; i < hw; i++) motion[i] += Math.abs(grey(d, base, hw, i) - mean[i]) / t;
        }
        // Connected regions of pixels that are skin in at least half the frames; the best-scored wins.
        int[] label = new int[hw];
        java.util.Arrays.fill(label, -1);
        int best = -1;
        double bestScore = 0;
        int regions = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        double diag = Math.hypot(w / 2.0, h / 2.0);
        double meanMotion = 0;
        for (float m : motion) meanMotion += m / hw;
        for (int s = 0; s < hw; s++) {
            if (label[s] >= 0 || skin[s] < 0.5f) continue;
            int id = regions++;
            label[s] = id;
            queue.add(s);
            long n = 0;
            double sx = 0, sy = 0, sm = 0;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int px = p % w, py = p / w;
                n++;
                sx += px;
                sy += py;
                sm += motion[p];
                int[] nb = {px > 0 ? p - 1 : -1, px < w - 1 ? p + 1 : -1, py > 0 ? p - w : -1, py < h - 1 ? p + w : -1};
                for (int q : nb) {
                    if (q >= 0 && label[q] < 0 && skin[q] >= 0.5f) {
                        label[q] = id;
                        queue.add(q);
                    }
                }
            }
            double centrality = 1 - Math.hypot(sx / n - w / 2.0, sy / n - h / 2.0) / diag;
            double moving = sm / n / (meanMotion + 1e-6);
            double score = n * centrality * centrality * Math.min(4, 0.25 + moving);
            if (score > bestScore) {
                bestScore = score;
                best = id;
            }
        }
        if (best < 0) throw new InvalidInputException("no skin-coloured region found: cannot frame a face in this clip (give data.crop as a rectangle instead)");
        int[] xs = new int[w], ys = new int[h];
        int n = 0;
        for (int i = 0; i < hw; i++) {
            if (label[i] == best) {
                xs[i % w]++;
                ys[i / w]++;
                n++;
            }
        }
        double x0 = percentile(xs, n, 0.01), x1 = percentile(xs, n, 0.99) + 1;
        double y0 = percentile(ys, n, 0.01), y1 = percentile(ys, n, 0.99) + 1;
        return new Box(x0, y0, x1 - x0, Math.min(y1 - y0, MAX_ASPECT * (x1 - x0)));
    }

    /** The square crop around {@code face}: {@code margin} times its larger side, inside a {@code height x width} frame. */
    public static Preprocess.Crop frame(Box face, int height, int width, double margin) {
        int side = (int) Math.round(Math.min(Math.min(height, width), margin * Math.max(face.w(), face.h())));
        side = Math.max(1, side);
        int x = (int) Math.round(face.cx() - side / 2.0);
        int y = (int) Math.round(face.cy() - side / 2.0);
        x = Math.max(0, Math.min(width - side, x));
        y = Math.max(0, Math.min(height - side, y));
        return Preprocess.Crop.rect(x, y, side, side);
    }

    /**
     * The face crop of a video file: its face found on every {@code every}-th frame at full
     * resolution, framed by {@link #frame} with {@code margin}. The same file gives the same crop.
     */
    public static Preprocess.Crop cropOf(Path video, MediaReader.Layout layout, int every, double margin) {
        Video v = MediaReader.readVideo(video, layout, Preprocess.builder().crop(Preprocess.Crop.none()).size(0).every(every).build());
        if (v.frames() == 0) throw new InvalidInputException(video, "video has no frames");
        try {
            return frame(find(v), v.height(), v.width(), margin);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(video, e.getMessage(), e);
        }
    }

    private static float grey(float[] d, int base, int hw, int i) {
        return 0.299f * d[base + i] + 0.587f * d[base + hw + i] + 0.114f * d[base + 2 * hw + i];
    }

    /** The coordinate below which {@code q} of the {@code n} counted pixels lie. */
    private static double percentile(int[] counts, int n, double q) {
        long target = (long) Math.floor(q * (n - 1));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen > target) return i;
        }
        return counts.length - 1;
    }
}
