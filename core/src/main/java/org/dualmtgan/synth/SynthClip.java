package org.dualmtgan.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * One synthetic clip's record, as stored in {@code <clip>/clip.json}: the domain, the split and
 * seed it was drawn with, its length and size, its content and motion parameters, and per frame its
 * keypoints. {@link #render()} reproduces its frames; {@code Domains.byName(a.domain()).render(
 * a.content(), b.motion(), ...)} renders a's content with b's motion.
 */
public record SynthClip(String domain, Split split, long seed, int frames, int size, Content content, Motion motion,
                        List<List<Keypoint>> keypoints) {
    public static final String FILE = "clip.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads {@code clipDir/clip.json}. */
    public static SynthClip read(Path clipDir) {
        Path file = clipDir.resolve(FILE);
        SynthClip clip;
        try {
            clip = JSON.readValue(Files.readAllBytes(file), SynthClip.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "not found (not a synthetic clip folder?)");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, "not a valid clip record: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read: " + e.getMessage(), e);
        }
        if (clip.domain() == null || clip.content() == null || clip.motion() == null || clip.frames() < 1 || clip.size() < 1) {
            throw new InvalidInputException(file, "clip record lacks domain, content, motion, frames or size");
        }
        return clip;
    }

    /** This record as JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise clip record", e);
        }
    }

    /** Renders this clip's frames again (MNIST clips carry their digit images, so no data folder is needed). */
    public Video render() {
        return Domains.byName(domain).render(content, motion, frames, size);
    }
}
