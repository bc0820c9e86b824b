package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Still-image decoding shared by the readers: size limits checked from the header before any
 * pixel is decoded, a per-thread cache of ImageIO readers chosen by magic bytes (no service
 * lookup per frame), and the conversion of any colour model to packed 8-bit RGB with alpha
 * composited over black.
 */
final class ImageDecoding {
    /** Largest accepted side, in pixels (a strip of 512 frames of 64 px still fits). */
    static final int MAX_SIDE = 32768;
    /** Largest accepted image, in pixels: 40 Mpixel is 160 MB as ARGB and 480 MB as float planes. */
    static final long MAX_PIXELS = 40_000_000L;
    /** Largest image file read into memory. */
    static final long MAX_FILE_BYTES = 512L << 20;

    private static final ThreadLocal<Map<String, ImageReader>> READERS = ThreadLocal.withInitial(HashMap::new);

    private ImageDecoding() {}

    /** A decoded image with the size it had in the file. */
    record Decoded(BufferedImage image, String format) {}

    static void checkSize(Path file, long width, long height) {
        if (width <= 0 || height <= 0) {
            throw new InvalidInputException(file, "image has no pixels (" + width + "x" + height + ")");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new InvalidInputException(file, "image is " + width + "x" + height + " pixels, larger than the limit ("
                    + MAX_SIDE + " px a side, " + MAX_PIXELS / 1_000_000 + " Mpixel)");
        }
    }

