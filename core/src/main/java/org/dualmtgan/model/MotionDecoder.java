package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * R, the motion decoder: a latent z (B, motionDim) -> per-frame motion codes m^1..m^T
 * (B, T, motionCodeDim). An LSTM whose initial state is tanh(dense(z)) and whose input at every
 * step is z, unrolled for any number of frames.
 */
public final class MotionDecoder extends ModelBlock {
    /** Key of the number of frames in the forward's PairList parameters. */
    public static final String FRAMES = "frames";
    private final int defaultFrames;
    private final int motionCodeDim;
    private final int hidden;
    private final Dense initial;
    private final LstmCell lstm;
    private final Dense output;

    private MotionDecoder(Builder b) {
        this.defaultFrames = b.frames;
        this.motionCodeDim = b.motionCodeDim;
        this.hidden = b.hidden;
        initial = addChildBlock("initial", new Dense(b.motionDim, b.hidden));
        lstm = addChildBlock("lstm", new LstmCell(b.motionDim, b.hidden));
        output = addChildBlock("output", new Dense(b.hidden, b.motionCodeDim));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** m for {@code frames} steps. */
    public NDArray decode(NDArray z, int frames, boolean training) {
        PairList<String, Object> p = new PairList<>();
        p.add(FRAMES, frames);
        return forward(new ParameterStore(), new NDList(z), training, p).singletonOrThrow();
    }

    /**
     * m with one latent per step: {@code zSteps} is (B, T, motionDim); the initial state comes from
     * {@code zSteps[:, 0]} and step t reads {@code zSteps[:, t]}, so a constant sequence gives
     * {@code decode(z, T)}. Switching the latent mid-sequence continues R from the state reached
     * (few-frame conditioning: the prefix's posterior for the first k steps, a prior draw after).
     */
    public NDArray decodeSteps(NDArray zSteps, boolean training) {
        return forward(new ParameterStore(), new NDList(zSteps), training, null).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        // A (B, T, motionDim) input gives one latent per step (decodeSteps); (B, motionDim) one for all.
        boolean perStep = z.getShape().dimension() == 3;
        int frames = perStep ? (int) z.getShape().get(1) : defaultFrames;
        if (!perStep && params != null && params.contains(FRAMES)) frames = (Integer) params.get(FRAMES);
        NDArray h = initial.forward(perStep ? z.get(":, 0") : z, training).tanh();
        NDArray c = h.zerosLike();
        NDList codes = new NDList(frames);
        for (int t = 0; t < frames; t++) {
            NDList hc = lstm.forward(training, perStep ? z.get(":, " + t) : z, h, c);
            h = hc.get(0);
            c = hc.get(1);
            codes.add(output.forward(h, training));
        }
        return new NDList(NDArrays.stack(codes, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long frames = inputShapes[0].dimension() == 3 ? inputShapes[0].get(1) : defaultFrames;
        return new Shape[] {new Shape(inputShapes[0].get(0), frames, motionCodeDim)};
    }

    /** Builder: length of z, of m^t, LSTM state width, default number of frames. */
    public static final class Builder {
        private int motionDim = 32;
        private int motionCodeDim = 64;
        private int hidden = 128;
        private int frames = 16;

        public Builder setMotionDim(int v) {
            motionDim = v;
            return this;
        }

        public Builder setMotionCodeDim(int v) {
            motionCodeDim = v;
            return this;
        }

        public Builder setHidden(int v) {
            hidden = v;
            return this;
        }

        public Builder setFrames(int v) {
            frames = v;
            return this;
        }

        /** LSTM state width = 2 * motionCodeDim. */
        public Builder optConfig(ModelConfig cfg) {
            return setMotionDim(cfg.motionDim).setMotionCodeDim(cfg.motionCodeDim).setHidden(2 * cfg.motionCodeDim).setFrames(cfg.frames);
        }

        public MotionDecoder build() {
            return new MotionDecoder(this);
        }
    }
}
