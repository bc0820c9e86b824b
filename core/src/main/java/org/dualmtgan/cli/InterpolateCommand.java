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

/** {@code dualmtgan interpolate}: the image moving with blends of two motions. */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = {"Motion interpolation: the image moving with blends of two motions.",
                "K videos whose motion code is z = a z_A + (1 - a) z_B, with a from 1 (motion A)",
                "down to 0 (motion B).",
                "Each motion video's first T frames (the model's clip length) are encoded.",
                "Writes DIR/step-00 (motion A) .. step-(K-1) (motion B); sheet rows are labelled a."},
        footer = {"", "Example:",
                "  dualmtgan interpolate --model runs/weizmann-64 --image person.png \\",
                "      --motion-a wave.gif --motion-b walk.gif --steps 5 --out blend --sheet"})
public final class InterpolateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnimateSupport.ModelOption model;

    @Option(names = "--image", paramLabel = "IMG", required = true,
            description = "The image (PNG, JPEG, BMP, GIF; or a video, whose first frame is used).")
    Path image;

    @Option(names = "--motion-a", paramLabel = "VID", required = true, description = "The first motion (video, GIF, frame folder or strip).")
    Path motionA;

    @Option(names = "--motion-b", paramLabel = "VID", required = true, description = "The second motion.")
    Path motionB;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "5", description = "Number of videos, at least 2. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Mixin
    AnimateSupport.VideosOutput output;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        output.check();
        if (steps < 2 || steps > Animator.MAX_COUNT) {
            throw new InvalidInputException("--steps must be between 2 and " + Animator.MAX_COUNT + ", got " + steps);
        }
        try (Animator animator = model.open()) {
            int t = animator.clipLength();
            Video y = MediaReader.readFirstFrames(image, 1, animator.size());
            Video a = MediaReader.readForModel(motionA, animator.size(), t, null);
            Video b = MediaReader.readForModel(motionB, animator.size(), t, null);
            List<Video> videos = animator.interpolate(y, a, b, steps);
            List<String> labels = new ArrayList<>();
            for (int j = 0; j < steps; j++) labels.add(String.format(Locale.ROOT, "a=%.2f", 1.0 - (double) j / (steps - 1)));
            output.write(MediaWriter.numbered("step", steps), videos, videos, labels);
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d videos of %s, motion A -> B%s, %.2f s%n", output.out, steps,
                    AnimateSupport.describe(videos.get(0)), output.sheet ? ", sheet.png" : "", AnimateSupport.seconds(t0));
            spec.commandLine().getOut().flush();
        }
        return Main.EXIT_OK;
    }
}
