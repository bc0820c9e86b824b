package org.dualmtgan.eval;

import org.dualmtgan.media.Video;

/**
 * Frame similarity metrics on videos in [0, 1] (the {@link Video} range).
 *
 * <p>SSIM is METHOD.md's definition: frames in [0, 1], data range 1, Gaussian window 11 x 11 with
 * sigma 1.5 (weights normalised to sum 1), K1 = 0.01, K2 = 0.03, valid windows only (no padding),
 * averaged over channels and pixels of a frame, then over frames. PSNR uses data range 1.
 */
public final class Metrics {
    public static final int SSIM_WINDOW = 11;
    public static final double SSIM_SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] GAUSS = gaussian(SSIM_WINDOW, SSIM_SIGMA);

    private Metrics() {}

    /** Mean SSIM over frames. */
    public static double ssim(Video a, Video b) {
        double[] f = ssimPerFrame(a, b);
        return mean(f);
    }

    /** SSIM of each frame pair (averaged over channels and valid pixels). */
    public static double[] ssimPerFrame(Video a, Video b) {
        requireSameShape(a, b);
        int h = a.height();
        int w = a.width();
        if (h < SSIM_WINDOW || w < SSIM_WINDOW) {
            throw new IllegalArgumentException("SSIM needs frames of at least " + SSIM_WINDOW + " px, got " + w + "x" + h);
        }
        double[] out = new double[a.frames()];
        int plane = h * w;
        double[] scratch = new double[5 * plane];
        for (int t = 0; t < a.frames(); t++) {
            double sum = 0;
            for (int c = 0; c < Video.CHANNELS; c++) {
                int off = (t * Video.CHANNELS + c) * plane;
                sum += ssimPlane(a.data(), b.data(), off, h, w, scratch);
            }
            out[t] = sum / Video.CHANNELS;
        }
        return out;
    }

    /** Mean SSIM of one channel plane, Gaussian-weighted statistics by a separable filter. */
    private static double ssimPlane(float[] x, float[] y, int off, int h, int w, double[] s) {
        int plane = h * w;
        // Products first, then one separable pass (rows, then columns) over the five maps.
        for (int i = 0; i < plane; i++) {
            double a = x[off + i];
            double b = y[off + i];
            s[i] = a;
            s[plane + i] = b;
            s[2 * plane + i] = a * a;
            s[3 * plane + i] = b * b;
            s[4 * plane + i] = a * b;
        }
        int ow = w - SSIM_WINDOW + 1;
        int oh = h - SSIM_WINDOW + 1;
        double[][] rows = new double[5][h * ow];
        for (int m = 0; m < 5; m++) {
            int base = m * plane;
            double[] r = rows[m];
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < ow; xx++) {
                    double acc = 0;
                    int p = base + yy * w + xx;
                    for (int k = 0; k < SSIM_WINDOW; k++) acc += GAUSS[k] * s[p + k];
                    r[yy * ow + xx] = acc;
                }
            }
        }
        double total = 0;
        for (int yy = 0; yy < oh; yy++) {
            for (int xx = 0; xx < ow; xx++) {
                double[] mstat = new double[5];
                for (int m = 0; m < 5; m++) {
                    double acc = 0;
                    double[] r = rows[m];
                    for (int k = 0; k < SSIM_WINDOW; k++) acc += GAUSS[k] * r[(yy + k) * ow + xx];
                    mstat[m] = acc;
                }
                double mx = mstat[0];
                double my = mstat[1];
                double vx = mstat[2] - mx * mx;
                double vy = mstat[3] - my * my;
                double cov = mstat[4] - mx * my;
                total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
        return total / (oh * ow);
    }

    /** Mean squared error over all values. */
    public static double mse(Video a, Video b) {
        requireSameShape(a, b);
        double acc = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            acc += d * d;
        }
        return acc / x.length;
    }

    /** Mean absolute error over all values (on [0, 1]; twice this is the L1 on the network's [-1, 1]). */
    public static double l1(Video a, Video b) {
        requireSameShape(a, b);
        double acc = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) acc += Math.abs(x[i] - y[i]);
        return acc / x.length;
    }

    /** The change in [0, 1] units above which a pixel counts as moving ({@link #movingL1}). */
    public static final double MOVING_THRESHOLD = 0.1;

    /**
     * L1 of {@code a} against {@code truth} over the moving pixels only: those where the truth's
     * change from {@code first} (one frame), the largest over RGB, exceeds {@link #MOVING_THRESHOLD}
     * of the range; every channel of such a pixel counts. NaN when nothing moves. A model that
     * fades a limb instead of moving it keeps most of the copy's error there (a ratio near 0.7
     * against the copy), one that moves it well far less: the static background that dominates a
     * whole-frame score is left out.
     */
    public static double movingL1(Video a, Video truth, Video first) {
        requireSameShape(a, truth);
        int plane = truth.height() * truth.width();
        float[] x = a.data();
        float[] y = truth.data();
        float[] f = first.data();
        if (f.length != 3 * plane) throw new IllegalArgumentException("first must be one frame of the truth's size");
        double acc = 0;
        long n = 0;
        for (int t = 0; t < truth.frames(); t++) {
            int off = t * 3 * plane;
            for (int p = 0; p < plane; p++) {
                double change = 0;
                for (int c = 0; c < 3; c++) change = Math.max(change, Math.abs(y[off + c * plane + p] - f[c * plane + p]));
                if (change <= MOVING_THRESHOLD) continue;
                for (int c = 0; c < 3; c++) acc += Math.abs(x[off + c * plane + p] - y[off + c * plane + p]);
                n += 3;
            }
        }
        return n == 0 ? Double.NaN : acc / n;
    }

    /** PSNR in dB for data range 1; infinite for identical videos. */
    public static double psnr(Video a, Video b) {
        return psnrOfMse(mse(a, b));
    }

    public static double psnrOfMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }

    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        int c = size / 2;
        for (int i = 0; i < size; i++) {
            g[i] = Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= sum;
        return g;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    private static void requireSameShape(Video a, Video b) {
        if (a.frames() != b.frames() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("videos differ in shape: " + a + " vs " + b);
        }
    }
}
