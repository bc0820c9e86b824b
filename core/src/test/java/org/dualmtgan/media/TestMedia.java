package org.dualmtgan.media;

import org.dualmtgan.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared helpers for the media tests: the real data folder and smooth synthetic videos. */
final class TestMedia {
    private TestMedia() {}

    /** The read-only real data folder (surefire sets dualmtgan.data). */
    static Path data() {
        return SharedData.root();
    }

    static Path data(String relative) {
        return data().resolve(relative);
    }

    /**
     * A smooth moving colour pattern (what lossy codecs are made for): T frames of h x w with values in
     * [0.1, 0.9].
     */
    static Video pattern(int frames, int h, int w, double fps) {
        float[] d = new float[frames * 3 * h * w];
        int plane = h * w;
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double v = 0.5 + 0.4 * Math.sin(2 * Math.PI * ((x + 2.0 * t) / w + c / 3.0))
                                * Math.cos(2 * Math.PI * (y - t) / (2.0 * h));
                        d[(t * 3 + c) * plane + y * w + x] = (float) v;
                    }
                }
            }
        }
        return new Video(d, frames, h, w, fps);
    }

    /** Mean absolute difference of two videos of one shape. */
    static double meanAbsError(Video a, Video b) {
        if (a.frames() != b.frames() || a.height() != b.height() || a.width() != b.width()) {
            throw new AssertionError("shapes differ: " + a + " vs " + b);
        }
        double s = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
        return s / x.length;
    }

    static double maxAbsError(Video a, Video b) {
        double m = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    /**
     * Frame t as TYPE_3BYTE_BGR, which Java2DFrameConverter turns into a BGR24 frame that
     * FFmpegFrameRecorder encodes correctly (a TYPE_INT_RGB image comes out with its channels mixed up).
     */
    static java.awt.image.BufferedImage bgr(Video v, int t) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(v.width(), v.height(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = img.createGraphics();
        g.drawImage(v.toImage(t), 0, 0, null);
        g.dispose();
        return img;
    }

    static void assertInUnitRange(Video v) {
        for (float f : v.data()) {
            if (!(f >= 0f && f <= 1f)) throw new AssertionError("value " + f + " outside [0, 1] in " + v);
        }
    }

    /** Value at frame t, channel c, row y, column x. */
    static float at(Video v, int t, int c, int y, int x) {
        return v.data()[((t * 3 + c) * v.height() + y) * v.width() + x];
    }
}
