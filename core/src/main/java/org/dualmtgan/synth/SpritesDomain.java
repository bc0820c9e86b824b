package org.dualmtgan.synth;

import org.dualmtgan.media.Video;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Object pushing (the BAIR analogue): textured shapes with drop shadows on a textured table,
 * moving by motion families. Held out for test: sprite hues from the odd bands of
 * {@link #HUE_BANDS}; speeds from the odd bands of {@link #SPEED_LO}..{@link #SPEED_HI}.
 */
public final class SpritesDomain implements Domain {
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "ring", "cross", "diamond");
    public static final List<String> TEXTURES = List.of("solid", "stripes", "checker", "dots", "gradient");
    public static final List<String> FAMILIES = List.of("linear", "bounce", "circular", "zigzag", "pulse", "spin");
    public static final List<String> BACKGROUNDS = List.of("plain", "wood", "noise", "tiles");
    public static final int HUE_BANDS = 6;
    public static final double SPEED_LO = 0.008;
    public static final double SPEED_HI = 0.032;
    public static final int SPEED_BANDS = 4;
    public static final int MAX_SPRITES = 3;
    /** Bouncing centres stay within [MARGIN, 1 - MARGIN], whatever the sprite's size. */
    static final double MARGIN = 0.14;

    @Override
    public String name() {
        return "sprites";
    }

    @Override
    public Content sampleContent(SplittableRandom r, Split s) {
        double bh = r.nextDouble();
        Hsv bg = new Hsv(bh, Bands.uniform(r, 0.1, 0.4), Bands.uniform(r, 0.45, 0.8));
        Hsv bg2 = new Hsv(bh + Bands.uniform(r, -0.05, 0.05), bg.s() * 0.8, bg.v() * Bands.uniform(r, 0.7, 0.9));
        SpriteContent.Background back = new SpriteContent.Background(pick(r, BACKGROUNDS), bg, bg2,
                Bands.uniform(r, 3, 8), r.nextLong());
        int n = 1 + r.nextInt(MAX_SPRITES);
        List<SpriteContent.Sprite> sprites = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double hue = Bands.sample(r, s, 0, 1, HUE_BANDS);
            Hsv c = new Hsv(hue, Bands.uniform(r, 0.55, 0.95), Bands.uniform(r, 0.6, 0.95));
            Hsv c2 = new Hsv(hue, c.s() * 0.6, c.v() * 0.55);
            sprites.add(new SpriteContent.Sprite(pick(r, SHAPES), Bands.uniform(r, 0.07, 0.13), pick(r, TEXTURES),
                    c, c2, Bands.uniform(r, 1.5, 3.5), Bands.uniform(r, 0, 2 * Math.PI)));
        }
        return new SpriteContent(back, sprites);
    }

    @Override
    public Motion sampleMotion(SplittableRandom r, Split s) {
        List<SpriteMotion.Movement> moves = new ArrayList<>();
        for (int i = 0; i < MAX_SPRITES; i++) {
            String family = pick(r, FAMILIES);
            double speed = Bands.sample(r, s, SPEED_LO, SPEED_HI, SPEED_BANDS);
            double heading = Bands.uniform(r, 0, 2 * Math.PI);
            double extent = switch (family) {
                case "circular" -> Bands.uniform(r, 0.08, 0.2);
                case "zigzag" -> Bands.uniform(r, 0.03, 0.08);
                case "pulse" -> Bands.uniform(r, 0.2, 0.45);
                default -> 0.0;
            };
            // Start so that a 16-frame path is centred in the frame, give or take.
            double drift = family.equals("pulse") || family.equals("spin") ? 0.25 : 1.0;
            double x = 0.5 - 8 * drift * speed * StrictMath.cos(heading) + Bands.uniform(r, -0.22, 0.22);
            double y = 0.5 - 8 * drift * speed * StrictMath.sin(heading) + Bands.uniform(r, -0.22, 0.22);
            if (family.equals("circular")) {
                x = Bands.uniform(r, 0.3, 0.7);
                y = Bands.uniform(r, 0.3, 0.7);
            }
            moves.add(new SpriteMotion.Movement(family, x, y, speed, heading, extent, r.nextBoolean() ? 1 : -1,
                    r.nextDouble()));
        }
        return new SpriteMotion(moves);
    }

    /** Where a movement puts a sprite at frame t: centre (frame units), size factor, added rotation. */
    record Placement(double x, double y, double scale, double angle) {}

    static Placement place(SpriteMotion.Movement m, int t) {
        double ch = StrictMath.cos(m.heading());
        double sh = StrictMath.sin(m.heading());
        double v = m.speed();
        return switch (m.family()) {
            case "linear" -> new Placement(m.x() + v * ch * t, m.y() + v * sh * t, 1, 0);
            case "bounce" -> new Placement(MnistDomain.reflect(m.x() + v * ch * t, MARGIN, 1 - MARGIN),
                    MnistDomain.reflect(m.y() + v * sh * t, MARGIN, 1 - MARGIN), 1, 0);
            case "circular" -> {
                double a = m.heading() + m.direction() * v / m.extent() * t;
                yield new Placement(m.x() + m.extent() * StrictMath.cos(a), m.y() + m.extent() * StrictMath.sin(a), 1, 0);
            }
            case "zigzag" -> {
                // lateral speed equal to forward speed: one zig every 2 * extent / speed frames
                double period = 4 * m.extent() / v;
                double u = t / period + m.phase();
                double tri = 4 * Math.abs(u - Math.floor(u + 0.5)) - 1;
                double side = m.direction() * m.extent() * tri;
                yield new Placement(m.x() + v * ch * t - sh * side, m.y() + v * sh * t + ch * side, 1, 0);
            }
            case "pulse" -> new Placement(m.x() + 0.25 * v * ch * t, m.y() + 0.25 * v * sh * t,
                    1 + m.extent() * StrictMath.sin(2 * Math.PI * (3 * v * t + m.phase())), 0);
            case "spin" -> new Placement(m.x() + 0.25 * v * ch * t, m.y() + 0.25 * v * sh * t, 1,
                    m.direction() * 12 * v * t);
            default -> throw new IllegalArgumentException("unknown motion family " + m.family());
        };
    }

    @Override
    public List<List<Keypoint>> keypoints(Content c, Motion m, int frames, int size) {
        SpriteContent sc = content(c);
        SpriteMotion sm = motion(m, sc);
        List<List<Keypoint>> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            List<Keypoint> kp = new ArrayList<>();
            for (int i = 0; i < sc.sprites().size(); i++) {
                SpriteContent.Sprite sp = sc.sprites().get(i);
                Placement p = place(sm.movements().get(i), t);
                double cx = p.x() * size - 0.5;
                double cy = p.y() * size - 0.5;
                double rad = sp.radius() * size * p.scale();
                double a = sp.rotation() + p.angle();
                kp.add(new Keypoint("object" + i, cx, cy));
                kp.add(new Keypoint("object" + i + "_orientation", cx + rad * StrictMath.cos(a), cy + rad * StrictMath.sin(a)));
            }
            out.add(List.copyOf(kp));
        }
        return out;
    }

    @Override
    public Video render(Content c, Motion m, int frames, int size) {
        SpriteContent sc = content(c);
        SpriteMotion sm = motion(m, sc);
        int plane = size * size;
        float[] data = new float[frames * 3 * plane];
        float[] background = background(sc.background(), size);
        Rgb shadow = Rgb.BLACK;
        for (int t = 0; t < frames; t++) {
            Canvas cv = new Canvas(data, t, size);
            cv.copy(background);
            for (int i = 0; i < sc.sprites().size(); i++) {
                SpriteContent.Sprite sp = sc.sprites().get(i);
                Placement p = place(sm.movements().get(i), t);
                double cx = p.x() * size - 0.5;
                double cy = p.y() * size - 0.5;
                double rad = sp.radius() * size * p.scale();
                double a = sp.rotation() + p.angle();
                double off = 0.035 * size;
                double ext = rad * 1.5;
                cv.fill(shapeSdf(sp.shape(), cx + off * 0.6, cy + off, rad, a), cx + off * 0.6 - ext, cy + off - ext,
                        cx + off * 0.6 + ext, cy + off + ext, shadow, 0.3);
                cv.fill(shapeSdf(sp.shape(), cx, cy, rad, a), cx - ext, cy - ext, cx + ext, cy + ext,
                        shader(sp, cx, cy, rad, a), 1.0);
            }
        }
        return new Video(data, frames, size, size, Video.DEFAULT_FPS);
    }

    /** A shape of outer radius {@code rad} pixels at (cx, cy), turned by {@code a}. */
    static Canvas.Sdf shapeSdf(String shape, double cx, double cy, double rad, double a) {
        double co = StrictMath.cos(a);
        double si = StrictMath.sin(a);
        double inv = 1 / Math.max(rad, 1e-6);
        Local f = switch (shape) {
            case "circle" -> (u, v) -> Math.sqrt(u * u + v * v) - 1;
            case "square" -> (u, v) -> box(u, v, 0.78, 0.78);
            case "triangle" -> (u, v) -> {
                // equilateral, circumradius 1: the largest distance to its three edge lines
                double d1 = v;
                double d2 = -0.8660254037844386 * u - 0.5 * v;
                double d3 = 0.8660254037844386 * u - 0.5 * v;
                return Math.max(d1, Math.max(d2, d3)) - 0.5;
            };
            case "ring" -> (u, v) -> Math.abs(Math.sqrt(u * u + v * v) - 0.68) - 0.32;
            case "cross" -> (u, v) -> Math.min(box(u, v, 1.0, 0.34), box(u, v, 0.34, 1.0));
            case "diamond" -> (u, v) -> (Math.abs(u) + Math.abs(v) - 1) * 0.7071067811865476;
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        return (x, y) -> {
            double dx = (x - cx) * inv;
            double dy = (y - cy) * inv;
            return f.at(dx * co + dy * si, -dx * si + dy * co) * rad;
        };
    }

    @FunctionalInterface
    private interface Local {
        double at(double u, double v);
    }

    private static double box(double u, double v, double bx, double by) {
        double qx = Math.abs(u) - bx;
        double qy = Math.abs(v) - by;
        double ox = Math.max(qx, 0);
        double oy = Math.max(qy, 0);
        return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0);
    }

    /** The sprite's texture, fixed to the sprite (it turns and scales with it), with soft shading. */
    private static Canvas.Shader shader(SpriteContent.Sprite sp, double cx, double cy, double rad, double a) {
        Rgb c1 = sp.colour().rgb();
        Rgb c2 = sp.colour2().rgb();
        double co = StrictMath.cos(a);
        double si = StrictMath.sin(a);
        double inv = 1 / Math.max(rad, 1e-6);
        double k = sp.textureScale();
        String tex = sp.texture();
        return (x, y, rgb) -> {
            double dx = (x - cx) * inv;
            double dy = (y - cy) * inv;
            double u = dx * co + dy * si;
            double v = -dx * si + dy * co;
            double w = switch (tex) {
                case "stripes" -> smooth(StrictMath.sin(Math.PI * k * u) * 3);
                case "checker" -> smooth(StrictMath.sin(Math.PI * k * u) * StrictMath.sin(Math.PI * k * v) * 4);
                case "dots" -> {
                    double gu = k * u - Math.floor(k * u + 0.5);
                    double gv = k * v - Math.floor(k * v + 0.5);
                    yield smooth((0.28 - Math.sqrt(gu * gu + gv * gv)) * 12);
                }
                case "gradient" -> Math.max(0, Math.min(1, (v + 1) / 2));
                default -> 0.0;
            };
            // light from the upper left
            double light = 1.08 - 0.12 * (dx + dy);
            rgb[0] = (float) Math.min(1, (c1.r() + (c2.r() - c1.r()) * w) * light);
            rgb[1] = (float) Math.min(1, (c1.g() + (c2.g() - c1.g()) * w) * light);
            rgb[2] = (float) Math.min(1, (c1.b() + (c2.b() - c1.b()) * w) * light);
        };
    }

    private static double smooth(double z) {
        return Math.max(0, Math.min(1, 0.5 + z));
    }

    /** The static table surface, (3, H, W). */
    static float[] background(SpriteContent.Background b, int size) {
        int plane = size * size;
        float[] out = new float[3 * plane];
        Rgb c1 = b.colour().rgb();
        Rgb c2 = b.colour2().rgb();
        double f = b.scale() / size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double w = switch (b.pattern()) {
                    case "wood" -> 0.5 + 0.5 * StrictMath.sin(2 * Math.PI * (y * f * 1.5 + 2.5 * Noise.fractal(b.seed(), x * f * 0.4, y * f)));
                    case "noise" -> Noise.fractal(b.seed(), x * f, y * f);
                    case "tiles" -> {
                        double gx = x * f - Math.floor(x * f);
                        double gy = y * f - Math.floor(y * f);
                        double edge = Math.min(Math.min(gx, 1 - gx), Math.min(gy, 1 - gy)) * size / b.scale();
                        yield edge < 1.0 ? 1.0 - edge : 0.15 * Noise.value(b.seed(), x * f * 2, y * f * 2);
                    }
                    default -> 0.15 * y / (double) size;
                };
                int i = y * size + x;
                out[i] = c1.r() + (c2.r() - c1.r()) * (float) w;
                out[plane + i] = c1.g() + (c2.g() - c1.g()) * (float) w;
                out[2 * plane + i] = c1.b() + (c2.b() - c1.b()) * (float) w;
            }
        }
        return out;
    }

    private static String pick(SplittableRandom r, List<String> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static SpriteContent content(Content c) {
        if (c instanceof SpriteContent s) return s;
        throw new IllegalArgumentException("sprites cannot render content of another domain: " + c);
    }

    private static SpriteMotion motion(Motion m, SpriteContent c) {
        if (!(m instanceof SpriteMotion s)) {
            throw new IllegalArgumentException("sprites cannot render motion of another domain: " + m);
        }
        if (s.movements().size() < c.sprites().size()) {
            throw new IllegalArgumentException(c.sprites().size() + " sprites but only " + s.movements().size() + " movements");
        }
        return s;
    }
}
