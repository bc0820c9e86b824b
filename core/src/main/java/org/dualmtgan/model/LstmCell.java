package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One LSTM step, unrolled by the caller for any number of steps. Inputs (x (N, I), h (N, H),
 * c (N, H)); outputs (h', c'). Gates in the order input, forget, cell, output (as PyTorch).
 */
public final class LstmCell extends ModelBlock {
    private final int inputSize;
    private final int hidden;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter bias;

    public LstmCell(int inputSize, int hidden) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        weightIh = newParameter("weight_ih", Parameter.Type.WEIGHT, new Shape(4L * hidden, inputSize), true);
        weightHh = newParameter("weight_hh", Parameter.Type.WEIGHT, new Shape(4L * hidden, hidden), true);
        bias = newParameter("bias", Parameter.Type.BIAS, new Shape(4L * hidden), true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = inputs.get(1);
        NDArray c = inputs.get(2);
        NDArray gates = Linear.linear(x, weightIh.getArray(), bias.getArray()).singletonOrThrow()
                .add(Linear.linear(h, weightHh.getArray()).singletonOrThrow());
        NDList g = gates.split(4, 1);
        NDArray i = Activation.sigmoid(g.get(0));
        NDArray f = Activation.sigmoid(g.get(1));
        NDArray cell = g.get(2).tanh();
        NDArray o = Activation.sigmoid(g.get(3));
        NDArray cNext = f.mul(c).add(i.mul(cell));
        NDArray hNext = o.mul(cNext.tanh());
        return new NDList(hNext, cNext);
    }

    public int hidden() {
        return hidden;
    }

    public int inputSize() {
        return inputSize;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = new Shape(inputShapes[0].get(0), hidden);
        return new Shape[] {s, s};
    }
}
