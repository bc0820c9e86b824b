package org.dualmtgan.synth;

import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * render(content A, motion B) is B's motion performed by A: its keypoints follow B's trajectory
 * expressed for A, its pixels are A's (not B's), and its keypoints are not A's own motion.
 */
class GroundTruthTest {
    static final int T = 16;
    static final int S = 64;

    @ParameterizedTest
    @ValueSource(strings = {"faces", "actors", "sprites", "mnist"})
    void transferChangesPixelsAndMotion(String name) {
        Domain d = SynthTestSupport.domain(name);
        for (int i = 0; i < 5; i++) {
            SplittableRandom r = new SplittableRandom(100 + i);
            Content a = d.sampleContent(r, Split.TRAIN);
            Motion ma = d.sampleMotion(r, Split.TRAIN);
            Content b = d.sampleContent(r, Split.TRAIN);
            Motion mb = d.sampleMotion(r, Split.TRAIN);
            Video ab = d.render(a, mb, T, S);
            Video bb = d.render(b, mb, T, S);
            assertTrue(meanAbsDiff(ab.data(), bb.data()) > 0.01, "A's content with B's motion looks like B");
            List<List<Keypoint>> kab = d.keypoints(a, mb, T, S);
            List<List<Keypoint>> kaa = d.keypoints(a, ma, T, S);
            assertNotEquals(kaa, kab, "A's content with B's motion moves like A");
            assertEquals(T, kab.size());
            for (List<Keypoint> frame : kab) assertFalse(frame.isEmpty());
        }
    }

