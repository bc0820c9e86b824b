package org.dualmtgan.synth;

/**
 * A person of the human-actions domain. {@code height} is the standing height as a fraction of the
 * frame; the body lengths ({@code head} .. {@code torsoWidth}) are proportions of the standing height
 * ({@code head} is the head's diameter; the standing height is head + neck + torso + thigh + shin,
 * rescaled to {@code height}). {@code hairStyle}: bald, short or long. The held-out hues are those
 * of {@code shirt} and {@code trousers}. {@code ground}: the floor line as a fraction of the frame.
 */
public record ActorContent(
        double height, double head, double torso, double upperArm, double forearm, double thigh, double shin,
        double shoulderWidth, double hipWidth, double limbWidth, double torsoWidth,
        double skinTone, Hsv hair, String hairStyle, Hsv shirt, boolean longSleeves, Hsv trousers, Hsv shoes,
        Hsv background, double texture, long textureSeed, double ground) implements Content {}
