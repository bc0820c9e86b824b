package org.dualmtgan.media;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A video in memory: {@code T} RGB frames of {@code H x W} pixels.
 *
 * <p>Layout: one float array, planar, frame-major: index {@code ((t * 3 + c) * H + y) * W + x},
 * that is {@code (T, C, H, W)} with channels R, G, B. Values are in [0, 1]. The network works in
 * [-1, 1] with {@code (B, T, C, H, W)}: {@link #toNDArray} and {@link #fromNDArray} convert in one
 * bulk copy, without per-pixel Java loops. A single image is a video with {@code T = 1}.
 *
 * <p>Instances are immutable by convention: methods return new videos and never write into
 * {@link #data()} of an existing one.
 */
public final class Video implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final int CHANNELS = 3;
    public static final double DEFAULT_FPS = 25.0;

    private final float[] data;
    private final int frames;
    private final int height;
    private final int width;
    private final double fps;

    public Video(float[] data, int frames, int height, int width, double fps) {
        if (frames < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad video shape " + frames + "x" + height + "x" + width);
        }
        if ((long) frames * CHANNELS * height * width != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " does not match shape "
                    + frames + "x3x" + height + "x" + width);
        }
        this.data = data;
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.fps = fps > 0 ? fps : DEFAULT_FPS;
    }

    public int frames() {
        return frames;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public double fps() {
        return fps;
    }

    /** The backing array in (T, C, H, W) layout, values in [0, 1]. Do not modify. */
    public float[] data() {
        return data;
    }

    public int frameSize() {
        return CHANNELS * height * width;
    }

    public Video withFps(double newFps) {
        return new Video(data, frames, height, width, newFps);
    }

    /** Frames {@code [from, to)}. */
    public Video slice(int from, int to) {
        if (from < 0 || to > frames || from > to) {
            throw new IndexOutOfBoundsException("frames [" + from + ", " + to + ") of " + frames);
        }
        int fs = frameSize();
        return new Video(Arrays.copyOfRange(data, from * fs, to * fs), to - from, height, width, fps);
    }

    /** Frame {@code t} as a one-frame video. */
    public Video frame(int t) {
        return slice(t, t + 1);
    }

    /** Every {@code step}-th frame starting at {@code start}, at most {@code count} (or all if count <= 0). */
    public Video strided(int start, int step, int count) {
        if (step < 1) throw new IllegalArgumentException("stride must be >= 1, got " + step);
        int available = start >= frames ? 0 : (frames - start + step - 1) / step;
        int n = count > 0 ? Math.min(count, available) : available;
        int fs = frameSize();
        float[] out = new float[n * fs];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, (start + i * step) * fs, out, i * fs, fs);
        }
        return new Video(out, n, height, width, fps / step);
    }

    /** Concatenates videos of one size along time. */
    public static Video concat(List<Video> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        Video first = parts.get(0);
        int total = 0;
        for (Video v : parts) {
            if (v.height != first.height || v.width != first.width) {
                throw new IllegalArgumentException("frame sizes differ: " + v.height + "x" + v.width
                        + " vs " + first.height + "x" + first.width);
            }
            total += v.frames;
        }
        float[] out = new float[total * first.frameSize()];
        int pos = 0;
        for (Video v : parts) {
            System.arraycopy(v.data, 0, out, pos, v.data.length);
            pos += v.data.length;
        }
        return new Video(out, total, first.height, first.width, first.fps);
    }

    /** A video of one frame. */
    public static Video ofImage(BufferedImage image) {
        return Frames.fromImages(List.of(image), DEFAULT_FPS);
    }

    /** Frame {@code t} as an 8-bit RGB image. */
    public BufferedImage toImage(int t) {
        return Frames.toImage(this, t);
    }

    /**
     * This video as a {@code (T, C, H, W)} float32 array in the network's range [-1, 1], owned by
     * {@code manager}. Stack several with {@code NDArrays.stack} for a {@code (B, T, C, H, W)} batch.
     */
    public NDArray toNDArray(NDManager manager) {
        NDArray a = manager.create(FloatBuffer.wrap(data), new Shape(frames, CHANNELS, height, width));
        return a.mul(2f).sub(1f);
    }

    /**
     * A video from a {@code (T, C, H, W)} or {@code (1, T, C, H, W)} array in [-1, 1]; values are
     * clipped to the valid range.
     */
    public static Video fromNDArray(NDArray array, double fps) {
        Shape s = array.getShape();
        if (s.dimension() == 5 && s.get(0) == 1) {
            s = s.slice(1);
        }
        if (s.dimension() != 4 || s.get(1) != CHANNELS) {
            throw new IllegalArgumentException("expected (T, 3, H, W), got " + array.getShape());
        }
        NDArray unit = array.toType(DataType.FLOAT32, false).add(1f).div(2f).clip(0f, 1f);
        float[] values = unit.toFloatArray();
        unit.close();
        return new Video(values, (int) s.get(0), (int) s.get(2), (int) s.get(3), fps);
    }

    @Override
    public String toString() {
        return "Video[" + frames + " x " + height + "x" + width + " @ " + fps + " fps]";
    }
}
