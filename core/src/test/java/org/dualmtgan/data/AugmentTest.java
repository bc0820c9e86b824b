package org.dualmtgan.data;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Per-clip augmentation: seeded (same bytes), each part doing what it says, one transform for all frames of a clip. */
class AugmentTest {
    static final int T = 3, H = 16, W = 16;

    /** A clip whose pixels all differ: value depends on frame, channel, row and column. */
    static Video ramp() {
        float[] d = new float[T * 3 * H * W];
        for (int t = 0; t < T; t++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++)
                        d[((t * 3 + c) * H + y) * W + x] = (0.05f * t + 0.1f * c + 0.02f * y + 0.01f * x) % 1f;
        return new Video(d, T, H, W, 25);
    }

    static float px(Video v, int t, int c, int y, int x) {
        return v.data()[((t * 3 + c) * v.height() + y) * v.width() + x];
    }

    static final Augment.Settings ALL = new Augment.Settings(true, 0.2, 0.1, 0.1, 0.2, 0.3);

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedAnotherClip() {
        Video v = ramp();
        Video a = Augment.apply(v, ALL, new SplittableRandom(42));
        Video b = Augment.apply(v, ALL, new SplittableRandom(42));
        assertArrayEquals(a.data(), b.data());
        assertFalse(java.util.Arrays.equals(a.data(), Augment.apply(v, ALL, new SplittableRandom(43)).data()));
        assertFalse(java.util.Arrays.equals(a.data(), v.data()), "something changed");
        for (float f : a.data()) assertTrue(f >= 0 && f <= 1, "values stay in [0, 1]");
        // Nothing on: the clip itself.
        assertSame(v, Augment.apply(v, new Augment.Settings(), new SplittableRandom(1)));
        // A draw depends on the seed alone: the same seed with only the flip on mirrors iff ALL's draw did.
        Augment.Draw all = Augment.Draw.of(ALL, new SplittableRandom(7));
        Augment.Draw flipOnly = Augment.Draw.of(new Augment.Settings(true, 0, 0, 0, 0, 0), new SplittableRandom(7));
        assertEquals(all.mirror(), flipOnly.mirror());
    }

    @Test
    void theMirrorReversesEachRowAndTwiceIsTheClip() {
        Video v = ramp();
        Augment.Draw m = new Augment.Draw(true, 1, 0, 0, 0, 1, 1);
        Video f = Augment.apply(v, m);
        for (int t = 0; t < T; t++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++) assertEquals(px(v, t, c, y, W - 1 - x), px(f, t, c, y, x), 1e-6);
        assertArrayEquals(v.data(), Augment.apply(f, m).data(), 1e-6f);
    }

    @Test
    void theZoomMagnifiesAboutTheMovedCentre() {
        Video v = ramp();
        assertArrayEquals(v.data(), Augment.apply(v, new Augment.Draw(false, 1, 0, 0, 0, 1, 1)).data(), 1e-6f, "zoom 1, no shift: the clip");
        // Zoom 2 about the centre: the output spans the middle half of the source, so a row's values
        // step by half the source's step (0.01 per pixel in x becomes 0.005).
        Video z = Augment.apply(v, new Augment.Draw(false, 2, 0, 0, 0, 1, 1));
        for (int x = 1; x < W - 1; x++) assertEquals(0.005, px(z, 0, 0, 8, x + 1) - px(z, 0, 0, 8, x), 1e-5);
        assertEquals(0.02 * 7.75 + 0.01 * 7.75, px(z, 0, 0, 8, 8), 1e-5, "output (8, 8) samples source (7.75, 7.75)");
        // A shift of a quarter side to the right at zoom 1: output x shows source x + 4 (edges held).
        Video s = Augment.apply(v, new Augment.Draw(false, 1, 0.25, 0, 0, 1, 1));
        for (int x = 0; x < W - 4; x++) assertEquals(px(v, 1, 2, 5, x + 4), px(s, 1, 2, 5, x), 1e-6);
        for (int x = W - 4; x < W; x++) assertEquals(px(v, 1, 2, 5, W - 1), px(s, 1, 2, 5, x), 1e-6);
    }

