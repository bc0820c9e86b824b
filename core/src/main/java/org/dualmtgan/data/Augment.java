package org.dualmtgan.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;

import java.util.SplittableRandom;

/**
 * Per-clip augmentation of training clips: one random transform drawn per clip and applied to all
 * of its frames alike, so the motion inside the clip is untouched and only the framing and the
 * colours vary between clips. With few identities (eight face clips) it keeps the renderer from
 * learning each identity's exact framing and colours.
 *
 * <p>The transform, in this order: a horizontal mirror (probability 1/2 when {@link Settings#flip});
 * a zoom into a window of side {@code size / z}, {@code z} uniform in {@code [1, 1 + scale]}, whose
 * centre moves by up to {@code shift} of the side in x and in y (bilinear sampling, edges held); then
 * brightness (added, uniform in {@code [-brightness, brightness]}), contrast (scaled about the clip's
 * mean grey by a factor uniform in {@code [1 - contrast, 1 + contrast]}) and saturation (blended with
 * each pixel's grey by a factor uniform in {@code [1 - saturation, 1 + saturation]}), clamped to
 * [0, 1]. All seven numbers are always drawn, so a clip's transform depends on its seed alone and not
 * on which settings are on.
 */
public final class Augment {
    private Augment() {}

    /** The {@code data.augment} section of a training config; zero (or false) turns a part off. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Settings {
        /** Mirror half of the clips left to right. */
        public boolean flip;
        /** Largest zoom in, as a fraction: 0.15 zooms up to 1.15x. */
        public double scale;
        /** Largest move of the view's centre, as a fraction of the side, in x and in y. */
        public double shift;
        /** Largest brightness change, added to [0, 1] values. */
        public double brightness;
        /** Largest relative contrast change. */
        public double contrast;
        /** Largest relative saturation change. */
        public double saturation;

        public Settings() {}

        public Settings(boolean flip, double scale, double shift, double brightness, double contrast, double saturation) {
            this.flip = flip;
            this.scale = scale;
            this.shift = shift;
            this.brightness = brightness;
            this.contrast = contrast;
            this.saturation = saturation;
        }

        /** Whether any part is on. */
        public boolean any() {
            return flip || scale > 0 || shift > 0 || brightness > 0 || contrast > 0 || saturation > 0;
        }

        public void validate() {
            check("scale", scale, 1);
            check("shift", shift, 0.5);
            check("brightness", brightness, 1);
            check("contrast", contrast, 1);
            check("saturation", saturation, 1);
        }

        private static void check(String name, double v, double max) {
            if (!(v >= 0 && v <= max)) {
                throw new InvalidInputException("data.augment." + name + " must be in [0, " + max + "], got " + v);
            }
        }
    }

    /** One clip's transform, drawn from {@code rng}. */
    public record Draw(boolean mirror, double zoom, double dx, double dy, double brightness, double contrast, double saturation) {
        public static Draw of(Settings s, SplittableRandom rng) {
            // Always seven draws, in this order (see the class comment).
            boolean m = rng.nextBoolean();
            double z = rng.nextDouble();
            double x = rng.nextDouble() * 2 - 1;
            double y = rng.nextDouble() * 2 - 1;
            double b = rng.nextDouble() * 2 - 1;
            double c = rng.nextDouble() * 2 - 1;
            double a = rng.nextDouble() * 2 - 1;
            return new Draw(s.flip && m, 1 + z * s.scale, x * s.shift, y * s.shift, b * s.brightness, 1 + c * s.contrast, 1 + a * s.saturation);
        }

        boolean spatial() {
            return mirror || zoom != 1 || dx != 0 || dy != 0;
        }
    }

    /** {@code v} with a transform drawn from {@code rng} by {@code s}; {@code v} itself when nothing is on. */
    public static Video apply(Video v, Settings s, SplittableRandom rng) {
        if (s == null || !s.any()) return v;
        return apply(v, Draw.of(s, rng));
    }

    /** {@code v} under the transform {@code d}. */
    public static Video apply(Video v, Draw d) {
        Video out = d.spatial() ? warp(v, d) : v;
        if (d.brightness != 0 || d.contrast != 1 || d.saturation != 1) out = colour(out, d);
        return out;
    }

    /** Mirror, zoom and shift: each output pixel samples the source bilinearly, edges held. */
    static Video warp(Video v, Draw d) {
        int t = v.frames(), h = v.height(), w = v.width();
        float[] src = v.data();
        float[] dst = new float[src.length];
        // Output pixel centre (x + 0.5) maps to source (cx + (x + 0.5 - w / 2) / zoom), in pixels.
        double cx = w / 2.0 + d.dx * w, cy = h / 2.0 + d.dy * h;
        int[] x0 = new int[w], x1 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            int xo = d.mirror ? w - 1 - x : x;
            double sx = cx + (xo + 0.5 - w / 2.0) / d.zoom - 0.5;
            sx = Math.max(0, Math.min(w - 1, sx));
            x0[x] = (int) Math.floor(sx);
            x1[x] = Math.min(w - 1, x0[x] + 1);
            fx[x] = (float) (sx - x0[x]);
        }
        for (int y = 0; y < h; y++) {
            double sy = cy + (y + 0.5 - h / 2.0) / d.zoom - 0.5;
            sy = Math.max(0, Math.min(h - 1, sy));
            int y0 = (int) Math.floor(sy), y1 = Math.min(h - 1, y0 + 1);
            float fy = (float) (sy - y0);
            for (int p = 0; p < t * Video.CHANNELS; p++) {
                int plane = p * h * w;
                int r0 = plane + y0 * w, r1 = plane + y1 * w, o = plane + y * w;
                for (int x = 0; x < w; x++) {
                    float top = src[r0 + x0[x]] + (src[r0 + x1[x]] - src[r0 + x0[x]]) * fx[x];
                    float bot = src[r1 + x0[x]] + (src[r1 + x1[x]] - src[r1 + x0[x]]) * fx[x];
                    dst[o + x] = top + (bot - top) * fy;
                }
            }
        }
        return new Video(dst, t, h, w, v.fps());
    }

    /** Brightness, contrast about the clip's mean grey, saturation about each pixel's grey; clamped to [0, 1]. */
    static Video colour(Video v, Draw d) {
        int t = v.frames(), hw = v.height() * v.width();
        float[] src = v.data();
        double sum = 0;
        for (int f = 0; f < t; f++) {
            int base = f * 3 * hw;
            for (int i = 0; i < hw; i++) sum += grey(src[base + i], src[base + hw + i], src[base + 2 * hw + i]);
        }
        float mean = (float) (sum / ((double) t * hw));
        float b = (float) d.brightness, c = (float) d.contrast, s = (float) d.saturation;
        float[] dst = new float[src.length];
        for (int f = 0; f < t; f++) {
            int base = f * 3 * hw;
            for (int i = 0; i < hw; i++) {
                float g = grey(src[base + i], src[base + hw + i], src[base + 2 * hw + i]);
                for (int ch = 0; ch < 3; ch++) {
                    int k = base + ch * hw + i;
                    float px = g + (src[k] - g) * s;   // saturation
                    px = mean + (px - mean) * c;        // contrast
                    px += b;                            // brightness
                    dst[k] = Math.max(0f, Math.min(1f, px));
                }
            }
        }
        return new Video(dst, t, v.height(), v.width(), v.fps());
    }

    private static float grey(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }
}
