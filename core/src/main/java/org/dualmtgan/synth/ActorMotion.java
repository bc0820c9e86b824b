package org.dualmtgan.synth;

/**
 * One of Weizmann's ten actions (bend, jack, jump, pjump, run, side, skip, walk, wave1, wave2) as
 * joint angles over time, applied to whoever performs it. {@code speed} multiplies the action's base
 * cadence (the held-out value); {@code phase} in [0, 1) is where in its cycle the action starts;
 * {@code direction} +1/-1 faces or travels right or left (for wave1, which arm waves);
 * {@code x} is where the pelvis is at the middle of the clip (fraction of the frame);
 * {@code amplitude} scales the swing of the joints. Distances travelled are in leg lengths of
 * the performer, so a taller person covers more ground with the same motion.
 */
public record ActorMotion(String action, double speed, double phase, int direction, double x, double amplitude)
        implements Motion {}
