package org.dualmtgan.cli;

import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan reconstruct}: a video rebuilt from its first frame and its own motion. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = {"Reconstruction: a video rebuilt from its first frame and its own motion.",
                "Self-transfer, showing what the model keeps of a video. The video is",
                "centre-cropped and resized to the model's size."},
        footer = {"", "Example:",
                "  dualmtgan reconstruct --model runs/bair-64 \\",
                "      --video ../shared/data/bair/bair_00026 --out rec.gif --sheet rec.png"})
public final class ReconstructCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnimateSupport.ModelOption model;

    @Option(names = "--video", paramLabel = "VID", required = true,
            description = "The video: MP4/MOV/AVI/WebM/MKV, animated GIF, folder of frames or strip PNG.")
    Path video;

    @Mixin
    AnimateSupport.VideoOutput output;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Path outPath = output.check(video, "input video");
        try (Animator animator = model.open()) {
            Video v = MediaReader.readForModel(video, animator.size(), output.maxFrames, null);
            Video result = animator.reconstruct(v);
            String written = output.write(result, List.of(v, result), List.of("video", "reconstruction"));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s, %s, %.2f s%n", outPath, AnimateSupport.describe(result),
                    written, AnimateSupport.seconds(t0));
            spec.commandLine().getOut().flush();
        }
        return Main.EXIT_OK;
    }
}
