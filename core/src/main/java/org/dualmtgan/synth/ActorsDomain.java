package org.dualmtgan.synth;

import org.dualmtgan.media.Video;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Human actions (the Weizmann analogue): an articulated figure with filled limbs, torso and head,
 * seen from the side (walk, run, skip, jump, bend) or from the front (jack, pjump, side, wave1,
 * wave2), on a plain or lightly textured background with a floor line. A motion is a set of joint
 * angles over time; the figure's own limb lengths turn them into positions, and the feet are kept
 * on the floor (except while airborne). Held out for test: shirt and trouser hues from the odd bands
 * of {@link #HUE_BANDS}; speeds from the odd bands of {@link #SPEED_LO}..{@link #SPEED_HI}.
 */
public final class ActorsDomain implements Domain {
    public static final List<String> ACTIONS =
            List.of("bend", "jack", "jump", "pjump", "run", "side", "skip", "walk", "wave1", "wave2");
    public static final List<String> KEYPOINTS = List.of("head", "neck", "left_shoulder", "left_elbow",
            "left_wrist", "right_shoulder", "right_elbow", "right_wrist", "pelvis", "left_hip", "left_knee",
            "left_ankle", "right_hip", "right_knee", "right_ankle");
    public static final int HUE_BANDS = 6;
    public static final double SPEED_LO = 0.7;
    public static final double SPEED_HI = 1.3;
    public static final int SPEED_BANDS = 6;

    /** Cycles per frame at speed 1, and leg lengths travelled per cycle. */
    private static final Map<String, double[]> CADENCE = Map.of(
            "walk", new double[] {1 / 16.0, 1.4}, "run", new double[] {1 / 12.0, 2.2},
            "skip", new double[] {1 / 13.0, 1.6}, "side", new double[] {1 / 12.0, 1.2},
            "jack", new double[] {1 / 13.0, 0}, "pjump", new double[] {1 / 11.0, 0},
            "jump", new double[] {1 / 13.0, 1.2}, "bend", new double[] {1 / 24.0, 0},
            "wave1", new double[] {1 / 9.0, 0}, "wave2", new double[] {1 / 9.0, 0});

    @Override
    public String name() {
        return "actors";
    }

    @Override
    public Content sampleContent(SplittableRandom r, Split s) {
        Hsv shirt = new Hsv(Bands.sample(r, s, 0, 1, HUE_BANDS), Bands.uniform(r, 0.35, 0.9), Bands.uniform(r, 0.3, 0.85));
        Hsv trousers = new Hsv(Bands.sample(r, s, 0, 1, HUE_BANDS), Bands.uniform(r, 0.2, 0.7), Bands.uniform(r, 0.2, 0.6));
        Hsv hair = new Hsv(Bands.uniform(r, 0.02, 0.12), Bands.uniform(r, 0.3, 0.7), Bands.uniform(r, 0.08, 0.6));
        Hsv shoes = new Hsv(r.nextDouble(), Bands.uniform(r, 0, 0.4), Bands.uniform(r, 0.05, 0.35));
        Hsv bg = new Hsv(r.nextDouble(), Bands.uniform(r, 0.03, 0.2), Bands.uniform(r, 0.65, 0.95));
        String style = List.of("bald", "short", "short", "long").get(r.nextInt(4));
        return new ActorContent(
                Bands.uniform(r, 0.55, 0.72), Bands.uniform(r, 0.12, 0.15), Bands.uniform(r, 0.28, 0.33),
                Bands.uniform(r, 0.16, 0.2), Bands.uniform(r, 0.14, 0.18), Bands.uniform(r, 0.23, 0.27),
                Bands.uniform(r, 0.22, 0.26), Bands.uniform(r, 0.2, 0.26), Bands.uniform(r, 0.13, 0.18),
                Bands.uniform(r, 0.045, 0.065), Bands.uniform(r, 0.11, 0.15),
                r.nextDouble(), hair, style, shirt, r.nextBoolean(), trousers, shoes,
                bg, r.nextDouble() < 0.5 ? 0 : Bands.uniform(r, 0.02, 0.08), r.nextLong(), Bands.uniform(r, 0.9, 0.95));
    }

    @Override
    public Motion sampleMotion(SplittableRandom r, Split s) {
        String action = ACTIONS.get(r.nextInt(ACTIONS.size()));
        return new ActorMotion(action, Bands.sample(r, s, SPEED_LO, SPEED_HI, SPEED_BANDS), r.nextDouble(),
                r.nextBoolean() ? 1 : -1, Bands.uniform(r, 0.38, 0.62), Bands.uniform(r, 0.85, 1.15));
    }

    static boolean frontal(String action) {
        return switch (action) {
            case "jack", "pjump", "side", "wave1", "wave2" -> true;
            default -> false;
        };
    }

    /**
     * Joint angles at one instant, in radians, each limb segment's angle from straight down, positive
     * outwards (front view) or forwards (side view); elbows and knees are flexions. {@code air}: height
     * off the floor, {@code travel}: distance covered, both in leg lengths.
     */
    record Pose(double lean, double headTilt, double shoulderL, double elbowL, double shoulderR, double elbowR,
                double hipL, double kneeL, double hipR, double kneeR, double air, double travel) {}

    static double cycles(ActorMotion m, double t) {
        return CADENCE.get(m.action())[0] * m.speed() * t + m.phase();
    }

    static Pose pose(ActorMotion m, double t) {
        double cyc = cycles(m, t);
        double p = 2 * Math.PI * cyc;
        double a = m.amplitude();
        double sin = StrictMath.sin(p);
        double cos = StrictMath.cos(p);
        double perCycle = CADENCE.get(m.action())[1];
        switch (m.action()) {
            case "walk": {
                double h = 0.42 * a * sin;
                return new Pose(0.06, 0, -0.35 * a * sin, 0.35, 0.35 * a * sin, 0.35, h,
                        a * (0.1 + 0.75 * sq(Math.max(0, cos))), -h, a * (0.1 + 0.75 * sq(Math.max(0, -cos))),
                        0, perCycle * cyc);
            }
            case "run": {
                double h = 0.65 * a * sin;
                return new Pose(0.22, 0, -0.75 * a * sin, 1.5, 0.75 * a * sin, 1.5, h,
                        0.25 + 1.4 * a * sq(Math.max(0, cos)), -h, 0.25 + 1.4 * a * sq(Math.max(0, -cos)),
                        0.08 * Math.max(0, -StrictMath.cos(2 * p)), perCycle * cyc);
            }
            case "skip": {
                double h = 0.5 * a * sin;
                return new Pose(0.1, 0, -0.8 * a * sin, 0.7, 0.8 * a * sin, 0.7, h,
                        0.2 + 0.9 * a * sq(Math.max(0, cos)), -h, 0.2 + 0.9 * a * sq(Math.max(0, -cos)),
                        0.15 * a * Math.max(0, StrictMath.sin(2 * p)), perCycle * cyc);
            }
            case "side": {
                double spread = (1 - cos) / 2;
                double leg = 0.06 + 0.32 * a * spread;
                double arm = 0.25 + 0.15 * a * spread;
                return new Pose(0, 0, arm, 0.2, arm, 0.2, leg, 0.1, leg, 0.1, 0.12 * a * Math.max(0, sin), perCycle * cyc);
            }
            case "jack": {
                double s = (1 - cos) / 2;
                double arm = 0.18 + 2.6 * a * s;
                double leg = 0.05 + 0.33 * a * s;
                return new Pose(0, 0, arm, 0.1, arm, 0.1, leg, 0.1, leg, 0.1, 0.07 * a * Math.abs(sin), 0);
            }
            case "pjump": {
                double up = Math.max(0, sin);
                double crouch = Math.max(0, -sin);
                double arm = 0.2 + 0.4 * a * up;
                return new Pose(0, 0, arm, 0.3, arm, 0.3, 0.06, 1.0 * a * crouch, 0.06, 1.0 * a * crouch,
                        0.3 * a * up, 0);
            }
            case "jump": {
                double up = Math.max(0, sin);
                double crouch = Math.max(0, -sin);
                double arm = -0.6 * a * crouch + 1.3 * a * up;
                double frac = cyc - Math.floor(cyc);
                double move = frac < 0.5 ? (1 - StrictMath.cos(2 * Math.PI * frac)) / 2 : 1;
                return new Pose(0.1 + 0.45 * a * crouch, 0, arm, 0.3, arm, 0.3, 0.7 * a * crouch, 1.1 * a * crouch,
                        0.7 * a * crouch, 1.1 * a * crouch, 0.25 * a * up, perCycle * (Math.floor(cyc) + move));
            }
            case "bend": {
                double b = (1 - cos) / 2;
                double arm = 0.1 + 0.35 * b;
                return new Pose(1.45 * a * b, 0.3 * b, arm, 0.1, arm, 0.1, -0.1 * b, 0.15 * b, -0.1 * b, 0.15 * b, 0, 0);
            }
            case "wave1":
            case "wave2": {
                double up = 2.2 + 0.25 * a * sin;
                double elbow = 0.35 + 0.45 * a * sin;
                boolean both = m.action().equals("wave2");
                boolean right = both || m.direction() > 0;
                boolean left = both || m.direction() < 0;
                return new Pose(0, 0, left ? up : 0.12, left ? elbow : 0.1, right ? up : 0.12, right ? elbow : 0.1,
                        0.05, 0.05, 0.05, 0.05, 0, 0);
            }
            default:
                throw new IllegalArgumentException("unknown action " + m.action());
        }
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Every joint of one frame in pixels, plus the sizes needed to draw the figure. */
    static final class Skeleton {
        final double[][] joints = new double[KEYPOINTS.size()][];
        final boolean frontal;
        final int facing;
        final double unit;
        final double legLength;
        final double headRadius;

        static final int HEAD = 0, NECK = 1, L_SHOULDER = 2, L_ELBOW = 3, L_WRIST = 4, R_SHOULDER = 5,
                R_ELBOW = 6, R_WRIST = 7, PELVIS = 8, L_HIP = 9, L_KNEE = 10, L_ANKLE = 11, R_HIP = 12,
                R_KNEE = 13, R_ANKLE = 14;

        Skeleton(ActorContent c, ActorMotion m, int t, int frames, int size) {
            Pose p = pose(m, t);
            frontal = frontal(m.action());
            facing = m.direction() >= 0 ? 1 : -1;
            double standing = c.head() + 0.03 + c.torso() + c.thigh() + c.shin();
            unit = c.height() * size / standing;
            headRadius = c.head() * unit / 2;
            double thigh = c.thigh() * unit;
            double shin = c.shin() * unit;
            legLength = thigh + shin;
            double upper = c.upperArm() * unit;
            double fore = c.forearm() * unit;
            double torso = c.torso() * unit;
            double neckLen = 0.03 * unit;
            // the pelvis sits where the clip's middle frame puts it, then moves by the travel since then
            double mid = (frames - 1) / 2.0;
            double travel = p.travel() - pose(m, mid).travel();
            double px = m.x() * size - 0.5 + facing * travel * legLength;
            double tsx = frontal ? 1 : facing;
            double tdx = tsx * StrictMath.sin(p.lean());
            double tdy = -StrictMath.cos(p.lean());
            // limbs relative to a pelvis at height 0, then lifted so the lower foot touches the floor
            double[] pelvis = {px, 0};
            double[] neck = {px + tdx * torso, tdy * torso};
            double hx = StrictMath.sin(p.lean() + p.headTilt()) * tsx;
            double hy = -StrictMath.cos(p.lean() + p.headTilt());
            double[] head = {neck[0] + hx * (neckLen + headRadius), neck[1] + hy * (neckLen + headRadius)};
            double sw = frontal ? c.shoulderWidth() * unit / 2 : 0.02 * unit;
            double hw = frontal ? c.hipWidth() * unit / 2 : 0.015 * unit;
            // perpendicular to the torso, towards the figure's left limbs (image-left when frontal, far side otherwise)
            double perpX = -tdy * (frontal ? -1 : -facing);
            double perpY = tdx * (frontal ? -1 : -facing);
            double drop = 0.04 * unit;
            double[] lSh = {neck[0] + perpX * sw - tdx * drop, neck[1] + perpY * sw - tdy * drop};
            double[] rSh = {neck[0] - perpX * sw - tdx * drop, neck[1] - perpY * sw - tdy * drop};
            double[] lHip = {pelvis[0] + perpX * hw, pelvis[1] + perpY * hw};
            double[] rHip = {pelvis[0] - perpX * hw, pelvis[1] - perpY * hw};
            double lsx = frontal ? -1 : facing;
            double rsx = frontal ? 1 : facing;
            double[] lEl = along(lSh, p.shoulderL(), lsx, upper);
            double[] lWr = along(lEl, p.shoulderL() + p.elbowL(), lsx, fore);
            double[] rEl = along(rSh, p.shoulderR(), rsx, upper);
            double[] rWr = along(rEl, p.shoulderR() + p.elbowR(), rsx, fore);
            double[][] lLeg = leg(lHip, p.hipL(), p.kneeL(), lsx, thigh, shin);
            double[][] rLeg = leg(rHip, p.hipR(), p.kneeR(), rsx, thigh, shin);
            double lowest = Math.max(lLeg[1][1], rLeg[1][1]) + 0.3 * c.limbWidth() * unit;
            double shift = c.ground() * size - 0.5 - lowest - p.air() * legLength;
            double[][] all = {head, neck, lSh, lEl, lWr, rSh, rEl, rWr, pelvis, lHip, lLeg[0], lLeg[1], rHip, rLeg[0], rLeg[1]};
            for (int i = 0; i < all.length; i++) joints[i] = new double[] {all[i][0], all[i][1] + shift};
        }

        private static double[] along(double[] from, double angle, double sx, double len) {
            return new double[] {from[0] + sx * StrictMath.sin(angle) * len, from[1] + StrictMath.cos(angle) * len};
        }

        private double[][] leg(double[] hip, double hipAngle, double knee, double sx, double thigh, double shin) {
            if (frontal) {
                // knees bend towards the camera: the leg keeps its line and shortens on screen
                double k = StrictMath.cos(knee / 2);
                double[] kn = along(hip, hipAngle, sx, thigh * k);
                return new double[][] {kn, along(kn, hipAngle, sx, shin * k)};
            }
            double[] kn = along(hip, hipAngle, sx, thigh);
            return new double[][] {kn, along(kn, hipAngle - knee, sx, shin)};
        }

        List<Keypoint> keypoints() {
            List<Keypoint> k = new ArrayList<>(joints.length);
            for (int i = 0; i < joints.length; i++) k.add(new Keypoint(KEYPOINTS.get(i), joints[i][0], joints[i][1]));
            return k;
        }
    }

    @Override
    public List<List<Keypoint>> keypoints(Content c, Motion m, int frames, int size) {
        ActorContent ac = content(c);
        ActorMotion am = motion(m);
        List<List<Keypoint>> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) out.add(List.copyOf(new Skeleton(ac, am, t, frames, size).keypoints()));
        return out;
    }

    @Override
    public Video render(Content c, Motion m, int frames, int size) {
        ActorContent ac = content(c);
        ActorMotion am = motion(m);
        int plane = size * size;
        float[] data = new float[frames * 3 * plane];
        float[] background = background(ac, size);
        for (int t = 0; t < frames; t++) {
            Canvas cv = new Canvas(data, t, size);
            cv.copy(background);
            draw(cv, ac, new Skeleton(ac, am, t, frames, size));
        }
        return new Video(data, frames, size, size, Video.DEFAULT_FPS);
    }

    static float[] background(ActorContent c, int size) {
        int plane = size * size;
        float[] out = new float[3 * plane];
        Rgb wall = c.background().rgb();
        Rgb floor = wall.scale(0.86);
        double groundY = c.ground() * size - 0.5 - 0.06 * size;
        double f = 6.0 / size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double w = Math.max(0, Math.min(1, 0.5 + (y - groundY)));
                double n = c.texture() > 0 ? c.texture() * (Noise.fractal(c.textureSeed(), x * f, y * f) - 0.5) * 2 : 0;
                int i = y * size + x;
                out[i] = (float) Math.max(0, Math.min(1, wall.r() + (floor.r() - wall.r()) * w + n));
                out[plane + i] = (float) Math.max(0, Math.min(1, wall.g() + (floor.g() - wall.g()) * w + n));
                out[2 * plane + i] = (float) Math.max(0, Math.min(1, wall.b() + (floor.b() - wall.b()) * w + n));
            }
        }
        return out;
    }

    private static void draw(Canvas cv, ActorContent c, Skeleton s) {
        double[][] j = s.joints;
        double limb = c.limbWidth() * s.unit / 2;
        Rgb skin = FacesDomain.skinTone(c.skinTone());
        Rgb shirt = c.shirt().rgb();
        Rgb trousers = c.trousers().rgb();
        Rgb shoes = c.shoes().rgb();
        Rgb hair = c.hair().rgb();
        double far = s.frontal ? 1.0 : 0.78;
        if (c.hairStyle().equals("long")) {
            double back = s.frontal ? 0 : -s.facing * 0.3 * s.headRadius;
            cv.capsule(j[Skeleton.HEAD][0] + back, j[Skeleton.HEAD][1], j[Skeleton.NECK][0] + back * 1.5,
                    j[Skeleton.NECK][1] + 1.2 * s.headRadius, s.headRadius * 0.95, hair);
        }
        arm(cv, s, Skeleton.L_SHOULDER, limb, shirt.scale(far), (c.longSleeves() ? shirt : skin).scale(far), skin.scale(far));
        leg(cv, s, Skeleton.L_HIP, limb, trousers.scale(far), shoes.scale(far));
        // torso
        if (s.frontal) {
            double[] ls = j[Skeleton.L_SHOULDER];
            double[] rs = j[Skeleton.R_SHOULDER];
            double[] lh = j[Skeleton.L_HIP];
            double[] rh = j[Skeleton.R_HIP];
            cv.polygon(new double[] {ls[0] - limb * 0.5, rs[0] + limb * 0.5, rh[0] + limb, lh[0] - limb},
                    new double[] {ls[1] - limb * 0.6, rs[1] - limb * 0.6, rh[1], lh[1]}, shirt);
            cv.capsule(ls[0], ls[1], rs[0], rs[1], limb * 0.9, shirt);
            cv.capsule(lh[0], lh[1], rh[0], rh[1], limb * 1.1, trousers);
        } else {
            double tw = c.torsoWidth() * s.unit / 2;
            double[] p = j[Skeleton.PELVIS];
            double[] n = j[Skeleton.NECK];
            cv.capsule(p[0], p[1] - tw * 0.3, n[0] + 0.1 * (p[0] - n[0]), n[1] + 0.1 * (p[1] - n[1]) + tw * 0.4, tw, shirt);
            cv.circle(p[0], p[1], tw * 0.95, trousers);
        }
        leg(cv, s, Skeleton.R_HIP, limb, trousers, shoes);
        // neck and head
        double[] n = j[Skeleton.NECK];
        double[] h = j[Skeleton.HEAD];
        cv.capsule(n[0], n[1] + limb * 0.5, h[0], h[1], limb * 0.6, skin.scale(0.92));
        double r = s.headRadius;
        if (!c.hairStyle().equals("bald")) {
            double back = s.frontal ? 0 : -s.facing * 0.18 * r;
            cv.circle(h[0] + back, h[1] - 0.15 * r, r * 1.05, hair);
            double fwd = s.frontal ? 0 : s.facing * 0.12 * r;
            cv.circle(h[0] + fwd, h[1] + 0.12 * r, r * 0.9, skin);
        } else {
            cv.circle(h[0], h[1], r, skin);
        }
        arm(cv, s, Skeleton.R_SHOULDER, limb, shirt, c.longSleeves() ? shirt : skin, skin);
    }

    private static void arm(Canvas cv, Skeleton s, int shoulder, double limb, Rgb sleeve, Rgb forearm, Rgb hand) {
        double[] sh = s.joints[shoulder];
        double[] el = s.joints[shoulder + 1];
        double[] wr = s.joints[shoulder + 2];
        cv.capsule(sh[0], sh[1], el[0], el[1], limb * 0.95, sleeve);
        cv.capsule(el[0], el[1], wr[0], wr[1], limb * 0.8, forearm);
        double dx = wr[0] - el[0];
        double dy = wr[1] - el[1];
        double len = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy));
        cv.circle(wr[0] + dx / len * limb * 0.6, wr[1] + dy / len * limb * 0.6, limb * 0.95, hand);
    }

    private static void leg(Canvas cv, Skeleton s, int hip, double limb, Rgb trousers, Rgb shoes) {
        double[] hp = s.joints[hip];
        double[] kn = s.joints[hip + 1];
        double[] an = s.joints[hip + 2];
        cv.capsule(hp[0], hp[1], kn[0], kn[1], limb * 1.15, trousers);
        cv.capsule(kn[0], kn[1], an[0], an[1], limb * 0.95, trousers);
        double toe = s.frontal ? (hip == Skeleton.L_HIP ? -0.4 : 0.4) : s.facing * 1.3;
        cv.ellipse(an[0] + toe * limb, an[1] + limb * 0.3, limb * (s.frontal ? 1.2 : 1.9), limb * 0.75, 0, shoes);
    }

    private static ActorContent content(Content c) {
        if (c instanceof ActorContent a) return a;
        throw new IllegalArgumentException("actors cannot render content of another domain: " + c);
    }

    private static ActorMotion motion(Motion m) {
        if (m instanceof ActorMotion a) return a;
        throw new IllegalArgumentException("actors cannot render motion of another domain: " + m);
    }
}
