package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes videos: MP4 (H.264, yuv420p), AVI (MJPEG), looping animated GIF, a folder of PNG frames
 * ({@code 00.png, 01.png, ...}, zero-padded to the width of the last index, at least 2 digits) or a
 * PNG strip (frames side by side). Every output goes through {@link AtomicFiles}: it appears
 * complete or not at all. Failures are {@link InvalidInputException}s naming the output.
 *
 * <p>Lossy formats: MP4 and AVI are 4:2:0, so an odd height or width is padded by repeating the last
 * row or column (the file is one pixel larger); GIF has 256 colours per frame and a frame delay in
 * hundredths of a second, so the rate is {@code 100 / round(100 / fps)}.
 */
public final class MediaWriter {
    /** Output formats; see {@link #fromPath}. */
    public enum OutputFormat {
        MP4, GIF, FRAMES, STRIP, AVI;

        /**
         * The format named by a path: .mp4, .gif, .png (a strip), .avi; an existing folder or a name
         * without extension is a folder of frames. Other extensions are refused.
         */
        public static OutputFormat fromPath(Path path) {
            if (path == null) throw new InvalidInputException("no output path given");
            if (Files.isDirectory(path)) return FRAMES;
            String ext = MediaReader.extension(path);
            return switch (ext) {
                case "" -> FRAMES;
                case "mp4" -> MP4;
                case "gif" -> GIF;
                case "png" -> STRIP;
                case "avi" -> AVI;
                default -> throw new InvalidInputException(path, "unknown output extension '." + ext
                        + "': use .mp4, .gif, .avi, .png (a strip) or a folder name without extension (PNG frames)");
            };
        }

        /**
         * The format of a {@code --format} option or a {@code format} column: gif, mp4, avi, png (a
         * strip; also "strip") or frames.
         */
        public static OutputFormat named(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "png", "strip" -> STRIP;
                case "gif", "mp4", "avi", "frames" -> parse(n);
                default -> throw new InvalidInputException("unknown format '" + name + "': use gif, mp4, avi, png (a strip) or frames");
            };
        }

        /** The file name of an output called {@code base} in this format ({@link #FRAMES}: a folder). */
        public String fileName(String base) {
            return switch (this) {
                case MP4 -> base + ".mp4";
                case GIF -> base + ".gif";
                case AVI -> base + ".avi";
                case STRIP -> base + ".png";
                case FRAMES -> base;
            };
        }

        /** Parses a name such as {@code "gif"} (any case). */
        public static OutputFormat parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("unknown format '" + name + "': use mp4, gif, avi, frames or strip");
            }
        }
    }

    private MediaWriter() {}

    /** Numbered output names {@code prefix-00, prefix-01, ...}, at least two digits, as many as needed for {@code n}. */
    public static java.util.List<String> numbered(String prefix, int n) {
        int digits = Math.max(2, Integer.toString(Math.max(0, n - 1)).length());
        java.util.List<String> names = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(String.format(Locale.ROOT, "%s-%0" + digits + "d", prefix, i));
        return names;
    }

    /** Writes {@code v} in the format its path names ({@link OutputFormat#fromPath}). */
    public static void write(Video v, Path out) {
        write(v, out, OutputFormat.fromPath(out));
    }

    public static void write(Video v, Path out, OutputFormat format) {
        if (out == null) throw new InvalidInputException("no output path given");
        if (v.frames() == 0) throw new InvalidInputException(out, "nothing to write: the video has no frames");
        if (!(v.fps() > 0 && v.fps() <= 1000)) {
            throw new InvalidInputException(out, "frame rate " + v.fps() + " cannot be written (0 < fps <= 1000)");
        }
        try {
            switch (format) {
                case MP4 -> AtomicFiles.write(out, tmp -> FfmpegCodec.write(v, tmp, true));
                case AVI -> AtomicFiles.write(out, tmp -> FfmpegCodec.write(v, tmp, false));
                case GIF -> AtomicFiles.write(out, tmp -> GifCodec.write(v, tmp));
                case STRIP -> {
                    long width = (long) v.width() * v.frames();
                    if (width > ImageDecoding.MAX_SIDE || width * v.height() > ImageDecoding.MAX_PIXELS) {
                        throw new InvalidInputException(out, "a strip of " + v.frames() + " frames of " + v.width()
                                + "x" + v.height() + " would be " + width + " px wide, over the readable limit "
                                + "(" + ImageDecoding.MAX_SIDE + " px); write frames or a video instead");
                    }
                    BufferedImage strip = strip(v);
                    AtomicFiles.write(out, tmp -> png(strip, tmp));
                }
                case FRAMES -> AtomicFiles.writeDirectory(out, dir -> {
                    int digits = Math.max(2, Integer.toString(v.frames() - 1).length());
                    for (int t = 0; t < v.frames(); t++) {
                        Files.write(dir.resolve(String.format("%0" + digits + "d.png", t)), PngEncoder.encode(v, t));
                    }
                });
            }
        } catch (IOException e) {
            throw new InvalidInputException(out, "cannot write " + format.name().toLowerCase(Locale.ROOT) + ": "
                    + ImageDecoding.describe(e), e);
        }
    }

    /** All frames side by side in one image ({@code width x T} by {@code height}). */
    static BufferedImage strip(Video v) {
        int h = v.height();
        int w = v.width();
        int sw = w * v.frames();
        BufferedImage img = new BufferedImage(sw, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        float[] d = v.data();
        int plane = h * w;
        for (int t = 0; t < v.frames(); t++) {
            int base = t * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = base + y * w + x;
                    px[y * sw + t * w + x] = (Frames.to8(d[i]) << 16) | (Frames.to8(d[i + plane]) << 8)
                            | Frames.to8(d[i + 2 * plane]);
                }
            }
        }
        return img;
    }

    static void png(BufferedImage img, Path file) throws IOException {
        Files.write(file, PngEncoder.encode(img));
    }
}
