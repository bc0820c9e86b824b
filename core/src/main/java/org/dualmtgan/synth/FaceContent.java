package org.dualmtgan.synth;

/**
 * A procedural frontal face. Lengths are fractions of the frame side ({@code faceWidth},
 * {@code faceHeight}: the head's half-axes) or ratios to a typical face (the other sizes, near 1).
 * {@code hairStyle}: bald, short, long, curly or bun; {@code facialHair}: none, moustache or beard.
 * The held-out hues are those of {@code hair}, {@code eyes} and {@code shirt}.
 */
public record FaceContent(
        double faceWidth, double faceHeight, double jaw, double skinTone, Hsv hair, String hairStyle,
        Hsv eyes, double eyeSpacing, double eyeSize, double eyeOpen, double browThickness,
        double noseLength, double mouthWidth, double lipTone, boolean glasses, Hsv glassesColour,
        String facialHair, boolean earrings, Hsv shirt, Hsv background) implements Content {}
