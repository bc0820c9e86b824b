package org.dualmtgan.eval;

import org.dualmtgan.media.Video;
import org.dualmtgan.synth.Content;
import org.dualmtgan.synth.Domain;
import org.dualmtgan.synth.Domains;
import org.dualmtgan.synth.Keypoint;
import org.dualmtgan.synth.Motion;
import org.dualmtgan.synth.Split;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class KeypointTrackerTest {
    /** Three coloured Gaussian blobs moved by (vx, vy) px per frame, sampled exactly at pixel centres. */
    static Video blobs(int frames, int size, double vx, double vy) {
        double[][] blobs = {{20, 24, 3.0}, {30, 34, 2.5}, {40, 22, 3.5}};
        float[][] colour = {{1, 0.2f, 0.1f}, {0.1f, 0.9f, 0.3f}, {0.2f, 0.3f, 1}};
        float[] d = new float[frames * 3 * size * size];
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++) {
                        double v = 0.1;
                        for (int b = 0; b < blobs.length; b++) {
                            double dx = x - (blobs[b][0] + vx * t), dy = y - (blobs[b][1] + vy * t);
                            v += colour[b][c] * Math.exp(-(dx * dx + dy * dy) / (2 * blobs[b][2] * blobs[b][2]));
                        }
                        d[((t * 3 + c) * size + y) * size + x] = (float) Math.min(1, v);
                    }
        return new Video(d, frames, size, size, 25);
    }

    @Test
    void recoversAKnownSubpixelTranslation() {
        int frames = 6;
        Video v = blobs(frames, 64, 1.3, -0.7);
        double[][] start = {{20, 24}, {30, 34}, {40, 22}};
        double[][][] got = KeypointTracker.forSize(64).track(v, start);
        double[][][] truth = new double[frames][3][];
        for (int t = 0; t < frames; t++) for (int k = 0; k < 3; k++) truth[t][k] = new double[] {start[k][0] + 1.3 * t, start[k][1] - 0.7 * t};
        double err = KeypointTracker.meanError(got, truth, 1);
        assertTrue(err < 0.25, "sub-pixel translation recovered within 0.25 px, got " + err);
        // Frame 0 is the given start.
        assertArrayEquals(start[1], got[0][1], 0);
    }

    @Test
    void staysPutOnAStillVideo() {
        Video still = Video.concat(Collections.nCopies(4, blobs(1, 64, 0, 0)));
        double[][] start = {{20.4, 23.6}};
        double[][][] got = KeypointTracker.forSize(64).track(still, start);
        for (double[][] f : got) assertArrayEquals(start[0], f[0], 0.02);
    }

    @Test
    void meanErrorIsTheMeanEuclideanDistance() {
        double[][][] a = {{{0, 0}}, {{3, 4}}, {{1, 1}}};
        double[][][] b = {{{9, 9}}, {{0, 0}}, {{1, 2}}};
        // Frames 1 and 2: distances 5 and 1 (frame 0 left out).
        assertEquals(3.0, KeypointTracker.meanError(a, b, 1), 1e-12);
    }

    /**
     * On synthetic faces (24-frame clips as in data/faces-test, 64 px, 8 frames at stride 2, as the faces model sees them) the tracker
     * finds the rendered keypoints on the true frames well within a pixel, and clearly better than
     * a still frame would place them (the keypoints' own motion).
     */
    @Test
    void tracksRenderedFaceKeypointsBetterThanAStillFrame() {
        Domain faces = Domains.byName("faces");
        KeypointTracker tracker = KeypointTracker.forSize(64);
        double truthErr = 0, stillErr = 0;
        int clips = 8;
        for (int i = 0; i < clips; i++) {
            Content c = faces.sampleContent(new SplittableRandom(100 + i), Split.TEST);
            Motion m = faces.sampleMotion(new SplittableRandom(200 + i), Split.TEST);
            Video v = faces.render(c, m, 24, 64).strided(0, 2, 8);
            List<List<Keypoint>> kp = faces.keypoints(c, m, 24, 64);
            double[][][] truth = new double[8][][];
            for (int t = 0; t < 8; t++) {
                List<Keypoint> row = kp.get(2 * t);
                truth[t] = new double[row.size()][];
                for (int k = 0; k < row.size(); k++) truth[t][k] = new double[] {row.get(k).x(), row.get(k).y()};
            }
            truthErr += KeypointTracker.meanError(tracker.track(v, truth[0]), truth, 1) / clips;
            Video still = Evaluation.repeat(v.frame(0), 8);
            stillErr += KeypointTracker.meanError(tracker.track(still, truth[0]), truth, 1) / clips;
        }
        System.out.printf("faces: tracker %.3f px, still frame %.3f px%n", truthErr, stillErr);
        assertTrue(truthErr < 0.8, "tracker error on the true frames: " + truthErr);
        assertTrue(truthErr < 0.8 * stillErr, "tracker " + truthErr + " px vs a still frame " + stillErr + " px");
    }
}
