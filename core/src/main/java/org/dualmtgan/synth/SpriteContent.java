package org.dualmtgan.synth;

import java.util.List;

/**
 * Object-pushing content: a textured background and one to three textured shapes. Sizes are
 * fractions of the frame side (the shape's outer radius), angles in radians.
 */
public record SpriteContent(Background background, List<Sprite> sprites) implements Content {
    public SpriteContent {
        sprites = List.copyOf(sprites);
    }

    /** {@code pattern}: plain, wood, noise or tiles; {@code scale}: features per frame; {@code seed}: the noise. */
    public record Background(String pattern, Hsv colour, Hsv colour2, double scale, long seed) {}

    /**
     * {@code shape}: circle, square, triangle, ring, cross or diamond; {@code texture}: solid, stripes,
     * checker, dots or gradient; {@code colour} carries the held-out hue; {@code rotation}: the
     * shape's angle at rest.
     */
    public record Sprite(String shape, double radius, String texture, Hsv colour, Hsv colour2,
                         double textureScale, double rotation) {}
}
