package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The layers DJL lacks, against values computed by hand. */
class LayersTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Initialises every parameter of {@code block} (values then set by the test). */
    static void init(Block block) {
        for (Parameter p : block.getParameters().values()) {
            p.setInitializer(new DualMtgan.SeededInitializer(1, p.getType()));
            p.initialize(manager, DataType.FLOAT32);
        }
    }

    static void set(Block block, String name, float... values) {
        java.util.Map<String, Parameter> params = new java.util.LinkedHashMap<>();
        ModelBlock.collectParameters(block, "x", params);
        params.get("x." + name).getArray().set(values);
    }

    static void assertValues(float[] expected, NDArray actual, double tol) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, "length");
        for (int i = 0; i < a.length; i++) assertEquals(expected[i], a[i], tol, "element " + i);
    }

    @Test
    void instanceNormNormalisesEachChannelAndAppliesTheAffineMap() {
        InstanceNorm norm = new InstanceNorm(2, true);
        init(norm);
        set(norm, "gamma", 2f, 1f);
        set(norm, "beta", 0.5f, -1f);
        // Channel 0: 1 2 3 4 (mean 2.5, biased variance 1.25); channel 1 constant.
        NDArray x = manager.create(new float[] {1, 2, 3, 4, 2, 2, 2, 2}, new Shape(1, 2, 2, 2));
        double s = Math.sqrt(1.25 + 1e-5);
        float[] expected = {
            (float) (2 * -1.5 / s + 0.5), (float) (2 * -0.5 / s + 0.5), (float) (2 * 0.5 / s + 0.5), (float) (2 * 1.5 / s + 0.5),
            -1f, -1f, -1f, -1f};
        assertValues(expected, norm.forward(x, false), 1e-5);
    }

    @Test
    void instanceNormWorksOnVideoShapedInputs() {
        InstanceNorm norm = new InstanceNorm(1, false);
        NDArray x = manager.create(new float[] {0, 2, 4, 6}, new Shape(1, 1, 2, 2, 1));
        double s = Math.sqrt(5 + 1e-5);
        assertValues(new float[] {(float) (-3 / s), (float) (-1 / s), (float) (1 / s), (float) (3 / s)}, norm.forward(x, false), 1e-5);
    }

    @Test
    void spectralNormDividesByThePowerIterationEstimateAndKeepsU() {
        SpectralNorm sn = new SpectralNorm(2);
        init(sn);
        float r = (float) (1 / Math.sqrt(2));
        set(sn, "u", r, r);
        NDArray w = manager.create(new float[] {3, 0, 0, 1}, new Shape(2, 2, 1, 1));
        // By hand: v = W^T u / |.| = (3, 1)/sqrt(10); u' = W v / |.| = (9, 1)/sqrt(82);
        // sigma = u'^T W v = 82 / sqrt(820) = sqrt(8.2).
        double sigma = Math.sqrt(8.2);
        NDArray inference = sn.forward(w, false);
        assertValues(new float[] {(float) (3 / sigma), 0, 0, (float) (1 / sigma)}, inference, 1e-5);
        assertValues(new float[] {r, r}, sn.getParameters().get("u").getArray(), 0); // untouched outside training
        NDArray training = sn.forward(w, true);
        assertValues(new float[] {(float) (3 / sigma), 0, 0, (float) (1 / sigma)}, training, 1e-5);
        assertValues(new float[] {(float) (9 / Math.sqrt(82)), (float) (1 / Math.sqrt(82))}, sn.getParameters().get("u").getArray(), 1e-6);
        assertFalse(sn.getParameters().get("u").requiresGradient(), "u is state, not trained");
        // Power iteration converges to the largest singular value, 3.
        for (int i = 0; i < 20; i++) sn.forward(w, true);
        assertEquals(1f, sn.forward(w, true).getFloat(0, 0, 0, 0), 1e-4);
    }

    @Test
    void upsampleConvRepeatsPixelsThenConvolves() {
        UpsampleConv up = new UpsampleConv(1, 1);
        init(up);
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        set(up, "conv.weight", ones);
        set(up, "conv.bias", 0f);
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        NDArray y = up.forward(x, false);
        assertEquals(new Shape(1, 1, 4, 4), y.getShape());
        // Upsampled: 1 1 2 2 / 1 1 2 2 / 3 3 4 4 / 3 3 4 4; a 3x3 box sum with zero padding.
        assertValues(new float[] {4, 8, 10, 8, 10, 18, 21, 16, 14, 24, 27, 20, 12, 20, 22, 16}, y, 1e-5);
        assertEquals(new Shape(1, 1, 4, 4), up.getOutputShapes(new Shape[] {new Shape(1, 1, 2, 2)})[0]);
    }

    @Test
    void filmAndAdaInModulateChannelsByTheCode() {
        NDArray x = manager.create(new float[] {1, 3, 0, 4}, new Shape(1, 2, 1, 2));
        NDArray code = manager.create(new float[] {1}, new Shape(1, 1));
        for (boolean normalize : new boolean[] {false, true}) {
            FiLM film = new FiLM(2, 1, normalize);
            init(film);
            // Dense code -> (gamma0, gamma1, beta0, beta1) = (1, 0, 0.5, 2).
            set(film, "affine.weight", 1f, 0f, 0.5f, 2f);
            set(film, "affine.bias", 0f, 0f, 0f, 0f);
            NDArray y = film.forward(false, x, code).singletonOrThrow();
            if (normalize) {
                double s0 = Math.sqrt(1 + 1e-5);
                double s1 = Math.sqrt(4 + 1e-5);
                assertValues(new float[] {(float) (-2 / s0 + 0.5), (float) (2 / s0 + 0.5), (float) (-2 / s1 + 2), (float) (2 / s1 + 2)}, y, 1e-5);
            } else {
                // x * (1 + gamma) + beta
                assertValues(new float[] {2.5f, 6.5f, 2f, 6f}, y, 1e-6);
            }
        }
    }

    @Test
    void lstmCellFollowsTheGateEquations() {
        LstmCell cell = new LstmCell(1, 1);
        init(cell);
        // Gates i, f, g, o from x = 1, h = 0.5: pre-activations 1, 2, 0.5, -1.
        set(cell, "weight_ih", 1f, 1f, 0.5f, -1f);
        set(cell, "weight_hh", 0f, 2f, 0f, 0f);
        set(cell, "bias", 0f, 1f, 0f, 0f);
        NDArray x = manager.create(new float[] {1}, new Shape(1, 1));
        NDArray h = manager.create(new float[] {0.5f}, new Shape(1, 1));
        NDArray c = manager.create(new float[] {2f}, new Shape(1, 1));
        var out = cell.forward(false, x, h, c);
        double i = sig(1), f = sig(1 + 1 + 1), g = Math.tanh(0.5), o = sig(-1);
        double cNext = f * 2 + i * g;
        assertEquals(cNext, out.get(1).getFloat(0, 0), 1e-5);
        assertEquals(o * Math.tanh(cNext), out.get(0).getFloat(0, 0), 1e-5);
    }

    /**
     * Guards the engine workaround (CpuIsaGuard): input gradients of the convolutional networks
     * match finite differences, run after run (with oneDNN above AVX they came out NaN).
     */
    @Test
    void convolutionInputGradientsMatchFiniteDifferences() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            // Whichever convolution path is in use (oneDNN capped at AVX by default, ATen with -Ddualmtgan.mkldnn=false).
            System.out.println("oneDNN ISA cap: " + CpuIsaGuard.current());
            double[] first = new double[3];
            for (int rep = 0; rep < 3; rep++) {
                double[] now = {
                    checkDirectional(m, x -> Losses.real(model.imageDiscriminator().forward(x, false)), 6, 6, 32, 32),
                    checkDirectional(m, x -> model.contentEncoder().forward(false, x).get(0).square().mean(), 4, 3, 32, 32),
                    checkDirectional(m, x -> Losses.real(model.videoDiscriminator().forward(x, false)), 2, 8, 3, 32, 32)};
                if (rep == 0) first = now;
                assertArrayEquals(first, now, "the same gradient every time");
            }
        }
    }

    /**
     * The speed-up of keeping oneDNN's convolutions (capped at AVX) changes no result: a training
     * step's losses and the input gradients of the convolutional networks match ATen's own
     * convolutions on the same inputs.
     */
    @Test
    void oneDnnAndAtenConvolutionsGiveTheSameResults() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        boolean wasDisabled = CpuIsaGuard.mkldnnDisabled();
        java.util.List<java.util.Map<String, Float>> losses = new java.util.ArrayList<>();
        java.util.List<float[][]> gradients = new java.util.ArrayList<>();
        try {
            for (boolean mkldnn : new boolean[] {true, false}) {
                assertTrue(CpuIsaGuard.setMkldnn(mkldnn), "the switch is reachable");
                try (NDManager m = manager.newSubManager()) {
                    DualMtgan model = DualMtgan.create(cfg, m, 1);
                    gradients.add(new float[][] {
                        inputGradient(m, x -> Losses.real(model.imageDiscriminator().forward(x, false)), 6, 6, 32, 32),
                        inputGradient(m, x -> model.contentEncoder().forward(false, x).get(0).square().mean(), 4, 3, 32, 32),
                        inputGradient(m, x -> Losses.real(model.videoDiscriminator().forward(x, false)), 2, 8, 3, 32, 32)});
                    TrainingStep step = new TrainingStep(model, 1);
                    losses.add(step.step(TinyModels.movingSquares(m, 1, 2, cfg.frames, cfg.size),
                            TinyModels.movingSquares(m, 2, 2, cfg.frames, cfg.size), 0));
                }
            }
        } finally {
            CpuIsaGuard.setMkldnn(!wasDisabled);
        }
        for (String k : losses.get(0).keySet()) {
            assertEquals(losses.get(1).get(k), losses.get(0).get(k), 1e-4 * Math.max(1, Math.abs(losses.get(1).get(k))), k);
        }
        for (int n = 0; n < 3; n++) {
            float[] a = gradients.get(0)[n];
            float[] b = gradients.get(1)[n];
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
                scale = Math.max(scale, Math.abs(b[i]));
            }
            assertTrue(scale > 0 && worst <= 1e-4 * scale, "network " + n + ": gradients differ by " + worst + " of " + scale);
        }
    }

    private static float[] inputGradient(NDManager m, java.util.function.Function<NDArray, NDArray> f, long... shape) {
        NDArray x = TinyModels.random(m, 1, shape);
        x.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        return x.getGradient().toFloatArray();
    }

    /** The analytic directional derivative, checked against a central difference (float32, leaky ReLU kinks: loose). */
    private static double checkDirectional(NDManager m, java.util.function.Function<NDArray, NDArray> f, long... shape) {
        NDArray x = TinyModels.random(m, 1, shape);
        NDArray d = TinyModels.random(m, 2, shape);
        x.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        double analytic = x.getGradient().mul(d).sum().getFloat();
        double h = 1e-2;
        double numeric = (f.apply(x.stopGradient().add(d.mul((float) h))).getFloat()
                - f.apply(x.stopGradient().sub(d.mul((float) h))).getFloat()) / (2 * h);
        assertTrue(Double.isFinite(analytic), "gradient is NaN");
        assertEquals(numeric, analytic, 0.25 * Math.abs(numeric) + 1e-6, "directional derivative");
        return analytic;
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void jointConvolutionsEqualEachConvolutionAloneInValuesAndGradients() {
        Conv a = Conv.conv2d(4, 3, 3, 1, 1, false);
        Conv b = Conv.conv2d(4, 2, 3, 1, 1, false);
        init(a);
        init(b);
        set(b, "bias", 0.25f, -0.5f);
        NDArray x = manager.randomNormal(new Shape(2, 4, 5, 5));
        java.util.Map<String, Parameter> pa = new java.util.LinkedHashMap<>();
        java.util.Map<String, Parameter> pb = new java.util.LinkedHashMap<>();
        ModelBlock.collectParameters(a, "a", pa);
        ModelBlock.collectParameters(b, "b", pb);
        NDArray wa = pa.get("a.weight").getArray();
        NDArray wb = pb.get("b.weight").getArray();
        wa.setRequiresGradient(true);
        wb.setRequiresGradient(true);
        // A weighting of the output channels, so each channel's gradient differs.
        NDArray weights = manager.create(new float[] {1, -2, 3, 0.5f, -1}, new Shape(1, 5, 1, 1));

        float[] separate;
        float[] gaSeparate;
        float[] gbSeparate;
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray y = a.forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), true).singletonOrThrow()
                    .concat(b.forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), true).singletonOrThrow(), 1);
            separate = y.toFloatArray();
            gc.backward(y.mul(weights).sum());
        }
        gaSeparate = wa.getGradient().toFloatArray();
        gbSeparate = wb.getGradient().toFloatArray();
        Adam.zeroGradient(wa);
        Adam.zeroGradient(wb);
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv.forwardJoint(x, true, a, b);
            assertEquals(new Shape(2, 5, 5, 5), y.getShape());
            assertValues(separate, y, 1e-5);
            gc.backward(y.mul(weights).sum());
        }
        assertValues(gaSeparate, wa.getGradient(), 1e-4);
        assertValues(gbSeparate, wb.getGradient(), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Conv.forwardJoint(x, true, a, Conv.conv2d(4, 2, 1, 1, 0, false)));
    }
}