    static byte[] readBytes(Path file) {
        try {
            if (!Files.exists(file)) throw new InvalidInputException(file, "no such file");
            if (!Files.isRegularFile(file)) throw new InvalidInputException(file, "not a regular file");
            long size = Files.size(file);
            if (size == 0) throw new InvalidInputException(file, "file is empty");
            if (size > MAX_FILE_BYTES) {
                throw new InvalidInputException(file, "file is " + (size >> 20) + " MB, too large for an image");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** ImageIO format name from the first bytes, or null when unknown. */
    static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "png";
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return "jpeg";
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "gif";
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') return "bmp";
        return null;
    }

    /** Decodes the first image of a file; the header size is checked before the pixels are decoded. */
    static Decoded decode(Path file) {
        return decode(file, readBytes(file));
    }

    static Decoded decode(Path file, byte[] bytes) {
        String format = sniff(bytes);
        ImageReader reader;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            if (format != null) {
                reader = cachedReader(format);
            } else {
                // Other formats ImageIO knows (TIFF, WBMP): the slow service lookup, only for those.
                Iterator<ImageReader> it = ImageIO.getImageReaders(in);
                if (!it.hasNext()) {
                    throw new InvalidInputException(file, "not an image in a known format (PNG, JPEG, GIF or BMP expected)");
                }
                reader = it.next();
                format = reader.getFormatName().toLowerCase();
            }
            // A cut JPEG decodes without an exception, grey below the cut, with only this warning.
            String[] truncated = new String[1];
            reader.addIIOReadWarningListener((source, warning) -> {
                String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
                if (truncated[0] == null && (w.contains("premature end") || w.contains("truncated"))) truncated[0] = warning;
            });
            try {
                reader.setInput(in, true, true);
                checkSize(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage image = reader.read(0);
                if (truncated[0] != null) {
                    throw new InvalidInputException(file, "truncated " + format.toUpperCase() + ": " + truncated[0]);
                }
                return new Decoded(image, format);
            } finally {
                reader.removeAllIIOReadWarningListeners();
                reader.setInput(null);
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncated or corrupt data as IIOException, sometimes as a runtime exception.
            throw new InvalidInputException(file, "cannot decode " + (format == null ? "image" : format.toUpperCase())
                    + ": " + describe(e), e);
        }
    }

    /** Pixels of a decoded image as packed RGB (alpha over black), with the format it was stored in. */
    record Rgb(int[] rgb, int width, int height, String format) {}

    /** Decodes the first image of a file to packed RGB: common PNGs by {@link PngDecoder}, the rest by ImageIO. */
    static Rgb decodeRgb(Path file) {
        byte[] bytes = readBytes(file);
        PngDecoder.Rgb fast = PngDecoder.decode(file, bytes);
        if (fast != null) return new Rgb(fast.rgb(), fast.width(), fast.height(), "png");
        Decoded d = decode(file, bytes);
        BufferedImage img = d.image();
        return new Rgb(toRgb(img), img.getWidth(), img.getHeight(), d.format());
    }

    static ImageReader cachedReader(String format) {
        return READERS.get().computeIfAbsent(format, f -> {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(f);
            if (!it.hasNext()) throw new IllegalStateException("no ImageIO reader for " + f);
            return it.next();
        });
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && (m == null || m.isBlank())) {
            m = e.getCause().getMessage();
        }
        return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
    }

    /**
     * Packed 8-bit RGB (0xRRGGBB) of any image: grey becomes R = G = B, 16-bit samples are rounded
     * to 8 bits, palettes are expanded, and alpha is composited over black ({@code c * a}).
     * Samples are taken as stored (no colour-space conversion for RGB and grey): a grey value of 128
     * stays 128.
     */
    static int[] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h];
        int type = img.getType();
        if (type == BufferedImage.TYPE_INT_RGB && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && img.getRaster().getSampleModelTranslateX() == 0
                && img.getRaster().getSampleModelTranslateY() == 0 && db.getSize() == w * h) {
            int[] src = db.getData();
            for (int i = 0; i < out.length; i++) out[i] = src[i] & 0xffffff;
            return out;
        }
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && db.getSize() == w * h * (type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4)) {
            // The two layouts the PNG and JPEG readers produce most: read the bytes directly.
            byte[] src = db.getData();
            if (type == BufferedImage.TYPE_3BYTE_BGR) {
                for (int i = 0, j = 0; i < out.length; i++, j += 3) {
                    out[i] = ((src[j + 2] & 0xff) << 16) | ((src[j + 1] & 0xff) << 8) | (src[j] & 0xff);
                }
            } else {
                for (int i = 0, j = 0; i < out.length; i++, j += 4) {
                    int a = src[j] & 0xff;
                    int b = src[j + 1] & 0xff;
                    int g = src[j + 2] & 0xff;
                    int r = src[j + 3] & 0xff;
                    if (a != 255) {
                        r = over(r, a);
                        g = over(g, a);
                        b = over(b, a);
                    }
                    out[i] = (r << 16) | (g << 8) | b;
                }
            }
            return out;
        }
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int csType = cm.getColorSpace().getType();
        int transfer = raster.getTransferType();
        boolean samples = !(cm instanceof IndexColorModel)
                && (csType == ColorSpace.TYPE_RGB || csType == ColorSpace.TYPE_GRAY)
                && raster.getNumBands() == cm.getNumComponents()
                && (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT || transfer == DataBuffer.TYPE_INT);
        if (samples) {
            int bands = raster.getNumBands();
            int colours = cm.getNumColorComponents();
            boolean alpha = cm.hasAlpha();
            boolean premultiplied = cm.isAlphaPremultiplied();
            double[] scale = new double[bands];
            for (int b = 0; b < bands; b++) scale[b] = 1.0 / ((1L << cm.getComponentSize(b)) - 1);
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
                for (int x = 0, j = 0; x < w; x++, j += bands) {
                    double a = alpha && !premultiplied ? row[j + bands - 1] * scale[bands - 1] : 1.0;
                    int r;
                    int g;
                    int b;
                    if (colours == 1) {
                        r = g = b = unit8(row[j] * scale[0] * a);
                    } else {
                        r = unit8(row[j] * scale[0] * a);
                        g = unit8(row[j + 1] * scale[1] * a);
                        b = unit8(row[j + 2] * scale[2] * a);
                    }
                    out[y * w + x] = (r << 16) | (g << 8) | b;
                }
            }
            return out;
        }
        // Palettes and other colour spaces: Java2D converts to non-premultiplied sRGB ARGB.
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int a = p >>> 24;
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                if (a != 255) {
                    r = over(r, a);
                    g = over(g, a);
                    b = over(b, a);
                }
                out[y * w + x] = (r << 16) | (g << 8) | b;
            }
        }
        return out;
    }

    /** An 8-bit colour with 8-bit alpha composited over black, rounded. */
    static int over(int c, int a) {
        return (c * a + 127) / 255;
    }

    private static int unit8(double v) {
        int q = (int) Math.round(v * 255.0);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    /** Packed RGB as an 8-bit TYPE_INT_RGB image (sharing no storage with the input array). */
    static BufferedImage rgbImage(int[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, ((DataBufferInt) img.getRaster().getDataBuffer()).getData(), 0, w * h);
        return img;
    }

    /** Columns {@code [x0, x0 + fw)} of packed RGB rows of width {@code w} into planar floats in [0, 1]. */
    static float[] planar(int[] rgb, int w, int h, int x0, int fw) {
        int plane = h * fw;
        float[] out = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            int src = y * w + x0;
            int dst = y * fw;
            for (int x = 0; x < fw; x++) {
                int p = rgb[src + x];
                out[dst + x] = ((p >> 16) & 0xff) * (1f / 255f);
                out[plane + dst + x] = ((p >> 8) & 0xff) * (1f / 255f);
                out[2 * plane + dst + x] = (p & 0xff) * (1f / 255f);
            }
        }
        return out;
    }
}
