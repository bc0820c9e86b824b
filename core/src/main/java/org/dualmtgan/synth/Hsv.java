package org.dualmtgan.synth;

/** A colour as hue, saturation and value, each in [0, 1] (hue wraps). Stored in content parameters. */
public record Hsv(double h, double s, double v) {
    Rgb rgb() {
        return Rgb.hsv(h, s, v);
    }
}
