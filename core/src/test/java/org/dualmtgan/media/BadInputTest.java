package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input gives an InvalidInputException that names the file and the problem. */
class BadInputTest {
    private static InvalidInputException refused(Path file, String problem, Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(problem), "says '" + problem + "': " + e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void truncatedMp4(@TempDir Path tmp) throws IOException {
        byte[] whole = Files.readAllBytes(TestMedia.data("faces/d18.mp4"));
        Path cut = tmp.resolve("cut.mp4");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 3));
        refused(cut, "not a readable video", () -> MediaReader.readVideo(cut));
    }

    /** A file with its index first (faststart) decodes up to the cut without an error: caught by the count. */
    @Test
    void truncatedFaststartMp4(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(full.toFile(), 64, 64, 0)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(25);
            rec.setVideoBitrate(2_000_000);
            rec.setOption("movflags", "faststart");
            rec.start();
            Video v = TestMedia.pattern(60, 64, 64, 25);
            org.bytedeco.javacv.Java2DFrameConverter conv = new org.bytedeco.javacv.Java2DFrameConverter();
            for (int t = 0; t < 60; t++) rec.record(conv.convert(TestMedia.bgr(v, t)));
            rec.stop();
        }
        assertEquals(60, MediaReader.readVideo(full).frames());
        byte[] whole = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.mp4");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 4));
        refused(cut, "truncated", () -> MediaReader.readVideo(cut));
    }

    @Test
    void corruptBytes(@TempDir Path tmp) throws IOException {
        byte[] noise = new byte[20000];
        new Random(7).nextBytes(noise);
        for (String name : new String[] {"noise.mp4", "noise.avi", "noise.gif", "noise.png", "noise.jpg"}) {
            Path f = tmp.resolve(name);
            Files.write(f, noise);
            assertThrows(InvalidInputException.class, () -> MediaReader.readVideo(f), name);
            if (!name.endsWith(".mp4") && !name.endsWith(".avi")) {
                refused(f, "", () -> MediaReader.readImage(f));
            }
        }
        // A real PNG header followed by garbage.
        byte[] png = Files.readAllBytes(TestMedia.data("bair/bair_00026/00.png"));
        byte[] broken = png.clone();
        for (int i = 60; i < broken.length - 20; i++) broken[i] = (byte) (i * 31);
        Path b = tmp.resolve("broken.png");
        Files.write(b, broken);
        refused(b, "cannot decode png", () -> MediaReader.readImage(b));
        // A cut JPEG: ImageIO only warns and fills the rest with grey; refused.
        byte[] jpg = Files.readAllBytes(TestMedia.data("faces/src_s0.jpg"));
        Path cutJpg = tmp.resolve("cut.jpg");
        Files.write(cutJpg, Arrays.copyOf(jpg, jpg.length / 2));
        refused(cutJpg, "truncated jpeg", () -> MediaReader.readImage(cutJpg));
        assertEquals(600, MediaReader.readImage(TestMedia.data("faces/src_s0.jpg")).getWidth());  // reader reusable
        Path half = tmp.resolve("half.png");
        Files.write(half, Arrays.copyOf(png, png.length / 2));
        refused(half, "cannot decode png", () -> MediaReader.readVideo(half));
    }

    @Test
    void emptyAndZeroFrameVideos(@TempDir Path tmp) throws IOException {
        Path empty = tmp.resolve("empty.mp4");
        Files.write(empty, new byte[0]);
        refused(empty, "empty", () -> MediaReader.readVideo(empty));
        Path emptyPng = tmp.resolve("empty.png");
        Files.write(emptyPng, new byte[0]);
        refused(emptyPng, "empty", () -> MediaReader.readImage(emptyPng));

        Path zero = tmp.resolve("zero.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(zero.toFile(), 64, 64, 0)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(25);
            rec.start();
            rec.stop();
        }
        assertTrue(Files.size(zero) > 0);
        refused(zero, "no video frames", () -> MediaReader.readVideo(zero));
    }

    @Test
    void textFileNamedPng(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("notes.png");
        Files.writeString(f, "this is not an image\n");
        refused(f, "not an image", () -> MediaReader.readImage(f));
        refused(f, "not an image", () -> MediaReader.readVideo(f));
        refused(f, "not an image", () -> MediaReader.readVideo(f, MediaReader.Layout.STRIP));
    }

    @Test
    void unknownExtensionAndMissingPath(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("clip.xyz");
        Files.writeString(f, "whatever");
        refused(f, "unknown extension", () -> MediaReader.readVideo(f));
        Path missing = tmp.resolve("missing.mp4");
        refused(missing, "no such file", () -> MediaReader.readVideo(missing));
        refused(missing, "no such file", () -> MediaReader.readImage(missing));
    }

    @Test
    void folderWithoutFrames(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("nothing"));
        Files.writeString(dir.resolve("readme.txt"), "no frames here");
        refused(dir, "no frames", () -> MediaReader.readVideo(dir));
        // Frames of different sizes: the odd one is named.
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(TestMedia.data("bair/bair_00026/00.png"), mixed.resolve("00.png"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", mixed.resolve("01.png").toFile());
        refused(mixed.resolve("01.png"), "first frame is 64x64", () -> MediaReader.readVideo(mixed));
        // A strip whose width is not a multiple of its height.
        Path notStrip = tmp.resolve("wide.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(100, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", notStrip.toFile());
        refused(notStrip, "not a multiple", () -> MediaReader.readVideo(notStrip, MediaReader.Layout.STRIP));
        assertEquals(1, MediaReader.readVideo(notStrip).frames());  // AUTO: just an image
    }

    /** A valid 3-chunk PNG whose header says 30000x30000: refused from the header, fast, without decoding. */
    @Test
    void hugeImageRefusedFromHeader(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("huge.png");
        Files.write(f, pngHeaderOnly(30000, 30000));
        long t0 = System.nanoTime();
        InvalidInputException e = refused(f, "30000x30000", () -> MediaReader.readImage(f));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        refused(f, "30000x30000", () -> MediaReader.readVideo(f));
        refused(f, "30000x30000", () -> MediaReader.readVideo(f, MediaReader.Layout.STRIP));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 2, "refused in " + seconds + " s");
        // The same bytes with an acceptable size decode, so the crafted file is a valid PNG.
        Path small = tmp.resolve("small.png");
        Files.write(small, pngHeaderOnly(4, 3));
        assertEquals(4, MediaReader.readImage(small).getWidth());
    }

    /** Signature, IHDR (8-bit RGB), one IDAT holding one zero-filled row, IEND; all CRCs correct. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        // Enough zero rows for the small check image; the huge one never gets this far.
        byte[] raw = new byte[(1 + 3 * Math.min(width, 16)) * Math.min(height, 16)];
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[1024];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void cropOutsideTheFrameNamesTheInput() {
        Path f = TestMedia.data("bair/bair_00026");
        refused(f, "does not fit", () -> MediaReader.readVideo(f, MediaReader.Layout.AUTO,
                Preprocess.builder().crop(Preprocess.Crop.rect(40, 40, 32, 32)).build()));
    }
}
