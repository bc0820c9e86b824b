package org.dualmtgan.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The PNG fast path gives exactly what ImageIO plus the RGB conversion gives. */
class PngDecoderTest {
    private static void assertSameAsImageIo(Path f) throws Exception {
        byte[] bytes = Files.readAllBytes(f);
        PngDecoder.Rgb fast = PngDecoder.decode(f, bytes);
        assertNotNull(fast, "fast path taken for " + f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(img.getWidth(), fast.width());
        assertEquals(img.getHeight(), fast.height());
        assertArrayEquals(ImageDecoding.toRgb(img), fast.rgb(), f.toString());
    }

    @Test
    void realFramesAndStrips() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("bair/bair_00026", "kth/kth_00004")) {
            try (Stream<Path> s = Files.list(TestMedia.data(dir))) {
                s.sorted().limit(10).forEach(files::add);
            }
        }
        try (Stream<Path> s = Files.list(TestMedia.data("weizmann"))) {
            s.sorted().limit(2).forEach(files::add);
        }
        for (Path f : files) assertSameAsImageIo(f);
    }

    /** Noise and gradients in every 8-bit colour type: ImageIO's writer picks every filter type on such rows. */
    @Test
    void everyColourTypeAndFilter(@TempDir Path tmp) throws Exception {
        Random rnd = new Random(3);
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_RGB};
        for (int type : types) {
            for (int[] size : new int[][] {{1, 1}, {7, 5}, {64, 64}, {33, 17}}) {
                BufferedImage img = new BufferedImage(size[0], size[1], type);
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        int v = (y % 3 == 0) ? rnd.nextInt() : ((x * 7 + y * 3) * 0x010203) | ((x * 9 % 256) << 24);
                        if (type == BufferedImage.TYPE_BYTE_GRAY) img.getRaster().setSample(x, y, 0, v & 0xff);
                        else img.setRGB(x, y, v);
                    }
                }
                Path f = tmp.resolve("t" + type + "_" + size[0] + "x" + size[1] + ".png");
                ImageIO.write(img, "png", f.toFile());
                assertSameAsImageIo(f);
            }
        }
        // Grey + alpha.
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), new int[] {8, 8}, true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.WritableRaster r = cm.createCompatibleWritableRaster(9, 4);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 9; x++) r.setPixel(x, y, new int[] {rnd.nextInt(256), rnd.nextInt(256)});
        Path ga = tmp.resolve("ga.png");
        ImageIO.write(new BufferedImage(cm, r, false, null), "png", ga.toFile());
        assertSameAsImageIo(ga);
    }

    @Test
    void otherPngsAreLeftToImageIo(@TempDir Path tmp) throws Exception {
        // Palette and 16-bit PNGs take the ImageIO path.
        BufferedImage pal = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        Path p = tmp.resolve("pal.png");
        ImageIO.write(pal, "png", p.toFile());
        assertNull(PngDecoder.decode(p, Files.readAllBytes(p)));
        BufferedImage g16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        Path q = tmp.resolve("g16.png");
        ImageIO.write(g16, "png", q.toFile());
        assertNull(PngDecoder.decode(q, Files.readAllBytes(q)));
        // A cut file is not decoded here either: ImageIO reports the error.
        byte[] real = Files.readAllBytes(TestMedia.data("bair/bair_00026/00.png"));
        assertNull(PngDecoder.decode(p, java.util.Arrays.copyOf(real, real.length / 2)));
    }
}
