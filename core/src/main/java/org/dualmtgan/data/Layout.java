package org.dualmtgan.data;

import org.dualmtgan.InvalidInputException;

import java.util.Locale;

/** How a dataset folder stores its videos. */
public enum Layout {
    /** Decide from the folder's contents: sub-folders of frames, strip PNGs or video files. */
    AUTO,
    /** One folder per video holding numbered frames (BAIR, KTH and MUG preprocessed style; synth output). */
    FRAMES,
    /** Video files (MP4, AVI, GIF...), found recursively. */
    FILES,
    /** One horizontal strip PNG per video, frames of height x height (the Weizmann files). */
    STRIPS;

    public static Layout parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("unknown layout '" + s + "' (expected auto, frames, files or strips)");
        }
    }
}
