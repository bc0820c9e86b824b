package org.dualmtgan.animate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MotionWindowsTest {
    @Test
    void shortVideoIsOneWindow() {
        List<MotionWindows.Window> w = MotionWindows.plan(5, 16);
        assertEquals(1, w.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, w.get(0).clipFrames());
        assertEquals(5, w.get(0).covered());
    }

    @Test
    void longVideoWindowsCoverEveryFrameRelativeToTheFirst() {
        for (int clip : new int[] {2, 3, 8, 16}) {
            for (int length : new int[] {clip + 1, 2 * clip + 3, 3 * clip, 100}) {
                List<MotionWindows.Window> windows = MotionWindows.plan(length, clip);
                int[] cover = new int[length];
                for (int i = 0; i < windows.size(); i++) {
                    MotionWindows.Window w = windows.get(i);
                    assertEquals(clip, w.clipFrames().length, "every clip has T frames");
                    assertEquals(0, w.clipFrames()[0], "every clip starts at the driving video's first frame");
                    for (int p = 0; p < w.covered(); p++) {
                        // The code kept at position firstUsed + p belongs to frame start + p.
                        assertEquals(w.start() + p, w.clipFrames()[w.firstUsed() + p]);
                        cover[w.start() + p]++;
                    }
                    if (i > 0) {
                        for (int f = 1; f < clip; f++) assertEquals(w.clipFrames()[1] + f - 1, w.clipFrames()[f], "consecutive frames");
                        // With T = 2 a window covers one frame: nothing to overlap.
                        if (clip >= 3) assertTrue(w.start() < windows.get(i - 1).start() + windows.get(i - 1).covered(), "neighbours overlap");
                    }
                }
                for (int f = 0; f < length; f++) assertTrue(cover[f] >= 1, "frame " + f + " of " + length + " covered");
                MotionWindows.Window last = windows.get(windows.size() - 1);
                assertEquals(length, last.start() + last.covered(), "the last window ends at the last frame");
            }
        }
    }

    @Test
    void blendKeepsAgreeingCodesAndWeighsByPosition() {
        int clip = 8;
        int length = 20;
        int dim = 2;
        List<MotionWindows.Window> windows = MotionWindows.plan(length, clip);
        // Every window says code = (frame index, -1) for the frames it covers: the blend must agree.
        float[][] codes = new float[windows.size()][clip * dim];
        for (int w = 0; w < windows.size(); w++) {
            MotionWindows.Window win = windows.get(w);
            for (int p = 0; p < clip; p++) {
                codes[w][p * dim] = win.clipFrames()[p];
                codes[w][p * dim + 1] = -1;
            }
        }
        float[] out = MotionWindows.blend(windows, codes, length, dim);
        for (int t = 0; t < length; t++) {
            assertEquals(t, out[t * dim], 1e-5, "frame " + t);
            assertEquals(-1, out[t * dim + 1], 1e-6);
        }
        // Two windows disagreeing: frame 4 sits at position 4 of window 0 (weight min(5, 4) = 4) and
        // position 1 of window 1 (start 3, weight min(2, 6) = 2).
        float[][] two = new float[windows.size()][clip * dim];
        for (float v : two[1]) assertEquals(0, v);
        java.util.Arrays.fill(two[0], 1f);
        assertEquals(3, windows.get(1).start());
        float[] mixed = MotionWindows.blend(windows, two, length, dim);
        assertEquals(4.0 / 6.0, mixed[4 * dim], 1e-6);
        assertEquals(1.0, mixed[0], 1e-6, "frame 0 is window 0's alone");
    }
}
