package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The gather-based bilinear sampler and the warp decoder's composition, against hand values and finite differences. */
class BilinearSamplerTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** A 1 x 1 x 2 x 3 image: row 0 = 1 2 3, row 1 = 4 5 6. */
    private static NDArray small() {
        return manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
    }

    private static NDArray positions(float... v) {
        return manager.create(v, new Shape(1, 1, v.length));
    }

    @Test
    void samplesMatchHandComputedBilinearValues() {
        NDArray x = positions(0f, 0.5f, 1.25f, 2f, 1f, -3f, 7f);
        NDArray y = positions(0f, 0f, 0.5f, 1f, 0.25f, 0f, 1f);
        float[] out = BilinearSampler.sample(small(), x, y).toFloatArray();
        // (0,0) -> 1; (0.5,0) -> 1.5; (1.25,0.5): row 0 at 1.25 = 2.25, row 1 = 5.25, half way = 3.75;
        // (2,1) -> 6; (1,0.25) -> 2 + 0.25 * 3 = 2.75; outside: clamped to the border, (0,0) -> 1, (2,1) -> 6.
        float[] expected = {1f, 1.5f, 3.75f, 6f, 2.75f, 1f, 6f};
        assertArrayEquals(expected, out, 1e-6f);
    }

    @Test
    void everyChannelAndBatchItemIsSampledAtItsOwnPositions() {
        // Two items, two channels; item 1 reads its pixel (1, 2), item 0 its pixel (0, 1).
        NDArray image = manager.arange(24f).reshape(2, 2, 2, 3);
        NDArray x = manager.create(new float[] {1, 2}, new Shape(2, 1, 1));
        NDArray y = manager.create(new float[] {0, 1}, new Shape(2, 1, 1));
        float[] out = BilinearSampler.sample(image, x, y).toFloatArray();
        assertArrayEquals(new float[] {1, 7, 17, 23}, out, 1e-6f);
    }

    @Test
    void aZeroFlowGivesTheImageBackExactly() {
        NDArray image = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        NDArray out = BilinearSampler.warp(image, manager.zeros(new Shape(2, 2, 8, 8)));
        assertArrayEquals(image.toFloatArray(), out.toFloatArray(), 0f);
    }

    @Test
    void aOnePixelFlowShiftsTheImageWithTheBorderRepeated() {
        NDArray image = manager.arange(16f).reshape(1, 1, 4, 4);
        NDArray flow = manager.zeros(new Shape(1, 2, 4, 4));
        flow.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 1f); // out(i, j) = image(i, j + 1)
        float[] out = BilinearSampler.warp(image, flow).toFloatArray();
        float[] expected = {1, 2, 3, 3, 5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15};
        assertArrayEquals(expected, out, 1e-6f);
        NDArray down = manager.zeros(new Shape(1, 2, 4, 4));
        down.set(new ai.djl.ndarray.index.NDIndex("0, 1"), -1f); // out(i, j) = image(i - 1, j)
        float[] shifted = BilinearSampler.warp(image, down).toFloatArray();
        float[] expectedDown = {0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertArrayEquals(expectedDown, shifted, 1e-6f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 1, c = 2, h = 5, w = 6;
        float[] img = new float[n * c * h * w];
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble(-1, 1);
        // Flows with fractional parts in [0.2, 0.8] (away from the kinks at integers) and inside the image.
        float[] fl = new float[n * 2 * h * w];
        for (int i = 0; i < fl.length; i++) fl[i] = (float) ((r.nextInt(3) - 1) + r.nextDouble(0.2, 0.8)) * (i % 2 == 0 ? 1 : -1);
        for (int i = 0; i < h * w; i++) {
            int row = i / w, col = i % w;
            fl[i] = clampInside(fl[i], col, w);
            fl[h * w + i] = clampInside(fl[h * w + i], row, h);
        }
        float[] probe = new float[n * c * h * w];
        for (int i = 0; i < probe.length; i++) probe[i] = (float) r.nextDouble(-1, 1);
        NDArray p = manager.create(probe, new Shape(n, c, h, w));
        NDArray image = manager.create(img, new Shape(n, c, h, w));
        NDArray flow = manager.create(fl, new Shape(n, 2, h, w));
        image.setRequiresGradient(true);
        flow.setRequiresGradient(true);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            gc.backward(BilinearSampler.warp(image, flow).mul(p).sum());
        }
        float[] gImage = image.getGradient().toFloatArray();
        float[] gFlow = flow.getGradient().toFloatArray();
        double eps = 1e-2;
        for (int i = 0; i < img.length; i += 3) {
            double num = (objective(img, fl, probe, i, eps, true) - objective(img, fl, probe, i, -eps, true)) / (2 * eps);
            assertEquals(num, gImage[i], 1e-3, "d/d image[" + i + "]");
        }
        for (int i = 0; i < fl.length; i++) {
            double num = (objective(img, fl, probe, i, eps, false) - objective(img, fl, probe, i, -eps, false)) / (2 * eps);
            assertEquals(num, gFlow[i], 1e-3, "d/d flow[" + i + "]");
        }
    }

    /** A flow value moved so that pixel + flow stays inside (0.2, size - 1.2): no border clamping. */
    private static float clampInside(float f, int at, int size) {
        float pos = at + f;
        if (pos < 0.2f) f += (float) Math.ceil(0.2f - pos);
        if (pos > size - 1.2f) f -= (float) Math.ceil(pos - (size - 1.2f));
        return f;
    }

    private static double objective(float[] img, float[] fl, float[] probe, int index, double delta, boolean ofImage) {
        float[] i2 = img.clone();
        float[] f2 = fl.clone();
        if (ofImage) i2[index] += (float) delta;
        else f2[index] += (float) delta;
        try (NDManager m = manager.newSubManager()) {
            NDArray out = BilinearSampler.warp(m.create(i2, new Shape(1, 2, 5, 6)), m.create(f2, new Shape(1, 2, 5, 6)));
            return out.mul(m.create(probe, new Shape(1, 2, 5, 6))).sum().getFloat();
        }
    }

    @Test
    void zeroFlowAndAnAllWarpMaskReproduceTheImageExactly() {
        NDArray image = manager.randomUniform(-1, 1, new Shape(3, 3, 16, 16));
        NDArray generated = manager.randomUniform(-1, 1, new Shape(3, 3, 16, 16));
        NDArray frame = Generator.composeWarp(image, manager.zeros(new Shape(3, 2, 16, 16)), manager.ones(new Shape(3, 1, 16, 16)), generated);
        assertArrayEquals(image.toFloatArray(), frame.toFloatArray(), 0f);
        NDArray gen = Generator.composeWarp(image, manager.zeros(new Shape(3, 2, 16, 16)), manager.zeros(new Shape(3, 1, 16, 16)), generated);
        assertArrayEquals(generated.toFloatArray(), gen.toFloatArray(), 0f);
    }

    @Test
    void anUntrainedWarpGeneratorStartsCloseToTheImage() {
        ModelConfig cfg = new ModelConfig();
        cfg.size = 32;
        cfg.frames = 4;
        cfg.width = 8;
        cfg.decoder = "warp";
        try (NDManager m = manager.newSubManager(); DualMtgan model = DualMtgan.create(cfg, m, 1)) {
            // A smooth image (a diagonal ramp): a sub-pixel flow changes it little, as in real frames.
            NDArray ramp = m.arange(32f).div(31f).mul(2).sub(1);
            NDArray image = ramp.reshape(1, 1, 1, 32).add(ramp.reshape(1, 1, 32, 1)).div(2).broadcast(new Shape(2, 3, 32, 32));
            NDArray z = m.zeros(new Shape(2, cfg.motionDim));
            NDArray out = model.sample(image, z, 4);
            assertEquals(new Shape(2, 4, 3, 32, 32), out.getShape());
            double meanError = out.sub(image.expandDims(1)).abs().mean().getFloat();
            // The occlusion bias puts 95 % on the (nearly unmoved) warp: far closer than a blank frame (0.5).
            System.out.println("untrained warp G: mean |frame - image| " + meanError);
            assertTrue(meanError < 0.1, "mean |frame - image| " + meanError);
        }
    }
}
