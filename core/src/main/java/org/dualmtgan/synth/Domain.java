package org.dualmtgan.synth;

import org.dualmtgan.media.Video;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic video domain with separate content and motion parameters. {@code render(c, m)} is
 * the exact result of performing motion {@code m} with content {@code c}, for any pair of the
 * domain: {@code render(contentOf(y), motionOf(V))} is the ground truth of transferring V's motion
 * onto y. Rendering is a pure function of its arguments (no hidden randomness).
 */
public interface Domain {
    /** The domain's name as used on the command line: faces, actors, sprites or mnist. */
    String name();

    /** Draws a content from the split's held-out partition (see docs/synth.md). */
    Content sampleContent(SplittableRandom r, Split s);

    /** Draws a motion from the split's held-out partition (see docs/synth.md). */
    Motion sampleMotion(SplittableRandom r, Split s);

    /** Renders {@code frames} frames of {@code size x size} pixels. */
    Video render(Content c, Motion m, int frames, int size);

    /** Per frame, the named keypoints of {@code render(c, m, frames, size)}, in pixel coordinates. */
    List<List<Keypoint>> keypoints(Content c, Motion m, int frames, int size);
}
