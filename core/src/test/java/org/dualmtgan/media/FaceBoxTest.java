package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The face framing step: a known face box is found within a few pixels on a synthetic clip; crops are deterministic. */
class FaceBoxTest {
    static final float[] SKIN = {0.85f, 0.62f, 0.50f};
    static final float[] WALL = {0.45f, 0.55f, 0.75f};   // blue-grey: not skin
    static final float[] PEACH = {0.95f, 0.70f, 0.58f};  // skin-coloured, but a still wall

    /**
     * A talking head on a 160 x 160 frame: a skin ellipse (the face) with its box at x 90..150,
     * y 40..120, which moves 1 px right and back and opens a dark mouth; a still peach patch at the
     * left edge; a dark hair band above the face.
     */
    static Video talkingHead(int frames) {
        int h = 160, w = 160, hw = h * w;
        float[] d = new float[frames * 3 * hw];
        for (int t = 0; t < frames; t++) {
            double cx = 120 + (t % 2), cy = 80, rx = 30, ry = 40;
            boolean open = t % 3 == 0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float[] c = WALL;
                    if (x < 40 && y > 20 && y < 140) c = PEACH;
                    double ex = (x + 0.5 - cx) / rx, ey = (y + 0.5 - cy) / ry;
                    if (ex * ex + ey * ey <= 1) c = SKIN;
                    if (y >= 28 && y < 40 && Math.abs(x + 0.5 - cx) < 34) c = new float[] {0.1f, 0.08f, 0.06f};
                    if (open && Math.abs(x + 0.5 - cx) < 10 && y >= 100 && y < 106) c = new float[] {0.3f, 0.05f, 0.05f};
                    for (int ch = 0; ch < 3; ch++) d[(t * 3 + ch) * hw + y * w + x] = c[ch];
                }
        }
        return new Video(d, frames, h, w, 25);
    }

    @Test
    void aKnownFaceBoxIsFoundWithinAFewPixels() {
        Video v = talkingHead(6);
        FaceBox.Box b = FaceBox.find(v);
        // The ellipse spans x 90..151 over the clip (it moves 1 px), y 40..120; the hair band covers y < 40.
        assertEquals(90, b.x(), 3, "left " + b);
        assertEquals(151, b.x() + b.w(), 3, "right " + b);
        assertEquals(40, b.y(), 3, "top " + b);
        assertEquals(120, b.y() + b.h(), 3, "bottom " + b);
        // The still peach patch is skin-coloured and larger near the edge, but it is not chosen.
        assertTrue(b.x() > 60);
    }

    @Test
    void theCropIsASquareAroundTheFaceInsideTheFrameAndTheSameEveryTime(@TempDir Path dir) {
        Preprocess.Crop c = FaceBox.frame(new FaceBox.Box(90, 40, 61, 80), 160, 200, 1.6);
        assertEquals("57,16,128,128", rect(c), "side 1.6 x 80 = 128, centred on (120.5, 80)");
        assertEquals("32,16,128,128", rect(FaceBox.frame(new FaceBox.Box(90, 40, 61, 80), 160, 160, 1.6)), "moved inside a narrower frame");
        // A face larger than the frame allows: the crop shrinks to the frame's short side.
        assertEquals("0,0,160,160", rect(FaceBox.frame(new FaceBox.Box(10, 10, 120, 140), 160, 200, 1.6)));

        Path clip = dir.resolve("talk.png");
        MediaWriter.write(talkingHead(4), clip, MediaWriter.OutputFormat.STRIP);
        String a = rect(FaceBox.cropOf(clip, MediaReader.Layout.STRIP, 1, FaceBox.MARGIN));
        String b = rect(FaceBox.cropOf(clip, MediaReader.Layout.STRIP, 1, FaceBox.MARGIN));
        assertEquals(a, b, "deterministic");
        int[] r = java.util.Arrays.stream(a.split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(r[2], r[3], "square");
        assertTrue(r[2] >= 1.6 * 74 && r[2] <= 1.6 * 84, "1.6 times the face's larger side (80 px): " + a);
        assertTrue(r[0] >= 0 && r[1] >= 0 && r[0] + r[2] <= 160 && r[1] + r[3] <= 160, "inside the frame: " + a);
        assertTrue(r[0] <= 90 && r[1] <= 40 && r[0] + r[2] >= 151 && r[1] + r[3] >= 120, "holds the whole face: " + a);

        // The command line's convert --crop face crops the same square.
        Path out = dir.resolve("face.png");
        assertEquals(0, org.dualmtgan.cli.Main.run("convert", clip.toString(), out.toString(), "--crop", "face", "--size", "0"));
        Video cropped = MediaReader.readVideo(out, MediaReader.Layout.STRIP);
        assertEquals(4, cropped.frames());
        assertEquals(r[2], cropped.width());
        assertEquals(r[3], cropped.height());
    }

    @Test
    void aClipWithoutSkinIsRefusedNamingTheFile(@TempDir Path dir) {
        float[] d = new float[2 * 3 * 32 * 32];
        java.util.Arrays.fill(d, 0.5f);
        Path clip = dir.resolve("grey.png");
        MediaWriter.write(new Video(d, 2, 32, 32, 25), clip, MediaWriter.OutputFormat.STRIP);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FaceBox.cropOf(clip, MediaReader.Layout.STRIP, 1, 1.6));
        assertTrue(e.getMessage().contains("grey.png") && e.getMessage().contains("no skin-coloured region"), e.getMessage());
    }

    static String rect(Preprocess.Crop c) {
        return c.toString().replaceAll("[^0-9,]", "");
    }
}
