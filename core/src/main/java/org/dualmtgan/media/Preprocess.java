package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;

import java.util.Objects;

/**
 * How a video is brought to the model's input: which frames, which region, what size.
 *
 * <p>The policy, in the order it is applied (see docs/media.md):
 * <ol>
 *   <li><b>Frames</b>: every {@code every}-th frame starting with the first, then at most the first
 *       {@code frames} of those ({@code frames = 0}: all). A shorter video gives fewer frames, not an
 *       error. The frame rate is divided by {@code every}.</li>
 *   <li><b>Crop</b>: {@link Crop#center()} (the default) takes the largest centred square (when the
 *       difference is odd, the extra pixel stays on the right or bottom); {@link Crop#rect} takes a given
 *       rectangle, which must lie inside the frame; {@link Crop#none()} keeps the whole frame.</li>
 *   <li><b>Resize</b>: when a size is set, an exact area average (box filter) on the float planes: each
 *       output pixel is the mean of the source area it covers, with fractional weights at its edges, for
 *       integer and non-integer ratios alike, shrinking or enlarging. Without a crop a non-square frame is
 *       stretched to the requested size.</li>
 * </ol>
 * Instances are immutable; build them with {@link #builder()}.
 */
public final class Preprocess {
    /** Keeps every frame, the whole frame and its size. */
    public static final Preprocess NONE = builder().crop(Crop.none()).build();

    private final int height;
    private final int width;
    private final Crop crop;
    private final int every;
    private final int frames;

    private Preprocess(Builder b) {
        this.height = b.height;
        this.width = b.width;
        this.crop = b.crop;
        this.every = b.every;
        this.frames = b.frames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model's policy: centre square crop, then area resize to {@code size x size}. */
    public static Preprocess forModel(int size) {
        return builder().size(size).build();
    }

    /** Target height, or 0 to keep the (cropped) height. */
    public int height() {
        return height;
    }

    /** Target width, or 0 to keep the (cropped) width. */
    public int width() {
        return width;
    }

    public Crop crop() {
        return crop;
    }

    public int every() {
        return every;
    }

    /** Most frames kept (after the stride), 0 for all. */
    public int frames() {
        return frames;
    }

    /** Frame selection, crop and resize, in that order. */
    public Video apply(Video v) {
        return applySpatial(applyTemporal(v));
    }

    /** Only the frame selection (stride and clip length). */
    public Video applyTemporal(Video v) {
        if (every == 1 && (frames == 0 || frames >= v.frames())) return v;
        return v.strided(0, every, frames);
    }

    /** Only the crop and resize, frame by frame. */
    public Video applySpatial(Video v) {
        Video c = crop.apply(v);
        int h = height == 0 ? c.height() : height;
        int w = width == 0 ? c.width() : width;
        return (h == c.height() && w == c.width()) ? c : resizeArea(c, h, w);
    }

    /** The size a frame of {@code h x w} has after crop and resize: {height, width}. */
    public int[] outputSize(int h, int w) {
        int[] c = crop.size(h, w);
        return new int[] {height == 0 ? c[0] : height, width == 0 ? c[1] : width};
    }

    @Override
    public String toString() {
        return "Preprocess[size=" + (height == 0 ? "keep" : height + "x" + width) + ", crop=" + crop
                + ", every=" + every + ", frames=" + (frames == 0 ? "all" : frames) + "]";
    }

    /** The largest centred square of every frame. */
    public static Video cropCenterSquare(Video v) {
        return Crop.center().apply(v);
    }

    /** The rectangle {@code [x, x + w) x [y, y + h)} of every frame; it must lie inside the frame. */
    public static Video crop(Video v, int x, int y, int w, int h) {
        return Crop.rect(x, y, w, h).apply(v);
    }

    /**
     * Area-averaging resize to {@code h x w} (box filter, separable, exact for any ratio): output pixel
     * {@code i} along an axis of {@code n -> m} pixels covers source interval {@code [i n / m, (i + 1) n / m)}
     * and is the coverage-weighted mean of the source pixels in it.
     */
    public static Video resizeArea(Video v, int h, int w) {
        if (h < 1 || w < 1) throw new IllegalArgumentException("resize to " + h + "x" + w);
        int sh = v.height();
        int sw = v.width();
        if (sh == h && sw == w) return v;
        BoxWeights wy = BoxWeights.of(sh, h);
        BoxWeights wx = BoxWeights.of(sw, w);
        float[] src = v.data();
        int planes = v.frames() * Video.CHANNELS;
        float[] out = new float[planes * h * w];
        float[] tmp = new float[sh * w];
        for (int p = 0; p < planes; p++) {
            int sBase = p * sh * sw;
            // Horizontal pass: sh rows of sw -> sh rows of w.
            for (int y = 0; y < sh; y++) {
                int row = sBase + y * sw;
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    int k0 = wx.offset[x];
                    int j = wx.first[x];
                    for (int k = k0; k < wx.offset[x + 1]; k++, j++) acc += wx.weight[k] * src[row + j];
                    tmp[y * w + x] = (float) acc;
                }
            }
            // Vertical pass: sh rows -> h rows.
            int oBase = p * h * w;
            for (int y = 0; y < h; y++) {
                int o = oBase + y * w;
                int j = wy.first[y];
                int k1 = wy.offset[y + 1];
                for (int x = 0; x < w; x++) out[o + x] = 0f;
                for (int k = wy.offset[y]; k < k1; k++, j++) {
                    float wt = (float) wy.weight[k];
                    int t = j * w;
                    for (int x = 0; x < w; x++) out[o + x] += wt * tmp[t + x];
                }
            }
        }
        return new Video(out, v.frames(), h, w, v.fps());
    }

