package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

public final class NanDebug4 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv conv = Conv.conv2d(16, 8, 3, 1, 1, false);
            conv.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(1, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            NDArray s = TinyModels.random(m, 9, 2, 8, 16, 16);
            Conv conv8 = Conv.conv2d(8, 8, 3, 1, 1, false);
            conv8.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(2, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            for (int i = 0; i < 3; i++) {
                check(m, "conv8 leaf", x -> conv8.forward(x, true));
                check(m, "conv8 mul1", x -> conv8.forward(x.mul(1f), true));
                check(m, "conv16 concat", x -> conv.forward(x.concat(s, 1), true));
                check(m, "conv16 concat mul", x -> conv.forward(x.mul(1f).concat(s, 1), true));
            }
            check(m, "leaky", x -> Activation.leakyRelu(x, 0.2f));
            check(m, "concat", x -> x.concat(s, 1));
            check(m, "conv", x -> conv.forward(x.concat(s, 1), true));
            check(m, "upsample", x -> UpsampleConv.upsample2x(x));
            check(m, "norm", x -> InstanceNorm.normalize(x));
            check(m, "perFrame", x -> Generator.perFrame(x, 3));
            check(m, "leaky-then-conv", x -> conv.forward(Activation.leakyRelu(x, 0.2f).concat(s, 1), true));
        }
    }

    static void check(NDManager m, String name, Function<NDArray, NDArray> f) {
        NDArray x = TinyModels.random(m, 1, 2, 8, 16, 16);
        x.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x).mean());
        }
        System.out.println(name + " grad sum " + x.getGradient().abs().sum().getFloat());
    }
}