    @Test
    void brightnessContrastAndSaturationActOnEveryFrameAlike() {
        float[] d = new float[2 * 3 * 4 * 4];
        for (int t = 0; t < 2; t++)
            for (int i = 0; i < 16; i++) {
                d[(t * 3) * 16 + i] = 0.6f;      // R
                d[(t * 3 + 1) * 16 + i] = 0.4f;  // G
                d[(t * 3 + 2) * 16 + i] = 0.2f;  // B
            }
        Video v = new Video(d, 2, 4, 4, 25);
        Video b = Augment.apply(v, new Augment.Draw(false, 1, 0, 0, 0.1, 1, 1));
        assertEquals(0.7f, px(b, 1, 0, 2, 2), 1e-6);
        Video grey = Augment.apply(v, new Augment.Draw(false, 1, 0, 0, 0, 1, 0));
        float g = 0.299f * 0.6f + 0.587f * 0.4f + 0.114f * 0.2f;
        for (int c = 0; c < 3; c++) assertEquals(g, px(grey, 0, c, 1, 1), 1e-6, "saturation 0 is the grey");
        // Contrast scales each channel about the clip's mean grey.
        Video c = Augment.apply(v, new Augment.Draw(false, 1, 0, 0, 0, 1.5, 1));
        assertEquals(g + (0.6f - g) * 1.5f, px(c, 1, 0, 3, 0), 1e-6);
        assertEquals(g + (0.2f - g) * 1.5f, px(c, 0, 2, 0, 3), 1e-6);
        Video clamp = Augment.apply(v, new Augment.Draw(false, 1, 0, 0, 0.5, 1, 1));
        assertEquals(1f, px(clamp, 0, 0, 0, 0), 0f, "clamped to 1");
        // Every frame gets the same transform: equal frames stay equal.
        Video all = Augment.apply(v, ALL, new SplittableRandom(3));
        assertArrayEquals(all.frame(0).data(), all.frame(1).data());
    }

    @Test
    void theLoaderAugmentsEachClipBySeedAndLeavesTheRestAsItWas(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 6; i++) {
            MediaWriter.write(TinyModel.squareVideo(i, 10), dir.resolve("clip" + i + ".png"), MediaWriter.OutputFormat.STRIP);
        }
        DataConfig cfg = new DataConfig(dir.toString());
        cfg.layout = "strips";
        Dataset ds = Datasets.open(cfg, Subset.TRAIN);
        BatchLoader.Options plain = new BatchLoader.Options(3, 4, 16, 1, 1, 9, 0, 0);
        try (BatchLoader off = new BatchLoader(ds, plain);
             BatchLoader on = new BatchLoader(ds, plain.withAugment(ALL));
             BatchLoader onThreaded = new BatchLoader(ds, new BatchLoader.Options(3, 4, 16, 1, 1, 9, 2, 2).withAugment(ALL))) {
            for (long step : new long[] {0, 1, 4}) {
                Batch a = off.batch(step), b = on.batch(step), c = onThreaded.batch(step);
                assertEquals(a.sourceIds(), b.sourceIds(), "the same clips, the same order");
                assertEquals(a.targetIds(), b.targetIds(), "the same pairing");
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(b.sourceVideos().get(i).data(), c.sourceVideos().get(i).data(), "same bytes on loader threads");
                    assertFalse(java.util.Arrays.equals(a.sourceVideos().get(i).data(), b.sourceVideos().get(i).data()), "augmented");
                }
            }
        }
    }

    @Test
    void badSettingsAreRefusedByName() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Augment.Settings(false, -0.1, 0, 0, 0, 0).validate());
        assertTrue(e.getMessage().contains("data.augment.scale"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new Augment.Settings(false, 0, 0.6, 0, 0, 0).validate());
        DataConfig c = new DataConfig("x");
        c.augment = new Augment.Settings(false, 0, 0, 2, 0, 0);
        assertTrue(assertThrows(InvalidInputException.class, c::validate).getMessage().contains("data.augment.brightness"));
    }
}
