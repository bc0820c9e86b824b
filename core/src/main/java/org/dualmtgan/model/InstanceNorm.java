package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalisation (Ulyanov et al.): each sample and channel normalised over its spatial
 * axes with the biased variance, then an optional per-channel affine map gamma * x + beta.
 * Input (N, C, spatial...). No running statistics: training and inference behave the same.
 */
public final class InstanceNorm extends ModelBlock {
    static final float EPS = 1e-5f;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public InstanceNorm(int channels, boolean affine) {
        this.channels = channels;
        if (affine) {
            gamma = newParameter("gamma", Parameter.Type.GAMMA, new Shape(channels), true);
            beta = newParameter("beta", Parameter.Type.BETA, new Shape(channels), true);
        } else {
            gamma = null;
            beta = null;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = normalize(x);
        if (gamma != null) {
            Shape bc = broadcastShape(x.getShape());
            y = y.mul(gamma.getArray().reshape(bc)).add(beta.getArray().reshape(bc));
        }
        return new NDList(y);
    }

    /** (x - mean) / sqrt(var + eps) over the spatial axes of each sample and channel. */
    static NDArray normalize(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long spatial = s.size() / (n * c);
        // One fused pass: layer norm over the last axis of (N, C, H*W) is instance norm.
        NDManager m = x.getManager();
        NDArray ones = m.ones(new Shape(spatial));
        NDArray zeros = m.zeros(new Shape(spatial));
        return JniUtils.layerNorm((PtNDArray) x.reshape(n, c, spatial), new Shape(spatial),
                (PtNDArray) ones, (PtNDArray) zeros, EPS).reshape(s);
    }

    /** (1, C, 1, ...) for an input of this rank. */
    private Shape broadcastShape(Shape input) {
        long[] s = new long[input.dimension()];
        java.util.Arrays.fill(s, 1);
        s[1] = channels;
        return new Shape(s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
