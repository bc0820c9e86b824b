package org.dualmtgan.media;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PngEncoderTest {
    @Test
    void encodedFramesDecodeToTheirPixels() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        float[] d = new float[2 * 3 * 37 * 29];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble();
        Video v = new Video(d, 2, 37, 29, 25);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(v, 1)));
        assertEquals(29, img.getWidth());
        assertEquals(37, img.getHeight());
        assertArrayEquals(Frames.toImage(v, 1).getRGB(0, 0, 29, 37, null, 0, 29), img.getRGB(0, 0, 29, 37, null, 0, 29));
        BufferedImage again = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(img)));
        assertArrayEquals(img.getRGB(0, 0, 29, 37, null, 0, 29), again.getRGB(0, 0, 29, 37, null, 0, 29));
    }
}
