package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;

public final class NanDebug2 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            Losses losses = new Losses(model);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                Losses.Terms t = losses.compute(v, vy, Losses.Draws.of(1, 0, 2, 8, 8), 1.0);
                for (var e : t.generator.entrySet()) System.out.println(e.getKey() + " " + e.getValue().getFloat());
                String term = args[0];
                gc.backward(t.generator.get(term));
            }
            NDArray p = model.parameters("E_C").get("E_C.trunk.conv1.weight");
            NDArray g = p.getGradient();
            System.out.println("grad abs sum " + g.abs().sum().getFloat() + " max " + g.abs().max().getFloat());
            Adam adam = new Adam(m, 2e-4, 0.5, 0.999, 1e-8);
            adam.update(Map.of("E_C.trunk.conv1.weight", p));
            System.out.println("param after " + p.abs().sum().getFloat());
            for (var e : adam.state().entrySet()) System.out.println(e.getKey() + " " + e.getValue().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).abs().sum().getFloat());
        }
    }
}
