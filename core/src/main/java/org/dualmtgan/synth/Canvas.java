package org.dualmtgan.synth;

/**
 * A small anti-aliased rasteriser that draws into one frame of a planar (T, 3, H, W) float video.
 * Shapes are signed distance functions in pixels (negative inside), sampled at pixel centres; the
 * coverage {@code clamp(0.5 - d)} gives a one-pixel soft edge. Pure Java arithmetic only, so the
 * pixels are identical on every machine (no fonts, no platform rasteriser).
 */
final class Canvas {
    /** Signed distance in pixels from (x, y) to a shape's outline; negative inside. */
    @FunctionalInterface
    interface Sdf {
        double at(double x, double y);
    }

    /** Colour of a textured shape at (x, y), written into {@code rgb[0..2]}. */
    @FunctionalInterface
    interface Shader {
        void colour(double x, double y, float[] rgb);
    }

    final int size;
    private final float[] data;
    private final int r0;
    private final int g0;
    private final int b0;
    private final float[] tmp = new float[3];

    Canvas(float[] data, int frame, int size) {
        this.size = size;
        this.data = data;
        int plane = size * size;
        this.r0 = frame * 3 * plane;
        this.g0 = r0 + plane;
        this.b0 = g0 + plane;
    }

    void clear(Rgb c) {
        int plane = size * size;
        java.util.Arrays.fill(data, r0, r0 + plane, c.r());
        java.util.Arrays.fill(data, g0, g0 + plane, c.g());
        java.util.Arrays.fill(data, b0, b0 + plane, c.b());
    }

    /** Copies a prepared (3, H, W) background into this frame. */
    void copy(float[] planes) {
        System.arraycopy(planes, 0, data, r0, planes.length);
    }

    /** Fills a shape whose outline lies within the box [x0, x1] x [y0, y1] (pixels) with a solid colour. */
    void fill(Sdf shape, double x0, double y0, double x1, double y1, Rgb c, double alpha) {
        fill(shape, null, x0, y0, x1, y1, c, null, alpha);
    }

    /** Fills the intersection of {@code shape} and {@code clip} (approximate coverage: the minimum). */
    void fillClipped(Sdf shape, Sdf clip, double x0, double y0, double x1, double y1, Rgb c, double alpha) {
        fill(shape, clip, x0, y0, x1, y1, c, null, alpha);
    }

    /** Fills a shape with a texture. */
    void fill(Sdf shape, double x0, double y0, double x1, double y1, Shader shader, double alpha) {
        fill(shape, null, x0, y0, x1, y1, null, shader, alpha);
    }

    private void fill(Sdf shape, Sdf clip, double x0, double y0, double x1, double y1, Rgb c, Shader shader,
                      double alpha) {
        int ix0 = Math.max(0, (int) Math.floor(x0 - 1));
        int iy0 = Math.max(0, (int) Math.floor(y0 - 1));
        int ix1 = Math.min(size - 1, (int) Math.ceil(x1 + 1));
        int iy1 = Math.min(size - 1, (int) Math.ceil(y1 + 1));
        float a = (float) alpha;
        for (int y = iy0; y <= iy1; y++) {
            int row = y * size;
            for (int x = ix0; x <= ix1; x++) {
                double d = shape.at(x, y);
                if (d >= 0.5) continue;
                float cov = d <= -0.5 ? 1f : (float) (0.5 - d);
                if (clip != null) {
                    double dc = clip.at(x, y);
                    if (dc >= 0.5) continue;
                    if (dc > -0.5) cov = Math.min(cov, (float) (0.5 - dc));
                }
                float w = cov * a;
                float cr;
                float cg;
                float cb;
                if (shader != null) {
                    shader.colour(x, y, tmp);
                    cr = tmp[0];
                    cg = tmp[1];
                    cb = tmp[2];
                } else {
                    cr = c.r();
                    cg = c.g();
                    cb = c.b();
                }
                int i = row + x;
                data[r0 + i] += (cr - data[r0 + i]) * w;
                data[g0 + i] += (cg - data[g0 + i]) * w;
                data[b0 + i] += (cb - data[b0 + i]) * w;
            }
        }
    }

    // ---- primitives -------------------------------------------------------------------------

    void ellipse(double cx, double cy, double rx, double ry, double angle, Rgb c) {
        ellipse(cx, cy, rx, ry, angle, c, 1.0);
    }

    void ellipse(double cx, double cy, double rx, double ry, double angle, Rgb c, double alpha) {
        double r = Math.max(rx, ry);
        fill(ellipseSdf(cx, cy, rx, ry, angle), cx - r, cy - r, cx + r, cy + r, c, alpha);
    }

    void circle(double cx, double cy, double radius, Rgb c) {
        ellipse(cx, cy, radius, radius, 0, c, 1.0);
    }

