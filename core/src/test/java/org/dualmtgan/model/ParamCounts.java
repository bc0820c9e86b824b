package org.dualmtgan.model;

import ai.djl.ndarray.NDManager;

/** Not a test: prints parameter counts per network. Usage: ParamCounts WIDTH SIZE FRAMES */
public final class ParamCounts {
    public static void main(String[] args) {
        ModelConfig cfg = new ModelConfig();
        cfg.width = Integer.parseInt(args[0]);
        cfg.size = Integer.parseInt(args[1]);
        cfg.frames = Integer.parseInt(args[2]);
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            System.out.println("width " + cfg.width + " size " + cfg.size + " T " + cfg.frames + ": " + model.parameterCounts());
        }
    }
}
