package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingStepTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void stepReturnsEveryTermFinite() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            TrainingStep ts = new TrainingStep(model, 7);
            NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 8, 32);
            long t0 = System.nanoTime();
            Map<String, Float> losses = ts.step(v, vy, 0);
            System.out.println("step: " + (System.nanoTime() - t0) / 1e6 + " ms " + losses);
            for (String name : TrainingStep.TERMS) {
                assertTrue(losses.containsKey(name), name);
                assertTrue(Float.isFinite(losses.get(name)), name);
                assertTrue(losses.get(name) > 0, name + " should be computed and positive: " + losses.get(name));
            }
            assertEquals(1f, losses.get(Losses.ADV_WEIGHT));
            assertEquals(1, ts.generatorOptimizer().stepCount());
            assertEquals(1, ts.discriminatorOptimizer().stepCount());
        }
    }
}
