package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.dualmtgan.media.TestMedia.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessTest {
    /** One frame whose three channels all hold {@code values} (row-major h x w). */
    private static Video grey(int h, int w, float... values) {
        float[] d = new float[3 * h * w];
        for (int c = 0; c < 3; c++) System.arraycopy(values, 0, d, c * h * w, h * w);
        return new Video(d, 1, h, w, 25);
    }

    @Test
    void fourByFourToTwoByTwoAveragesBlocks() {
        Video v = grey(4, 4,
                1, 2, 3, 4,
                5, 6, 7, 8,
                9, 10, 11, 12,
                13, 14, 15, 16);
        Video r = Preprocess.resizeArea(v, 2, 2);
        // (1+2+5+6)/4, (3+4+7+8)/4, (9+10+13+14)/4, (11+12+15+16)/4
        float[] expected = {3.5f, 5.5f, 11.5f, 13.5f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) assertEquals(expected[i], at(r, 0, c, i / 2, i % 2), 1e-5, "c" + c + " i" + i);
        }
    }

    @Test
    void threeByThreeToTwoByTwoUsesFractionalCoverage() {
        Video v = grey(3, 3,
                1, 2, 3,
                4, 5, 6,
                7, 8, 9);
        Video r = Preprocess.resizeArea(v, 2, 2);
        // Output (0,0) covers source [0,1.5)^2: weights 2/3, 1/3 per axis.
        // Rows: r0 = (2/3)[1 2 3] + (1/3)[4 5 6] = [2 3 4]; then (2/3)*2 + (1/3)*3 = 7/3.
        assertEquals(7f / 3f, at(r, 0, 0, 0, 0), 1e-5);
        // (0,1): (1/3)*3 + (2/3)*4 = 11/3.
        assertEquals(11f / 3f, at(r, 0, 0, 0, 1), 1e-5);
        // Row 1 = (1/3)[4 5 6] + (2/3)[7 8 9] = [6 7 8]: (1,0) = 19/3, (1,1) = 23/3.
        assertEquals(19f / 3f, at(r, 0, 0, 1, 0), 1e-5);
        assertEquals(23f / 3f, at(r, 0, 0, 1, 1), 1e-5);
    }

    @Test
    void areaResizeKeepsMeanAndConstants() {
        Video v = TestMedia.pattern(3, 96, 80, 25);
        for (int[] size : new int[][] {{64, 64}, {37, 53}, {100, 120}}) {
            Video r = Preprocess.resizeArea(v, size[0], size[1]);
            assertEquals(size[0], r.height());
            assertEquals(size[1], r.width());
            assertEquals(mean(v), mean(r), 1e-4, "area averaging keeps the mean");
            TestMedia.assertInUnitRange(r);
        }
        Video flat = grey(5, 7, new float[35]);
        java.util.Arrays.fill(flat.data(), 0.3f);
        for (float f : Preprocess.resizeArea(flat, 3, 2).data()) assertEquals(0.3f, f, 1e-6);
        // Upscaling by 2 repeats each pixel.
        Video up = Preprocess.resizeArea(grey(1, 2, 0.2f, 0.8f), 2, 4);
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.8f, 0.8f, 0.2f, 0.2f, 0.8f, 0.8f},
                java.util.Arrays.copyOf(up.data(), 8), 1e-6f);
    }

    private static double mean(Video v) {
        double s = 0;
        for (float f : v.data()) s += f;
        return s / v.data().length;
    }

    @Test
    void cropsAndTemporalSelection() {
        Video v = TestMedia.pattern(10, 6, 10, 30);
        Video sq = Preprocess.cropCenterSquare(v);
        assertEquals(6, sq.height());
        assertEquals(6, sq.width());
        assertEquals(at(v, 3, 1, 2, 2), at(sq, 3, 1, 2, 0));  // x offset (10 - 6) / 2 = 2
        Video r = Preprocess.crop(v, 1, 2, 3, 4);
        assertEquals(4, r.height());
        assertEquals(3, r.width());
        assertEquals(at(v, 9, 2, 5, 3), at(r, 9, 2, 3, 2));
        assertThrows(InvalidInputException.class, () -> Preprocess.crop(v, 8, 0, 3, 3));
        assertThrows(InvalidInputException.class, () -> Preprocess.Crop.parse("1,2,3"));
        assertEquals(Preprocess.Crop.rect(1, 2, 3, 4), Preprocess.Crop.parse(" 1, 2,3 ,4"));

        Preprocess p = Preprocess.builder().size(4).every(3).frames(3).build();
        Video out = p.apply(v);
        assertEquals(3, out.frames());  // frames 0, 3, 6
        assertEquals(4, out.height());
        assertEquals(4, out.width());
        assertEquals(10.0, out.fps(), 1e-9);
        Video expectedFrame = Preprocess.resizeArea(Preprocess.cropCenterSquare(v.frame(6)), 4, 4);
        assertArrayEquals(expectedFrame.data(), out.frame(2).data(), 1e-6f);
        // Fewer frames than asked: all of them.
        assertEquals(4, Preprocess.builder().every(3).frames(50).build().apply(v).frames());
        assertEquals(v.frames(), Preprocess.NONE.apply(v).frames());
        assertEquals(v.width(), Preprocess.NONE.apply(v).width());
        assertThrows(IllegalArgumentException.class, () -> Preprocess.builder().every(0));
    }

    @Test
    void streamingReadEqualsReadThenApply() {
        Preprocess p = Preprocess.builder().size(32).every(4).frames(5).crop(Preprocess.Crop.rect(10, 0, 200, 200)).build();
        java.nio.file.Path avi = TestMedia.data("pedestrians/vtest_384x288_first200_mjpeg.avi");
        Video streamed = MediaReader.readVideo(avi, MediaReader.Layout.AUTO, p);
        Video whole = p.apply(MediaReader.readVideo(avi));
        assertEquals(5, streamed.frames());
        assertEquals(32, streamed.width());
        assertEquals(2.5, streamed.fps(), 1e-9);
        assertArrayEquals(whole.data(), streamed.data(), 1e-6f);
        assertEquals(whole.fps(), streamed.fps(), 1e-9);
        assertTrue(TestMedia.maxAbsError(whole, streamed) == 0);
    }
}
