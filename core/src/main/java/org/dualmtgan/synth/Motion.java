package org.dualmtgan.synth;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How a clip moves, defined relative to whatever content it is applied to (joint angles, expression
 * intensities, trajectories in frame units), so any content can perform any motion of its domain.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FaceMotion.class, name = "faces"),
        @JsonSubTypes.Type(value = ActorMotion.class, name = "actors"),
        @JsonSubTypes.Type(value = SpriteMotion.class, name = "sprites"),
        @JsonSubTypes.Type(value = DigitMotion.class, name = "mnist"),
})
public sealed interface Motion permits FaceMotion, ActorMotion, SpriteMotion, DigitMotion {}
