package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.FaceBox;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan convert IN OUT}: read any supported video, preprocess it, write it in another format. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a video, GIF, frame folder, strip or image: crop, resize, subsample, re-encode.")
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Video file, animated GIF, folder of frames, strip PNG or image.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT",
            description = "Output: .mp4, .gif, .avi, .png (strip), or a folder name (PNG frames).")
    String output;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "64",
            description = "Output frames are PX x PX, by area averaging (0 keeps the cropped size). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--every", paramLabel = "N", defaultValue = "1", description = "Keep every N-th frame (frame rate / N).")
    int every;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "0",
            description = "Keep at most the first T frames after --every (0: all).")
    int frames;

    @Option(names = "--crop", paramLabel = "x,y,w,h|face",
            description = "Crop this rectangle (default: the centred square); 'face': the square around the clip's face, found by skin colour and motion (docs/media.md).")
    String crop;

    @Option(names = "--no-crop", description = "Keep the whole frame (stretched to the square size when --size is set).")
    boolean noCrop;

    @Option(names = "--layout", paramLabel = "KIND", defaultValue = "auto",
            description = "How IN holds its frames: auto, file, frames, strip or image. Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--fps", paramLabel = "F", description = "Frame rate of the output (default: the input's, divided by --every).")
    Double fps;

    @Option(names = "--format", paramLabel = "FMT",
            description = "Output format: mp4, gif, avi, frames or strip (default: from OUT's extension).")
    String format;

    @Override
    public Integer call() {
        if (size < 0) throw new InvalidInputException("--size must be >= 0, got " + size);
        if (every < 1) throw new InvalidInputException("--every must be >= 1, got " + every);
        if (frames < 0) throw new InvalidInputException("--frames must be >= 0, got " + frames);
        if (fps != null && !(fps > 0 && fps <= 1000)) throw new InvalidInputException("--fps must be in (0, 1000], got " + fps);
        if (crop != null && noCrop) throw new InvalidInputException("--crop and --no-crop exclude each other");
        MediaReader.Layout readLayout = parseLayout(layout);
        Path out = Path.of(output);
        OutputFormat outFormat;
        if (format != null) {
            outFormat = OutputFormat.parse(format);
        } else if (output.endsWith("/") || output.endsWith(java.io.File.separator)) {
            outFormat = OutputFormat.FRAMES;
        } else {
            outFormat = OutputFormat.fromPath(out);
        }
        if (out.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())) {
            throw new InvalidInputException(out, "output is the input; choose another name");
        }
        Preprocess.Builder pre = Preprocess.builder().size(size).every(every).frames(frames);
        if (noCrop) pre.crop(Preprocess.Crop.none());
        long t0 = System.nanoTime();
        if (crop != null && crop.trim().equalsIgnoreCase("face")) {
            Preprocess.Crop face = FaceBox.cropOf(input, readLayout, 10, FaceBox.MARGIN);
            spec.commandLine().getOut().printf(Locale.ROOT, "face crop %s (--crop %s repeats it)%n", face, face);
            pre.crop(face);
        } else if (crop != null) {
            pre.crop(Preprocess.Crop.parse(crop));
        }
        Video v = MediaReader.readVideo(input, readLayout, pre.build());
        if (fps != null) v = v.withFps(fps);
        MediaWriter.write(v, out, outFormat);
        double seconds = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "%s -> %s: %d frames %dx%d at %.3g fps, %s, %.2f s%n",
                input, out, v.frames(), v.width(), v.height(), v.fps(),
                outFormat.name().toLowerCase(Locale.ROOT), seconds);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    private static MediaReader.Layout parseLayout(String name) {
        try {
            return MediaReader.Layout.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown --layout '" + name + "': use auto, file, frames, strip or image");
        }
    }
}
