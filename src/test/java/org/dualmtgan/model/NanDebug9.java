package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

public final class NanDebug9 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            ImageDiscriminator d = model.imageDiscriminator();
            Conv c1 = Conv.conv2d(6, 8, 4, 2, 1, false);
            c1.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(4, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            for (int i = 0; i < 12; i++) {
                check(m, "D_I real", x -> Losses.real(d.forward(x, true)), 6, 6, 32, 32);
                check(m, "D_I mean", x -> d.forward(x, true).mean(), 6, 6, 32, 32);
                check(m, "conv softplus", x -> Losses.real(c1.forward(x, true)), 6, 6, 32, 32);
                check(m, "softplus", x -> Losses.real(x), 6, 6, 32, 32);
            }
        }
    }

    static void check(NDManager m, String name, Function<NDArray, NDArray> f, long... shape) {
        NDArray x = TinyModels.random(m, 1, shape);
        x.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        System.out.println(name + " grad sum " + x.getGradient().abs().sum().getFloat());
    }
}
