package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers decoded frames while a reader streams them: picks the frames a {@link Preprocess} keeps
 * (so skipped frames are never converted, and decoding stops once the clip is full), crops and
 * resizes each frame as it arrives (a long 512 px video read at 64 px never exists in memory at
 * full size), and refuses a video whose float planes would not fit in memory.
 */
final class FrameCollector {
    private final Path source;
    private final Preprocess preprocess;
    private final long budgetBytes;
    private final List<float[]> frames = new ArrayList<>();
    private int sourceHeight = -1;
    private int sourceWidth = -1;
    private int height;
    private int width;
    private long bytes;
    private int limit;

    FrameCollector(Path source, Preprocess preprocess) {
        this.source = source;
        this.preprocess = preprocess == null ? Preprocess.NONE : preprocess;
        // The frames are copied once into the video's array, so both must fit; Java arrays stop at 2^31 - 1.
        this.budgetBytes = Math.min(Runtime.getRuntime().maxMemory() / 3, (Integer.MAX_VALUE - 64L) * 4);
    }

    /** Whether frame {@code index} (0-based, in source order) is kept. */
    boolean wants(int index) {
        return !full() && index % every() == 0;
    }

    /** Whether the clip has all the frames it asked for (the reader may stop decoding). */
    boolean full() {
        int max = limit > 0 ? limit : preprocess.frames();
        return max > 0 && frames.size() >= max;
    }

    /** This collector, stopping after {@code n} frames and taking every frame (a still from an animation). */
    FrameCollector limitedTo(int n) {
        limit = n;
        return this;
    }

    private int every() {
        return limit > 0 ? 1 : preprocess.every();
    }

    int count() {
        return frames.size();
    }

    /** Adds one source frame given as planar floats of {@code h x w}; {@code where} names it in errors. */
    void add(float[] planar, int h, int w, Path where) {
        if (sourceHeight < 0) {
            sourceHeight = h;
            sourceWidth = w;
        } else if (h != sourceHeight || w != sourceWidth) {
            throw new InvalidInputException(where, "frame is " + w + "x" + h + ", the first frame is "
                    + sourceWidth + "x" + sourceHeight);
        }
        Video one;
        try {
            one = preprocess.applySpatial(new Video(planar, 1, h, w, Video.DEFAULT_FPS));
        } catch (InvalidInputException e) {
            // A crop that does not fit: name the input it was applied to.
            throw new InvalidInputException(source, e.getMessage(), e);
        }
        height = one.height();
        width = one.width();
        bytes += 4L * one.data().length;
        if (bytes > budgetBytes) {
            throw new InvalidInputException(source, String.format(
                    "too long to hold in memory: more than %d frames of %dx%d (%d MB as floats, limit %d MB); "
                            + "read fewer frames or at a smaller size",
                    frames.size(), width, height, bytes >> 20, budgetBytes >> 20));
        }
        frames.add(one.data());
    }

    /** The collected clip; {@code sourceFps} is divided by the stride. */
    Video finish(double sourceFps) {
        if (frames.isEmpty()) throw new InvalidInputException(source, "contains no frames");
        int fs = frames.get(0).length;
        float[] data = new float[frames.size() * fs];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, data, i * fs, fs);
            frames.set(i, null);
        }
        double fps = (sourceFps > 0 && Double.isFinite(sourceFps) ? sourceFps : Video.DEFAULT_FPS) / every();
        return new Video(data, data.length / fs, height, width, fps);
    }
}
