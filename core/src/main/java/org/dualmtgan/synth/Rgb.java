package org.dualmtgan.synth;

/** A linear blend-ready colour, components in [0, 1]. */
record Rgb(float r, float g, float b) {
    static final Rgb BLACK = new Rgb(0f, 0f, 0f);
    static final Rgb WHITE = new Rgb(1f, 1f, 1f);

    static Rgb of(double r, double g, double b) {
        return new Rgb(clamp(r), clamp(g), clamp(b));
    }

    static Rgb hex(int rgb) {
        return new Rgb(((rgb >> 16) & 0xff) / 255f, ((rgb >> 8) & 0xff) / 255f, (rgb & 0xff) / 255f);
    }

    static Rgb hsv(double h, double s, double v) {
        double hh = (h - Math.floor(h)) * 6.0;
        int sector = (int) hh;
        double f = hh - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        return switch (sector) {
            case 0 -> of(v, t, p);
            case 1 -> of(q, v, p);
            case 2 -> of(p, v, t);
            case 3 -> of(p, q, v);
            case 4 -> of(t, p, v);
            default -> of(v, p, q);
        };
    }

    Rgb mix(Rgb o, double t) {
        return of(r + (o.r - r) * t, g + (o.g - g) * t, b + (o.b - b) * t);
    }

    Rgb scale(double k) {
        return of(r * k, g * k, b * k);
    }

    private static float clamp(double x) {
        return (float) (x < 0 ? 0 : (x > 1 ? 1 : x));
    }
}
