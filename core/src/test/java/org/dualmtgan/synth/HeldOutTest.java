package org.dualmtgan.synth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test contents and motions never take values that training uses (the rules of docs/synth.md). */
class HeldOutTest {
    static final int N = 1500;

    @Test
    void bandsAlternateAndCoverBothSplits() {
        SplittableRandom r = new SplittableRandom(1);
        Set<Integer> trainBands = new HashSet<>();
        Set<Integer> testBands = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            double tr = Bands.sample(r, Split.TRAIN, 2, 8, 6);
            double te = Bands.sample(r, Split.TEST, 2, 8, 6);
            trainBands.add((int) Math.floor(tr - 2));
            testBands.add((int) Math.floor(te - 2));
            assertEquals(Split.TRAIN, Bands.splitOf(tr, 2, 8, 6));
            assertEquals(Split.TEST, Bands.splitOf(te, 2, 8, 6));
        }
        assertEquals(Set.of(0, 2, 4), trainBands);
        assertEquals(Set.of(1, 3, 5), testBands);
    }

    @Test
    void faces() {
        Domain d = new FacesDomain();
        checkContents(d, c -> ((FaceContent) c).hair().h(), 0, 1, FacesDomain.HUE_BANDS);
        checkContents(d, c -> ((FaceContent) c).eyes().h(), 0, 1, FacesDomain.HUE_BANDS);
        checkContents(d, c -> ((FaceContent) c).shirt().h(), 0, 1, FacesDomain.HUE_BANDS);
        checkMotions(d, m -> ((FaceMotion) m).tempo(), FacesDomain.TEMPO_LO, FacesDomain.TEMPO_HI, FacesDomain.TEMPO_BANDS);
    }

    @Test
    void actors() {
        Domain d = new ActorsDomain();
        checkContents(d, c -> ((ActorContent) c).shirt().h(), 0, 1, ActorsDomain.HUE_BANDS);
        checkContents(d, c -> ((ActorContent) c).trousers().h(), 0, 1, ActorsDomain.HUE_BANDS);
        checkMotions(d, m -> ((ActorMotion) m).speed(), ActorsDomain.SPEED_LO, ActorsDomain.SPEED_HI, ActorsDomain.SPEED_BANDS);
    }

    @Test
    void sprites() {
        Domain d = new SpritesDomain();
        for (int k = 0; k < SpritesDomain.MAX_SPRITES; k++) {
            int slot = k;
            checkContents(d, c -> {
                List<SpriteContent.Sprite> s = ((SpriteContent) c).sprites();
                return s.get(Math.min(slot, s.size() - 1)).colour().h();
            }, 0, 1, SpritesDomain.HUE_BANDS);
            checkMotions(d, m -> ((SpriteMotion) m).movements().get(slot).speed(),
                    SpritesDomain.SPEED_LO, SpritesDomain.SPEED_HI, SpritesDomain.SPEED_BANDS);
        }
    }

    @Test
    void mnist() {
        Domain d = SynthTestSupport.domain("mnist");
        Set<Integer> train = new HashSet<>();
        Set<Integer> test = new HashSet<>();
        for (int i = 0; i < N; i++) {
            for (DigitContent.Digit g : ((DigitContent) d.sampleContent(new SplittableRandom(i), Split.TRAIN)).digits()) {
                train.add(g.index());
            }
            for (DigitContent.Digit g : ((DigitContent) d.sampleContent(new SplittableRandom(i), Split.TEST)).digits()) {
                test.add(g.index());
            }
        }
        assertTrue(train.size() > 1000 && test.size() > 1000, "both splits draw many digits");
        assertTrue(train.stream().noneMatch(test::contains), "a digit image is in both splits");
        assertTrue(test.stream().allMatch(i -> i % MnistDomain.TEST_MODULUS == 0));
        for (int k = 0; k < 2; k++) {
            int slot = k;
            checkMotions(d, m -> ((DigitMotion) m).trajectories().get(slot).speed(),
                    MnistDomain.SPEED_LO, MnistDomain.SPEED_HI, MnistDomain.SPEED_BANDS);
        }
    }

    private static void checkContents(Domain d, ToDoubleFunction<Content> value, double lo, double hi, int bands) {
        double[] tr = new double[N];
        double[] te = new double[N];
        for (int i = 0; i < N; i++) {
            tr[i] = value.applyAsDouble(d.sampleContent(new SplittableRandom(i), Split.TRAIN));
            te[i] = value.applyAsDouble(d.sampleContent(new SplittableRandom(i), Split.TEST));
        }
        checkDisjoint(tr, te, lo, hi, bands);
    }

    private static void checkMotions(Domain d, ToDoubleFunction<Motion> value, double lo, double hi, int bands) {
        double[] tr = new double[N];
        double[] te = new double[N];
        for (int i = 0; i < N; i++) {
            tr[i] = value.applyAsDouble(d.sampleMotion(new SplittableRandom(i), Split.TRAIN));
            te[i] = value.applyAsDouble(d.sampleMotion(new SplittableRandom(i), Split.TEST));
        }
        checkDisjoint(tr, te, lo, hi, bands);
    }

    /** Every value in its split's bands; and no test value falls inside any training band's observed span. */
    private static void checkDisjoint(double[] tr, double[] te, double lo, double hi, int bands) {
        double w = (hi - lo) / bands;
        double[] min = new double[bands];
        double[] max = new double[bands];
        java.util.Arrays.fill(min, Double.MAX_VALUE);
        java.util.Arrays.fill(max, -Double.MAX_VALUE);
        for (double v : tr) {
            assertEquals(Split.TRAIN, Bands.splitOf(v, lo, hi, bands), "training value " + v);
            int k = (int) Math.floor((v - lo) / w);
            min[k] = Math.min(min[k], v);
            max[k] = Math.max(max[k], v);
        }
        for (double v : te) {
            assertEquals(Split.TEST, Bands.splitOf(v, lo, hi, bands), "test value " + v);
            for (int k = 0; k < bands; k++) {
                assertTrue(v < min[k] || v > max[k], "test value " + v + " inside training span [" + min[k] + ", " + max[k] + "]");
            }
        }
    }
}
