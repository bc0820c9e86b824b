package org.dualmtgan.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal 8-bit RGB PNG encoder for frames, strips and sheets: one IDAT chunk, the "Sub" filter on every
 * row, zlib at a fixed level. Several times faster than the ImageIO writer on small frames (which
 * tries every filter per row), and its output depends only on the pixels and zlib.
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    /** Fast compression: on 64 px frames level 1 is about as small as level 6 and much quicker. */
    static final int LEVEL = Integer.getInteger("dualmtgan.pngLevel", 1);

    private PngEncoder() {}

    /** Frame {@code t} of {@code v} as PNG bytes (values rounded to 8 bits as in {@code Frames.toImage}). */
    public static byte[] encode(Video v, int t) {
        int w = v.width();
        int h = v.height();
        int plane = w * h;
        float[] d = v.data();
        int base = t * 3 * plane;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (Frames.to8(d[base + i]) << 16) | (Frames.to8(d[base + plane + i]) << 8) | Frames.to8(d[base + 2 * plane + i]);
        }
        return encode(rgb, w, h);
    }

    /** An image as PNG bytes (alpha dropped). */
    public static byte[] encode(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        return encode(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    /** Packed 0xRRGGBB pixels, row-major, as PNG bytes. */
    public static byte[] encode(int[] rgb, int w, int h) {
        byte[] raw = new byte[h * (1 + 3 * w)];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raw[o++] = 1; // Sub: each byte minus the same channel of the pixel to its left
            int pr = 0, pg = 0, pb = 0;
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                raw[o++] = (byte) (r - pr);
                raw[o++] = (byte) (g - pg);
                raw[o++] = (byte) (b - pb);
                pr = r;
                pg = g;
                pb = b;
            }
        }
        Deflater deflater = new Deflater(LEVEL);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            z.write(buf, 0, n);
        }
        deflater.end();
        byte[] idat = z.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] body) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(body);
        out.writeBytes(t);
        out.writeBytes(body);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
