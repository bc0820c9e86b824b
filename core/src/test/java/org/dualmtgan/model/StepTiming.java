package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.Map;

/**
 * Not a test: measures seconds per training step and prints parameter counts.
 * Usage: StepTiming BATCH WIDTH SIZE FRAMES STEPS
 */
public final class StepTiming {
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        ModelConfig cfg = new ModelConfig();
        cfg.width = Integer.parseInt(args[1]);
        cfg.size = Integer.parseInt(args[2]);
        cfg.frames = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        cfg.warmupSteps = 0;
        cfg.rampSteps = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            System.out.println("parameters " + model.parameterCounts());
            TrainingStep ts = new TrainingStep(model, 1);
            NDArray v = TinyModels.movingSquares(m, 1, batch, cfg.frames, cfg.size);
            NDArray vy = TinyModels.movingSquares(m, 2, batch, cfg.frames, cfg.size);
            double[] secs = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                Map<String, Float> l = ts.step(v, vy, i);
                secs[i] = (System.nanoTime() - t0) / 1e9;
                System.out.printf("step %d: %.2f s  L_rec %.4f  G %.4f  D %.4f  heap %d MB%n", i, secs[i], l.get("L_rec"),
                        l.get("G_total"), l.get("D_total"),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            }
            double[] after = Arrays.copyOfRange(secs, 1, steps);
            Arrays.sort(after);
            System.out.printf("median after warm-up: %.2f s per step (batch %d, width %d, %dx%d, T=%d)%n",
                    after[after.length / 2], batch, cfg.width, cfg.size, cfg.size, cfg.frames);
        }
    }
}
