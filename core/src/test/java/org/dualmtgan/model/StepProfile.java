package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

public final class StepProfile {
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        ModelConfig cfg = new ModelConfig();
        cfg.width = Integer.parseInt(args[1]);
        cfg.size = Integer.parseInt(args[2]);
        cfg.frames = Integer.parseInt(args[3]);
        cfg.warmupSteps = 0; cfg.rampSteps = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 1);
            NDArray v = TinyModels.movingSquares(m, 1, batch, cfg.frames, cfg.size);
            NDArray vy = TinyModels.movingSquares(m, 2, batch, cfg.frames, cfg.size);
            ts.step(v, vy, 0);
            JniUtils.startProfile(false, true, false);
            long t0 = System.nanoTime();
            ts.step(v, vy, 1);
            System.out.printf("step %.2f s%n", (System.nanoTime() - t0) / 1e9);
            JniUtils.stopProfile(args[4]);
        }
    }
}