    /** Coverage weights of one axis, {@code n} source pixels to {@code m} output pixels, in CSR form. */
    static final class BoxWeights {
        final int[] first;   // first source pixel of each output pixel
        final int[] offset;  // output pixel i uses weight[offset[i] .. offset[i + 1])
        final double[] weight;

        private BoxWeights(int[] first, int[] offset, double[] weight) {
            this.first = first;
            this.offset = offset;
            this.weight = weight;
        }

        static BoxWeights of(int n, int m) {
            int[] first = new int[m];
            int[] offset = new int[m + 1];
            // In units of 1/m source pixel, output i covers [i n, (i + 1) n) and source j covers [j m, (j + 1) m).
            int total = 0;
            for (int i = 0; i < m; i++) {
                long lo = (long) i * n;
                long hi = lo + n;
                total += (int) ((hi - 1) / m - lo / m + 1);
            }
            double[] weight = new double[total];
            int k = 0;
            for (int i = 0; i < m; i++) {
                long lo = (long) i * n;
                long hi = lo + n;
                int j0 = (int) (lo / m);
                int j1 = (int) ((hi - 1) / m);
                first[i] = j0;
                offset[i] = k;
                for (int j = j0; j <= j1; j++) {
                    long overlap = Math.min(hi, (long) (j + 1) * m) - Math.max(lo, (long) j * m);
                    weight[k++] = overlap / (double) n;
                }
            }
            offset[m] = k;
            return new BoxWeights(first, offset, weight);
        }
    }

    /** Which region of each frame to keep. */
    public static final class Crop {
        private enum Kind { NONE, CENTER, RECT }

        private static final Crop NONE_CROP = new Crop(Kind.NONE, 0, 0, 0, 0);
        private static final Crop CENTER_CROP = new Crop(Kind.CENTER, 0, 0, 0, 0);

        private final Kind kind;
        private final int x;
        private final int y;
        private final int w;
        private final int h;

        private Crop(Kind kind, int x, int y, int w, int h) {
            this.kind = kind;
            this.x = x;
            this.y = y;
            this.w = w;
            this.h = h;
        }

        /** The largest centred square. */
        public static Crop center() {
            return CENTER_CROP;
        }

        /** The whole frame. */
        public static Crop none() {
            return NONE_CROP;
        }

        /** The rectangle at {@code (x, y)} of {@code w x h} pixels. */
        public static Crop rect(int x, int y, int w, int h) {
            if (x < 0 || y < 0 || w < 1 || h < 1) {
                throw new InvalidInputException("crop " + x + "," + y + "," + w + "," + h
                        + ": x and y must be >= 0, w and h >= 1");
            }
            return new Crop(Kind.RECT, x, y, w, h);
        }

