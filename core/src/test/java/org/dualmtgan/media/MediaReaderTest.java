package org.dualmtgan.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.dualmtgan.media.TestMedia.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaReaderTest {
    private static final float EPS = 1e-6f;

    @Test
    void weizmannStripHasWidthOver64Frames() throws Exception {
        Path dir = TestMedia.data("weizmann");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(3).toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            BufferedImage whole = ImageIO.read(f.toFile());
            Video v = MediaReader.readVideo(f, MediaReader.Layout.STRIP);
            assertEquals(whole.getWidth() / 64, v.frames(), f.toString());
            assertEquals(64, v.height());
            assertEquals(64, v.width());
            TestMedia.assertInUnitRange(v);
            // Frame 1, pixel (5, 7) is strip pixel (64 + 5, 7).
            int p = whole.getRGB(64 + 5, 7);
            assertEquals(((p >> 16) & 0xff) / 255f, at(v, 1, 0, 7, 5), EPS);
            assertEquals((p & 0xff) / 255f, at(v, 1, 2, 7, 5), EPS);
            // AUTO reads a 64 px high PNG whose width is a multiple of 64 as a strip too.
            assertEquals(v.frames(), MediaReader.readVideo(f).frames());
            assertEquals(1, MediaReader.readVideo(f, MediaReader.Layout.IMAGE).frames());
        }
    }

    @Test
    void firstFramesOfAStripAreItsFramesNotTheWholeStrip(@TempDir Path tmp) throws Exception {
        Path strip = TestMedia.data("weizmann").resolve("class0_00000050.png");
        Video all = MediaReader.readVideo(strip, MediaReader.Layout.STRIP);
        Video first = MediaReader.readFirstFrames(strip, 1, 64);
        assertEquals(1, first.frames());
        assertEquals(64, first.width());
        assertEquals(at(all, 0, 1, 40, 30), at(first, 0, 1, 40, 30), EPS);
        assertEquals(3, MediaReader.readFirstFrames(strip, 3, 32).frames());
        // A still image is one frame; asking it for more frames names the file.
        Path still = tmp.resolve("still.png");
        ImageIO.write(new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB), "png", still.toFile());
        assertEquals(1, MediaReader.readFirstFrames(still, 1, 32).frames());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.dualmtgan.InvalidInputException.class,
                () -> MediaReader.readFirstFrames(still, 2, 32));
        assertTrue(e.getMessage().contains("still.png") && e.getMessage().contains("2 are needed"), e.getMessage());
    }

    @Test
    void bairAndKthFrameFolders() {
        for (String name : List.of("bair/bair_00026", "bair/bair_00108")) {
            Video v = MediaReader.readVideo(TestMedia.data(name));
            assertEquals(30, v.frames(), name);
            assertEquals(64, v.height());
            assertEquals(64, v.width());
            TestMedia.assertInUnitRange(v);
        }
        Video kth = MediaReader.readVideo(TestMedia.data("kth/kth_00004"), MediaReader.Layout.FRAMES);
        assertEquals(40, kth.frames());
        assertEquals(64, kth.height());
        TestMedia.assertInUnitRange(kth);
        // KTH is grey footage: R = G = B nearly everywhere.
        int grey = 0;
        for (int i = 0; i < 64 * 64; i++) if (at(kth, 0, 0, i / 64, i % 64) == at(kth, 0, 2, i / 64, i % 64)) grey++;
        assertTrue(grey > 0.9 * 64 * 64, "grey pixels " + grey);
    }

    @Test
    void facesMp4KeepsFrameRate() {
        Path f = TestMedia.data("faces/d18.mp4");
        Video v = MediaReader.readVideo(f, MediaReader.Layout.AUTO, Preprocess.builder().crop(Preprocess.Crop.none()).frames(20).build());
        assertEquals(20, v.frames());
        assertEquals(480, v.height());
        assertEquals(480, v.width());
        assertTrue(v.fps() >= 25 && v.fps() <= 30, "fps " + v.fps());
        TestMedia.assertInUnitRange(v);
        double mean = 0;
        for (float x : v.data()) mean += x;
        mean /= v.data().length;
        assertTrue(mean > 0.05 && mean < 0.95, "a face, not a blank frame: mean " + mean);
    }

    @Test
    void pedestriansAviHas200Frames() {
        Video v = MediaReader.readVideo(TestMedia.data("pedestrians/vtest_384x288_first200_mjpeg.avi"));
        assertEquals(200, v.frames());
        assertEquals(288, v.height());
        assertEquals(384, v.width());
        assertEquals(10.0, v.fps(), 0.01);
        TestMedia.assertInUnitRange(v);
    }

    @Test
    void jpegPortrait() {
        Path f = TestMedia.data("faces/src_s0.jpg");
        BufferedImage img = MediaReader.readImage(f);
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        assertEquals(600, img.getWidth());
        assertEquals(704, img.getHeight());
        Video v = MediaReader.readImageAsVideo(f);
        assertEquals(1, v.frames());
        assertEquals(704, v.height());
        assertEquals(((img.getRGB(300, 350) >> 8) & 0xff) / 255f, at(v, 0, 1, 350, 300), EPS);
        assertTrue(MediaReader.isImageFile(f));
        assertFalse(MediaReader.isVideoFile(f));
        assertTrue(MediaReader.isVideoFile(Path.of("x.MP4")));
    }

    @Test
    void greyRgbaSixteenBitAndPaletteBecomeRgb(@TempDir Path tmp) throws Exception {
        // Grey 8-bit: stored value kept (no gamma conversion).
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 0, 0, 128);
        ImageIO.write(grey, "png", tmp.resolve("grey.png").toFile());
        BufferedImage g = MediaReader.readImage(tmp.resolve("grey.png"));
        assertEquals(BufferedImage.TYPE_INT_RGB, g.getType());
        assertEquals(0x808080, g.getRGB(1, 0) & 0xffffff);
        assertEquals(0, g.getRGB(0, 0) & 0xffffff);

        // RGBA: composited over black, c * a.
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x80ff8040);   // alpha 128
        rgba.setRGB(1, 0, 0x00ffffff);   // fully transparent white
        ImageIO.write(rgba, "png", tmp.resolve("rgba.png").toFile());
        BufferedImage r = MediaReader.readImage(tmp.resolve("rgba.png"));
        assertEquals(ImageDecoding.over(0xff, 0x80), (r.getRGB(0, 0) >> 16) & 0xff);
        assertEquals(ImageDecoding.over(0x80, 0x80), (r.getRGB(0, 0) >> 8) & 0xff);
        assertEquals(ImageDecoding.over(0x40, 0x80), r.getRGB(0, 0) & 0xff);
        assertEquals(0, r.getRGB(1, 0) & 0xffffff);

        // 16-bit grey: rounded to 8 bits.
        ComponentColorModel cm16 = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster wr = cm16.createCompatibleWritableRaster(2, 1);
        wr.setSample(0, 0, 0, 65535);
        wr.setSample(1, 0, 0, 257 * 100);
        ImageIO.write(new BufferedImage(cm16, wr, false, null), "png", tmp.resolve("g16.png").toFile());
        BufferedImage s = MediaReader.readImage(tmp.resolve("g16.png"));
        assertEquals(0xffffff, s.getRGB(0, 0) & 0xffffff);
        assertEquals(0x646464, s.getRGB(1, 0) & 0xffffff);

        // Palette with a transparent entry, as GIF and as PNG.
        IndexColorModel icm = new IndexColorModel(8, 3, new byte[] {(byte) 255, 0, 0}, new byte[] {0, (byte) 255, 0},
                new byte[] {0, 0, (byte) 255}, 2);
        BufferedImage pal = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, icm);
        pal.getRaster().setSample(0, 0, 0, 0);
        pal.getRaster().setSample(1, 0, 0, 1);
        pal.getRaster().setSample(2, 0, 0, 2);
        for (String fmt : List.of("gif", "png", "bmp")) {
            Path f = tmp.resolve("pal." + fmt);
            BufferedImage src = fmt.equals("bmp") ? new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB) : pal;
            if (fmt.equals("bmp")) {
                src.setRGB(0, 0, 0xff0000);
                src.setRGB(1, 0, 0x00ff00);
            }
            assertTrue(ImageIO.write(src, fmt, f.toFile()), fmt);
            BufferedImage p = MediaReader.readImage(f);
            assertEquals(0xff0000, p.getRGB(0, 0) & 0xffffff, fmt);
            assertEquals(0x00ff00, p.getRGB(1, 0) & 0xffffff, fmt);
            assertEquals(0, p.getRGB(2, 0) & 0xffffff, fmt);  // transparent (or black) -> black
        }
    }

    @Test
    void framesSortNaturally(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("clip"));
        // Frame k is a uniform grey of 10 k; names 1..12 without padding, plus files to ignore.
        for (int k = 1; k <= 12; k++) {
            BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < 16; i++) img.setRGB(i % 4, i / 4, (10 * k) * 0x010101);
            ImageIO.write(img, "png", dir.resolve("frame" + k + ".png").toFile());
        }
        Files.writeString(dir.resolve("notes.txt"), "not a frame");
        Files.writeString(dir.resolve(".hidden.png"), "not a frame");
        Video v = MediaReader.readVideo(dir);
        assertEquals(12, v.frames());
        for (int t = 0; t < 12; t++) assertEquals(10 * (t + 1) / 255f, at(v, t, 0, 0, 0), EPS, "frame " + t);
        assertTrue(MediaReader.compareNatural("2.png", "10.png") < 0);
        assertTrue(MediaReader.compareNatural("a02.png", "a10.png") < 0);
        assertTrue(MediaReader.compareNatural("a10.png", "b2.png") < 0);
        assertTrue(MediaReader.compareNatural("007.png", "7.png") != 0);
    }

    /**
     * A GIF of partial frames with each disposal method; the expected composites are worked out by
     * hand in the comments.
     */
    @Test
    void gifPartialFramesCompositeWithDisposal(@TempDir Path tmp) throws Exception {
        int red = 0xff0000;
        int blue = 0x0000ff;
        int green = 0x00ff00;
        int white = 0xffffff;
        Path gif = tmp.resolve("anim.gif");
        IndexColorModel icm = new IndexColorModel(8, 5,
                new byte[] {(byte) 255, 0, 0, (byte) 255, 0}, new byte[] {0, 0, (byte) 255, (byte) 255, 0},
                new byte[] {0, (byte) 255, 0, (byte) 255, 0}, 4);  // 0 red, 1 blue, 2 green, 3 white, 4 transparent
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(gif.toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            // f0: 8x8 red, keep. f1: 2x2 blue at (4,4), restore to background. f2: 2x2 green at (0,0)
            // with (1,1) transparent, restore to previous. f3: 1x1 white at (7,7), keep.
            writeGifFrame(w, indexed(icm, 8, 8, 0, -1), 0, 0, "none", 10);
            writeGifFrame(w, indexed(icm, 2, 2, 1, -1), 4, 4, "restoreToBackgroundColor", 10);
            writeGifFrame(w, indexed(icm, 2, 2, 2, 3), 0, 0, "restoreToPrevious", 10);
            writeGifFrame(w, indexed(icm, 1, 1, 3, -1), 7, 7, "none", 10);
            w.endWriteSequence();
        }
        Video v = MediaReader.readVideo(gif);
        assertEquals(4, v.frames());
        assertEquals(8, v.height());
        assertEquals(8, v.width());
        assertEquals(10.0, v.fps(), 1e-9);  // 10/100 s per frame
        // c0: all red.
        assertEquals(red, rgb(v, 0, 4, 4));
        // c1: red with a blue 2x2 at (4,4).
        assertEquals(blue, rgb(v, 1, 4, 4));
        assertEquals(blue, rgb(v, 1, 5, 5));
        assertEquals(red, rgb(v, 1, 6, 6));
        // f1 restored to background: its square is black; c2 adds green at (0,0),(1,0),(0,1), red below (1,1).
        assertEquals(0, rgb(v, 2, 4, 4));
        assertEquals(green, rgb(v, 2, 0, 0));
        assertEquals(green, rgb(v, 2, 1, 0));
        assertEquals(red, rgb(v, 2, 1, 1));
        // f2 restored to previous: green gone, black square stays; c3 adds white at (7,7).
        assertEquals(red, rgb(v, 3, 0, 0));
        assertEquals(0, rgb(v, 3, 5, 5));
        assertEquals(white, rgb(v, 3, 7, 7));
        assertEquals(red, rgb(v, 3, 6, 7));
        // IMAGE layout: the first frame only.
        assertEquals(1, MediaReader.readVideo(gif, MediaReader.Layout.IMAGE).frames());
    }

    /** A GIF whose single frame covers part of a larger logical screen: the still is the whole screen. */
    @Test
    void gifStillIsCompositedOnTheLogicalScreen(@TempDir Path tmp) throws Exception {
        Path gif = tmp.resolve("partial.gif");
        IndexColorModel icm = new IndexColorModel(8, 5,
                new byte[] {(byte) 255, 0, 0, (byte) 255, 0}, new byte[] {0, 0, (byte) 255, (byte) 255, 0},
                new byte[] {0, (byte) 255, 0, (byte) 255, 0}, 4);
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        IIOMetadata stream = w.getDefaultStreamMetadata(null);
        String sfmt = "javax_imageio_gif_stream_1.0";
        IIOMetadataNode sroot = (IIOMetadataNode) stream.getAsTree(sfmt);
        IIOMetadataNode lsd = (IIOMetadataNode) sroot.getElementsByTagName("LogicalScreenDescriptor").item(0);
        lsd.setAttribute("logicalScreenWidth", "6");
        lsd.setAttribute("logicalScreenHeight", "4");
        stream.setFromTree(sfmt, sroot);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(gif.toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(stream);
            writeGifFrame(w, indexed(icm, 2, 2, 1, -1), 3, 1, "none", 5);
            writeGifFrame(w, indexed(icm, 1, 1, 2, -1), 0, 0, "none", 5);
            w.endWriteSequence();
        }
        BufferedImage still = MediaReader.readImage(gif);
        assertEquals(6, still.getWidth());
        assertEquals(4, still.getHeight());
        assertEquals(0x0000ff, still.getRGB(3, 1) & 0xffffff);
        assertEquals(0x0000ff, still.getRGB(4, 2) & 0xffffff);
        assertEquals(0, still.getRGB(0, 0) & 0xffffff);  // never painted in frame 0: black
        Video v = MediaReader.readVideo(gif);
        assertEquals(2, v.frames());
        assertEquals(0x00ff00, rgb(v, 1, 0, 0));
        assertEquals(0x0000ff, rgb(v, 1, 4, 2));
        assertEquals(20.0, v.fps(), 1e-9);
    }

    /** MOV, MKV and WebM written by FFmpeg read back with their frame count, size and rate. */
    @Test
    void otherContainers(@TempDir Path tmp) throws Exception {
        Video v = TestMedia.pattern(9, 48, 64, 15);
        String[][] kinds = {{"clip.mov", "mov", "h264"}, {"clip.mkv", "matroska", "h264"}, {"clip.webm", "webm", "vp8"}};
        for (String[] k : kinds) {
            Path f = tmp.resolve(k[0]);
            try (org.bytedeco.javacv.FFmpegFrameRecorder rec = new org.bytedeco.javacv.FFmpegFrameRecorder(f.toFile(), 64, 48, 0)) {
                rec.setFormat(k[1]);
                rec.setVideoCodec(k[2].equals("h264") ? org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264
                        : org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8);
                rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
                rec.setFrameRate(15);
                rec.setVideoBitrate(2_000_000);
                rec.start();
                org.bytedeco.javacv.Java2DFrameConverter conv = new org.bytedeco.javacv.Java2DFrameConverter();
                for (int t = 0; t < v.frames(); t++) rec.record(conv.convert(TestMedia.bgr(v, t)));
                rec.stop();
            }
            assertTrue(MediaReader.isVideoFile(f), k[0]);
            Video back = MediaReader.readVideo(f);
            assertEquals(9, back.frames(), k[0]);
            assertEquals(48, back.height(), k[0]);
            assertEquals(64, back.width(), k[0]);
            assertEquals(15.0, back.fps(), 0.01, k[0]);
            double mae = TestMedia.meanAbsError(v, back);
            assertTrue(mae < 0.05, k[0] + " mean abs error " + mae);
        }
    }

    private static int rgb(Video v, int t, int x, int y) {
        return (Frames.to8(at(v, t, 0, y, x)) << 16) | (Frames.to8(at(v, t, 1, y, x)) << 8) | Frames.to8(at(v, t, 2, y, x));
    }

    private static BufferedImage indexed(IndexColorModel icm, int w, int h, int index, int transparentAt) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, index);
        if (transparentAt >= 0) img.getRaster().setSample(transparentAt % w, transparentAt / w, 0, 4);
        return img;
    }

    private static void writeGifFrame(ImageWriter w, BufferedImage img, int left, int top, String disposal, int delay)
            throws Exception {
        IIOMetadata md = w.getDefaultImageMetadata(new ImageTypeSpecifier(img), null);
        String fmt = "javax_imageio_gif_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(fmt);
        IIOMetadataNode desc = (IIOMetadataNode) root.getElementsByTagName("ImageDescriptor").item(0);
        desc.setAttribute("imageLeftPosition", Integer.toString(left));
        desc.setAttribute("imageTopPosition", Integer.toString(top));
        // ImageIO loses rows of tiny interlaced frames (seen with 2-row frames); interlacing is not under test.
        desc.setAttribute("interlaceFlag", "FALSE");
        IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        gce.setAttribute("disposalMethod", disposal);
        gce.setAttribute("delayTime", Integer.toString(delay));
        gce.setAttribute("transparentColorFlag", "TRUE");
        gce.setAttribute("transparentColorIndex", "4");
        md.setFromTree(fmt, root);
        w.writeToSequence(new IIOImage(img, null, md), null);
    }

    /** Frames per second reading the BAIR folders (64x64 PNG); printed for the report. */
    @Test
    void readingPngFoldersIsFast() {
        List<Path> dirs = new ArrayList<>();
        for (String n : List.of("bair_00026", "bair_00033", "bair_00056", "bair_00108")) dirs.add(TestMedia.data("bair/" + n));
        for (int rep = 0; rep < 3; rep++) for (Path d : dirs) MediaReader.readVideo(d);  // JIT warm-up
        int frames = 0;
        long t0 = System.nanoTime();
        for (int rep = 0; rep < 5; rep++) for (Path d : dirs) frames += MediaReader.readVideo(d).frames();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double fps = frames / seconds;
        System.out.printf("[media] read %d BAIR 64x64 PNG frames in %.3f s: %.0f frames/s%n", frames, seconds, fps);
        assertEquals(600, frames);
        assertTrue(fps > 200, "PNG folder reading too slow: " + fps + " frames/s");
    }

    @Test
    void looksLikeStripFromTheHeaderAlone(@TempDir Path tmp) throws Exception {
        assertTrue(MediaReader.looksLikeStrip(TestMedia.data("weizmann/class0_00000002.png")));
        assertFalse(MediaReader.looksLikeStrip(TestMedia.data("bair/bair_00026/00.png")), "a square frame");
        assertFalse(MediaReader.looksLikeStrip(TestMedia.data("faces/src_s0.jpg")), "not a PNG");
        Path wide = tmp.resolve("wide.png");
        ImageIO.write(new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB), "png", wide.toFile());
        assertFalse(MediaReader.looksLikeStrip(wide), "frames over 256 px are read as one picture");
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "not a png at all, just text");
        assertFalse(MediaReader.looksLikeStrip(text));
    }
}
