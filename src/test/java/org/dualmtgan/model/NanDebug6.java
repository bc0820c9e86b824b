package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

public final class NanDebug6 {
    public static void main(String[] args) {
        if (args.length > 1 && args[1].equals("early")) CpuIsaGuard.apply();
        try (NDManager m = NDManager.newBaseManager()) {
            if (args.length > 1 && args[1].equals("late")) CpuIsaGuard.apply();
            NDArray w = TinyModels.random(m, 2, 8, 8, 3, 3).mul(0.1f);
            NDArray b = m.zeros(new Shape(8));
            w.setRequiresGradient(true);
            NDArray x0 = TinyModels.random(m, 1, 2, 8, 16, 16);
            System.out.println("w sum " + w.abs().sum().getFloat() + " x sum " + x0.abs().sum().getFloat());
            float[] wv = w.toFloatArray();
            double total = 0;
            for (int ci = 0; ci < 8; ci++) for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) {
                double g = 0;
                for (int co = 0; co < 8; co++) for (int ki = 0; ki < 3; ki++) for (int kj = 0; kj < 3; kj++) {
                    int oi = i - ki + 1, oj = j - kj + 1;
                    if (oi >= 0 && oi < 16 && oj >= 0 && oj < 16) g += wv[((co * 8 + ci) * 3 + ki) * 3 + kj];
                }
                total += Math.abs(g / (2 * 8 * 16 * 16));
            }
            System.out.println("expected xgrad " + total * 2);
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                NDArray x = x0.duplicate();
                x.setRequiresGradient(true);
                float fwd;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
                    fwd = y.abs().sum().getFloat();
                    gc.backward(y.mean());
                }
                System.out.println("fwd " + fwd + " xgrad " + x.getGradient().abs().sum().getFloat() + " wgrad " + w.getGradient().abs().sum().getFloat());
                Adam.zeroGradient(w);
            }
        }
    }
}
