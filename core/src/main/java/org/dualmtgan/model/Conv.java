package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2D (N, C, H, W) or 3D (N, C, T, H, W) convolution with bias, optionally spectrally normalised.
 * The number of kernel dimensions (2 or 3) picks the kind.
 */
public final class Conv extends ModelBlock {
    private final int in;
    private final int out;
    private final long[] kernel;
    private final long[] stride;
    private final long[] pad;
    private final Parameter weight;
    private final Parameter bias;
    private final SpectralNorm spectralNorm;

    public Conv(int in, int out, long[] kernel, long[] stride, long[] pad, boolean spectralNorm) {
        if (kernel.length != 2 && kernel.length != 3) throw new IllegalArgumentException("2D or 3D kernels only");
        if (stride.length != kernel.length || pad.length != kernel.length) throw new IllegalArgumentException("rank mismatch");
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.pad = pad.clone();
        long[] wShape = new long[2 + kernel.length];
        wShape[0] = out;
        wShape[1] = in;
        System.arraycopy(kernel, 0, wShape, 2, kernel.length);
        weight = newParameter("weight", Parameter.Type.WEIGHT, new Shape(wShape), true);
        bias = newParameter("bias", Parameter.Type.BIAS, new Shape(out), true);
        this.spectralNorm = spectralNorm ? addChildBlock("sn", new SpectralNorm(out)) : null;
    }

    /** A square 2D convolution. */
    public static Conv conv2d(int in, int out, int kernel, int stride, int pad, boolean spectralNorm) {
        return new Conv(in, out, new long[] {kernel, kernel}, new long[] {stride, stride}, new long[] {pad, pad}, spectralNorm);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = weight.getArray();
        if (spectralNorm != null) w = spectralNorm.forward(w, training);
        Shape k = new Shape(stride);
        Shape p = new Shape(pad);
        if (kernel.length == 2) {
            return Conv2d.conv2d(x, w, bias.getArray(), k, p, new Shape(1, 1), 1);
        }
        return Conv3d.conv3d(x, w, bias.getArray(), k, p, new Shape(1, 1, 1), 1);
    }

    /**
     * The outputs of several 2D convolutions of the same input (same in-channels, kernel, stride
     * and padding), one after the other along the channels, from one convolution with their kernels
     * stacked: the same function as calling each, in one pass. Measured at 64 px, 16 channels in and
     * 384 frames (G's output heads in a step): 3 + 3 output channels take 1.13 s forward and
     * backward as two convolutions, 0.62 s as one (most of it the gradient to the input, computed
     * once instead of per head).
     */
    static NDArray forwardJoint(NDArray x, boolean training, Conv... convs) {
        Conv first = convs[0];
        NDList weights = new NDList();
        NDList biases = new NDList();
        for (Conv c : convs) {
            if (c.kernel.length != 2 || c.in != first.in || !java.util.Arrays.equals(c.kernel, first.kernel)
                    || !java.util.Arrays.equals(c.stride, first.stride) || !java.util.Arrays.equals(c.pad, first.pad)) {
                throw new IllegalArgumentException("joint convolutions need the same input, kernel, stride and padding");
            }
            NDArray w = c.weight.getArray();
            if (c.spectralNorm != null) w = c.spectralNorm.forward(w, training);
            weights.add(w);
            biases.add(c.bias.getArray());
        }
        NDArray w = ai.djl.ndarray.NDArrays.concat(weights, 0);
        NDArray b = ai.djl.ndarray.NDArrays.concat(biases, 0);
        return Conv2d.conv2d(x, w, b, new Shape(first.stride), new Shape(first.pad), new Shape(1, 1), 1).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] o = new long[2 + kernel.length];
        o[0] = s.get(0);
        o[1] = out;
        for (int i = 0; i < kernel.length; i++) o[2 + i] = convOut(s.get(2 + i), kernel[i], stride[i], pad[i]);
        return new Shape[] {new Shape(o)};
    }

    public int inputChannels() {
        return in;
    }

    public int outputChannels() {
        return out;
    }
}
