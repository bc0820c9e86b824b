package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Output shapes of every network, and the inference API. */
class NetworksTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({"32, 8", "32, 16", "64, 8", "64, 16"})
    void everyBlockHasTheDocumentedShapes(int size, int frames) {
        ModelConfig cfg = TinyModels.tiny(size, frames);
        int b = 2;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 3);
            NDArray video = TinyModels.random(m, 1, b, frames, 3, size, size);
            NDArray image = video.get(":, 0");
            int depth = Integer.numberOfTrailingZeros(size) - 2;

            NDList content = model.contentEncoder().forward(false, image);
            assertEquals(depth + 1, content.size());
            assertEquals(new Shape(b, cfg.contentDim), content.get(0).getShape());
            for (int i = 0; i < depth; i++) {
                long px = size >> (i + 1);
                assertEquals(new Shape(b, DownStack.levelChannels(cfg.width, i), px, px), content.get(i + 1).getShape(), "skip " + i);
            }
            assertArrayEquals(content.getShapes(), model.contentEncoder().getOutputShapes(new Shape[] {image.getShape()}));
            assertEquals(4, content.get(depth).getShape().get(3), "coarsest skip at 4 px");

            NDList q = model.motionEncoder().forward(false, video);
            assertEquals(new Shape(b, cfg.motionDim), q.get(0).getShape());
            assertEquals(new Shape(b, cfg.motionDim), q.get(1).getShape());

            NDArray m1 = model.motionDecoder().decode(q.get(0), frames, false);
            assertEquals(new Shape(b, frames, cfg.motionCodeDim), m1.getShape());
            assertEquals(new Shape(b, 5, cfg.motionCodeDim), model.motionDecoder().decode(q.get(0), 5, false).getShape(),
                    "R unrolls any number of frames");

            NDArray fake = model.generator().generate(image, content, m1, false);
            assertEquals(new Shape(b, frames, 3, size, size), fake.getShape());
            assertTrue(fake.abs().max().getFloat() <= 1f, "frames stay in [-1, 1]");

            NDArray patch = model.imageDiscriminator().score(image, image, false);
            assertEquals(new Shape(b, 1, 8, 8), patch.getShape());

            NDArray clipLogits = model.videoDiscriminator().forward(video, false);
            Shape expected = model.videoDiscriminator().getOutputShapes(new Shape[] {video.getShape()})[0];
            assertEquals(expected, clipLogits.getShape());
            assertEquals(b, clipLogits.getShape().get(0));
            assertEquals(8, clipLogits.getShape().get(3));
            long t = frames;
            for (int level = 0; level < depth - 1; level++) if (t >= 4) t /= 2;
            assertEquals(t, clipLogits.getShape().get(2), "time halves at each level while >= 4 frames remain");

            NDArray picked = model.frameSampler().sample(video, new long[] {frames - 1, 2});
            assertEquals(new Shape(b, 3, size, size), picked.getShape());
            assertEquals(0f, picked.get(0).sub(video.get(0, frames - 1)).abs().max().getFloat());
            assertEquals(0f, picked.get(1).sub(video.get(1, 2)).abs().max().getFloat());
        }
    }

    @Test
    void frameSamplerDrawsUniformIndicesFromTheSeed() {
        long[] a = FrameSampler.draw(new java.util.SplittableRandom(5), 1000, 8);
        long[] b = FrameSampler.draw(new java.util.SplittableRandom(5), 1000, 8);
        assertArrayEquals(a, b);
        int[] counts = new int[8];
        for (long i : a) counts[(int) i]++;
        for (int c : counts) assertTrue(c > 80 && c < 170, "roughly uniform: " + java.util.Arrays.toString(counts));
    }

    @Test
    void inferenceMethodsReturnVideosOfTheRequestedLength() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 4);
            NDArray video = TinyModels.random(m, 1, 2, 8, 3, 32, 32);
            NDArray longVideo = TinyModels.random(m, 2, 2, 20, 3, 32, 32);
            NDArray image = video.get(":, 0");
            assertEquals(new Shape(2, 8, 3, 32, 32), model.reconstruct(video).getShape());
            NDArray transferred = model.transfer(image, longVideo);
            assertEquals(new Shape(2, 20, 3, 32, 32), transferred.getShape());
            assertSame(m, transferred.getManager(), "results belong to the caller's manager");
            NDArray z = TinyModels.random(m, 3, 2, model.latentDim());
            assertEquals(new Shape(2, 30, 3, 32, 32), model.sample(image, z, 30).getShape());
            assertEquals(new Shape(2, cfg.motionDim), model.encodeMotion(video).getShape());
            assertEquals(cfg.motionDim, model.latentDim());
            // Different latents give different motions; the same latent the same video.
            NDArray z2 = TinyModels.random(m, 4, 2, model.latentDim());
            assertTrue(model.sample(image, z, 8).sub(model.sample(image, z2, 8)).abs().max().getFloat() > 0);
            assertEquals(0f, model.sample(image, z, 8).sub(model.sample(image, z, 8)).abs().max().getFloat());

            InvalidInputException bad = assertThrows(InvalidInputException.class,
                    () -> model.reconstruct(TinyModels.random(m, 5, 2, 8, 3, 64, 64)));
            assertTrue(bad.getMessage().contains("(B, T, 3, 32, 32)"), bad.getMessage());
            assertThrows(InvalidInputException.class, () -> model.transfer(TinyModels.random(m, 5, 3, 3, 32, 32), video));
            assertThrows(InvalidInputException.class, () -> model.sample(image, TinyModels.random(m, 6, 2, 3), 8));
            assertThrows(InvalidInputException.class, () -> model.sample(image, z, 0));
        }
    }

    @Test
    void plainDecoderAndSpectralNormAreAvailableByConfig() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        cfg.decoder = "plain";
        cfg.spectralNorm = true;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan model = DualMtgan.create(cfg, m, 5);
            assertFalse(model.generator().masked());
            Map<String, NDArray> state = model.state();
            assertFalse(state.isEmpty());
            for (String name : state.keySet()) {
                assertTrue(name.startsWith("D_") && name.endsWith(".sn.u"), name);
                assertFalse(model.parameters(DualMtgan.Side.DISCRIMINATOR).containsKey(name), "optimizers skip " + name);
                assertTrue(model.allParameters().containsKey(name), "checkpoints keep " + name);
            }
            NDArray video = TinyModels.random(m, 1, 2, 8, 3, 32, 32);
            assertEquals(new Shape(2, 8, 3, 32, 32), model.reconstruct(video).getShape());
        }
    }

    @Test
    void parameterNamesAreStableAndCountsAddUp() {
        ModelConfig cfg = TinyModels.tiny(32, 8);
        try (NDManager m = manager.newSubManager()) {
            DualMtgan a = DualMtgan.create(cfg, m, 1);
            DualMtgan b = DualMtgan.create(cfg, m, 1);
            DualMtgan c = DualMtgan.create(cfg, m, 2);
            assertEquals(a.allParameters().keySet(), b.allParameters().keySet());
            assertTrue(a.allParameters().containsKey("E_C.trunk.conv1.weight"));
            assertTrue(a.allParameters().containsKey("G.output.weight"));
            long total = 0;
            for (NDArray p : a.allParameters().values()) total += p.getShape().size();
            long counted = a.parameterCounts().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(total, counted);
            assertEquals(DualMtgan.NETWORKS, java.util.List.copyOf(a.parameterCounts().keySet()));
            for (long n : a.parameterCounts().values()) assertTrue(n > 0);
            for (String name : a.parameters(DualMtgan.Side.GENERATOR).keySet()) assertFalse(name.startsWith("D_"), name);
            for (String name : a.parameters(DualMtgan.Side.DISCRIMINATOR).keySet()) assertTrue(name.startsWith("D_"), name);
            // Initialisation comes from the seed alone.
            NDArray wa = a.allParameters().get("G.output.weight");
            assertEquals(0f, wa.sub(b.allParameters().get("G.output.weight")).abs().max().getFloat());
            assertTrue(wa.sub(c.allParameters().get("G.output.weight")).abs().max().getFloat() > 0);
        }
    }

    @Test
    void invalidConfigsAreRejectedWithAClearMessage() {
        ModelConfig cfg = TinyModels.tiny(48, 8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DualMtgan.create(cfg, manager, 1));
        assertTrue(e.getMessage().contains("size must be 32, 64 or 128"), e.getMessage());
    }

    /** motionInputGain g: E_M sees (x^t, g (x^t - x^1)), the same as gain 1 with the first conv's difference-channel weights times g. */
    @Test
    void theMotionInputGainScalesOnlyTheDifferenceChannels() {
        ModelConfig plain = TinyModels.tiny(32, 8);
        ModelConfig gained = plain.copy();
        gained.motionInputGain = 5;
        try (NDManager m = manager.newSubManager()) {
            DualMtgan a = DualMtgan.create(gained, m, 3);
            DualMtgan b = DualMtgan.create(plain, m, 3);
            Map<String, NDArray> params = new java.util.TreeMap<>();
            a.allParameters().forEach((k, v) -> params.put(k, v.duplicate()));
            String first = "E_M.trunk.conv1.weight";
            NDArray w = params.get(first);
            assertEquals(6, w.getShape().get(1), "E_M's first conv sees 6 channels");
            params.put(first, w.get(":, 0:3").concat(w.get(":, 3:6").mul(5f), 1));
            b.loadParameters(params);
            NDArray video = TinyModels.random(m, 2, 2, 8, 3, 32, 32);
            NDList qa = a.motionEncoder().forward(false, video);
            NDList qb = b.motionEncoder().forward(false, video);
            assertTrue(qa.get(0).sub(qb.get(0)).abs().max().getFloat() < 1e-4f, "means agree");
            assertTrue(qa.get(1).sub(qb.get(1)).abs().max().getFloat() < 1e-4f, "log-variances agree");
            DualMtgan c = DualMtgan.create(plain, m, 3);
            NDList qc = c.motionEncoder().forward(false, video);
            assertTrue(qc.get(0).sub(qa.get(0)).abs().max().getFloat() > 1e-3f, "the gain changes what E_M computes");
        }
        ModelConfig bad = plain.copy();
        bad.motionInputGain = 0;
        assertThrows(InvalidInputException.class, bad::validate);
    }
}
