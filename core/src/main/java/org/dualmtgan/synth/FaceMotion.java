package org.dualmtgan.synth;

import java.util.List;

/**
 * A facial action with onset-apex-offset timing, independent of whose face performs it. Times are
 * fractions of the clip (0 = first frame, 1 = last), so a motion fits any clip length:
 * the action starts at {@code start}, reaches its apex after {@code tempo} (the held-out value),
 * holds for {@code hold}, and relaxes over 1.3 x tempo. {@code action}: smile, surprise, anger,
 * sadness, blink, nod or turn; {@code intensity} in (0, 1] scales the apex (for nod and turn, the
 * head angle); {@code direction} +1/-1 picks the side of a turn or the first way of a nod;
 * {@code blinks}: times of extra spontaneous blinks.
 */
public record FaceMotion(String action, double intensity, double start, double tempo, double hold, int direction,
                         List<Double> blinks) implements Motion {
    public FaceMotion {
        blinks = List.copyOf(blinks);
    }
}
