package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoders' shared trunk: {@code depth} levels of 4x4 stride-2 convolution, instance norm
 * (from the second level on) and leaky ReLU 0.2, halving the resolution at each level. Returns the
 * output of every level (the skip maps), finest first.
 */
public final class DownStack extends ModelBlock {
    static final float SLOPE = 0.2f;
    private final List<Conv> convs = new ArrayList<>();
    private final List<InstanceNorm> norms = new ArrayList<>();
    private final int[] channels;

    public DownStack(int inputChannels, int width, int depth) {
        channels = new int[depth];
        int in = inputChannels;
        for (int i = 0; i < depth; i++) {
            channels[i] = levelChannels(width, i);
            convs.add(addChildBlock("conv" + (i + 1), Conv.conv2d(in, channels[i], 4, 2, 1, false)));
            norms.add(i == 0 ? null : addChildBlock("norm" + (i + 1), new InstanceNorm(channels[i], true)));
            in = channels[i];
        }
    }

    /** Channels of level {@code i} (0-based): width * 2^i, capped at width * 8. */
    static int levelChannels(int width, int i) {
        return width * Math.min(1 << i, 8);
    }

    public int[] channels() {
        return channels.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList levels = new NDList();
        for (int i = 0; i < convs.size(); i++) {
            x = convs.get(i).forward(x, training);
            if (norms.get(i) != null) x = norms.get(i).forward(x, training);
            x = Activation.leakyRelu(x, SLOPE);
            levels.add(x);
        }
        return levels;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape[] out = new Shape[channels.length];
        long h = s.get(2);
        long w = s.get(3);
        for (int i = 0; i < channels.length; i++) {
            h /= 2;
            w /= 2;
            out[i] = new Shape(s.get(0), channels[i], h, w);
        }
        return out;
    }
}
