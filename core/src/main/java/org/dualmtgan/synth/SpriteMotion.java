package org.dualmtgan.synth;

import java.util.List;

/**
 * Object-pushing motion: one movement per sprite slot (sprite i performs movement i). Positions in
 * frame units, {@code speed} in frame units per frame (the held-out value), {@code heading} in
 * radians. {@code family}: linear, bounce, circular, zigzag, pulse or spin. {@code extent}: the
 * radius of a circle, the half-width of a zig-zag or the relative size change of a pulse;
 * {@code direction}: +1 or -1 (sense of turning); {@code phase} in [0, 1).
 */
public record SpriteMotion(List<Movement> movements) implements Motion {
    public SpriteMotion {
        movements = List.copyOf(movements);
    }

    public record Movement(String family, double x, double y, double speed, double heading, double extent,
                           int direction, double phase) {}
}
