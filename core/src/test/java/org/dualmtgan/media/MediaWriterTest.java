package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaWriterTest {
    @Test
    void mp4RoundTripOfRealFrames(@TempDir Path tmp) {
        Video v = MediaReader.readVideo(TestMedia.data("bair/bair_00026")).withFps(10);
        Path out = tmp.resolve("clip.mp4");
        MediaWriter.write(v, out);
        Video back = MediaReader.readVideo(out);
        assertEquals(v.frames(), back.frames());
        assertEquals(64, back.height());
        assertEquals(10.0, back.fps(), 0.01);
        double mae = TestMedia.meanAbsError(v, back);
        System.out.printf("[media] MP4 round trip, BAIR 30x64x64: mean abs error %.4f, %d bytes%n", mae, size(out));
        assertTrue(mae < 0.05, "MP4 mean abs error " + mae);
        assertEquals(List.of(out), list(tmp), "no temporary files left");
    }

    @Test
    void mp4PadsOddSizes(@TempDir Path tmp) {
        Video v = TestMedia.pattern(6, 33, 47, 25);
        Path out = tmp.resolve("odd.mp4");
        MediaWriter.write(v, out, OutputFormat.MP4);
        Video back = MediaReader.readVideo(out);
        assertEquals(6, back.frames());
        assertEquals(34, back.height());
        assertEquals(48, back.width());
        // The added row and column repeat the last ones; the original area survives.
        Video crop = Preprocess.crop(back, 0, 0, 47, 33);
        assertTrue(TestMedia.meanAbsError(v, crop) < 0.05);
    }

    @Test
    void aviRoundTrip(@TempDir Path tmp) {
        Video v = TestMedia.pattern(8, 48, 64, 12);
        Path out = tmp.resolve("clip.avi");
        MediaWriter.write(v, out);
        Video back = MediaReader.readVideo(out);
        assertEquals(8, back.frames());
        assertEquals(12.0, back.fps(), 0.01);
        double mae = TestMedia.meanAbsError(v, back);
        assertTrue(mae < 0.05, "AVI mean abs error " + mae);
    }

    @Test
    void gifRoundTripLoopsAndKeepsRate(@TempDir Path tmp) throws Exception {
        Video v = MediaReader.readVideo(TestMedia.data("kth/kth_00039"), MediaReader.Layout.FRAMES,
                Preprocess.builder().frames(12).build()).withFps(25);
        Path out = tmp.resolve("clip.gif");
        MediaWriter.write(v, out);
        Video back = MediaReader.readVideo(out);
        assertEquals(12, back.frames());
        assertEquals(64, back.width());
        assertEquals(25.0, back.fps(), 1e-9);  // delay 4/100 s
        double mae = TestMedia.meanAbsError(v, back);
        System.out.printf("[media] GIF round trip, KTH 12x64x64: mean abs error %.4f%n", mae);
        assertTrue(mae < 0.05, "GIF mean abs error " + mae);
        String bytes = new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("NETSCAPE2.0"), "loop extension present");
        // A colourful clip too, and 30 fps becomes a 3/100 s delay.
        Video colour = MediaReader.readVideo(TestMedia.data("bair/bair_00056")).slice(0, 6).withFps(30);
        MediaWriter.write(colour, out);
        Video back2 = MediaReader.readVideo(out);
        assertEquals(100.0 / 3, back2.fps(), 1e-9);
        assertTrue(TestMedia.meanAbsError(colour, back2) < 0.05);
        // Tiny frames survive (ImageIO loses rows of tiny interlaced GIF frames: we write progressive off).
        Video tiny = TestMedia.pattern(2, 2, 3, 10);
        MediaWriter.write(tiny, tmp.resolve("tiny.gif"));
        assertTrue(TestMedia.maxAbsError(tiny, MediaReader.readVideo(tmp.resolve("tiny.gif"))) < 0.05);
    }

    @Test
    void framesAndStripAreExact(@TempDir Path tmp) throws Exception {
        Video v = TestMedia.pattern(11, 20, 24, 25);
        Path dir = tmp.resolve("frames");
        MediaWriter.write(v, dir);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(11, s.count());
        }
        assertTrue(Files.exists(dir.resolve("00.png")));
        assertTrue(Files.exists(dir.resolve("10.png")));
        Video back = MediaReader.readVideo(dir);
        assertTrue(TestMedia.maxAbsError(v, back) <= 0.5 / 255 + 1e-6, "frames max error " + TestMedia.maxAbsError(v, back));

        Path strip = tmp.resolve("strip.png");
        Video square = TestMedia.pattern(5, 16, 16, 25);
        MediaWriter.write(square, strip);
        BufferedImage img = ImageIO.read(strip.toFile());
        assertEquals(80, img.getWidth());
        assertEquals(16, img.getHeight());
        Video sback = MediaReader.readVideo(strip, MediaReader.Layout.STRIP);
        assertEquals(5, sback.frames());
        assertTrue(TestMedia.maxAbsError(square, sback) <= 0.5 / 255 + 1e-6);

        // More than 100 frames: three digits; rewriting a folder replaces it whole.
        Video longer = TestMedia.pattern(101, 4, 4, 25);
        MediaWriter.write(longer, dir);
        assertTrue(Files.exists(dir.resolve("000.png")));
        assertTrue(Files.exists(dir.resolve("100.png")));
        assertFalse(Files.exists(dir.resolve("00.png")));
        assertEquals(101, MediaReader.readVideo(dir).frames());
        assertEquals(List.of(dir, strip, tmp.resolve("strip.png")).stream().distinct().sorted().toList(), list(tmp));
    }

    @Test
    void formatFromPath(@TempDir Path tmp) throws Exception {
        assertEquals(OutputFormat.MP4, OutputFormat.fromPath(Path.of("a/b.MP4")));
        assertEquals(OutputFormat.GIF, OutputFormat.fromPath(Path.of("b.gif")));
        assertEquals(OutputFormat.STRIP, OutputFormat.fromPath(Path.of("b.png")));
        assertEquals(OutputFormat.AVI, OutputFormat.fromPath(Path.of("b.avi")));
        assertEquals(OutputFormat.FRAMES, OutputFormat.fromPath(Path.of("out/frames")));
        assertEquals(OutputFormat.FRAMES, OutputFormat.fromPath(Files.createDirectories(tmp.resolve("x.d"))));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OutputFormat.fromPath(Path.of("b.xyz")));
        assertTrue(e.getMessage().contains("b.xyz") && e.getMessage().contains(".xyz"), e.getMessage());
        assertEquals(OutputFormat.FRAMES, OutputFormat.parse("Frames"));
        assertThrows(InvalidInputException.class, () -> OutputFormat.parse("webp"));
    }

    @Test
    void refusedWritesLeaveNothing(@TempDir Path tmp) throws Exception {
        Video empty = new Video(new float[0], 0, 8, 8, 25);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MediaWriter.write(empty, tmp.resolve("e.mp4")));
        assertTrue(e.getMessage().contains("e.mp4") && e.getMessage().contains("no frames"), e.getMessage());
        // A strip too wide to read back is refused before anything is written.
        Video wide = new Video(new float[600 * 3 * 64], 600, 1, 64, 25);
        assertThrows(InvalidInputException.class, () -> MediaWriter.write(wide, tmp.resolve("w.png")));
        // The parent is a file: the write fails, naming the output.
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "a file, not a folder");
        InvalidInputException f = assertThrows(InvalidInputException.class,
                () -> MediaWriter.write(TestMedia.pattern(1, 4, 4, 25), blocker.resolve("x.gif")));
        assertTrue(f.getMessage().contains("x.gif"), f.getMessage());
        assertEquals(List.of(blocker), list(tmp));
    }

    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void framesWriteRoundTripsExactly8Bit(@TempDir Path tmp) {
        // 8-bit values survive exactly.
        float[] d = new float[3 * 2 * 2];
        for (int i = 0; i < d.length; i++) d[i] = (i * 20) / 255f;
        Video v = new Video(d, 1, 2, 2, 25);
        MediaWriter.write(v, tmp.resolve("f"), OutputFormat.FRAMES);
        assertArrayEquals(d, MediaReader.readVideo(tmp.resolve("f")).data(), 1e-7f);
    }
}
