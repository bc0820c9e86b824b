package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/** Not a test: forward+backward time of each network alone. Usage: StepProfile BATCH WIDTH SIZE FRAMES */
public final class StepProfile {
    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]);
        ModelConfig cfg = new ModelConfig();
        cfg.width = Integer.parseInt(args[1]);
        cfg.size = Integer.parseInt(args[2]);
        cfg.frames = Integer.parseInt(args[3]);
        int t = cfg.frames;
        int s = cfg.size;
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            NDArray v = TinyModels.random(m, 1, b, t, 3, s, s);
            NDArray img = TinyModels.random(m, 2, b, 3, s, s);
            NDArray frames = TinyModels.random(m, 3, (long) b * t, 3, s, s);
            NDArray pairs = TinyModels.random(m, 4, (long) b * t, 6, s, s);
            NDArray mcode = TinyModels.random(m, 5, b, t, cfg.motionCodeDim);
            for (int rep = 0; rep < 2; rep++) {
                time("E_C on B*T frames", m, () -> model.contentEncoder().forward(true, frames).get(0));
                time("E_M on B clips", m, () -> model.motionEncoder().forward(true, v).get(0));
                NDList content = model.contentEncoder().forward(false, img);
                time("G on B clips", m, () -> model.generator().generate(img, content, mcode, true));
                time("D_I on B*T pairs", m, () -> model.imageDiscriminator().forward(pairs, true));
                time("D_V on B clips", m, () -> model.videoDiscriminator().forward(v, true));
            }
        }
    }

    interface Body {
        NDArray run();
    }

    static void time(String what, NDManager m, Body body) {
        try (NDManager scope = m.newSubManager()) {
            long t0 = System.nanoTime();
            long t1;
            try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
                NDArray out = body.run();
                out.sum().getFloat();
                t1 = System.nanoTime();
                gc.backward(out.mean());
            }
            long t2 = System.nanoTime();
            System.out.printf("%-22s forward %.3f s  backward %.3f s%n", what, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
