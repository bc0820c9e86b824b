package org.dualmtgan.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Fully connected layer y = x W^T + b on (N, in) arrays. */
public final class Dense extends ModelBlock {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int in, int out) {
        this.in = in;
        this.out = out;
        weight = newParameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), true);
        bias = newParameter("bias", Parameter.Type.BIAS, new Shape(out), true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return Linear.linear(inputs.singletonOrThrow(), weight.getArray(), bias.getArray());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    public int inputSize() {
        return in;
    }
}
