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
 * D_V, the video discriminator: a clip (B, T, 3, S, S) -> logits (B, 1, T', 8, 8). 3D
 * convolutions on (B, 3, T, S, S): kernel 4 and stride 2 in space down to 8 px; in time stride 2
 * (kernel 4) while at least 4 frames remain, then stride 1 (kernel 3); a 3x3x3 convolution to one
 * channel at the end. Leaky ReLU, spectral norm optional. Built for the config's T.
 */
public final class VideoDiscriminator extends ModelBlock {
    private final List<Conv> convs = new ArrayList<>();
    private final Conv logits;

    private VideoDiscriminator(Builder b) {
        int depth = Integer.numberOfTrailingZeros(b.size) - 3;
        int in = 3;
        long t = b.frames;
        for (int i = 0; i < depth; i++) {
            int out = DownStack.levelChannels(b.width, i);
            long st = t >= 4 ? 2 : 1;
            long kt = st == 2 ? 4 : 3;
            convs.add(addChildBlock("conv" + (i + 1), new Conv(in, out, new long[] {kt, 4, 4},
                    new long[] {st, 2, 2}, new long[] {1, 1, 1}, b.spectralNorm)));
            t = convOut(t, kt, st, 1);
            in = out;
        }
        logits = addChildBlock("logits", new Conv(in, 1, new long[] {3, 3, 3}, new long[] {1, 1, 1},
                new long[] {1, 1, 1}, b.spectralNorm));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow().transpose(0, 2, 1, 3, 4);
        for (Conv c : convs) x = Activation.leakyRelu(c.forward(x, training), DownStack.SLOPE);
        return new NDList(logits.forward(x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape x = new Shape(s.get(0), 3, s.get(1), s.get(3), s.get(4));
        for (Conv c : convs) x = c.getOutputShapes(new Shape[] {x})[0];
        return logits.getOutputShapes(new Shape[] {x});
    }

    /** Builder: frame size, clip length T, base width, spectral norm. */
    public static final class Builder {
        private int size = 64;
        private int frames = 16;
        private int width = 32;
        private boolean spectralNorm;

        public Builder setSize(int v) {
            size = v;
            return this;
        }

        public Builder setFrames(int v) {
            frames = v;
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
            return setSize(cfg.size).setFrames(cfg.frames).setWidth(cfg.width).optSpectralNorm(cfg.spectralNorm);
        }

        public VideoDiscriminator build() {
            return new VideoDiscriminator(this);
        }
    }
}
