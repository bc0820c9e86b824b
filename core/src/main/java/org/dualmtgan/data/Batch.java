package org.dualmtgan.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.media.Video;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * A training batch: source clips {@code V} and, for each, a clip {@code V_y} of another video whose
 * first frame is the target image {@code y} (METHOD.md's shuffled pairing). Held as Java arrays;
 * converted to engine arrays on request, so a batch can be prepared on any thread.
 *
 * @param step       the training step this batch was drawn for
 * @param sourceIds  dataset ids of the source clips
 * @param targetIds  dataset ids of the paired clips
 */
public record Batch(long step, List<Video> sourceVideos, List<Video> targetVideos,
                    List<String> sourceIds, List<String> targetIds) implements AutoCloseable {

    public int size() {
        return sourceVideos.size();
    }

    public int frames() {
        return sourceVideos.get(0).frames();
    }

    /** Source clips {@code V}, shape (B, T, 3, H, W), values in [-1, 1]. */
    public NDArray source(NDManager manager) {
        return stack(sourceVideos, manager);
    }

    /** Paired clips {@code V_y}, shape (B, T, 3, H, W), values in [-1, 1]; {@code y} is frame 0. */
    public NDArray targetClip(NDManager manager) {
        return stack(targetVideos, manager);
    }

    /** Clips of one shape as one (B, T, 3, H, W) array in [-1, 1], in one bulk copy. */
    public static NDArray stack(List<Video> videos, NDManager manager) {
        Video first = videos.get(0);
        int per = first.data().length;
        float[] all = new float[videos.size() * per];
        for (int i = 0; i < videos.size(); i++) {
            Video v = videos.get(i);
            if (v.data().length != per) throw new IllegalArgumentException("clips of different shapes in one batch");
            System.arraycopy(v.data(), 0, all, i * per, per);
        }
        NDArray a = manager.create(FloatBuffer.wrap(all),
                new Shape(videos.size(), first.frames(), Video.CHANNELS, first.height(), first.width()));
        return a.mul(2f).sub(1f);
    }

    @Override
    public void close() {
        // Java memory only; nothing native to free. Kept so callers can scope batches uniformly.
    }
}
