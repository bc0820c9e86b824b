package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * E_C, the content encoder: a frame (N, 3, S, S) -> (c, skip_1 .. skip_L), the content vector
 * c (N, contentDim) followed by the skip maps at S/2, S/4, .., 4 px (finest first).
 * c is a dense map of the coarsest (4 px) level; L_C compares it between frames.
 */
public final class ContentEncoder extends ModelBlock {
    private final int size;
    private final int contentDim;
    private final DownStack trunk;
    private final Dense content;
    private final int lastChannels;

    private ContentEncoder(Builder b) {
        this.size = b.size;
        this.contentDim = b.contentDim;
        int depth = Integer.numberOfTrailingZeros(b.size) - 2;
        trunk = addChildBlock("trunk", new DownStack(3, b.width, depth));
        int[] ch = trunk.channels();
        lastChannels = ch[ch.length - 1];
        content = addChildBlock("content", new Dense(lastChannels * 16, b.contentDim));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Channels of each skip map, finest first. */
    public int[] skipChannels() {
        return trunk.channels();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList skips = trunk.forward(training, x);
        NDArray last = skips.get(skips.size() - 1);
        NDArray c = content.forward(last.reshape(last.getShape().get(0), -1), training);
        NDList out = new NDList(c);
        out.addAll(skips);
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] skips = trunk.getOutputShapes(inputShapes);
        Shape[] out = new Shape[skips.length + 1];
        out[0] = new Shape(inputShapes[0].get(0), contentDim);
        System.arraycopy(skips, 0, out, 1, skips.length);
        return out;
    }

    public int size() {
        return size;
    }

    /** Builder: frame size (32, 64, 128), base width, length of c. */
    public static final class Builder {
        private int size = 64;
        private int width = 32;
        private int contentDim = 128;

        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public Builder setContentDim(int contentDim) {
            this.contentDim = contentDim;
            return this;
        }

        public Builder optConfig(ModelConfig cfg) {
            return setSize(cfg.size).setWidth(cfg.width).setContentDim(cfg.contentDim);
        }

        public ContentEncoder build() {
            return new ContentEncoder(this);
        }
    }
}
