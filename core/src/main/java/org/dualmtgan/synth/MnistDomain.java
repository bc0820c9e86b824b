package org.dualmtgan.synth;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Moving MNIST: one or two real digits bouncing in the frame, white on black, composed by maximum
 * (as in the original Moving MNIST). At 64 px the digits keep their 28 px size; other frame sizes
 * scale the whole scene. Held out for test: digit images whose index is a multiple of 5; speeds
 * from the odd bands of {@link #SPEED_LO}..{@link #SPEED_HI}.
 */
public final class MnistDomain implements Domain {
    public static final double SPEED_LO = 0.02;
    public static final double SPEED_HI = 0.06;
    public static final int SPEED_BANDS = 4;
    /** Digits with {@code index % TEST_MODULUS == 0} are test digits. */
    public static final int TEST_MODULUS = 5;
    /** The digit box is 28 px of a 64 px frame; its centre stays within [HALF_BOX, 1 - HALF_BOX]. */
    static final double HALF_BOX = 14.0 / 64.0;

    private final Path dataDir;

    public MnistDomain(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public Content sampleContent(SplittableRandom r, Split s) {
        MnistDigits mnist = MnistDigits.load(dataDir);
        int n = 1 + r.nextInt(2);
        int groups = mnist.count() / TEST_MODULUS;
        List<DigitContent.Digit> digits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = TEST_MODULUS * r.nextInt(groups) + (s == Split.TEST ? 0 : 1 + r.nextInt(TEST_MODULUS - 1));
            digits.add(new DigitContent.Digit(index, mnist.label(index),
                    Base64.getEncoder().encodeToString(mnist.image(index))));
        }
        return new DigitContent(digits);
    }

    @Override
    public Motion sampleMotion(SplittableRandom r, Split s) {
        List<DigitMotion.Trajectory> paths = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            double x = Bands.uniform(r, HALF_BOX, 1 - HALF_BOX);
            double y = Bands.uniform(r, HALF_BOX, 1 - HALF_BOX);
            double speed = Bands.sample(r, s, SPEED_LO, SPEED_HI, SPEED_BANDS);
            double heading = Bands.uniform(r, 0, 2 * Math.PI);
            paths.add(new DigitMotion.Trajectory(x, y, speed, heading));
        }
        return new DigitMotion(paths);
    }

    /** Centre of trajectory {@code i} at frame t, in frame units. */
    static double[] centre(DigitMotion.Trajectory p, int t) {
        double x = p.x() + p.speed() * StrictMath.cos(p.heading()) * t;
        double y = p.y() + p.speed() * StrictMath.sin(p.heading()) * t;
        return new double[] {reflect(x, HALF_BOX, 1 - HALF_BOX), reflect(y, HALF_BOX, 1 - HALF_BOX)};
    }

    /** Folds a free path back into [lo, hi], which is what bouncing off both walls does. */
    static double reflect(double p, double lo, double hi) {
        double span = hi - lo;
        double q = (p - lo) % (2 * span);
        if (q < 0) q += 2 * span;
        if (q > span) q = 2 * span - q;
        return lo + q;
    }

    @Override
    public List<List<Keypoint>> keypoints(Content c, Motion m, int frames, int size) {
        DigitContent dc = content(c);
        DigitMotion dm = motion(m, dc);
        List<List<Keypoint>> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            List<Keypoint> kp = new ArrayList<>();
            for (int i = 0; i < dc.digits().size(); i++) {
                double[] p = centre(dm.trajectories().get(i), t);
                kp.add(new Keypoint("digit" + i, p[0] * size - 0.5, p[1] * size - 0.5));
            }
            out.add(List.copyOf(kp));
        }
        return out;
    }

    @Override
    public Video render(Content c, Motion m, int frames, int size) {
        DigitContent dc = content(c);
        DigitMotion dm = motion(m, dc);
        int n = dc.digits().size();
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) {
            byte[] b = Base64.getDecoder().decode(dc.digits().get(i).pixels());
            if (b.length != MnistDigits.SIDE * MnistDigits.SIDE) {
                throw new InvalidInputException("digit " + i + " has " + b.length + " pixels, expected 784");
            }
            images[i] = new float[b.length];
            for (int k = 0; k < b.length; k++) images[i][k] = (b[k] & 0xff) / 255f;
        }
        int plane = size * size;
        float[] data = new float[frames * 3 * plane];
        float[] grey = new float[plane];
        double scale = size / 64.0;
        double half = (MnistDigits.SIDE / 2.0) * scale;
        for (int t = 0; t < frames; t++) {
            java.util.Arrays.fill(grey, 0f);
            for (int i = 0; i < n; i++) {
                double[] p = centre(dm.trajectories().get(i), t);
                double cx = p[0] * size - 0.5;
                double cy = p[1] * size - 0.5;
                stamp(grey, size, images[i], cx, cy, scale, half);
            }
            int base = t * 3 * plane;
            System.arraycopy(grey, 0, data, base, plane);
            System.arraycopy(grey, 0, data, base + plane, plane);
            System.arraycopy(grey, 0, data, base + 2 * plane, plane);
        }
        return new Video(data, frames, size, size, Video.DEFAULT_FPS);
    }

    /** Max-composites a digit centred at (cx, cy), sampled bilinearly so sub-pixel motion is smooth. */
    private static void stamp(float[] grey, int size, float[] img, double cx, double cy, double scale, double half) {
        int side = MnistDigits.SIDE;
        int x0 = Math.max(0, (int) Math.floor(cx - half - 1));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + half + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - half - 1));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + half + 1));
        double c = (side - 1) / 2.0;
        for (int y = y0; y <= y1; y++) {
            double v = (y - cy) / scale + c;
            int vy = (int) Math.floor(v);
            double fy = v - vy;
            for (int x = x0; x <= x1; x++) {
                double u = (x - cx) / scale + c;
                int ux = (int) Math.floor(u);
                double fx = u - ux;
                double a = at(img, ux, vy);
                double b = at(img, ux + 1, vy);
                double d = at(img, ux, vy + 1);
                double e = at(img, ux + 1, vy + 1);
                float val = (float) ((a + (b - a) * fx) * (1 - fy) + (d + (e - d) * fx) * fy);
                int i = y * size + x;
                if (val > grey[i]) grey[i] = val;
            }
        }
    }

    private static double at(float[] img, int x, int y) {
        int side = MnistDigits.SIDE;
        return (x < 0 || y < 0 || x >= side || y >= side) ? 0 : img[y * side + x];
    }

    private static DigitContent content(Content c) {
        if (c instanceof DigitContent d) return d;
        throw new IllegalArgumentException("mnist cannot render content of another domain: " + c);
    }

    private static DigitMotion motion(Motion m, DigitContent c) {
        if (!(m instanceof DigitMotion d)) {
            throw new IllegalArgumentException("mnist cannot render motion of another domain: " + m);
        }
        if (d.trajectories().size() < c.digits().size()) {
            throw new IllegalArgumentException(c.digits().size() + " digits but only " + d.trajectories().size() + " trajectories");
        }
        return d;
    }
}
