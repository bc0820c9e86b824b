package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads videos and images into {@link Video}s and RGB images. Every failure is an
 * {@link InvalidInputException} naming the file and the problem.
 *
 * <p>Sources ({@link Layout}):
 * <ul>
 *   <li>{@code FILE}: a video container (MP4, MOV, AVI, WebM, MKV) decoded by FFmpeg at its own frame
 *       rate, or an animated GIF (frames composited with their offsets and disposal methods, frame rate
 *       from the mean delay).</li>
 *   <li>{@code FRAMES}: a folder of PNG/JPEG/BMP frames in natural order ({@code 2.png} before {@code 10.png});
 *       other files and hidden files are ignored; all frames must have one size. Frame rate: 25.</li>
 *   <li>{@code STRIP}: one image holding the frames side by side, each {@code height x height}
 *       (width = T x height), as in the Weizmann data. Frame rate: 25.</li>
 *   <li>{@code IMAGE}: one still image (the first frame of a GIF) as a one-frame video.</li>
 *   <li>{@code AUTO}: a folder is FRAMES; .mp4 .mov .avi .webm .mkv .m4v .gif are FILE; .png .jpg .jpeg .bmp
 *       are IMAGE, except a PNG whose width is an exact multiple k &gt;= 2 of its height with a height of at
 *       most {@value #AUTO_STRIP_MAX_HEIGHT} px, which is read as a STRIP (small frames side by side are what
 *       such a PNG holds in this project's data; pass IMAGE to read it as one picture).
 *       Any other extension is refused.</li>
 * </ul>
 *
 * <p>PNG frames in the common layout (8-bit grey/RGB/RGBA, not interlaced) are decoded by a fast
 * path ({@link PngDecoder}, about 1.7x faster than ImageIO on 64 px frames once warm); everything else by
 * ImageIO with one cached reader per format and thread, chosen by the file's magic bytes.
 *
 * <p>Pixels: 8 bits per channel in [0, 1]; grey becomes R = G = B; 16-bit samples are rounded to 8 bits;
 * palettes are expanded; <b>alpha is composited over black</b> ({@code c * a}). Images over
 * {@value ImageDecoding#MAX_SIDE} px a side or 40 Mpixel are refused from their header, before decoding.
 */
public final class MediaReader {
    /** Largest frame height at which AUTO takes a wide PNG for a strip. */
    public static final int AUTO_STRIP_MAX_HEIGHT = 256;

    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "avi", "webm", "mkv", "m4v", "gif");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final Set<String> FRAME_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    /** How a path holds its frames. */
    public enum Layout { AUTO, FILE, FRAMES, STRIP, IMAGE }

    private MediaReader() {}

    /** Reads a video, detecting the layout ({@link Layout#AUTO}). */
    public static Video readVideo(Path path) {
        return readVideo(path, Layout.AUTO, Preprocess.NONE);
    }

    public static Video readVideo(Path path, Layout layout) {
        return readVideo(path, layout, Preprocess.NONE);
    }

    /**
     * A whole video (any layout) at a model's size: {@code crop} (null: the centred square), area
     * resize to {@code size}, and at most {@code maxFrames} frames from the start (0: all).
     */
    public static Video readForModel(Path path, int size, int maxFrames, Preprocess.Crop crop) {
        if (maxFrames < 0) throw new InvalidInputException("--max-frames must be >= 0, got " + maxFrames);
        return readVideo(path, Layout.AUTO, Preprocess.builder().size(size).frames(maxFrames)
                .crop(crop == null ? Preprocess.Crop.center() : crop).build());
    }

    /**
     * Reads a video and applies {@code preprocess} while decoding: frames the stride skips are not
     * converted, decoding stops when the clip is full, and each frame is cropped and resized as it
     * arrives, so long or large videos can be read at model size. Same result as
     * {@code preprocess.apply(readVideo(path, layout))}.
     */
    public static Video readVideo(Path path, Layout layout, Preprocess preprocess) {
        try {
            return readVideoUnnamed(path, layout, preprocess);
        } catch (InvalidInputException e) {
            throw named(path, e);
        }
    }

    /** {@code e} with {@code path} in it when it names no file (a crop that does not fit the frames, say). */
    private static InvalidInputException named(Path path, InvalidInputException e) {
        return e.file() != null || path == null ? e : new InvalidInputException(path, e.getMessage(), e);
    }

    private static Video readVideoUnnamed(Path path, Layout layout, Preprocess preprocess) {
        if (path == null) throw new InvalidInputException("no input path given");
        if (!Files.exists(path)) throw new InvalidInputException(path, "no such file or folder");
        Layout resolved = layout == null ? Layout.AUTO : layout;
        FrameCollector sink = new FrameCollector(path, preprocess);
        double fps;
        if (resolved == Layout.AUTO) {
            if (Files.isDirectory(path)) {
                resolved = Layout.FRAMES;
            } else {
                String ext = extension(path);
                if (VIDEO_EXTENSIONS.contains(ext)) {
                    resolved = Layout.FILE;
                } else if (!IMAGE_EXTENSIONS.contains(ext)) {
                    throw new InvalidInputException(path, "unknown extension '" + (ext.isEmpty() ? "" : "." + ext)
                            + "': expected a video (.mp4 .mov .avi .webm .mkv .gif), an image (.png .jpg .jpeg .bmp)"
                            + " or a folder of frames");
                }
            }
        }
        switch (resolved) {
            case FRAMES -> fps = readFrames(path, sink);
            case FILE -> {
                requireFile(path);
                fps = "gif".equals(extension(path)) || isGifContent(path) ? GifCodec.read(path, sink)
                        : FfmpegCodec.read(path, sink);
            }
            case STRIP -> fps = readStripOrImage(path, sink, true, false);
            case IMAGE -> fps = readStripOrImage(path, sink, false, false);
            default -> fps = readStripOrImage(path, sink, false, true);  // AUTO on an image file
        }
        return sink.finish(fps);
    }

    /** Reads one image of any supported kind as 8-bit RGB ({@code TYPE_INT_RGB}); see the class comment. */
    public static BufferedImage readImage(Path path) {
        if (path == null) throw new InvalidInputException("no input path given");
        if (Files.isDirectory(path)) throw new InvalidInputException(path, "is a folder, not an image");
        if (isGifContent(path)) {
            // A GIF's first frame may cover only part of its logical screen: composite it like a video frame.
            return readVideo(path, Layout.IMAGE).toImage(0);
        }
        ImageDecoding.Rgb d = ImageDecoding.decodeRgb(path);
        return ImageDecoding.rgbImage(d.rgb(), d.width(), d.height());
    }

    /**
     * The first {@code k} frames of {@code path}, preprocessed to {@code size} x {@code size}: a still
     * image when {@code k = 1} and the file is one, otherwise the frames of a video, animated GIF,
     * frame folder or strip. A strip PNG is frames side by side, so it gives its first frame, not a
     * crop of the whole strip. Fewer than {@code k} frames is an error naming the file.
     */
    public static Video readFirstFrames(Path path, int k, int size) {
        return readFirstFrames(path, k, size, Preprocess.Crop.center());
    }

    /** As {@link #readFirstFrames(Path, int, int)} with {@code crop} instead of the centred square. */
    public static Video readFirstFrames(Path path, int k, int size, Preprocess.Crop crop) {
        Preprocess pre = Preprocess.builder().size(size).frames(k).crop(crop).build();
        if (k == 1 && !Files.isDirectory(path) && isImageFile(path) && !looksLikeStrip(path)) {
            Video image = readImageAsVideo(path);
            try {
                return pre.apply(image);
            } catch (InvalidInputException e) {
                throw named(path, e);
            }
        }
        Video v = readVideo(path, Layout.AUTO, pre);
        if (v.frames() < k) throw new InvalidInputException(path, "has " + v.frames() + " frames, " + k + " are needed");
        return v;
    }

    /** One image as a one-frame video. */
    public static Video readImageAsVideo(Path path) {
        return readVideo(path, Layout.IMAGE);
    }

    /** Whether the extension is one of a video container or an animated GIF (.gif is also an image). */
    public static boolean isVideoFile(Path path) {
        return path != null && VIDEO_EXTENSIONS.contains(extension(path));
    }

    /** Whether the extension is one of a still image format (PNG, JPEG, GIF, BMP). */
    public static boolean isImageFile(Path path) {
        return path != null && IMAGE_EXTENSIONS.contains(extension(path));
    }

    /** Lower-case extension without the dot, or "" when there is none. */
    static String extension(Path path) {
        Path name = path.getFileName();
        if (name == null) return "";
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot <= 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static void requireFile(Path path) {
        if (Files.isDirectory(path)) throw new InvalidInputException(path, "is a folder, not a video file");
        try {
            if (Files.size(path) == 0) throw new InvalidInputException(path, "file is empty");
        } catch (IOException e) {
            throw new InvalidInputException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Whether AUTO would read this file as a strip: a PNG whose header says its width is an exact
     * multiple k &gt;= 2 of a height of at most {@value #AUTO_STRIP_MAX_HEIGHT} px. Reads 24 bytes, no pixels.
     */
    public static boolean looksLikeStrip(Path path) {
        if (!Files.isRegularFile(path)) return false;
        try (var in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(24);
            // PNG signature, then the IHDR chunk: width and height as big-endian ints at bytes 16 and 20.
            if (head.length < 24 || !"png".equals(ImageDecoding.sniff(head))) return false;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
            return isStripShape(b.getInt(16), b.getInt(20));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isStripShape(long w, long h) {
        return h > 0 && h <= AUTO_STRIP_MAX_HEIGHT && w % h == 0 && w / h >= 2;
    }

    private static boolean isGifContent(Path path) {
        if (!Files.isRegularFile(path)) return false;
        try (var in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(6);
            return "gif".equals(ImageDecoding.sniff(head));
        } catch (IOException e) {
            return false;
        }
    }

    private static double readStripOrImage(Path path, FrameCollector sink, boolean strip, boolean auto) {
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(path, "is a folder; " + (strip ? "a strip" : "an image") + " is one file");
        }
        if (!strip && isGifContent(path)) {
            // One still from a GIF: its first frame, composited on the logical screen.
            return GifCodec.read(path, sink.limitedTo(1));
        }
        ImageDecoding.Rgb d = ImageDecoding.decodeRgb(path);
        int w = d.width();
        int h = d.height();
        if (auto) {
            strip = "png".equals(d.format()) && isStripShape(w, h);
        }
        int[] rgb = d.rgb();
        if (!strip) {
            sink.add(ImageDecoding.planar(rgb, w, h, 0, w), h, w, path);
            return Video.DEFAULT_FPS;
        }
        if (w % h != 0) {
            throw new InvalidInputException(path, "not a strip of square frames: width " + w
                    + " is not a multiple of height " + h);
        }
        int n = w / h;
        for (int t = 0; t < n && !sink.full(); t++) {
            if (sink.wants(t)) sink.add(ImageDecoding.planar(rgb, w, h, t * h, h), h, h, path);
        }
        return Video.DEFAULT_FPS;
    }

    private static double readFrames(Path dir, FrameCollector sink) {
        if (!Files.isDirectory(dir)) throw new InvalidInputException(dir, "not a folder of frames");
        List<Path> files = frameFiles(dir);
        if (files.isEmpty()) {
            throw new InvalidInputException(dir, "no frames in folder (PNG, JPEG or BMP files expected)");
        }
        for (int i = 0; i < files.size() && !sink.full(); i++) {
            if (!sink.wants(i)) continue;
            Path f = files.get(i);
            ImageDecoding.Rgb d = ImageDecoding.decodeRgb(f);
            sink.add(ImageDecoding.planar(d.rgb(), d.width(), d.height(), 0, d.width()), d.height(), d.width(), f);
        }
        return Video.DEFAULT_FPS;
    }

    /** The frame files of a folder in natural order. */
    public static List<Path> frameFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> FRAME_EXTENSIONS.contains(extension(p)))
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        } catch (IOException e) {
            throw new InvalidInputException(dir, "cannot list folder: " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString(), MediaReader::compareNatural));
        return files;
    }

    /** Natural order: runs of digits compare as numbers ({@code 2 < 10}), the rest as text. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) return c;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
