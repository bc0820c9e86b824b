package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

public final class NanDebug {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            ts.step(v, vy, 0, args[0].equals("g"), args[0].equals("d"));
            for (Map.Entry<String, NDArray> e : model.allParameters().entrySet()) {
                float s = e.getValue().abs().sum().getFloat();
                if (!Float.isFinite(s)) System.out.println("NaN in " + e.getKey());
            }
            for (Map.Entry<String, NDArray> e : ts.generatorOptimizer().state().entrySet()) {
                float s = e.getValue().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).abs().sum().getFloat();
                if (!Float.isFinite(s)) System.out.println("NaN in state " + e.getKey());
            }
        }
    }
}
