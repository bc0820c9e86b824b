package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

public final class GradCheck {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            System.out.println("mkldnn disabled " + CpuIsaGuard.mkldnnDisabled());
            check(m, "D_I", x -> Losses.real(model.imageDiscriminator().forward(x, false)), 6, 6, 32, 32);
            check(m, "E_C", x -> model.contentEncoder().forward(false, x).get(0).square().mean(), 4, 3, 32, 32);
            check(m, "D_V", x -> Losses.real(model.videoDiscriminator().forward(x, false)), 2, 8, 3, 32, 32);
        }
    }

    static void check(NDManager m, String name, Function<NDArray, NDArray> f, long... shape) {
        NDArray x = TinyModels.random(m, 1, shape);
        NDArray d = TinyModels.random(m, 2, shape);
        x.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        double analytic = x.getGradient().mul(d).sum().getFloat();
        double h = 1e-2;
        NDArray xp = x.stopGradient().add(d.mul((float) h));
        NDArray xm = x.stopGradient().sub(d.mul((float) h));
        double numeric = (f.apply(xp).getFloat() - f.apply(xm).getFloat()) / (2 * h);
        System.out.printf("%s directional derivative: analytic %.6g numeric %.6g%n", name, analytic, numeric);
    }
}
