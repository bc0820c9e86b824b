package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;

public final class NanDebug3 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            cfg.decoder = args[1];
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray code = TinyModels.random(m, 3, 2, 8, 8);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray x1 = v.get(":, 0");
                NDList c = model.contentEncoder().forward(true, x1);
                NDArray out = model.generator().generate(x1, c, code, true);
                NDArray loss = switch (args[0]) {
                    case "abs" -> out.sub(v).abs().mean();
                    case "sq" -> out.sub(v).square().mean();
                    default -> out.mean();
                };
                System.out.println("loss " + loss.getFloat());
                gc.backward(loss);
            }
            for (var e : model.allParameters().entrySet()) {
                if (!e.getValue().hasGradient()) continue;
                float s = e.getValue().getGradient().abs().sum().getFloat();
                if (!Float.isFinite(s)) System.out.println("NaN grad " + e.getKey());
            }
        }
    }
}