    @Test
    void spritesFollowTheDrivingPathWhateverTheirLook() {
        SpritesDomain d = new SpritesDomain();
        for (int i = 0; i < 20; i++) {
            SplittableRandom r = new SplittableRandom(i);
            SpriteContent a = (SpriteContent) d.sampleContent(r, Split.TRAIN);
            SpriteContent b = (SpriteContent) d.sampleContent(r, Split.TRAIN);
            SpriteMotion mb = (SpriteMotion) d.sampleMotion(r, Split.TRAIN);
            List<List<Keypoint>> kab = d.keypoints(a, mb, T, S);
            List<List<Keypoint>> kbb = d.keypoints(b, mb, T, S);
            int shared = Math.min(a.sprites().size(), b.sprites().size());
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < shared; k++) {
                    Keypoint pa = kab.get(t).get(2 * k);
                    Keypoint pb = kbb.get(t).get(2 * k);
                    assertEquals(pb.x(), pa.x(), 1e-9, "centre x of object " + k);
                    assertEquals(pb.y(), pa.y(), 1e-9, "centre y of object " + k);
                }
            }
            // the pixels agree with the keypoints: one sprite alone, its drawn mass sits on its centre
            SpriteContent one = new SpriteContent(a.background(), List.of(a.sprites().get(0)));
            Video v = d.render(one, mb, T, S);
            float[] bg = SpritesDomain.background(one.background(), S);
            List<List<Keypoint>> k1 = d.keypoints(one, mb, T, S);
            for (int t = 0; t < T; t += 5) {
                double[] c = centroidOfChange(v.data(), t, bg);
                Keypoint centre = k1.get(t).get(0);
                if (inside(centre, 10)) {
                    // the drop shadow pulls the centroid a little down and right
                    assertEquals(centre.x(), c[0], 2.5, "sprite " + i + " frame " + t);
                    assertEquals(centre.y(), c[1], 2.5, "sprite " + i + " frame " + t);
                }
            }
        }
    }

    @Test
    void digitsFollowTheDrivingPath() {
        MnistDomain d = (MnistDomain) SynthTestSupport.domain("mnist");
        for (int i = 0; i < 10; i++) {
            SplittableRandom r = new SplittableRandom(i);
            DigitContent a = (DigitContent) d.sampleContent(r, Split.TEST);
            DigitMotion mb = (DigitMotion) d.sampleMotion(r, Split.TRAIN);
            DigitContent one = new DigitContent(List.of(a.digits().get(0)));
            Video v = d.render(one, mb, T, S);
            List<List<Keypoint>> k = d.keypoints(one, mb, T, S);
            float[] black = new float[3 * S * S];
            for (int t = 0; t < T; t++) {
                double[] expected = MnistDomain.centre(mb.trajectories().get(0), t);
                assertEquals(expected[0] * S - 0.5, k.get(t).get(0).x(), 1e-9);
                assertEquals(expected[1] * S - 0.5, k.get(t).get(0).y(), 1e-9);
                double[] c = centroidOfChange(v.data(), t, black);
                // MNIST digits are centred on their centre of mass, within about a pixel
                assertEquals(k.get(t).get(0).x(), c[0], 2.0, "digit " + i + " frame " + t);
                assertEquals(k.get(t).get(0).y(), c[1], 2.0, "digit " + i + " frame " + t);
            }
        }
    }

    @Test
    void actorsPerformTheDrivingJointAnglesWithTheirOwnLimbs() {
        ActorsDomain d = new ActorsDomain();
        for (int i = 0; i < 30; i++) {
            SplittableRandom r = new SplittableRandom(i);
            ActorContent a = (ActorContent) d.sampleContent(r, Split.TRAIN);
            ActorContent b = (ActorContent) d.sampleContent(r, Split.TRAIN);
            ActorMotion mb = (ActorMotion) d.sampleMotion(r, Split.TRAIN);
            List<List<Keypoint>> kab = d.keypoints(a, mb, T, S);
            List<List<Keypoint>> kbb = d.keypoints(b, mb, T, S);
            double unit = a.height() * S / (a.head() + 0.03 + a.torso() + a.thigh() + a.shin());
            int[][] bones = {{2, 3}, {3, 4}, {5, 6}, {6, 7}, {9, 10}, {10, 11}, {12, 13}, {13, 14}, {8, 1}};
            for (int t = 0; t < T; t++) {
                for (int[] bone : bones) {
                    double angAB = angle(kab.get(t), bone);
                    double angBB = angle(kbb.get(t), bone);
                    assertEquals(0, wrap(angAB - angBB), 1e-9, mb.action() + " bone " + bone[0] + "-" + bone[1] + " t" + t);
                }
                assertEquals(a.upperArm() * unit, length(kab.get(t), new int[] {2, 3}), 1e-9);
                assertEquals(a.forearm() * unit, length(kab.get(t), new int[] {3, 4}), 1e-9);
                assertEquals(a.torso() * unit, length(kab.get(t), new int[] {8, 1}), 1e-9);
                if (!ActorsDomain.frontal(mb.action())) {
                    assertEquals(a.thigh() * unit, length(kab.get(t), new int[] {9, 10}), 1e-9);
                    assertEquals(a.shin() * unit, length(kab.get(t), new int[] {10, 11}), 1e-9);
                }
            }
            // the figure is drawn where its joints are
            Video v = d.render(a, mb, T, S);
            float[] bg = ActorsDomain.background(a, S);
            for (int t = 0; t < T; t += 3) {
                for (int j : new int[] {1, 3, 8, 10, 13}) {
                    Keypoint p = kab.get(t).get(j);
                    if (!inside(p, 2)) continue;
                    int x = (int) Math.round(p.x());
                    int y = (int) Math.round(p.y());
                    assertTrue(colourChange(v.data(), t, bg, x, y) > 0.02,
                            "nothing drawn at " + p.name() + " of " + mb.action() + " frame " + t);
                }
            }
        }
    }

    @Test
    void facesMakeTheDrivingExpressionOnTheirOwnFeatures() {
        FacesDomain d = new FacesDomain();
        FaceMotion still = new FaceMotion("smile", 0, 0, 0.2, 0.2, 1, List.of());
        int checked = 0;
        for (int i = 0; i < 40; i++) {
            SplittableRandom r = new SplittableRandom(i);
            FaceContent a = (FaceContent) d.sampleContent(r, Split.TRAIN);
            FaceContent b = (FaceContent) d.sampleContent(r, Split.TRAIN);
            FaceMotion mb = (FaceMotion) d.sampleMotion(r, Split.TRAIN);
            List<List<Keypoint>> kab = d.keypoints(a, mb, T, S);
            List<List<Keypoint>> kbb = d.keypoints(b, mb, T, S);
            List<List<Keypoint>> ka0 = d.keypoints(a, still, T, S);
            List<List<Keypoint>> kb0 = d.keypoints(b, still, T, S);
            boolean headMoves = mb.action().equals("nod") || mb.action().equals("turn");
            for (int t = 0; t < T; t++) {
                // eye opening, mouth width and corner lift relative to the performer's neutral face
                if (!headMoves) {
                    assertEquals(ratio(kbb, kb0, t, "left_eye_top", "left_eye_bottom"),
                            ratio(kab, ka0, t, "left_eye_top", "left_eye_bottom"), 1e-9, mb.action() + " eye t" + t);
                    assertEquals(ratio(kbb, kb0, t, "mouth_left", "mouth_right"),
                            ratio(kab, ka0, t, "mouth_left", "mouth_right"), 1e-9, mb.action() + " mouth t" + t);
                    double liftA = (y(ka0, t, "mouth_left") - y(kab, t, "mouth_left")) / (a.faceHeight() * S);
                    double liftB = (y(kb0, t, "mouth_left") - y(kbb, t, "mouth_left")) / (b.faceHeight() * S);
                    assertEquals(liftB, liftA, 1e-9, mb.action() + " corner lift t" + t);
                } else {
                    double dxA = x(kab, t, "nose_tip") - x(ka0, t, "nose_tip");
                    double dxB = x(kbb, t, "nose_tip") - x(kb0, t, "nose_tip");
                    double dyA = y(kab, t, "nose_tip") - y(ka0, t, "nose_tip");
                    double dyB = y(kbb, t, "nose_tip") - y(kb0, t, "nose_tip");
                    assertEquals(Math.signum(Math.round(dxB * 1e6)), Math.signum(Math.round(dxA * 1e6)), mb.action() + " nose x t" + t);
                    assertEquals(Math.signum(Math.round(dyB * 1e6)), Math.signum(Math.round(dyA * 1e6)), mb.action() + " nose y t" + t);
                }
            }
            // the pupils are drawn at the eye keypoints while the eyes are open
            Video v = d.render(a, mb, T, S);
            for (int t = 0; t < T; t += 3) {
                double open = y(kab, t, "left_eye_bottom") - y(kab, t, "left_eye_top");
                if (open < 2.0) continue;
                for (String eye : new String[] {"left_eye", "right_eye"}) {
                    double darkest = 1;
                    int cx = (int) Math.round(x(kab, t, eye));
                    int cy = (int) Math.round(y(kab, t, eye));
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            darkest = Math.min(darkest, SynthTestSupport.luminance(v.data(), t, S, cx + dx, cy + dy));
                        }
                    }
                    assertTrue(darkest < 0.2, "no pupil at " + eye + " frame " + t + " (" + darkest + ")");
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "too few open-eye frames checked: " + checked);
    }

    private static double ratio(List<List<Keypoint>> moved, List<List<Keypoint>> neutral, int t, String p, String q) {
        return dist(moved.get(t), p, q) / dist(neutral.get(t), p, q);
    }

    private static double dist(List<Keypoint> f, String p, String q) {
        Keypoint a = find(f, p);
        Keypoint b = find(f, q);
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    private static double x(List<List<Keypoint>> k, int t, String n) {
        return find(k.get(t), n).x();
    }

    private static double y(List<List<Keypoint>> k, int t, String n) {
        return find(k.get(t), n).y();
    }

    static Keypoint find(List<Keypoint> frame, String name) {
        return frame.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    private static double angle(List<Keypoint> f, int[] bone) {
        Keypoint a = f.get(bone[0]);
        Keypoint b = f.get(bone[1]);
        return Math.atan2(b.y() - a.y(), b.x() - a.x());
    }

    private static double length(List<Keypoint> f, int[] bone) {
        Keypoint a = f.get(bone[0]);
        Keypoint b = f.get(bone[1]);
        return Math.hypot(b.x() - a.x(), b.y() - a.y());
    }

    private static double wrap(double a) {
        return Math.atan2(Math.sin(a), Math.cos(a));
    }

    private static boolean inside(Keypoint p, double margin) {
        return p.x() >= margin && p.y() >= margin && p.x() <= S - 1 - margin && p.y() <= S - 1 - margin;
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s / a.length;
    }

    private static double colourChange(float[] v, int t, float[] bg, int x, int y) {
        int plane = S * S;
        int i = y * S + x;
        double s = 0;
        for (int c = 0; c < 3; c++) s += Math.abs(v[t * 3 * plane + c * plane + i] - bg[c * plane + i]);
        return s / 3;
    }

    /** Centroid of the pixels that differ from the background, weighted by how much they differ. */
    private static double[] centroidOfChange(float[] v, int t, float[] bg) {
        int plane = S * S;
        double sw = 0, sx = 0, sy = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double w = colourChange(v, t, bg, x, y);
                sw += w;
                sx += w * x;
                sy += w * y;
            }
        }
        assertTrue(sw > 0, "nothing drawn in frame " + t);
        return new double[] {sx / sw, sy / sw};
    }
}
