package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * E_M, the motion encoder: a clip (B, T, 3, S, S) -> (mu, logvar), each (B, motionDim), the
 * Gaussian posterior q(z_M | V). Each frame is seen as (x^t, g (x^t - x^1)) (6 channels; g is
 * ModelConfig.motionInputGain, 1 by default) by a 2D conv
 * trunk, then an LSTM runs over t and its last state gives the posterior. Works for any T.
 */
public final class MotionEncoder extends ModelBlock {
    /** logvar is clipped to this range so that exp(logvar) stays finite. */
    static final float LOGVAR_LIMIT = 10f;
    private final int motionDim;
    private final int featureDim;
    private final float logvarOffset;
    private final float inputGain;
    private final DownStack trunk;
    private final Dense feature;
    private final LstmCell lstm;
    private final Dense posterior;

    private MotionEncoder(Builder b) {
        this.motionDim = b.motionDim;
        this.featureDim = b.featureDim;
        this.logvarOffset = b.logvarOffset;
        this.inputGain = b.inputGain;
        int depth = Integer.numberOfTrailingZeros(b.size) - 2;
        trunk = addChildBlock("trunk", new DownStack(6, b.width, depth));
        int[] ch = trunk.channels();
        feature = addChildBlock("feature", new Dense(ch[ch.length - 1] * 16, b.featureDim));
        lstm = addChildBlock("lstm", new LstmCell(b.featureDim, b.featureDim));
        posterior = addChildBlock("posterior", new Dense(b.featureDim, 2 * b.motionDim));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray video = inputs.singletonOrThrow();
        Shape s = video.getShape();
        long b = s.get(0);
        long t = s.get(1);
        NDArray first = video.get(":, 0:1");
        NDArray diff = video.sub(first);
        if (inputGain != 1f) diff = Scalars.mul(diff, inputGain);
        NDArray frames = video.concat(diff, 2).reshape(b * t, 6, s.get(3), s.get(4));
        NDList levels = trunk.forward(training, frames);
        NDArray last = levels.get(levels.size() - 1);
        NDArray f = Activation.leakyRelu(feature.forward(last.reshape(b * t, -1), training), DownStack.SLOPE)
                .reshape(b, t, featureDim);
        NDArray h = video.getManager().zeros(new Shape(b, featureDim));
        NDArray c = h;
        for (long i = 0; i < t; i++) {
            NDList hc = lstm.forward(training, f.get(":, " + i), h, c);
            h = hc.get(0);
            c = hc.get(1);
        }
        NDArray q = posterior.forward(h, training);
        NDArray mu = q.get(":, :" + motionDim);
        NDArray lv = q.get(":, " + motionDim + ":");
        NDArray logvar = (logvarOffset == 0 ? lv : lv.add(logvarOffset)).clip(-LOGVAR_LIMIT, LOGVAR_LIMIT);
        return new NDList(mu, logvar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = new Shape(inputShapes[0].get(0), motionDim);
        return new Shape[] {s, s};
    }

    /** Builder: frame size, base width, length of z, width of the per-frame feature and LSTM state. */
    public static final class Builder {
        private int size = 64;
        private int width = 32;
        private int motionDim = 32;
        private int featureDim = 128;
        private float logvarOffset;
        private float inputGain = 1f;

        /** Gain on the difference channels (ModelConfig.motionInputGain). */
        public Builder setInputGain(double v) {
            inputGain = (float) v;
            return this;
        }

        /** Added to the log-variance output (ModelConfig.logvarOffset). */
        public Builder setLogvarOffset(double v) {
            logvarOffset = (float) v;
            return this;
        }

        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public Builder setMotionDim(int motionDim) {
            this.motionDim = motionDim;
            return this;
        }

        public Builder setFeatureDim(int featureDim) {
            this.featureDim = featureDim;
            return this;
        }

        /** Feature width = 2 * motionCodeDim. */
        public Builder optConfig(ModelConfig cfg) {
            return setSize(cfg.size).setWidth(cfg.width).setMotionDim(cfg.motionDim).setFeatureDim(2 * cfg.motionCodeDim)
                    .setLogvarOffset(cfg.logvarOffset).setInputGain(cfg.motionInputGain);
        }

        public MotionEncoder build() {
            return new MotionEncoder(this);
        }
    }
}
