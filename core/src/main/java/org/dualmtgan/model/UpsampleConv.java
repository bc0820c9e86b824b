package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour 2x upsampling then a 3x3 convolution (padding 1): the replacement for the
 * transposed convolution the engine lacks. The upsampling is the engine's native interpolate on
 * NCHW (one op, differentiable), see DJL-NOTES.
 */
public final class UpsampleConv extends ModelBlock {
    private static final int NEAREST = 0;
    private final Conv conv;

    public UpsampleConv(int in, int out) {
        conv = addChildBlock("conv", Conv.conv2d(in, out, 3, 1, 1, false));
    }

    /** Nearest 2x upsampling of (N, C, H, W). */
    static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        return JniUtils.interpolate((PtNDArray) x, new long[] {s.get(2) * 2, s.get(3) * 2}, NEAREST, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(conv.forward(upsample2x(inputs.singletonOrThrow()), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return conv.getOutputShapes(new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2)});
    }
}
