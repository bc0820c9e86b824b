package org.dualmtgan.cli;

import org.dualmtgan.SharedData;
import org.dualmtgan.cli.CliRun.Result;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.dualmtgan.cli.CliRun.run;

class ConvertCommandTest {
    private static Path data(String relative) {
        return SharedData.path(relative);
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void stripToGifWithStrideAndLength(@TempDir Path tmp) {
        Path in;
        Path weizmann = data("weizmann"); // outside the try: a missing data folder skips the test
        try (Stream<Path> s = Files.list(weizmann)) {
            in = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Path out = tmp.resolve("wave.gif");
        Result r = run("convert", in.toString(), out.toString(), "--size", "32", "--every", "2", "--frames", "10",
                "--layout", "strip");
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("10 frames 32x32"), r.text());
        Video v = MediaReader.readVideo(out);
        assertEquals(10, v.frames());
        assertEquals(32, v.width());
        assertEquals(12.5, v.fps(), 0.01);  // 25 / 2, GIF delay 8/100 s
    }

    @Test
    void aviToFramesAndMp4ToMp4(@TempDir Path tmp) throws Exception {
        Path frames = tmp.resolve("ped");
        Result r = run("convert", data("pedestrians/vtest_384x288_first200_mjpeg.avi").toString(), frames + "/",
                "--frames", "5", "--no-crop", "--size", "48");
        assertEquals(0, r.code(), r.text());
        Video v = MediaReader.readVideo(frames);
        assertEquals(5, v.frames());
        assertEquals(48, v.height());
        assertEquals(48, v.width());

        Path mp4 = tmp.resolve("face.mp4");
        r = run("convert", data("faces/d12.mp4").toString(), mp4.toString(), "--frames", "8", "--fps", "12",
                "--crop", "100,50,300,300");
        assertEquals(0, r.code(), r.text());
        Video f = MediaReader.readVideo(mp4);
        assertEquals(8, f.frames());
        assertEquals(64, f.width());
        assertEquals(12.0, f.fps(), 0.01);

        Path strip = tmp.resolve("bair.png");
        r = run("convert", data("bair/bair_00108").toString(), strip.toString(), "--layout", "frames", "--size", "0");
        assertEquals(0, r.code(), r.text());
        assertEquals(30, MediaReader.readVideo(strip, MediaReader.Layout.STRIP).frames());
        assertEquals(List.of(strip, mp4, frames), list(tmp));
    }

    @Test
    void badInputExitsTwoAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "not an image");
        Path out = tmp.resolve("out.gif");
        String bair = data("bair/bair_00026").toString();
        String[][] cases = {
                {"convert", tmp.resolve("missing.mp4").toString(), out.toString()},
                {"convert", text.toString(), out.toString()},
                {"convert", bair, tmp.resolve("out.xyz").toString()},
                {"convert", bair, out.toString(), "--crop", "1,1,10,10", "--no-crop"},
                {"convert", bair, out.toString(), "--crop", "40,40,40,40"},
                {"convert", bair, out.toString(), "--every", "0"},
                {"convert", bair, out.toString(), "--layout", "sideways"},
                {"convert", bair, out.toString(), "--format", "webp"},
                {"convert", bair, out.toString(), "--size", "abc"},
                {"convert", bair},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.text());
            assertTrue(r.text().contains("error"), r.text());
        }
        Result r = run("convert", text.toString(), out.toString());
        assertTrue(r.text().contains("notes.png"), r.text());
        assertEquals(List.of(text), list(tmp), "nothing written");
    }

    @Test
    void helpExitsZero() {
        Result r = run("convert", "--help");
        assertEquals(0, r.code());
        assertTrue(r.text().contains("--every"), r.text());
    }
}
