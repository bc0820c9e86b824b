package org.dualmtgan.synth;

import org.dualmtgan.media.Video;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Facial expressions (the MUG analogue): a procedural frontal face, head and shoulders, performing
 * one action with onset-apex-offset timing, plus spontaneous blinks. The face is a shallow ellipsoid:
 * features sit on its surface, so turning and nodding move them in 2.5-D (the nose most).
 * Held out for test: hair, eye and shirt hues from the odd bands of {@link #HUE_BANDS};
 * tempos from the odd bands of {@link #TEMPO_LO}..{@link #TEMPO_HI}.
 */
public final class FacesDomain implements Domain {
    public static final List<String> ACTIONS = List.of("smile", "surprise", "anger", "sadness", "blink", "nod", "turn");
    public static final List<String> HAIR_STYLES = List.of("bald", "short", "long", "curly", "bun");
    public static final List<String> FACIAL_HAIR = List.of("none", "moustache", "beard");
    public static final List<String> KEYPOINTS = List.of("left_eye", "right_eye", "left_eye_top", "left_eye_bottom",
            "right_eye_top", "right_eye_bottom", "left_brow", "right_brow", "nose_tip", "mouth_left", "mouth_right",
            "upper_lip", "lower_lip", "chin");
    public static final int HUE_BANDS = 6;
    public static final double TEMPO_LO = 0.10;
    public static final double TEMPO_HI = 0.34;
    public static final int TEMPO_BANDS = 4;

    private static final Rgb SKIN_LIGHT = Rgb.hex(0xf6d7c3);
    private static final Rgb SKIN_DARK = Rgb.hex(0x5e3b27);
    private static final Rgb SCLERA = Rgb.hex(0xf3f0ec);
    private static final Rgb LASH = Rgb.hex(0x2a1c18);
    private static final Rgb MOUTH_INSIDE = Rgb.hex(0x4a1518);
    private static final Rgb TEETH = Rgb.hex(0xf2efe6);

    @Override
    public String name() {
        return "faces";
    }

    @Override
    public Content sampleContent(SplittableRandom r, Split s) {
        double hairHue = Bands.sample(r, s, 0, 1, HUE_BANDS);
        Hsv hair = new Hsv(hairHue, Bands.uniform(r, 0.3, 0.8), Bands.uniform(r, 0.15, 0.75));
        Hsv eyes = new Hsv(Bands.sample(r, s, 0, 1, HUE_BANDS), Bands.uniform(r, 0.4, 0.8), Bands.uniform(r, 0.3, 0.7));
        Hsv shirt = new Hsv(Bands.sample(r, s, 0, 1, HUE_BANDS), Bands.uniform(r, 0.3, 0.85), Bands.uniform(r, 0.35, 0.9));
        Hsv bg = new Hsv(r.nextDouble(), Bands.uniform(r, 0.05, 0.3), Bands.uniform(r, 0.6, 0.95));
        boolean glasses = r.nextDouble() < 0.3;
        Hsv frame = new Hsv(r.nextDouble(), Bands.uniform(r, 0, 0.6), Bands.uniform(r, 0.05, 0.5));
        double facialHair = r.nextDouble();
        return new FaceContent(
                Bands.uniform(r, 0.25, 0.30), Bands.uniform(r, 0.31, 0.36), Bands.uniform(r, 0.7, 0.95),
                r.nextDouble(), hair, HAIR_STYLES.get(r.nextInt(HAIR_STYLES.size())),
                eyes, Bands.uniform(r, 0.34, 0.42), Bands.uniform(r, 0.85, 1.15), Bands.uniform(r, 0.8, 1.0),
                Bands.uniform(r, 0.8, 1.3), Bands.uniform(r, 0.85, 1.15), Bands.uniform(r, 0.27, 0.36),
                r.nextDouble(), glasses, frame,
                facialHair < 0.75 ? "none" : (facialHair < 0.87 ? "moustache" : "beard"),
                r.nextDouble() < 0.25, shirt, bg);
    }

    @Override
    public Motion sampleMotion(SplittableRandom r, Split s) {
        String action = ACTIONS.get(r.nextInt(ACTIONS.size()));
        double tempo = Bands.sample(r, s, TEMPO_LO, TEMPO_HI, TEMPO_BANDS);
        double hold = Bands.uniform(r, 0.12, 0.3);
        double start = Bands.uniform(r, 0.0, Math.max(0.0, 0.95 - tempo * 2.3 - hold));
        List<Double> blinks = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) blinks.add(r.nextDouble());
        return new FaceMotion(action, Bands.uniform(r, 0.65, 1.0), start, tempo, hold, r.nextBoolean() ? 1 : -1, blinks);
    }

    /** The face's state at one instant: expression intensities in [0, 1], eye closure, head angles (radians). */
    record State(double smile, double surprise, double anger, double sadness, double closure, double yaw, double pitch) {}

    static State state(FaceMotion m, double u) {
        boolean blink = m.action().equals("blink");
        double tempo = blink ? m.tempo() * 0.5 : m.tempo();
        double hold = blink ? m.hold() * 0.3 : m.hold();
        double u0 = m.start();
        double u1 = u0 + tempo;
        double u2 = u1 + hold;
        double u3 = u2 + 1.3 * tempo;
        double e;
        if (u < u0 || u >= u3) e = 0;
        else if (u < u1) e = smoothstep((u - u0) / tempo);
        else if (u < u2) e = 1;
        else e = 1 - smoothstep((u - u2) / (u3 - u2));
        double a = m.intensity() * e;
        double closure = blink ? e : 0;
        for (double b : m.blinks()) closure = Math.max(closure, Math.max(0, 1 - Math.abs(u - b) / 0.06));
        double yaw = 0;
        double pitch = 0;
        if (m.action().equals("turn")) yaw = m.direction() * 0.65 * a;
        if (m.action().equals("nod") && u > u0 && u < u3) {
            double w = (u - u0) / (u3 - u0);
            pitch = m.direction() * 0.3 * m.intensity() * StrictMath.sin(4 * Math.PI * w) * StrictMath.sin(Math.PI * w);
        }
        return new State(m.action().equals("smile") ? a : 0, m.action().equals("surprise") ? a : 0,
                m.action().equals("anger") ? a : 0, m.action().equals("sadness") ? a : 0, closure, yaw, pitch);
    }

    private static double smoothstep(double x) {
        x = Math.max(0, Math.min(1, x));
        return x * x * (3 - 2 * x);
    }

    /** All pixel geometry of one frame, shared by rendering and keypoints so the two always agree. */
    static final class Rig {
        final FaceContent c;
        final State s;
        final int size;
        final double cx;
        final double cy;
        final double hx;
        final double hy;
        final double rx;
        final double ry;
        final double cosYaw;
        final double sinYaw;
        final double cosPitch;
        final double sinPitch;
        final double jawDrop;
        // features, face units
        final double eyeY = -0.08;
        final double eyeHalfW;
        final double eyeHalfH;
        final double openness;
        final double browRaise;
        final double browInner;
        final double mouthY = 0.5;
        final double mouthHalfW;
        final double lift;
        final double open;

        Rig(FaceContent c, State s, int size) {
            this.c = c;
            this.s = s;
            this.size = size;
            cx = 0.5 * size - 0.5;
            cy = 0.46 * size - 0.5;
            cosYaw = StrictMath.cos(s.yaw());
            sinYaw = StrictMath.sin(s.yaw());
            cosPitch = StrictMath.cos(s.pitch());
            sinPitch = StrictMath.sin(s.pitch());
            hx = cx + 0.04 * size * sinYaw;
            hy = cy + 0.05 * size * sinPitch;
            rx = c.faceWidth() * size;
            ry = c.faceHeight() * size;
            eyeHalfW = 0.2 * c.eyeSize();
            eyeHalfH = 0.085 * c.eyeSize();
            openness = Math.max(0, c.eyeOpen() * (1 + 0.45 * s.surprise() - 0.3 * s.anger() - 0.25 * s.smile()
                    - 0.1 * s.sadness()) * (1 - s.closure()));
            browRaise = 0.12 * s.surprise() + 0.02 * s.sadness() - 0.07 * s.anger();
            browInner = 0.09 * s.anger() - 0.09 * s.sadness();
            mouthHalfW = c.mouthWidth() * (1 + 0.3 * s.smile() - 0.2 * s.surprise() - 0.12 * s.anger());
            lift = 0.13 * s.smile() - 0.09 * s.sadness() - 0.02 * s.anger();
            open = 0.24 * s.surprise() + 0.06 * s.smile();
            jawDrop = 0.45 * open;
        }

        /** Depth of the face surface at (fx, fy), in face-width units. */
        static double depth(double fx, double fy) {
            return 0.85 * Math.sqrt(Math.max(0, 1 - fx * fx - 0.7 * fy * fy));
        }

        /** Pixel position of a surface point (fx, fy) raised by {@code extra} depth, after turning and nodding. */
        double[] project(double fx, double fy, double extra) {
            double fz = depth(fx, fy) + extra;
            double x1 = fx * cosYaw + fz * sinYaw;
            double z1 = -fx * sinYaw + fz * cosYaw;
            double y1 = fy * cosPitch + z1 * sinPitch;
            return new double[] {hx + x1 * rx, hy + y1 * ry};
        }

        /** Horizontal foreshortening of a feature at fx (1 when facing the camera). */
        double squeeze(double fx) {
            double[] a = project(fx - 0.01, eyeY, 0);
            double[] b = project(fx + 0.01, eyeY, 0);
            return Math.max(0.25, Math.min(1.2, (b[0] - a[0]) / (0.02 * rx)));
        }

        double eyeX(int side) {
            return side * c.eyeSpacing();
        }

        Canvas.Sdf faceSdf() {
            double bottom = 1 + jawDrop;
            double jaw = c.jaw();
            double cxh = hx;
            double cyh = hy;
            return (x, y) -> {
                double qy = (y - cyh) / ry;
                double sy = qy > 0 ? ry * bottom : ry;
                double w = qy > 0 ? rx * (1 - (1 - jaw) * Math.min(1, qy * qy)) : rx;
                double dx = (x - cxh) / w;
                double dy = (y - cyh) / sy;
                double k0 = Math.sqrt(dx * dx + dy * dy);
                double k1 = Math.sqrt(dx * dx / (w * w) + dy * dy / (sy * sy));
                return k1 < 1e-12 ? -w : k0 * (k0 - 1) / k1;
            };
        }

        List<Keypoint> keypoints() {
            List<Keypoint> k = new ArrayList<>(KEYPOINTS.size());
            for (int side = -1; side <= 1; side += 2) {
                double[] e = project(eyeX(side), eyeY, 0);
                k.add(new Keypoint(side < 0 ? "left_eye" : "right_eye", e[0], e[1]));
            }
            for (int side = -1; side <= 1; side += 2) {
                double[] top = project(eyeX(side), eyeY - eyeHalfH * openness, 0);
                double[] bot = project(eyeX(side), eyeY + eyeHalfH * openness, 0);
                String n = side < 0 ? "left_eye" : "right_eye";
                k.add(new Keypoint(n + "_top", top[0], top[1]));
                k.add(new Keypoint(n + "_bottom", bot[0], bot[1]));
            }
            for (int side = -1; side <= 1; side += 2) {
                double[] b = project(eyeX(side), browY(0), 0);
                k.add(new Keypoint(side < 0 ? "left_brow" : "right_brow", b[0], b[1]));
            }
            double[] nose = noseTip();
            k.add(new Keypoint("nose_tip", nose[0], nose[1]));
            double[] ml = project(-mouthHalfW, mouthY - lift, 0);
            double[] mr = project(mouthHalfW, mouthY - lift, 0);
            k.add(new Keypoint("mouth_left", ml[0], ml[1]));
            k.add(new Keypoint("mouth_right", mr[0], mr[1]));
            double[] ul = project(0, mouthY, 0.02);
            double[] ll = project(0, mouthY + open, 0.02);
            k.add(new Keypoint("upper_lip", ul[0], ul[1]));
            k.add(new Keypoint("lower_lip", ll[0], ll[1]));
            double[] chin = project(0, 1 + jawDrop, 0);
            k.add(new Keypoint("chin", chin[0], chin[1]));
            return k;
        }

        /** Brow height at relative position {@code along} in [-1, 1] from inner to outer end. */
        double browY(double along) {
            double inner = (1 - along) / 2;
            return -0.33 - browRaise + browInner * inner - 0.03 * (1 - along * along);
        }

        double[] noseTip() {
            return project(0, 0.2 * c.noseLength(), 0.3);
        }
    }

    @Override
    public List<List<Keypoint>> keypoints(Content c, Motion m, int frames, int size) {
        FaceContent fc = content(c);
        FaceMotion fm = motion(m);
        List<List<Keypoint>> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            out.add(List.copyOf(new Rig(fc, state(fm, time(t, frames)), size).keypoints()));
        }
        return out;
    }

    static double time(int t, int frames) {
        return frames <= 1 ? 0 : t / (double) (frames - 1);
    }

    @Override
    public Video render(Content c, Motion m, int frames, int size) {
        FaceContent fc = content(c);
        FaceMotion fm = motion(m);
        int plane = size * size;
        float[] data = new float[frames * 3 * plane];
        float[] background = background(fc, size);
        for (int t = 0; t < frames; t++) {
            Canvas cv = new Canvas(data, t, size);
            cv.copy(background);
            draw(cv, new Rig(fc, state(fm, time(t, frames)), size));
        }
        return new Video(data, frames, size, size, Video.DEFAULT_FPS);
    }

    private static float[] background(FaceContent c, int size) {
        int plane = size * size;
        float[] out = new float[3 * plane];
        Rgb top = c.background().rgb();
        Rgb bottom = top.scale(0.8);
        for (int y = 0; y < size; y++) {
            Rgb row = top.mix(bottom, y / (double) size);
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                out[i] = row.r();
                out[plane + i] = row.g();
                out[2 * plane + i] = row.b();
            }
        }
        return out;
    }

    static Rgb skin(FaceContent c) {
        return skinTone(c.skinTone());
    }

    /** A skin colour from light (0) to dark (1). */
    static Rgb skinTone(double tone) {
        return SKIN_LIGHT.mix(SKIN_DARK, tone);
    }

    private static void draw(Canvas cv, Rig g) {
        FaceContent c = g.c;
        int size = g.size;
        Rgb skin = skin(c);
        Rgb hair = c.hair().rgb();
        String style = c.hairStyle();
        double rx = g.rx;
        double ry = g.ry;
        // hair behind the head and shoulders
        if (style.equals("long")) cv.ellipse(g.hx - 0.05 * rx * g.sinYaw, g.hy + 0.3 * ry, 1.3 * rx, 1.15 * ry, 0, hair);
        if (style.equals("curly")) cv.circle(g.hx - 0.05 * rx * g.sinYaw, g.hy - 0.15 * ry, 1.38 * rx, hair);
        // neck and shoulders stay put while the head turns
        cv.capsule(g.cx + 0.5 * (g.hx - g.cx), g.hy + 0.5 * ry, g.cx, size + 2, 0.42 * rx, skin.scale(0.86));
        double shoulderTop = g.cy + ry + 0.05 * size;
        cv.ellipse(g.cx, shoulderTop + 0.4 * size, 0.62 * size, 0.4 * size, 0, c.shirt().rgb());
        cv.polygon(new double[] {g.cx - 0.3 * rx, g.cx + 0.3 * rx, g.cx},
                new double[] {shoulderTop + 0.005 * size, shoulderTop + 0.005 * size, shoulderTop + 0.12 * size},
                skin.scale(0.86));
        // ears, behind the face outline
        for (int side = -1; side <= 1; side += 2) {
            double[] e = g.project(side * 0.97, 0.02, -0.25);
            cv.ellipse(e[0], e[1], 0.14 * rx, 0.2 * ry, 0, skin.scale(0.9));
            if (c.earrings()) cv.circle(e[0], e[1] + 0.2 * ry, Math.max(0.9, 0.05 * rx), Rgb.hex(0xe8c04a));
        }
        // hair cap (a rim around the top of the face once the face is drawn over it); the skull's
        // outline does not change when the head turns, only the fringe on the forehead moves
        double capX = g.hx;
        double capY = g.hy - 0.3 * ry;
        double[] forehead = g.project(0, -0.75, 0);
        if (!style.equals("bald")) {
            cv.ellipse(capX, capY, 1.08 * rx, 0.8 * ry, 0, hair);
            if (style.equals("bun")) cv.circle(capX, capY - 0.82 * ry, 0.36 * rx, hair);
        }
        Canvas.Sdf face = g.faceSdf();
        cv.fill(face, g.hx - rx, g.hy - ry, g.hx + rx, g.hy + ry * (1 + g.jawDrop), skin, 1.0);
        // cheeks flush when smiling
        Rgb blush = Rgb.hex(0xe2786e);
        for (int side = -1; side <= 1; side += 2) {
            double[] ch = g.project(side * 0.55, 0.28, 0);
            cv.ellipse(ch[0], ch[1], 0.16 * rx, 0.1 * ry, 0, blush, 0.12 + 0.25 * g.s.smile());
        }
        if (c.facialHair().equals("beard")) {
            double[] b = g.project(0, 0.75, 0);
            Canvas.Sdf beard = Canvas.ellipseSdf(b[0], b[1] + 0.1 * ry * g.jawDrop, 1.05 * rx, 0.55 * ry, 0);
            cv.fillClipped(beard, face, b[0] - 1.05 * rx, b[1] - 0.55 * ry, b[0] + 1.05 * rx, b[1] + 0.7 * ry, hair, 0.92);
        }
        if (!style.equals("bald")) {
            // the fringe stays inside the cap's outline, so it never sticks out beside the head
            double fx = capX + 0.12 * rx + 0.5 * (forehead[0] - g.hx);
            double fy = capY - 0.5 * ry + 0.5 * (forehead[1] - (g.hy - 0.75 * ry));
            // everything of the cap above the hairline, the lower edge of a large tilted ellipse
            double big = 1.3 * ry;
            Canvas.Sdf above = Canvas.ellipseSdf(fx, fy + 0.3 * ry - big, 1.5 * rx, big, -0.12);
            cv.fillClipped(Canvas.ellipseSdf(capX, capY, 1.08 * rx, 0.8 * ry, 0), above,
                    capX - 1.1 * rx, capY - 0.85 * ry, capX + 1.1 * rx, fy + 0.45 * ry, hair, 1.0);
        }
        drawEyes(cv, g);
        if (c.glasses()) {
            Rgb frame = c.glassesColour().rgb();
            double w = Math.max(0.8, 0.035 * rx);
            double[][] lens = new double[2][];
            for (int side = -1; side <= 1; side += 2) {
                double[] e = g.project(g.eyeX(side), g.eyeY + 0.02, 0.05);
                double sq = g.squeeze(g.eyeX(side));
                cv.ellipseRing(e[0], e[1], 0.27 * rx * sq, 0.17 * ry, w, frame);
                lens[(side + 1) / 2] = new double[] {e[0] + side * 0.27 * rx * sq, e[1], e[0] - side * 0.27 * rx * sq};
            }
            cv.capsule(lens[0][2], lens[0][1], lens[1][2], lens[1][1], w / 2, frame);
        }
        // brows
        Rgb brow = hair.scale(0.7);
        for (int side = -1; side <= 1; side += 2) {
            double[] xs = new double[3];
            double[] ys = new double[3];
            for (int k = 0; k < 3; k++) {
                double along = k - 1; // -1 inner .. 1 outer
                double fx = g.eyeX(side) + side * along * 0.2;
                double[] p = g.project(fx, g.browY(along), 0);
                xs[k] = p[0];
                ys[k] = p[1];
            }
            cv.polyline(xs, ys, Math.max(0.6, 0.035 * ry * c.browThickness()), brow);
        }
        // nose: shading at the tip and two nostrils
        double[] tip = g.noseTip();
        cv.ellipse(tip[0], tip[1] + 0.02 * ry, 0.11 * rx, 0.06 * ry, 0, skin.scale(0.82), 0.8);
        for (int side = -1; side <= 1; side += 2) {
            double[] n = g.project(side * 0.06, 0.2 * c.noseLength() + 0.04, 0.25);
            cv.circle(n[0], n[1], Math.max(0.5, 0.035 * rx), skin.scale(0.55));
        }
        if (c.facialHair().equals("moustache") || c.facialHair().equals("beard")) {
            double[] xs = new double[5];
            double[] ys = new double[5];
            for (int k = 0; k < 5; k++) {
                double fx = (k - 2) / 2.0 * (g.mouthHalfW + 0.04);
                double[] p = g.project(fx, g.mouthY - 0.1 + 0.05 * Math.abs(fx) / g.mouthHalfW, 0.02);
                xs[k] = p[0];
                ys[k] = p[1];
            }
            cv.polyline(xs, ys, Math.max(0.8, 0.05 * ry), hair.scale(0.85));
        }
        drawMouth(cv, g);
    }

    private static void drawEyes(Canvas cv, Rig g) {
        FaceContent c = g.c;
        double rx = g.rx;
        double ry = g.ry;
        for (int side = -1; side <= 1; side += 2) {
            double[] e = g.project(g.eyeX(side), g.eyeY, 0);
            double hw = g.eyeHalfW * rx * g.squeeze(g.eyeX(side));
            double hh = g.eyeHalfH * ry * g.openness;
            double lash = Math.max(0.45, 0.022 * ry);
            if (g.openness < 0.15) {
                double[] xs = {e[0] - hw, e[0], e[0] + hw};
                double[] ys = {e[1], e[1] + 0.25 * g.eyeHalfH * ry, e[1]};
                cv.polyline(xs, ys, lash, LASH);
                continue;
            }
            Canvas.Sdf sclera = Canvas.ellipseSdf(e[0], e[1], hw, hh, 0);
            cv.fill(sclera, e[0] - hw, e[1] - hh, e[0] + hw, e[1] + hh, SCLERA, 1.0);
            double ir = 0.095 * ry * c.eyeSize();
            double ix = e[0] + 0.15 * hw * g.sinYaw;
            cv.fillClipped(Canvas.ellipseSdf(ix, e[1], ir * g.squeeze(g.eyeX(side)), ir, 0), sclera,
                    ix - ir, e[1] - ir, ix + ir, e[1] + ir, c.eyes().rgb(), 1.0);
            cv.fillClipped(Canvas.ellipseSdf(ix, e[1], 0.45 * ir, 0.45 * ir, 0), sclera,
                    ix - ir, e[1] - ir, ix + ir, e[1] + ir, Rgb.BLACK, 1.0);
            // upper lid line
            double[] xs = new double[5];
            double[] ys = new double[5];
            for (int k = 0; k < 5; k++) {
                double a = Math.PI * (1 - k / 4.0);
                xs[k] = e[0] + hw * 1.05 * StrictMath.cos(a);
                ys[k] = e[1] - hh * StrictMath.sin(a);
            }
            cv.polyline(xs, ys, lash, LASH);
        }
    }

    private static void drawMouth(Canvas cv, Rig g) {
        FaceContent c = g.c;
        Rgb lip = Rgb.hex(0xc65a5a).mix(Rgb.hex(0x7a3030), c.lipTone()).mix(skin(c), 0.2);
        int n = 7;
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] lx = new double[n];
        double[] ly = new double[n];
        for (int k = 0; k < n; k++) {
            double q = (k - (n - 1) / 2.0) / ((n - 1) / 2.0);
            double fx = q * g.mouthHalfW;
            double base = g.mouthY - g.lift * q * q;
            double[] up = g.project(fx, base, 0.02);
            double[] lo = g.project(fx, base + g.open * (1 - q * q), 0.02);
            ux[k] = up[0];
            uy[k] = up[1];
            lx[k] = lo[0];
            ly[k] = lo[1];
        }
        double thick = Math.max(0.6, 0.035 * g.ry);
        if (g.open > 0.02) {
            double[] mid = g.project(0, g.mouthY - 0.5 * g.lift + 0.5 * g.open, 0.02);
            double hw = Math.abs(ux[n - 1] - ux[0]) / 2 * 0.92;
            double hh = Math.max(0.5, (ly[n / 2] - uy[n / 2]) / 2 + 0.3 * Math.abs(g.lift) * g.ry);
            Canvas.Sdf inside = Canvas.ellipseSdf(mid[0], mid[1], hw, hh, 0);
            cv.fill(inside, mid[0] - hw, mid[1] - hh, mid[0] + hw, mid[1] + hh, MOUTH_INSIDE, 1.0);
            if (g.s.smile() > 0.3) {
                cv.fillClipped(Canvas.ellipseSdf(mid[0], mid[1] - 0.6 * hh, hw * 0.9, 0.6 * hh, 0), inside,
                        mid[0] - hw, mid[1] - hh, mid[0] + hw, mid[1], TEETH, 1.0);
            }
            cv.polyline(ux, uy, thick, lip);
            cv.polyline(lx, ly, thick * 1.2, lip);
        } else {
            cv.polyline(ux, uy, thick * 1.1, lip.scale(0.85));
        }
    }

    private static FaceContent content(Content c) {
        if (c instanceof FaceContent f) return f;
        throw new IllegalArgumentException("faces cannot render content of another domain: " + c);
    }

    private static FaceMotion motion(Motion m) {
        if (m instanceof FaceMotion f) return f;
        throw new IllegalArgumentException("faces cannot render motion of another domain: " + m);
    }
}