        /** Parses {@code "x,y,w,h"}. */
        public static Crop parse(String text) {
            String[] parts = text.trim().split("\\s*,\\s*");
            if (parts.length != 4) throw new InvalidInputException("crop '" + text + "': expected x,y,w,h (or center, none)");
            int[] n = new int[4];
            for (int i = 0; i < 4; i++) {
                try {
                    n[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("crop '" + text + "': '" + parts[i] + "' is not an integer");
                }
            }
            return rect(n[0], n[1], n[2], n[3]);
        }

        /** {@code center}, {@code none} or {@code x,y,w,h}: the crop options of the animate commands. */
        public static Crop parseOption(String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (t) {
                case "center", "centre" -> center();
                case "none" -> none();
                default -> parse(t);
            };
        }

        public boolean isNone() {
            return kind == Kind.NONE;
        }

        /** The size {height, width} of a cropped {@code fh x fw} frame. */
        int[] size(int fh, int fw) {
            return switch (kind) {
                case NONE -> new int[] {fh, fw};
                case CENTER -> new int[] {Math.min(fh, fw), Math.min(fh, fw)};
                case RECT -> new int[] {h, w};
            };
        }

        /** This crop of every frame of {@code v}. */
        public Video apply(Video v) {
            int fh = v.height();
            int fw = v.width();
            int cx;
            int cy;
            int cw;
            int ch;
            switch (kind) {
                case NONE:
                    return v;
                case CENTER:
                    cw = ch = Math.min(fh, fw);
                    cx = (fw - cw) / 2;
                    cy = (fh - ch) / 2;
                    break;
                default:
                    if ((long) x + w > fw || (long) y + h > fh) {
                        throw new InvalidInputException("crop " + this + " does not fit in frames of " + fw + "x" + fh);
                    }
                    cx = x;
                    cy = y;
                    cw = w;
                    ch = h;
            }
            if (cx == 0 && cy == 0 && cw == fw && ch == fh) return v;
            float[] src = v.data();
            int planes = v.frames() * Video.CHANNELS;
            float[] out = new float[planes * ch * cw];
            for (int p = 0; p < planes; p++) {
                for (int r = 0; r < ch; r++) {
                    System.arraycopy(src, (p * fh + cy + r) * fw + cx, out, (p * ch + r) * cw, cw);
                }
            }
            return new Video(out, v.frames(), ch, cw, v.fps());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Crop c && c.kind == kind && c.x == x && c.y == y && c.w == w && c.h == h;
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, x, y, w, h);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case NONE -> "none";
                case CENTER -> "center";
                case RECT -> x + "," + y + "," + w + "," + h;
            };
        }
    }

    /** Builder; defaults: centre crop, keep size, every frame, all frames. */
    public static final class Builder {
        private int height;
        private int width;
        private Crop crop = Crop.center();
        private int every = 1;
        private int frames;

        private Builder() {}

        /** Square output {@code size x size}; 0 keeps the cropped size. */
        public Builder size(int size) {
            return size(size, size);
        }

        /** Output {@code height x width}; 0 for both keeps the cropped size. */
        public Builder size(int height, int width) {
            if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
                throw new IllegalArgumentException("size " + height + "x" + width + ": both > 0, or both 0 to keep");
            }
            this.height = height;
            this.width = width;
            return this;
        }

        public Builder crop(Crop crop) {
            this.crop = Objects.requireNonNull(crop, "crop");
            return this;
        }

        /** Keep every {@code n}-th frame (1: all). */
        public Builder every(int n) {
            if (n < 1) throw new IllegalArgumentException("every must be >= 1, got " + n);
            this.every = n;
            return this;
        }

        /** Keep at most the first {@code n} frames after the stride (0: all). */
        public Builder frames(int n) {
            if (n < 0) throw new IllegalArgumentException("frames must be >= 0, got " + n);
            this.frames = n;
            return this;
        }

        public Preprocess build() {
            return new Preprocess(this);
        }
    }
}
