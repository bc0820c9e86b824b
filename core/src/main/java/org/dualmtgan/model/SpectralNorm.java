package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Spectral normalisation (Miyato et al. 2018): W / sigma(W), with sigma estimated by one power
 * iteration per training forward. The left singular vector estimate {@code u} (one entry per
 * output row) is non-trainable state: kept between steps and in checkpoints, skipped by
 * optimizers. Input: the raw weight (rows = dimension 0); output: the normalised weight.
 */
public final class SpectralNorm extends ModelBlock {
    private static final float EPS = 1e-12f;
    private final int rows;
    private final Parameter u;

    public SpectralNorm(int rows) {
        this.rows = rows;
        u = newParameter("u", Parameter.Type.OTHER, new Shape(rows), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray weight = inputs.singletonOrThrow();
        NDArray w = weight.reshape(rows, -1);
        NDArray wFixed = w.stopGradient();
        NDArray uOld = u.getArray().stopGradient();
        // One power iteration on a detached W: v = W^T u / |W^T u|, u = W v / |W v|.
        NDArray v = l2normalize(wFixed.transpose().matMul(uOld.reshape(rows, 1)));
        NDArray uNew = l2normalize(wFixed.matMul(v));
        // sigma = u^T W v, differentiable in W (u and v are constants, as in the paper).
        NDArray sigma = uNew.transpose().matMul(w).matMul(v).reshape(1);
        if (training) {
            // Kept in place so the parameter array (and its name) stays the same object.
            u.getArray().set(uNew.reshape(rows).toFloatArray());
        }
        return new NDList(weight.div(sigma));
    }

    private static NDArray l2normalize(NDArray x) {
        return x.div(x.square().sum().sqrt().add(EPS));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
