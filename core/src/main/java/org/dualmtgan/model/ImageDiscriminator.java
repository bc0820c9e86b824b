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
 * D_I, the conditional image discriminator: a pair (conditioning image, frame) stacked as 6
 * channels (N, 6, S, S) -> patch logits (N, 1, 8, 8). 4x4 stride-2 convolutions with leaky ReLU
 * down to 8 px, then a 3x3 convolution to one channel; spectral norm optional. No normalisation
 * layer, so that every pair is judged on its own.
 */
public final class ImageDiscriminator extends ModelBlock {
    private final List<Conv> convs = new ArrayList<>();
    private final Conv logits;

    private ImageDiscriminator(Builder b) {
        int depth = Integer.numberOfTrailingZeros(b.size) - 3;
        int in = 6;
        for (int i = 0; i < depth; i++) {
            int out = DownStack.levelChannels(b.width, i);
            convs.add(addChildBlock("conv" + (i + 1), Conv.conv2d(in, out, 4, 2, 1, b.spectralNorm)));
            in = out;
        }
        logits = addChildBlock("logits", Conv.conv2d(in, 1, 3, 1, 1, b.spectralNorm));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Logits for pairs (condition, frame), each (N, 3, S, S). */
    public NDArray score(NDArray condition, NDArray frame, boolean training) {
        return forward(condition.concat(frame, 1), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Conv c : convs) x = Activation.leakyRelu(c.forward(x, training), DownStack.SLOPE);
        return new NDList(logits.forward(x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = s.get(2) >> convs.size();
        long w = s.get(3) >> convs.size();
        return new Shape[] {new Shape(s.get(0), 1, h, w)};
    }

    /** Builder: frame size, base width, spectral norm. */
    public static final class Builder {
        private int size = 64;
        private int width = 32;
        private boolean spectralNorm;

        public Builder setSize(int v) {
            size = v;
            return this;
        }

        public Builder setWidth(int v) {
            width = v;
            return this;
        }

        public Builder optSpectralNorm(boolean v) {
            spectralNorm = v;
            return this;
        }

        public Builder optConfig(ModelConfig cfg) {
            return setSize(cfg.size).setWidth(cfg.width).optSpectralNorm(cfg.spectralNorm);
        }

        public ImageDiscriminator build() {
            return new ImageDiscriminator(this);
        }
    }
}
