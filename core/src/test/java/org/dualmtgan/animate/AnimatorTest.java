package org.dualmtgan.animate;

import org.dualmtgan.SharedData;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.ModelSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnimatorTest {
    static final int T = TinyModel.FRAMES;
    static final int S = TinyModel.SIZE;
    static Path checkpoint;
    static Animator model;

    @BeforeAll
    static void train() throws IOException {
        checkpoint = TinyModel.shared();
        model = Animator.load(checkpoint);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static Path data(String relative) {
        return SharedData.path(relative);
    }

    static Video image() {
        return TinyModel.squareVideo(1, 1);
    }

    static Video driving(long seed, int frames) {
        return TinyModel.squareVideo(seed, frames);
    }

    static double maxDiff(Video a, Video b) {
        assertEquals(a.frames(), b.frames());
        double m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        return m;
    }

    static void assertUnitRange(Video v) {
        for (float f : v.data()) assertTrue(f >= 0 && f <= 1, "value " + f + " outside [0, 1]");
    }

    @Test
    void transferHasTheDrivingLengthAndModelSize() {
        Video out = model.transfer(image(), driving(7, T).withFps(12));
        assertEquals(T, out.frames());
        assertEquals(S, out.height());
        assertEquals(S, out.width());
        assertEquals(12, out.fps(), 1e-9);
        assertUnitRange(out);
        // Shorter than T works as one clip too.
        assertEquals(3, model.transfer(image(), driving(7, 3)).frames());
    }

    @Test
    void transferMatchesTheModelsOwnFormulaForOneClip() {
        Video y = image();
        Video v = driving(8, T);
        Video ours = model.transfer(y, v);
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             DualMtgan net = DualMtgan.create(TinyModel.config(), m, 0);
             Checkpoint ckpt = Checkpoint.load(checkpoint, m)) {
            net.loadParameters(ckpt.parameters());
            NDArray direct = net.transfer(y.toNDArray(m), v.toNDArray(m).expandDims(0));
            assertTrue(maxDiff(ours, Video.fromNDArray(direct, 25)) < 1e-5);
        }
    }

    @Test
    void anySizeAndAspectIsPreprocessed() {
        // A real portrait (large, not square) and real robot frames (64 px) run at the model's 32 px.
        BufferedImage portrait = MediaReader.readImage(data("faces/src_s0.jpg"));
        assertTrue(portrait.getWidth() != S);
        Video robot = MediaReader.readVideo(data("bair/bair_00026")).slice(0, T);
        Video out = model.transfer(portrait, robot);
        assertEquals(T, out.frames());
        assertEquals(S, out.width());
        assertUnitRange(out);
    }

    @Test
    void longDrivingVideoRunsThroughWindows() {
        Video y = image();
        Video v = driving(9, 3 * T);
        Video out = model.transfer(y, v);
        assertEquals(3 * T, out.frames());
        assertUnitRange(out);
        // Frames before the first overlap come from the first window alone: the plain transfer of frames 1..T.
        Video head = model.transfer(y, v.slice(0, T));
        int alone = MotionWindows.plan(3 * T, T).get(1).start();
        assertTrue(alone >= 1);
        assertTrue(maxDiff(out.slice(0, alone), head.slice(0, alone)) < 1e-5);
        // The reconstruction of a long video has its length too.
        assertEquals(3 * T, model.reconstruct(v).frames());
    }

    @Test
    void reconstructIsTransferOfTheFirstFrame() {
        Video v = driving(10, T);
        assertTrue(maxDiff(model.reconstruct(v), model.transfer(v.frame(0), v)) < 1e-6);
    }

    @Test
    void generateIsReproducibleFromTheSeed() {
        Video y = image();
        List<Video> a = model.generate(y, 3, 42);
        List<Video> b = model.generate(y, 3, 42);
        List<Video> c = model.generate(y, 3, 43);
        assertEquals(3, a.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(T, a.get(i).frames());
            assertUnitRange(a.get(i));
            assertArrayEquals(a.get(i).data(), b.get(i).data(), "same seed, same video");
            assertTrue(maxDiff(a.get(i), c.get(i)) > 1e-4, "another seed, another video");
        }
        assertTrue(maxDiff(a.get(0), a.get(1)) > 1e-4, "samples of one request differ");
        // The first samples of a larger request are those of a smaller one.
        // The first samples of a larger request are those of a smaller one, bit for bit, whatever the
        // batch each falls in (10 samples: batches of 8 and 2).
        List<Video> more = model.generate(y, 10, 42);
        assertEquals(10, more.size());
        for (int i = 0; i < 3; i++) assertArrayEquals(a.get(i).data(), more.get(i).data(), "sample " + i + " of 10 and of 3");
        assertArrayEquals(more.get(0).data(), model.generate(y, 1, 42).get(0).data(), "sample 0 of 10 and of 1");
        List<Video> five = model.generate(y, 5, 42);
        for (int i = 0; i < 5; i++) assertArrayEquals(five.get(i).data(), more.get(i).data(), "sample " + i + " of 10 and of 5");
    }

    @Test
    void generateAnyLength() {
        List<Video> long40 = model.generate(image(), 2, 5, 40);
        assertEquals(2, long40.size());
        for (Video v : long40) {
            assertEquals(40, v.frames());
            assertUnitRange(v);
        }
        // The recurrent decoder unrolls further: the first T frames are those of a T-frame request.
        List<Video> shortOnes = model.generate(image(), 2, 5, T);
        assertTrue(maxDiff(long40.get(0).slice(0, T), shortOnes.get(0)) < 1e-5);
        assertEquals(1, model.generate(image(), 1, 5, 1).get(0).frames());
    }

    /**
     * Criterion for few-frame conditioning (structural, so it holds for a weak model too): every
     * conditioned sample's first k frames are the model's reconstruction of the k given frames (the
     * posterior of the prefix drives R for k steps) and so agree across samples, while samples
     * differ after k; unconditioned samples already differ within the first k frames. How close a
     * reconstruction is to the given frames depends on training, which a test of seconds cannot do.
     */
    @Test
    void fewFrameConditioningReproducesTheGivenFrames() {
        int k = 4;
        Video clip = driving(11, T);
        Video prefix = clip.slice(0, k);
        List<Video> conditioned = model.generate(prefix, 3, 7);
        Video rebuilt = model.reconstruct(prefix);
        for (Video s : conditioned) {
            assertEquals(T, s.frames());
            assertTrue(maxDiff(s.slice(0, k), rebuilt) < 1e-4, "first k frames are the prefix's reconstruction");
        }
        assertTrue(maxDiff(conditioned.get(0).slice(k, T), conditioned.get(1).slice(k, T)) > 1e-4, "samples diverge after k");
        List<Video> free = model.generate(prefix.frame(0), 3, 7);
        assertTrue(maxDiff(free.get(0).slice(1, k), free.get(1).slice(1, k)) > 1e-4, "unconditioned samples differ early");
        // Conditioned samples are reproducible, and the conditioning frames must fit in the output.
        assertArrayEquals(conditioned.get(2).data(), model.generate(prefix, 3, 7).get(2).data());
        assertThrows(InvalidInputException.class, () -> model.generate(clip, 2, 1, T - 1));
    }

    @Test
    void interpolationEndpointsAreTheTransfersOfTheEndpointMotions() {
        Video y = image();
        Video a = driving(20, T);
        Video b = driving(21, T);
        List<Video> steps = model.interpolate(y, a, b, 4);
        assertEquals(4, steps.size());
        for (Video v : steps) {
            assertEquals(T, v.frames());
            assertUnitRange(v);
        }
        Video ta = model.transfer(y, a);
        Video tb = model.transfer(y, b);
        assertTrue(maxDiff(steps.get(0), ta) < 1e-4);
        assertTrue(maxDiff(steps.get(3), tb) < 1e-4);
        assertTrue(maxDiff(steps.get(1), ta) > 1e-5 && maxDiff(steps.get(1), tb) > 1e-5, "a middle step is a blend");
        assertThrows(InvalidInputException.class, () -> model.interpolate(y, a, b, 1));
    }

    @Test
    void badRequestsAreInvalidInput() {
        Video empty = new Video(new float[0], 0, S, S, 25);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.transfer(image(), empty));
        assertTrue(e.getMessage().contains("driving video has no frames"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> model.transfer((Video) null, driving(1, T)));
        assertThrows(InvalidInputException.class, () -> model.generate(image(), 0, 1));
        assertThrows(InvalidInputException.class, () -> model.generate(image(), 1, 1, 0));
        float[] nan = image().data().clone();
        nan[5] = Float.NaN;
        assertThrows(InvalidInputException.class, () -> model.generate(new Video(nan, 1, S, S, 25), 1, 1));
        assertThrows(InvalidInputException.class, () -> model.sample(image(), new float[][] {new float[3]}, T));
    }

    @Test
    void concurrentCallersGetTheSequentialResults() throws Exception {
        Video y = image();
        Video[] drivers = {driving(30, T), driving(31, 2 * T), driving(32, T)};
        Video[] expected = new Video[drivers.length];
        for (int i = 0; i < drivers.length; i++) expected[i] = model.transfer(y, drivers[i]);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Video>> futures = new java.util.ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (Video d : drivers) futures.add(pool.submit(() -> model.transfer(y, d)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertTrue(maxDiff(futures.get(i).get(), expected[i % drivers.length]) < 1e-6);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadsRunFoldersExportsAndBundledNames(@TempDir Path tmp) throws Exception {
        Video y = image();
        Video v = driving(40, T);
        Video reference = model.transfer(y, v);
        assertEquals(TinyModel.STEPS, model.info().step);

        // A run folder: its latest checkpoint.
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.copy(checkpoint, run.resolve("checkpoints/step-00000006.ckpt"));
        try (Animator a = Animator.load(run)) {
            assertTrue(maxDiff(a.transfer(y, v), reference) < 1e-6);
        }

        // Inference exports: float32 is exact, float16 close.
        Path f32 = tmp.resolve("export32.ckpt");
        Path f16 = tmp.resolve("export16.ckpt");
        ModelSummary.exportInference(checkpoint, f32, false);
        ModelSummary.exportInference(checkpoint, f16, true);
        try (Animator a = Animator.load(f32); Animator b = Animator.load(f16)) {
            assertEquals("inference", a.info().kind);
            assertTrue(maxDiff(a.transfer(y, v), reference) < 1e-6);
            double d16 = maxDiff(b.transfer(y, v), reference);
            assertTrue(d16 < 0.02, "float16 export differs by " + d16);
        }

        // Bundled names: models/NAME/model.ckpt under the folder the property names.
        Path models = tmp.resolve("models");
        Files.createDirectories(models.resolve("tiny-test"));
        Files.copy(f32, models.resolve("tiny-test/model.ckpt"));
        String old = System.getProperty(BundledModels.DIR_PROPERTY);
        System.setProperty(BundledModels.DIR_PROPERTY, models.toString());
        try {
            assertTrue(Animator.bundled().contains("tiny-test"), Animator.bundled().toString());
            try (Animator a = Animator.load("tiny-test")) {
                assertTrue(maxDiff(a.transfer(y, v), reference) < 1e-6);
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Animator.load("no-such-model"));
            assertTrue(e.getMessage().contains("unknown model 'no-such-model'") && e.getMessage().contains("tiny-test"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(BundledModels.DIR_PROPERTY);
            else System.setProperty(BundledModels.DIR_PROPERTY, old);
        }
    }

    @Test
    void badModelFilesNameTheFile(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("missing.ckpt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Animator.load(missing.toString()));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());

        byte[] whole = Files.readAllBytes(checkpoint);
        Path truncated = tmp.resolve("truncated.ckpt");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(InvalidInputException.class, () -> Animator.load(truncated));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path png = tmp.resolve("picture.ckpt");
        Files.copy(data("faces/src_s0.jpg"), png);
        e = assertThrows(InvalidInputException.class, () -> Animator.load(png));
        assertTrue(e.getMessage().startsWith(png.toString()) && e.getMessage().contains("not a Dual-MTGAN checkpoint"), e.getMessage());

        Path emptyRun = Files.createDirectories(tmp.resolve("empty-run"));
        e = assertThrows(InvalidInputException.class, () -> Animator.load(emptyRun));
        assertTrue(e.getMessage().startsWith(emptyRun.toString()), e.getMessage());
    }

    @Test
    void closedAnimatorRefusesWork() {
        Animator a = Animator.load(checkpoint);
        assertNotNull(a.config());
        assertEquals(T, a.clipLength());
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.transfer(image(), driving(1, T)));
        assertFalse(model.source() == null);
    }
}
