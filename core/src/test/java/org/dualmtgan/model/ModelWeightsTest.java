package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Weights and optimizer state survive a save and load exactly; bad files are bad input. */
class ModelWeightsTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static byte[] save(Map<String, NDArray> arrays, DataType storage) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ModelWeights.save(arrays, out, storage);
        }
        return bytes.toByteArray();
    }

    static Map<String, NDArray> load(byte[] bytes, NDManager m) throws IOException {
        return ModelWeights.load(new DataInputStream(new ByteArrayInputStream(bytes)), m);
    }

    @Test
    void savedWeightsGiveIdenticalOutputs() throws IOException {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        cfg.spectralNorm = true;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan a = DualMtgan.create(cfg, m, 1);
            DualMtgan b = DualMtgan.create(cfg, m, 2);
            NDArray video = TinyModels.movingSquares(m, 1, 2, 8, 32);
            // Train a little so that the spectral-norm state has moved too.
            new TrainingStep(a, 1).step(video, video, 0);
            byte[] file = save(a.allParameters(), DataType.FLOAT32);
            assertTrue(a.reconstruct(video).sub(b.reconstruct(video)).abs().max().getFloat() > 0);
            b.loadParameters(load(file, m));
            assertEquals(0f, a.reconstruct(video).sub(b.reconstruct(video)).abs().max().getFloat());
            for (Map.Entry<String, NDArray> e : a.state().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.state().get(e.getKey()).toFloatArray(), e.getKey());
            }

            byte[] half = save(a.allParameters(), DataType.FLOAT16);
            assertTrue(half.length < 0.6 * file.length, half.length + " vs " + file.length);
            DualMtgan c = DualMtgan.create(cfg, m, 3);
            Map<String, NDArray> loaded = load(half, m);
            assertEquals(DataType.FLOAT32, loaded.get("G.output.weight").getDataType(), "compute stays float32");
            c.loadParameters(loaded);
            float diff = a.reconstruct(video).sub(c.reconstruct(video)).abs().max().getFloat();
            assertTrue(diff < 0.02f, "float16 storage changes outputs by " + diff);
        }
    }

    @Test
    void containerKeepsNamesShapesAndIntegers() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("a.weight", m.create(new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f, 7f}, new ai.djl.ndarray.types.Shape(2, 3)));
            arrays.put("a.step", m.create(42L));
            arrays.put("empty", m.zeros(new ai.djl.ndarray.types.Shape(0, 4)));
            Map<String, NDArray> back = load(save(arrays, DataType.FLOAT32), m);
            assertEquals(java.util.List.copyOf(arrays.keySet()), java.util.List.copyOf(back.keySet()));
            assertArrayEquals(arrays.get("a.weight").toFloatArray(), back.get("a.weight").toFloatArray());
            assertEquals(arrays.get("a.weight").getShape(), back.get("a.weight").getShape());
            assertEquals(42L, back.get("a.step").getLong());
            assertEquals(new ai.djl.ndarray.types.Shape(0, 4), back.get("empty").getShape());
        }
    }

    @Test
    void mismatchedOrDamagedFilesAreBadInput() throws IOException {
        ModelConfig small = TinyModels.tiny(32, 8);
        ModelConfig wide = TinyModels.tiny(32, 8);
        wide.width = 16;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(small, m, 1);
            byte[] wideFile = save(DualMtgan.create(wide, m, 1).allParameters(), DataType.FLOAT32);
            Map<String, float[]> before = new LinkedHashMap<>();
            model.allParameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.loadParameters(load(wideFile, m)));
            assertEquals("checkpoint has E_C.trunk.conv1.weight (16, 3, 4, 4), model expects (8, 3, 4, 4)", e.getMessage());
            model.allParameters().forEach((k, v) -> assertArrayEquals(before.get(k), v.toFloatArray(), "unchanged " + k));

            Map<String, NDArray> missing = new LinkedHashMap<>(model.allParameters());
            missing.remove("G.output.bias");
            e = assertThrows(InvalidInputException.class, () -> model.loadParameters(missing));
            assertTrue(e.getMessage().contains("lacks G.output.bias"), e.getMessage());

            Map<String, NDArray> extra = new LinkedHashMap<>(model.allParameters());
            extra.put("X.unknown", m.zeros(new ai.djl.ndarray.types.Shape(1)));
            e = assertThrows(InvalidInputException.class, () -> model.loadParameters(extra));
            assertTrue(e.getMessage().contains("X.unknown"), e.getMessage());

            byte[] good = save(model.allParameters(), DataType.FLOAT32);
            byte[] truncated = Arrays.copyOf(good, good.length / 2);
            e = assertThrows(InvalidInputException.class, () -> load(truncated, m));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            byte[] garbage = "this is not a weights file at all".getBytes();
            e = assertThrows(InvalidInputException.class, () -> load(garbage, m));
            assertTrue(e.getMessage().contains("not a Dual-MTGAN weights file"), e.getMessage());
        }
    }

    @Test
    void resumingFromSavedWeightsAndOptimizerStateContinuesExactly() throws IOException {
        ModelConfig cfg = TinyModels.tiny(32, 4);
        try (NDManager m = manager.newSubManager()) {
            NDArray v = TinyModels.movingSquares(m, 1, 2, 4, 32);
            NDArray vy = TinyModels.movingSquares(m, 2, 2, 4, 32);
            // Uninterrupted: steps 0, 1, 2.
            DualMtgan a = DualMtgan.create(cfg, m, 8);
            TrainingStep ta = new TrainingStep(a, 21);
            ta.step(v, vy, 0);
            ta.step(v, vy, 1);
            // Checkpoint after step 1.
            byte[] weights = save(a.allParameters(), DataType.FLOAT32);
            byte[] gen = save(ta.generatorOptimizer().state(), DataType.FLOAT32);
            byte[] disc = save(ta.discriminatorOptimizer().state(), DataType.FLOAT32);
            Map<String, Float> expected = ta.step(v, vy, 2);

            DualMtgan b = DualMtgan.create(cfg, m, 99);
            b.loadParameters(load(weights, m));
            TrainingStep tb = new TrainingStep(b, 21);
            tb.generatorOptimizer().load(load(gen, m));
            tb.discriminatorOptimizer().load(load(disc, m));
            assertEquals(2, tb.generatorOptimizer().stepCount());
            assertEquals(expected, tb.step(v, vy, 2));
            for (Map.Entry<String, NDArray> e : a.allParameters().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.allParameters().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void adamFollowsTheUpdateRule() {
        try (NDManager m = manager.newSubManager()) {
            NDArray p = m.create(new float[] {1f, -1f});
            p.setRequiresGradient(true);
            Adam adam = new Adam(m, 0.1, 0.9, 0.999, 1e-8);
            for (int t = 1; t <= 2; t++) {
                try (ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(p.mul(m.create(new float[] {2f, -0.5f})).sum());
                }
                adam.update(Map.of("p", p));
            }
            // A constant gradient g: m_hat = g and v_hat = g^2 at every step, so each step moves
            // the parameter by -lr * sign(g) (up to eps).
            assertArrayEquals(new float[] {0.8f, -0.8f}, p.toFloatArray(), 1e-5f);
            assertEquals(0f, p.getGradient().abs().sum().getFloat(), "gradients are zeroed");
            Map<String, NDArray> state = adam.state();
            assertEquals(java.util.Set.of("p.m", "p.v", "p.step"), state.keySet());
            // m_2 = 0.9 * 0.1 g + 0.1 g = 0.19 g
            assertArrayEquals(new float[] {0.38f, -0.095f}, state.get("p.m").toFloatArray(), 1e-6f);
            assertEquals(2, adam.stepCount());
            Map<String, NDArray> broken = new LinkedHashMap<>(state);
            broken.remove("p.v");
            assertThrows(InvalidInputException.class, () -> new Adam(m, 0.1, 0.9, 0.999, 1e-8).load(broken));
        }
    }
}
