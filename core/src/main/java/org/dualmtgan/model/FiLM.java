package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Feature-wise modulation by a code: inputs (x (N, C, H, W), code (N, D)); a dense layer maps the
 * code to (gamma, beta) per channel and the output is x' * (1 + gamma) + beta. With
 * {@code normalize} x' is x instance-normalised (AdaIN); without it x' = x (FiLM).
 * The "1 +" keeps the layer near the identity at initialisation.
 */
public final class FiLM extends ModelBlock {
    private final int channels;
    private final boolean normalize;
    private final Dense affine;

    public FiLM(int channels, int codeDim, boolean normalize) {
        this.channels = channels;
        this.normalize = normalize;
        affine = addChildBlock("affine", new Dense(codeDim, 2 * channels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray code = inputs.get(1);
        NDArray gb = affine.forward(code, training);
        long n = x.getShape().get(0);
        NDArray gamma = gb.get(":, :" + channels).reshape(n, channels, 1, 1);
        NDArray beta = gb.get(":, " + channels + ":").reshape(n, channels, 1, 1);
        NDArray xn = normalize ? InstanceNorm.normalize(x) : x;
        return new NDList(xn.mul(gamma.add(1f)).add(beta));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
