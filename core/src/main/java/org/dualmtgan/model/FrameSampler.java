package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.SplittableRandom;

/**
 * S_I, the frame sampler: inputs (clip (B, T, C, H, W), indices (B) int64) -> the chosen frame of
 * each sample (B, C, H, W). Not learned; the indices are drawn in Java ({@link #draw}) so that a
 * step's choice is reproducible from its seed. Differentiable in the clip.
 */
public final class FrameSampler extends ModelBlock {

    /** One frame index per sample, uniform on [0, frames). */
    public static long[] draw(SplittableRandom random, int batch, int frames) {
        long[] idx = new long[batch];
        for (int i = 0; i < batch; i++) idx[i] = random.nextInt(frames);
        return idx;
    }

    /** The frames {@code indices} of {@code clip}. */
    public NDArray sample(NDArray clip, long[] indices) {
        return forward(false, clip, clip.getManager().create(indices)).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray clip = inputs.get(0);
        long[] idx = inputs.get(1).toLongArray();
        // Basic slicing and a stack: its gradient is a plain copy back into the chosen frames.
        NDList frames = new NDList(idx.length);
        for (int b = 0; b < idx.length; b++) frames.add(clip.get(b + ", " + idx[b]));
        return new NDList(NDArrays.stack(frames, 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(2), s.get(3), s.get(4))};
    }
}
