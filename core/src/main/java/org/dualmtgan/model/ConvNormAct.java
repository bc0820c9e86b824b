package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Convolution, affine instance norm and leaky ReLU 0.2: the unit of the keypoint networks. A 4x4
 * stride-2 kernel halves the resolution ({@link #down}); a 3x3 kernel keeps it ({@link #same});
 * {@link #up} first doubles it by nearest upsampling.
 */
public final class ConvNormAct extends ModelBlock {
    private final boolean upsample;
    private final Conv conv;
    private final InstanceNorm norm;

    private ConvNormAct(int in, int out, int kernel, int stride, int pad, boolean upsample) {
        this.upsample = upsample;
        conv = addChildBlock("conv", Conv.conv2d(in, out, kernel, stride, pad, false));
        norm = addChildBlock("norm", new InstanceNorm(out, true));
    }

    public static ConvNormAct down(int in, int out) {
        return new ConvNormAct(in, out, 4, 2, 1, false);
    }

    public static ConvNormAct same(int in, int out) {
        return new ConvNormAct(in, out, 3, 1, 1, false);
    }

    public static ConvNormAct up(int in, int out) {
        return new ConvNormAct(in, out, 3, 1, 1, true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (upsample) x = UpsampleConv.upsample2x(x);
        return new NDList(Activation.leakyRelu(norm.forward(conv.forward(x, training), training), DownStack.SLOPE));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (upsample) s = new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2);
        return conv.getOutputShapes(new Shape[] {s});
    }
}
