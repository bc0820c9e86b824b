package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

public final class NanDebug5 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv conv8 = Conv.conv2d(8, 8, 3, 1, 1, false);
            conv8.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(2, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            NDArray w = TinyModels.random(m, 5, 2, 8, 16, 16);
            for (int i = 0; i < 40; i++) {
                check(m, "mean", x -> conv8.forward(x, true).mean());
                check(m, "weighted sum", x -> conv8.forward(x, true).mul(w).sum());
                check(m, "mean of contiguous copy", x -> conv8.forward(x, true).mul(w).mean());
                check(m, "slice sum", x -> conv8.forward(x, true).get(":, :4").mul(w.get(":, :4")).sum());
                check(m, "leaky mean", x -> ai.djl.nn.Activation.leakyRelu(conv8.forward(x, true), 0.2f).mean());
            }
        }
    }

    static void check(NDManager m, String name, Function<NDArray, NDArray> f) {
        NDArray x = TinyModels.random(m, 1, 2, 8, 16, 16);
        x.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        System.out.println(name + " grad sum " + x.getGradient().abs().sum().getFloat());
    }
}
