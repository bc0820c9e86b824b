package org.dualmtgan.cli;

import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Preprocess;
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

/** {@code dualmtgan transfer}: deterministic motion transfer, the image moves as the driving video does. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Motion transfer: the image moves as the driving video does.",
                "Deterministic: the image's content with the driving video's motion. Inputs of",
                "any size are centre-cropped and resized to the model's size; the result has the",
                "driving video's length (videos longer than the model's clip run in windows)."},
        footer = {"", "Example:",
                "  dualmtgan transfer --model runs/weizmann-64 --image person.png \\",
                "      --driving wave.mp4 --out moved.gif --sheet moved.png"})
public final class TransferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnimateSupport.ModelOption model;

    @Option(names = "--image", paramLabel = "IMG", required = true,
            description = "The target image (PNG, JPEG, BMP, GIF; or a video, whose first frame is used).")
    Path image;

    @Option(names = "--driving", paramLabel = "VID", required = true,
            description = "The driving video: MP4/MOV/AVI/WebM/MKV, animated GIF, folder of frames or strip PNG.")
    Path driving;

    @Mixin
    AnimateSupport.ImageCrop imageCrop;

    @Option(names = "--absolute",
            description = "Keypoint models: place the image's keypoints where the driving video's are (absolute mode), "
                    + "instead of adding the driving keypoints' motion from its first frame (relative mode, the default). "
                    + "For a driving video framed like the image.")
    boolean absolute;

    @Option(names = "--driving-crop", paramLabel = "x,y,w,h", defaultValue = "center",
            description = "Region of the driving video's frames to use: x,y,w,h, center or none. Default: ${DEFAULT-VALUE}.")
    String drivingCrop;

    @Mixin
    AnimateSupport.VideoOutput output;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Path outPath = output.check(driving, "driving video");
        Preprocess.Crop yCrop = imageCrop.crop();
        Preprocess.Crop vCrop = Preprocess.Crop.parseOption(drivingCrop);
        try (Animator animator = model.open()) {
            Video y = MediaReader.readFirstFrames(image, 1, animator.size(), yCrop);
            Video v = MediaReader.readForModel(driving, animator.size(), output.maxFrames, vCrop);
            Video result = animator.transfer(y, v, absolute);
            String written = output.write(result, List.of(y, v, result), List.of("image", "driving", "result"));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s at %.3g fps, %s, %.2f s%n", outPath,
                    AnimateSupport.describe(result), result.fps(), written, AnimateSupport.seconds(t0));
            spec.commandLine().getOut().flush();
        }
        return Main.EXIT_OK;
    }
}
