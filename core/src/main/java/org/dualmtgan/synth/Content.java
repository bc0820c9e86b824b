package org.dualmtgan.synth;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a clip shows, independent of how it moves (identity, shape, colours, digit images). Serialised
 * to clip.json with a {@code "type"} field naming the domain, and read back with Jackson.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FaceContent.class, name = "faces"),
        @JsonSubTypes.Type(value = ActorContent.class, name = "actors"),
        @JsonSubTypes.Type(value = SpriteContent.class, name = "sprites"),
        @JsonSubTypes.Type(value = DigitContent.class, name = "mnist"),
})
public sealed interface Content permits FaceContent, ActorContent, SpriteContent, DigitContent {}
