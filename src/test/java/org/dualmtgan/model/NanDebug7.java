package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

public final class NanDebug7 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageDiscriminator d = ImageDiscriminator.builder().setSize(32).setWidth(8).build();
            d.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(2, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            FrameSampler s = new FrameSampler();
            Conv c = Conv.conv2d(6, 8, 4, 2, 1, false);
            c.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(3, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            Conv c1 = Conv.conv2d(16, 1, 3, 1, 1, false);
            c1.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(4, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            Conv c2 = Conv.conv2d(8, 16, 4, 2, 1, false);
            c2.getParameters().values().forEach(p -> { p.setInitializer(new DualMtgan.SeededInitializer(5, p.getType())); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            for (int i = 0; i < 10; i++) {
                check(m, "b6 conv4x4s2", x -> c.forward(x, true).mean(), 6, 6, 32, 32);
                check(m, "b6 conv4x4s2 8-16", x -> c2.forward(x, true).mean(), 6, 8, 16, 16);
                check(m, "b6 conv3x3 16-1", x -> c1.forward(x, true).mean(), 6, 16, 8, 8);
                check(m, "b6 D_I", x -> d.forward(x, true).mean(), 6, 6, 32, 32);
            }
            for (int i = 0; i < 0; i++) {
                check(m, "sampler", x -> s.sample(x, new long[] {1, 3}).mean(), 2, 8, 3, 32, 32);
                check(m, "conv4x4s2", x -> c.forward(x, true).mean(), 2, 6, 32, 32);
                check(m, "D_I", x -> d.forward(x, true).mean(), 2, 6, 32, 32);
                check(m, "softplus", x -> Losses.real(x), 2, 6, 32, 32);
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
