package org.dualmtgan.cli;

import org.dualmtgan.SharedData;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.cli.CliRun.Result;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.dualmtgan.cli.CliRun.run;

class AnimateCommandsTest {
    static final int S = TinyModel.SIZE;
    static final int T = TinyModel.FRAMES;
    static String model;

    @BeforeAll
    static void train() throws IOException {
        model = TinyModel.shared().toString();
    }

    private static Path data(String relative) {
        return SharedData.path(relative);
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    /** A target image (PNG) and a short driving GIF in {@code dir}. */
    private static Path[] inputs(Path dir) {
        Path image = dir.resolve("image.png");
        MediaWriter.write(TinyModel.squareVideo(1, 1), image);
        Path driving = dir.resolve("driving.gif");
        MediaWriter.write(TinyModel.squareVideo(2, T), driving);
        return new Path[] {image, driving};
    }

    @Test
    void transferWritesEveryFormatAndASheet(@TempDir Path tmp) throws Exception {
        Path[] in = inputs(tmp);
        // Real robot frames (64 px, 30 frames) drive a 32 px model: preprocessing and windows.
        Path robot = data("bair/bair_00026");
        for (String name : new String[] {"out.mp4", "out.gif", "out.png", "frames"}) {
            Path out = tmp.resolve(name);
            Result r = run("transfer", "--model", model, "--image", in[0].toString(), "--driving", robot.toString(),
                    "--out", out.toString(), "--max-frames", "12");
            assertEquals(0, r.code(), r.text());
            Video v = MediaReader.readVideo(out, name.equals("out.png") ? MediaReader.Layout.STRIP : MediaReader.Layout.AUTO);
            assertEquals(12, v.frames(), name);
            assertEquals(S, v.height(), name);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("frames/00.png")));

        Path sheet = tmp.resolve("sheet.png");
        Result r = run("transfer", "--model", model, "--image", in[0].toString(), "--driving", in[1].toString(),
                "--out", tmp.resolve("small.gif").toString(), "--sheet", sheet.toString());
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains(T + " frames " + S + "x" + S), r.text());
        BufferedImage png = ImageIO.read(sheet.toFile());
        // Three rows (image, driving, result) of T columns, frames enlarged to at least 128 px.
        assertTrue(png.getHeight() >= 3 * 128 && png.getHeight() < 4 * 128, "sheet " + png.getWidth() + "x" + png.getHeight());
        assertTrue(png.getWidth() >= T * 128);
    }

    @Test
    void generateWritesSamplesReproducibly(@TempDir Path tmp) throws Exception {
        Path[] in = inputs(tmp);
        Path gifs = tmp.resolve("gifs");
        Result r = run("generate", "--model", model, "--image", in[0].toString(), "--samples", "3", "--seed", "4",
                "--out", gifs.toString(), "--sheet");
        assertEquals(0, r.code(), r.text());
        for (int i = 0; i < 3; i++) assertEquals(T, MediaReader.readVideo(gifs.resolve("sample-0" + i + ".gif")).frames());
        BufferedImage sheet = ImageIO.read(gifs.resolve("sheet.png").toFile());
        assertTrue(sheet.getHeight() >= 4 * 128, "given image + 3 sample rows");

        for (String format : new String[] {"mp4", "png", "frames"}) {
            Path dir = tmp.resolve(format);
            r = run("generate", "--model", model, "--image", in[0].toString(), "--samples", "2", "--seed", "4",
                    "--frames", "10", "--format", format, "--out", dir.toString());
            assertEquals(0, r.code(), r.text());
            assertEquals(2, tree(dir).size() - 1 - (format.equals("frames") ? 20 : 0), format + ": " + tree(dir));
        }
        assertEquals(10, MediaReader.readVideo(tmp.resolve("mp4/sample-01.mp4")).frames());
        assertEquals(10, MediaReader.readVideo(tmp.resolve("frames/sample-00")).frames());

        // Same seed, same pixels; another seed, other pixels.
        Path again = tmp.resolve("again");
        Path other = tmp.resolve("other");
        assertEquals(0, run("generate", "--model", model, "--image", in[0].toString(), "--samples", "2", "--seed", "4",
                "--frames", "10", "--format", "png", "--out", again.toString()).code());
        assertEquals(0, run("generate", "--model", model, "--image", in[0].toString(), "--samples", "2", "--seed", "5",
                "--frames", "10", "--format", "png", "--out", other.toString()).code());
        float[] first = MediaReader.readVideo(tmp.resolve("png/sample-00.png"), MediaReader.Layout.STRIP).data();
        assertArrayEquals(first, MediaReader.readVideo(again.resolve("sample-00.png"), MediaReader.Layout.STRIP).data());
        assertFalse(java.util.Arrays.equals(first, MediaReader.readVideo(other.resolve("sample-00.png"), MediaReader.Layout.STRIP).data()));

        // Conditioned on the first frames of a real video, longer than T.
        Path cont = tmp.resolve("cont");
        r = run("generate", "--model", model, "--image", data("bair/bair_00033").toString(), "--given-frames", "3",
                "--frames", "20", "--samples", "2", "--seed", "1", "--out", cont.toString());
        assertEquals(0, r.code(), r.text());
        assertEquals(20, MediaReader.readVideo(cont.resolve("sample-01.gif")).frames());
    }

    @Test
    void reconstructAndInterpolate(@TempDir Path tmp) throws Exception {
        Path[] in = inputs(tmp);
        Path rec = tmp.resolve("rec.gif");
        Result r = run("reconstruct", "--model", model, "--video", data("bair/bair_00056").toString(), "--max-frames", "10",
                "--out", rec.toString(), "--sheet", tmp.resolve("rec.png").toString());
        assertEquals(0, r.code(), r.text());
        assertEquals(10, MediaReader.readVideo(rec).frames());
        assertTrue(Files.isRegularFile(tmp.resolve("rec.png")));

        Path blend = tmp.resolve("blend");
        Path motionB = tmp.resolve("b.gif");
        MediaWriter.write(TinyModel.squareVideo(3, T), motionB);
        r = run("interpolate", "--model", model, "--image", in[0].toString(), "--motion-a", in[1].toString(),
                "--motion-b", motionB.toString(), "--steps", "3", "--out", blend.toString(), "--sheet");
        assertEquals(0, r.code(), r.text());
        for (String n : new String[] {"step-00.gif", "step-01.gif", "step-02.gif", "sheet.png"}) {
            assertTrue(Files.isRegularFile(blend.resolve(n)), n);
        }
        assertEquals(T, MediaReader.readVideo(blend.resolve("step-02.gif")).frames());
    }

    @Test
    void badInputsExitTwoAndWriteNothing(@TempDir Path tmp) throws Exception {
        Path[] in = inputs(tmp);
        Path bad = tmp.resolve("bad.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path missing = tmp.resolve("missing.ckpt");
        List<Path> before = tree(tmp);
        Path out = tmp.resolve("out.gif");
        Path dir = tmp.resolve("dir");

        Result r = run("transfer", "--model", model, "--image", bad.toString(), "--driving", in[1].toString(), "--out", out.toString(),
                "--sheet", tmp.resolve("s.png").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().startsWith("error: " + bad), r.text());

        r = run("transfer", "--model", model, "--image", in[0].toString(), "--driving", empty.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains(empty.toString()) && r.text().contains("no frames"), r.text());

        r = run("generate", "--model", "no-such-model", "--image", in[0].toString(), "--out", dir.toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("unknown model 'no-such-model'"), r.text());

        r = run("reconstruct", "--model", missing.toString(), "--video", in[1].toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains(missing.toString()) && r.text().contains("not found"), r.text());

        r = run("generate", "--model", model, "--image", bad.toString(), "--out", dir.toString(), "--sheet");
        assertEquals(2, r.code(), r.text());

        r = run("interpolate", "--model", model, "--image", in[0].toString(), "--motion-a", in[1].toString(),
                "--motion-b", empty.toString(), "--out", dir.toString());
        assertEquals(2, r.code(), r.text());

        r = run("generate", "--model", model, "--image", in[0].toString(), "--out", dir.toString(), "--format", "webp");
        assertEquals(2, r.code(), r.text());
        r = run("transfer", "--model", model, "--image", in[0].toString(), "--driving", in[1].toString(), "--out", tmp.resolve("x.jpg").toString());
        assertEquals(2, r.code(), r.text());
        r = run("transfer", "--model", model, "--image", in[0].toString());
        assertEquals(2, r.code(), "missing options are usage errors: " + r.text());

        // The shared output options refuse before any work: the input as output, a sheet that is
        // not a PNG, a file where a folder goes.
        r = run("reconstruct", "--model", model, "--video", in[1].toString(), "--out", in[1].toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("output is the input video"), r.text());
        r = run("transfer", "--model", model, "--image", in[0].toString(), "--driving", in[1].toString(), "--out", out.toString(),
                "--sheet", tmp.resolve("s.jpg").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("s.jpg") && r.text().contains("PNG"), r.text());
        r = run("interpolate", "--model", model, "--image", in[0].toString(), "--motion-a", in[1].toString(),
                "--motion-b", in[1].toString(), "--out", bad.toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("not a folder"), r.text());

        assertEquals(before, tree(tmp), "nothing was written");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String command : new String[] {"transfer", "generate", "reconstruct", "interpolate"}) {
            Result r = run(command, "--help");
            assertEquals(0, r.code(), r.text());
            assertTrue(r.text().contains("--model") && r.text().contains("Example"), r.text());
        }
    }

    @Test
    void cropOptionsFrameTheInputsAsAPreCroppedFileWould(@TempDir Path tmp) throws Exception {
        // A portrait whose face sits high in a tall frame: --image-crop on the photo gives the bytes
        // of the same transfer from a file cropped beforehand with convert --crop.
        Path photo = data("faces/src_s9.jpg");
        Path driving = data("bair/bair_00026");
        Path cropped = tmp.resolve("face.png");
        Result c = run("convert", photo.toString(), cropped.toString(), "--crop", "135,85,450,450", "--size", "0");
        assertEquals(0, c.code(), c.text());
        Result a = run("transfer", "--model", model, "--image", photo.toString(), "--image-crop", "135,85,450,450",
                "--driving", driving.toString(), "--driving-crop", "8,8,48,48", "--max-frames", "6", "--out", tmp.resolve("a.png").toString());
        assertEquals(0, a.code(), a.text());
        Path drivingCropped = tmp.resolve("driving");
        assertEquals(0, run("convert", driving.toString(), drivingCropped + "/", "--crop", "8,8,48,48", "--size", "0").code());
        Result b = run("transfer", "--model", model, "--image", cropped.toString(), "--driving", drivingCropped.toString(),
                "--max-frames", "6", "--out", tmp.resolve("b.png").toString());
        assertEquals(0, b.code(), b.text());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("b.png")), Files.readAllBytes(tmp.resolve("a.png")));
        // The default (centred square) frames the photo otherwise: another result.
        Result d = run("transfer", "--model", model, "--image", photo.toString(), "--driving", drivingCropped.toString(),
                "--max-frames", "6", "--out", tmp.resolve("d.png").toString());
        assertEquals(0, d.code(), d.text());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("b.png")), Files.readAllBytes(tmp.resolve("d.png"))));

        // generate takes --image-crop too; a crop outside the photo, or not a crop, is bad input naming it.
        Result g = run("generate", "--model", model, "--image", photo.toString(), "--image-crop", "135,85,450,450",
                "--samples", "1", "--out", tmp.resolve("g").toString());
        assertEquals(0, g.code(), g.text());
        Result outside = run("transfer", "--model", model, "--image", photo.toString(), "--image-crop", "600,600,400,400",
                "--driving", driving.toString(), "--out", tmp.resolve("x.gif").toString());
        assertEquals(2, outside.code(), outside.text());
        assertTrue(outside.text().contains("src_s9.jpg") && outside.text().contains("does not fit"), outside.text());
        Result word = run("transfer", "--model", model, "--image", photo.toString(), "--image-crop", "face",
                "--driving", driving.toString(), "--out", tmp.resolve("y.gif").toString());
        assertEquals(2, word.code(), word.text());
        assertTrue(word.text().contains("crop 'face'"), word.text());
        assertFalse(Files.exists(tmp.resolve("x.gif")) || Files.exists(tmp.resolve("y.gif")));
    }
}
