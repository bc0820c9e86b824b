package org.dualmtgan.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/** Conversions between {@link BufferedImage} frames and the planar float layout of {@link Video}. */
public final class Frames {
    private static final float INV255 = 1f / 255f;

    private Frames() {}

    /** Frames of one size (any image type; alpha is ignored here: composite first) into a video. */
    public static Video fromImages(List<BufferedImage> images, double fps) {
        if (images.isEmpty()) throw new IllegalArgumentException("no frames");
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        int plane = h * w;
        float[] data = new float[images.size() * 3 * plane];
        int[] argb = new int[plane];
        for (int t = 0; t < images.size(); t++) {
            BufferedImage img = images.get(t);
            if (img.getHeight() != h || img.getWidth() != w) {
                throw new IllegalArgumentException("frame " + t + " is " + img.getWidth() + "x" + img.getHeight()
                        + ", frame 0 is " + w + "x" + h);
            }
            img.getRGB(0, 0, w, h, argb, 0, w);
            int base = t * 3 * plane;
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                data[base + i] = ((p >> 16) & 0xff) * INV255;
                data[base + plane + i] = ((p >> 8) & 0xff) * INV255;
                data[base + 2 * plane + i] = (p & 0xff) * INV255;
            }
        }
        return new Video(data, images.size(), h, w, fps);
    }

    /** Frame {@code t} of a video as an 8-bit RGB image (values rounded, clipped to [0, 255]). */
    public static BufferedImage toImage(Video v, int t) {
        int h = v.height();
        int w = v.width();
        int plane = h * w;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        float[] d = v.data();
        int base = t * 3 * plane;
        for (int i = 0; i < plane; i++) {
            px[i] = (to8(d[base + i]) << 16) | (to8(d[base + plane + i]) << 8) | to8(d[base + 2 * plane + i]);
        }
        return img;
    }

    static int to8(float f) {
        int q = Math.round(f * 255f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }
}