    /** A segment with round ends: limbs, strokes. */
    void capsule(double xa, double ya, double xb, double yb, double radius, Rgb c) {
        fill(segmentSdf(xa, ya, xb, yb, radius), Math.min(xa, xb) - radius, Math.min(ya, yb) - radius,
                Math.max(xa, xb) + radius, Math.max(ya, yb) + radius, c, 1.0);
    }

    /** A stroked open polyline of constant half-width (one pass, so joints are not blended twice). */
    void polyline(double[] xs, double[] ys, double radius, Rgb c) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (int i = 0; i < xs.length; i++) {
            x0 = Math.min(x0, xs[i]);
            x1 = Math.max(x1, xs[i]);
            y0 = Math.min(y0, ys[i]);
            y1 = Math.max(y1, ys[i]);
        }
        fill(polylineSdf(xs, ys, radius), x0 - radius, y0 - radius, x1 + radius, y1 + radius, c, 1.0);
    }

    /** A convex polygon, vertices in either winding order. */
    void polygon(double[] xs, double[] ys, Rgb c) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (int i = 0; i < xs.length; i++) {
            x0 = Math.min(x0, xs[i]);
            x1 = Math.max(x1, xs[i]);
            y0 = Math.min(y0, ys[i]);
            y1 = Math.max(y1, ys[i]);
        }
        fill(convexSdf(xs, ys), x0, y0, x1, y1, c, 1.0);
    }

    /** The outline of an ellipse, {@code width} pixels wide. */
    void ellipseRing(double cx, double cy, double rx, double ry, double width, Rgb c) {
        Sdf e = ellipseSdf(cx, cy, rx, ry, 0);
        double h = width / 2;
        double r = Math.max(rx, ry) + h;
        fill((x, y) -> Math.abs(e.at(x, y)) - h, cx - r, cy - r, cx + r, cy + r, c, 1.0);
    }

    // ---- signed distance functions -----------------------------------------------------------

    /** Rotated ellipse; the usual first-order distance estimate, exact on the outline. */
    static Sdf ellipseSdf(double cx, double cy, double rx, double ry, double angle) {
        double co = StrictMath.cos(angle);
        double si = StrictMath.sin(angle);
        double irx = 1 / Math.max(rx, 1e-6);
        double iry = 1 / Math.max(ry, 1e-6);
        double inner = -Math.min(rx, ry);
        return (x, y) -> {
            double dx = x - cx;
            double dy = y - cy;
            double qx = (dx * co + dy * si) * irx;
            double qy = (-dx * si + dy * co) * iry;
            double k0 = Math.sqrt(qx * qx + qy * qy);
            double k1 = Math.sqrt(qx * qx * irx * irx + qy * qy * iry * iry);
            if (k1 < 1e-12) return inner;
            return k0 * (k0 - 1) / k1;
        };
    }

    static Sdf segmentSdf(double xa, double ya, double xb, double yb, double radius) {
        double bx = xb - xa;
        double by = yb - ya;
        double bb = bx * bx + by * by;
        return (x, y) -> {
            double px = x - xa;
            double py = y - ya;
            double h = bb < 1e-12 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / bb));
            double ex = px - bx * h;
            double ey = py - by * h;
            return Math.sqrt(ex * ex + ey * ey) - radius;
        };
    }

    static Sdf polylineSdf(double[] xs, double[] ys, double radius) {
        int n = xs.length;
        return (x, y) -> {
            double best = Double.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                double bx = xs[i + 1] - xs[i];
                double by = ys[i + 1] - ys[i];
                double bb = bx * bx + by * by;
                double px = x - xs[i];
                double py = y - ys[i];
                double h = bb < 1e-12 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / bb));
                double ex = px - bx * h;
                double ey = py - by * h;
                best = Math.min(best, ex * ex + ey * ey);
            }
            return Math.sqrt(best) - radius;
        };
    }

    /** Convex polygon: the largest signed distance to an edge line (exact except beyond corners). */
    static Sdf convexSdf(double[] xs, double[] ys) {
        int n = xs.length;
        double area = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            area += xs[i] * ys[j] - xs[j] * ys[i];
        }
        double sign = area >= 0 ? 1 : -1;
        double[] nx = new double[n];
        double[] ny = new double[n];
        double[] off = new double[n];
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double ex = xs[j] - xs[i];
            double ey = ys[j] - ys[i];
            double len = Math.max(1e-9, Math.sqrt(ex * ex + ey * ey));
            // outward normal for the polygon's winding
            nx[i] = sign * ey / len;
            ny[i] = -sign * ex / len;
            off[i] = nx[i] * xs[i] + ny[i] * ys[i];
        }
        return (x, y) -> {
            double d = -Double.MAX_VALUE;
            for (int i = 0; i < n; i++) d = Math.max(d, nx[i] * x + ny[i] * y - off[i]);
            return d;
        };
    }
}
