package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/** Not a test: timing of single ops at the generator's 64 px level. */
public final class OpProfile {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = TinyModels.random(m, 1, 32, 32, 64, 64);
            NDArray small = TinyModels.random(m, 2, 32, 32, 32, 32);
            Conv conv = Conv.conv2d(32, 32, 3, 1, 1, false);
            DualMtgan.SeededInitializer init = new DualMtgan.SeededInitializer(1, ai.djl.nn.Parameter.Type.WEIGHT);
            conv.getParameters().values().forEach(p -> { p.setInitializer(init); p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32); });
            for (int rep = 0; rep < 3; rep++) {
                time("conv3x3 32->32 @64", () -> conv.forward(x, false));
                time("upsample nearest", () -> UpsampleConv.upsample2x(small));
                time("instance normalize", () -> InstanceNorm.normalize(x));
                time("leaky relu", () -> Activation.leakyRelu(x, 0.2f));
                time("mul add", () -> x.mul(x).add(x));
                time("perFrame broadcast", () -> Generator.perFrame(small.get("0:2"), 16));
            }
        }
    }

    interface Body {
        NDArray run();
    }

    static void time(String what, Body body) {
        long t0 = System.nanoTime();
        NDArray r = null;
        for (int i = 0; i < 5; i++) {
            if (r != null) r.close();
            r = body.run();
        }
        r.sum().getFloat();
        System.out.printf("%-22s %.1f ms%n", what, (System.nanoTime() - t0) / 5e6);
    }
}
