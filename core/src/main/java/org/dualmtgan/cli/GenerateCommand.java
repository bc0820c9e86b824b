package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan generate}: stochastic motion generation, N videos from one image (or its first frames). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Motion generation: N videos of the image with sampled motions.",
                "Stochastic, reproducible from --seed, any length. With --given-frames K, the",
                "first K frames of a video condition the motion (content from the first).",
                "Writes DIR/sample-00 .. sample-(N-1); --sheet adds the given frames' row."},
        footer = {"", "Examples:",
                "  dualmtgan generate --model runs/bair-64 --image robot.png \\",
                "      --samples 8 --seed 1 --out samples --sheet",
                "  dualmtgan generate --model runs/bair-64 --image ../shared/data/bair/bair_00026 \\",
                "      --given-frames 2 --frames 30 --samples 4 --seed 1 --out cont --format mp4"})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnimateSupport.ModelOption model;

    @Option(names = "--image", paramLabel = "IMG", required = true,
            description = "The image (PNG, JPEG, BMP, GIF), or a video whose first --given-frames frames condition the motion.")
    Path image;

    @Mixin
    AnimateSupport.ImageCrop imageCrop;

    @Option(names = "--given-frames", paramLabel = "K", defaultValue = "1",
            description = "Condition on the first K frames of --image (1: the image alone). Default: ${DEFAULT-VALUE}.")
    int givenFrames;

    @Option(names = "--frames", paramLabel = "T", description = "Frames per video (default: the model's clip length; any length works).")
    Integer frames;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "4", description = "Number of videos. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0", description = "Seed of the motion draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    AnimateSupport.VideosOutput output;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        output.check();
        var crop = imageCrop.crop();
        if (givenFrames < 1) throw new InvalidInputException("--given-frames must be >= 1, got " + givenFrames);
        if (samples < 1 || samples > Animator.MAX_COUNT) {
            throw new InvalidInputException("--samples must be between 1 and " + Animator.MAX_COUNT + ", got " + samples);
        }
        if (frames != null && (frames < 1 || frames > Animator.MAX_COUNT)) {
            throw new InvalidInputException("--frames must be between 1 and " + Animator.MAX_COUNT + ", got " + frames);
        }
        try (Animator animator = model.open()) {
            int length = frames != null ? frames : Math.max(animator.clipLength(), givenFrames);
            if (length < givenFrames) throw new InvalidInputException("--frames (" + length + ") must be at least --given-frames (" + givenFrames + ")");
            Video given = MediaReader.readFirstFrames(image, givenFrames, animator.size(), crop);
            List<Video> videos = animator.generate(given, samples, seed, length);
            List<Video> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            rows.add(given);
            labels.add(givenFrames == 1 ? "image" : "given");
            for (int i = 0; i < samples; i++) {
                rows.add(videos.get(i));
                labels.add("seed " + seed + " #" + i);
            }
            List<Path> written = output.write(MediaWriter.numbered("sample", samples), videos, rows, labels);
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d samples of %s (%s .. %s), seed %d%s, %.2f s%n", output.out, samples,
                    AnimateSupport.describe(videos.get(0)), written.get(0).getFileName(), written.get(written.size() - 1).getFileName(),
                    seed, output.sheet ? ", sheet.png" : "", AnimateSupport.seconds(t0));
            spec.commandLine().getOut().flush();
        }
        return Main.EXIT_OK;
    }
}
