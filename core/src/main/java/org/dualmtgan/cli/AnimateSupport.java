package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.ContactSheet;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import org.dualmtgan.util.AtomicFiles;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options (picocli mixins) and helpers shared by {@code transfer}, {@code generate}, {@code reconstruct}
 * and {@code interpolate}; the public helpers (reading at model size, output names and formats) are
 * also what {@code dualmtgan-spark batch} uses, so its outputs are the same files.
 */
public final class AnimateSupport {
    /** Most frame columns on a contact sheet; longer videos are shown every n-th frame. */
    static final int SHEET_COLUMNS = 32;

    private AnimateSupport() {}

    /** {@code --model}: a checkpoint, an inference export, a run folder or a bundled model's name. */
    static final class ModelOption {
        @Option(names = "--model", paramLabel = "M", required = true,
                description = "A checkpoint (.ckpt), an inference export, a run folder, or the name of a bundled model.")
        String model;

        Animator open() {
            return Animator.load(model);
        }
    }

    /**
     * {@code --out}, {@code --sheet} and {@code --max-frames} of the commands that write one video
     * ({@code transfer}, {@code reconstruct}).
     */
    static final class VideoOutput {
        @Option(names = "--out", paramLabel = "OUT", required = true,
                description = "Result: .mp4, .gif, .avi, .png (a strip), or a folder name (PNG frames).")
        String out;

        @Option(names = "--sheet", paramLabel = "SHEET.png",
                description = "Also write a contact sheet: the inputs and the result, one row each.")
        Path sheet;

        @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
                description = "Use at most the first N frames of the input video (0: all). Default: ${DEFAULT-VALUE}.")
        int maxFrames;

        private OutputFormat format;

        /** Checks the names before any work: a known format, a .png sheet, and not the input's own path. */
        Path check(Path input, String inputName) {
            format = fileFormat(out);
            checkSheet(sheet);
            Path path = Path.of(out);
            if (path.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())) {
                throw new InvalidInputException(path, "output is the " + inputName + "; choose another name");
            }
            return path;
        }

        /** Writes the result, and the sheet of {@code rows} when asked; returns the summary's tail. */
        String write(Video result, List<Video> rows, List<String> labels) {
            if (format == null) throw new IllegalStateException("check() first");
            MediaWriter.write(result, Path.of(out), format);
            if (sheet != null) AnimateSupport.sheet(rows, labels, sheet);
            return format.name().toLowerCase(Locale.ROOT) + (sheet != null ? ", sheet " + sheet : "");
        }
    }

    /**
     * {@code --out DIR}, {@code --format} and {@code --sheet} of the commands that write a folder of
     * videos ({@code generate}, {@code interpolate}).
     */
    static final class VideosOutput {
        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Output folder: one file per video (and sheet.png with --sheet); files of the same names are replaced.")
        Path out;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "gif",
                description = "gif, mp4, avi, png (a strip) or frames (a folder per video). Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--sheet", description = "Also write DIR/sheet.png: one labelled row per video.")
        boolean sheet;

        private OutputFormat fmt;

        /** Checks the format and the folder before any work. */
        void check() {
            fmt = namedFormat(format);
            checkFolder(out);
        }

        /** Writes {@code videos} as {@code names}, and the sheet of {@code rows} when asked; returns the files. */
        List<Path> write(List<String> names, List<Video> videos, List<Video> rows, List<String> labels) {
            if (fmt == null) throw new IllegalStateException("check() first");
            List<Path> written = writeAll(out, names, videos, fmt);
            if (sheet) AnimateSupport.sheet(rows, labels, out.resolve("sheet.png"));
            return written;
        }
    }

    /**
     * {@code --image-crop}: the region of the image the model sees. The model was trained on clips
     * cropped one way (for faces: the face about half the frame's width, centred); a photo framed
     * otherwise must be cropped the same way for the motion to land on its parts (docs/api.md).
     */
    static final class ImageCrop {
        @Option(names = "--image-crop", paramLabel = "x,y,w,h", defaultValue = "center",
                description = "Region of the image to use: x,y,w,h in pixels, center (the centred square) or none (the whole"
                        + " frame, stretched). Default: ${DEFAULT-VALUE}.")
        String imageCrop;

        Preprocess.Crop crop() {
            return Preprocess.Crop.parseOption(imageCrop);
        }
    }

    /** The format an output file or folder names; a trailing separator means a folder of frames. */
    static OutputFormat fileFormat(String out) {
        if (out.endsWith("/") || out.endsWith(File.separator)) return OutputFormat.FRAMES;
        return OutputFormat.fromPath(Path.of(out));
    }

    /** {@code --format} of the commands that write a folder of videos: gif, mp4, avi, png (a strip) or frames. */
    public static OutputFormat namedFormat(String name) {
        try {
            return OutputFormat.named(name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("unknown --format '" + name + "': use gif, mp4, avi, png (a strip) or frames");
        }
    }

    /** A sheet path must be a .png. */
    static void checkSheet(Path sheet) {
        if (sheet != null && !sheet.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new InvalidInputException(sheet, "a contact sheet is a PNG: give a name ending in .png");
        }
    }

    /** An output folder may exist (its files of the same names are replaced) but must not be a file. */
    static void checkFolder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new InvalidInputException(dir, "exists and is not a folder");
    }

    /**
     * Writes {@code videos} into {@code dir} as {@code names[i]} in {@code format}. A new folder
     * appears complete or not at all; into an existing one each file is written atomically.
     */
    static List<Path> writeAll(Path dir, List<String> names, List<Video> videos, OutputFormat format) {
        List<Path> written = new ArrayList<>();
        for (String n : names) written.add(dir.resolve(format.fileName(n)));
        if (Files.isDirectory(dir)) {
            for (int i = 0; i < videos.size(); i++) MediaWriter.write(videos.get(i), written.get(i), format);
            return written;
        }
        try {
            AtomicFiles.writeDirectory(dir, tmp -> {
                for (int i = 0; i < videos.size(); i++) MediaWriter.write(videos.get(i), tmp.resolve(format.fileName(names.get(i))), format);
            });
        } catch (IOException e) {
            throw new InvalidInputException(dir, "cannot write: " + e.getMessage(), e);
        }
        return written;
    }

    /** A labelled contact sheet; long rows show every n-th frame so the sheet stays readable. */
    static void sheet(List<Video> rows, List<String> labels, Path png) {
        int longest = 1;
        for (Video v : rows) longest = Math.max(longest, v.frames());
        int step = (longest + SHEET_COLUMNS - 1) / SHEET_COLUMNS;
        List<Video> shown = new ArrayList<>(rows.size());
        List<String> text = new ArrayList<>(labels.size());
        for (int i = 0; i < rows.size(); i++) {
            shown.add(step > 1 ? rows.get(i).strided(0, step, 0) : rows.get(i));
            text.add(step > 1 ? labels.get(i) + " (every " + step + ")" : labels.get(i));
        }
        ContactSheet.write(shown, text, png);
    }

    /** "N frames SxS". */
    static String describe(Video v) {
        return v.frames() + " frames " + v.width() + "x" + v.height();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
